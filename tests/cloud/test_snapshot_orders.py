"""The order lifecycle as pure functions: held, released, tracked, installed, what a month cost."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from cloud.decide.learning import DAY, RateLearner
from cloud.orders import lifecycle
from cloud.orders.fulfilment import ShipmentStatus
from cloud.orders.lifecycle import OrderState
from cloud.terms import OPEN_STATUSES, OrderSource, OrderStatus

T0 = 1_767_225_600.0  # 2026-01-01 00:00 UTC
HOUR = 3600.0


def placed(
    source: OrderSource = OrderSource.ENGINE,
    *,
    quantity: int = 1,
    cancel_until: float | None = T0 + 2 * HOUR,
    now: float = T0,
    order_id: str = "o1",
) -> OrderState:
    return lifecycle.place(
        order_id=order_id,
        need_id="n1",
        source=source,
        quantity=quantity,
        price_cents=429 * quantity,
        cancel_until=cancel_until,
        now=now,
    )


def milk_learner(levels: list[float]) -> RateLearner:
    """A scale's learner fed one reading a day from T0 on."""
    learner = RateLearner(refill=1170.0, pack=3900.0)
    for day, level in enumerate(levels):
        learner = learner.update(T0 + day * DAY, level)
    return learner


def test_an_automatic_order_is_held_and_holds_its_needs_key() -> None:
    order = placed()
    assert (order.status, order.open_key) == (OrderStatus.HELD, "need/n1")
    assert order.cancel_until == T0 + 2 * HOUR
    assert lifecycle.open_order([order]) == order


def test_an_order_the_customer_places_holds_no_key() -> None:
    asked = placed(OrderSource.API, cancel_until=None)
    assert (asked.status, asked.open_key, asked.cancel_until) == (OrderStatus.PENDING, None, None)
    undoable = placed(OrderSource.BUTTON, cancel_until=T0 + 60)
    assert (undoable.status, undoable.open_key) == (OrderStatus.HELD, None)
    assert lifecycle.open_order([asked, undoable]) is None


def test_a_window_already_closed_is_no_window() -> None:
    order = placed(cancel_until=T0)
    assert (order.status, order.cancel_until) == (OrderStatus.PENDING, None)


def test_undo_only_while_held_and_inside_the_window() -> None:
    order = placed()
    assert lifecycle.cancel_refusal(order, T0 + HOUR) is None
    assert (
        lifecycle.cancel_refusal(order, T0 + 2 * HOUR) == "the cancel window of order o1 has closed"
    )
    released = lifecycle.release(order, T0 + 2 * HOUR)
    assert lifecycle.cancel_refusal(released, T0 + HOUR) == (
        "order o1 is pending; it can no longer be undone"
    )
    cancelled = lifecycle.cancel(order, T0 + HOUR)
    assert (cancelled.status, cancelled.open_key, cancelled.updated_at) == (
        OrderStatus.CANCELLED,
        None,
        T0 + HOUR,
    )
    assert lifecycle.open_order([cancelled]) is None  # the need may be ordered for again


def test_a_held_order_is_released_once_its_window_has_closed() -> None:
    order = placed()
    assert not lifecycle.releasable(order, T0 + HOUR)
    assert lifecycle.releasable(order, T0 + 2 * HOUR)
    released = lifecycle.release(order, T0 + 2 * HOUR)
    assert (released.status, released.open_key) == (OrderStatus.PENDING, "need/n1")
    assert not lifecycle.releasable(released, T0 + 3 * HOUR)  # released once
    assert not lifecycle.releasable(placed(cancel_until=None), T0 + 3 * HOUR)


def test_the_provider_is_asked_until_delivery_and_its_status_taken() -> None:
    order = lifecycle.release(placed(), T0 + 2 * HOUR)
    shipped = lifecycle.track(order, ShipmentStatus.SHIPPED, T0 + DAY)
    assert (shipped.status, shipped.updated_at, shipped.open_key) == (
        OrderStatus.SHIPPED,
        T0 + DAY,
        "need/n1",
    )
    assert lifecycle.track(shipped, ShipmentStatus.SHIPPED, T0 + 2 * DAY) is shipped  # no change
    delivered = lifecycle.track(shipped, ShipmentStatus.DELIVERED, T0 + 2 * DAY)
    assert delivered.status is OrderStatus.DELIVERED
    assert not lifecycle.tracked(order)  # pending: the provider does not have it yet
    assert lifecycle.tracked(shipped)
    assert not lifecycle.tracked(delivered)
    assert not lifecycle.tracked(lifecycle.install(shipped, T0 + DAY))  # in use before it came
    assert lifecycle.open_order([delivered]) == delivered  # delivered is not yet in use


def test_the_loop_closes_when_the_sensor_has_seen_every_pack_go_in() -> None:
    order = placed(quantity=2, now=T0 + 1.5 * DAY)
    one = milk_learner([600.0, 300.0, 3800.0, 3000.0])  # a new pack on day 2
    assert one.rises_since(order.created_at) == 1
    assert not lifecycle.in_use(order, one)  # the second pack is still in the cupboard
    two = milk_learner([600.0, 300.0, 3800.0, 200.0, 3700.0])
    assert lifecycle.in_use(order, two)
    installed = lifecycle.install(order, T0 + 5 * DAY)
    assert (installed.status, installed.open_key) == (OrderStatus.INSTALLED, None)
    assert installed.status not in OPEN_STATUSES
    earlier = milk_learner([300.0, 3800.0, 3000.0])  # the pack went in before it was ordered
    assert not lifecycle.in_use(placed(now=T0 + 1.5 * DAY), earlier)


def test_new_packs_are_what_makes_the_open_order_checked() -> None:
    before = milk_learner([600.0, 300.0])
    assert lifecycle.saw_new_packs(before, before.update(T0 + 2 * DAY, 3800.0))
    assert not lifecycle.saw_new_packs(before, before.update(T0 + 2 * DAY, 100.0))


def test_the_twenty_first_pack_and_every_later_one_is_seen_too() -> None:
    levels = [x for _ in range(25) for x in (3800.0, 2600.0, 1400.0, 200.0)]  # a pack a 4 days
    learner = milk_learner(levels)
    assert len(learner.rises) == 20  # the estimator keeps its last twenty
    again = learner.update(T0 + len(levels) * DAY, 3800.0)
    assert len(again.rises) == 20
    assert lifecycle.saw_new_packs(learner, again)


def test_every_open_status_keeps_the_key_until_installed_or_cancelled() -> None:
    order = placed()
    seen = {order.status}
    order = lifecycle.release(order, T0 + 2 * HOUR)
    seen.add(order.status)
    for shipment in ShipmentStatus:
        order = lifecycle.track(order, shipment, T0 + DAY)
        seen.add(order.status)
        assert order.open_key == "need/n1"
    assert seen == set(OPEN_STATUSES)


def test_the_spend_cap_counts_this_months_automatic_orders_only() -> None:
    now = T0 + 40 * DAY  # 2026-02-10
    this_month = placed(now=T0 + 31 * DAY, order_id="feb")  # 2026-02-01 00:00
    last_month = placed(now=T0 + 31 * DAY - 1, order_id="jan")
    asked = placed(OrderSource.API, now=T0 + 35 * DAY, order_id="asked")
    undone = lifecycle.cancel(placed(now=T0 + 36 * DAY, order_id="undone"), T0 + 36 * DAY)
    big = dataclasses.replace(this_month, id="big", price_cents=1000)
    assert lifecycle.month_start(now) == T0 + 31 * DAY
    orders = [this_month, last_month, asked, undone, big]
    assert lifecycle.spent_this_month(orders, now) == 429 + 1000


def test_the_lifecycle_and_the_snapshot_builder_need_no_database_or_web() -> None:
    code = (
        "import sys, cloud.orders.lifecycle, cloud.needs.facts; "
        "print(sorted(m for m in ('tortoise', 'aiohttp', 'aiomqtt', 'cloud.store') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"

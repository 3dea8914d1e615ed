"""The one snapshot builder: from a need's plain values, and from its rows through `Snapshots`."""

from __future__ import annotations

import datetime as dt

import pytest

from cloud.decide.engine import OpenOrder, Policy, Product
from cloud.decide.kinds import describe
from cloud.decide.learning import DAY, Prior, RateLearner
from cloud.identity.registry import add_device
from cloud.needs.facts import HouseholdFacts, NeedFacts, snapshot_of
from cloud.needs.population import Priors
from cloud.needs.snapshot import Snapshots
from cloud.orders import lifecycle
from cloud.orders.fulfilment import ShipmentStatus
from cloud.orders.lifecycle import OrderState
from cloud.store.models import Customer, Order
from cloud.terms import Experience, NeedKind, OrderSource, OrderStatus
from common.clock import FakeClock
from tests.support.backend import new_need

T0 = 1_767_225_600.0  # 2026-01-01 00:00 UTC
MILK = Product("MILK-1G", "milk, 1 gallon", 3900.0, 429, DAY)
INK = Product("INK-1", "ink cartridge", 100.0, 2999, 3 * DAY)
POLICY = Policy()


def facts(**kw: object) -> NeedFacts:
    base: dict[str, object] = {
        "need_id": "n1",
        "kind": NeedKind.MILK,
        "experience": Experience.AUTO,
        "product": MILK,
        "authorized": True,
        "level": 900.0,
        "level_at": T0 + 20 * DAY,
    }
    base.update(kw)
    return NeedFacts(**base)  # type: ignore[arg-type]


def learner(levels: list[float]) -> RateLearner:
    """A scale's learner fed one reading a day from T0 on."""
    out = RateLearner(refill=1170.0, pack=3900.0)
    for day, level in enumerate(levels):
        out = out.update(T0 + day * DAY, level)
    return out


def order(
    at: float,
    source: OrderSource = OrderSource.ENGINE,
    *,
    order_id: str = "o1",
    quantity: int = 1,
) -> OrderState:
    return lifecycle.place(
        order_id=order_id,
        need_id="n1",
        source=source,
        quantity=quantity,
        price_cents=429 * quantity,
        cancel_until=None,
        now=at,
    )


NOW = T0 + 21 * DAY
FALLING = learner([3900.0 - 150.0 * d for d in range(21)])


def test_what_differs_by_kind_comes_from_the_kinds_table() -> None:
    milk = snapshot_of(
        facts(), HouseholdFacts(), learner=FALLING, prior=None, orders=(), now=NOW, policy=POLICY
    )
    assert (milk.unit, milk.critical_level, milk.idle_nudge) == ("g", 390.0, False)
    assert milk.rate.mean == pytest.approx(150.0)
    assert (milk.level, milk.level_at, milk.open_order) == (900.0, T0 + 20 * DAY, None)
    line = describe(NeedKind.CARTRIDGE).new_estimator(100.0)
    ink = snapshot_of(
        facts(kind=NeedKind.CARTRIDGE, product=INK, level=40.0),
        HouseholdFacts(),
        learner=line,
        prior=Prior(2.0, 0.5),
        orders=(),
        now=NOW,
        policy=POLICY,
    )
    assert (ink.unit, ink.critical_level, ink.idle_nudge) == ("%", 10.0, True)
    assert (ink.rate.mean, ink.rate.source) == (2.0, "population")  # no line yet: the prior


def test_the_open_order_is_the_one_holding_the_needs_key() -> None:
    ours = lifecycle.track(order(NOW - DAY), ShipmentStatus.DELIVERED, NOW - 0.5 * DAY)
    asked = order(NOW - 2 * DAY, OrderSource.API, order_id="o2")
    snap = snapshot_of(
        facts(),
        HouseholdFacts(),
        learner=FALLING,
        prior=None,
        orders=(asked, ours),
        now=NOW,
        policy=POLICY,
    )
    assert snap.open_order == OpenOrder("o1", NOW - DAY, "delivered")
    installed = lifecycle.install(ours, NOW)
    closed = snapshot_of(
        facts(),
        HouseholdFacts(),
        learner=FALLING,
        prior=None,
        orders=(asked, installed),
        now=NOW,
        policy=POLICY,
    )
    assert closed.open_order is None  # a customer's own order never holds the key


def test_rises_our_own_orders_explain_do_not_count() -> None:
    emptied = [3900.0 - 300.0 * d for d in range(12)]
    rising = learner([*emptied, 3900.0, 2700.0, 1500.0, 300.0, 3900.0, 3600.0])  # two new jugs
    now = T0 + 18 * DAY
    assert rising.rises_since(now - POLICY.rise_window_s) == 2

    def rises(*orders: OrderState) -> int:
        snap = snapshot_of(
            facts(),
            HouseholdFacts(),
            learner=rising,
            prior=None,
            orders=orders,
            now=now,
            policy=POLICY,
        )
        return snap.rises_recent

    assert rises() == 2  # packs from elsewhere
    assert rises(order(T0 + 10 * DAY)) == 1  # one of them ours
    window = now - POLICY.rise_window_s
    assert rises(order(window - 7 * DAY)) == 1  # ordered a week before the window: explains
    assert rises(order(window - 7 * DAY - 1)) == 2  # longer ago: not this window's pack
    undone = lifecycle.cancel(order(T0 + 10 * DAY), T0 + 10 * DAY)
    assert rises(undone) == 2  # an order that was undone brought nothing


def test_cadence_last_order_and_the_last_undo() -> None:
    placed = [order(NOW - d * DAY, OrderSource.API, order_id=f"o{d}") for d in (30, 20, 10)]
    undone_at = NOW - 5 * DAY
    undone = lifecycle.cancel(order(NOW - 6 * DAY, order_id="u"), undone_at)
    asked_undone = lifecycle.cancel(order(NOW - 3 * DAY, OrderSource.API, order_id="a"), NOW)
    snap = snapshot_of(
        facts(experience=Experience.COACH),
        HouseholdFacts(),
        learner=FALLING,
        prior=None,
        orders=(*reversed(placed), undone, asked_undone),
        now=NOW,
        policy=POLICY,
    )
    assert (snap.cadence_days, snap.last_order_at) == (10.0, NOW - 10 * DAY)
    assert snap.cancelled_at == undone_at  # only an automatic order undone counts


def test_the_household_calendar_spending_and_quiet_hours() -> None:
    household = HouseholdFacts(
        absences=(
            (NOW - 10 * DAY, NOW - DAY - 1),
            (NOW - 2 * DAY, NOW - DAY + 1),
            (NOW, NOW + DAY),
        ),
        spend_cap_cents=5000,
        spent_this_month_cents=4800,
        quiet_hours=(22, 7),
        utc_offset_s=3600.0,
    )
    snap = snapshot_of(
        facts(), household, learner=FALLING, prior=None, orders=(), now=NOW, policy=POLICY
    )
    assert snap.absences == ((NOW - 2 * DAY, NOW - DAY + 1), (NOW, NOW + DAY))  # a day on
    assert (snap.spend_cap_cents, snap.spent_this_month_cents) == (5000, 4800)
    assert (snap.quiet_hours, snap.utc_offset_s) == ((22, 7), 3600.0)


async def test_snapshots_read_the_rows_the_pure_builder_is_given(db: str) -> None:
    """`Snapshots.of` hands the builder every order of the need and the household's month."""
    del db
    now = 1_798_761_600.0 + 14 * DAY  # 2027-01-15
    await add_device(site="home-1", device_id="pi-1")
    await Customer.filter(id="home-1").update(spend_cap_cents=10_000)
    milk = await new_need("MILK-1G", experience="automatic_execution", authorized=True)
    coffee = await new_need("COF-1KG", experience="automatic_execution", authorized=True)

    async def row(
        need_id: str,
        at: float,
        *,
        status: OrderStatus,
        source: OrderSource = OrderSource.ENGINE,
        open_key: str | None = None,
    ) -> None:
        stamp = dt.datetime.fromtimestamp(at, dt.UTC)
        await Order.create(
            id=f"o{int(at)}-{need_id[:4]}",
            device_id="pi-1",
            need_id=need_id,
            sensor="fridge",
            supply_index=0,
            supply_name="",
            sku="X",
            product="x",
            price_cents=100,
            status=status,
            reason={},
            created_at=stamp,
            updated_at=stamp,
            source=source,
            open_key=open_key,
        )

    await row(milk.id, now - 20 * DAY, status=OrderStatus.INSTALLED)  # last month
    await row(milk.id, now - 10 * DAY, status=OrderStatus.INSTALLED)
    await row(milk.id, now - 5 * DAY, status=OrderStatus.CANCELLED)
    await row(milk.id, now - DAY, status=OrderStatus.SHIPPED, open_key=lifecycle.need_key(milk.id))
    await row(coffee.id, now - 2 * DAY, status=OrderStatus.DELIVERED)
    await row(coffee.id, now - 3 * DAY, status=OrderStatus.DELIVERED, source=OrderSource.API)
    snapshots = Snapshots(policy=POLICY, clock=FakeClock(now), priors=Priors(clock=FakeClock(now)))
    snap = await snapshots.of(milk, await Customer.get(id="home-1"))
    assert snap.open_order == OpenOrder(f"o{int(now - DAY)}-{milk.id[:4]}", now - DAY, "shipped")
    assert snap.spent_this_month_cents == 300  # both needs' automatic orders this month
    assert snap.cancelled_at == now - 5 * DAY
    assert snap.last_order_at == now - DAY
    assert snap.spend_cap_cents == 10_000

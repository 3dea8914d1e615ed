"""An order's life, as pure functions: held, pending, placed, shipped, delivered, installed.

One model for both keepers of orders: the backend keeps them as rows and the population
benchmark keeps them in memory, and both move an order with these functions, so what holds a
need's open order, what the undo window allows and what closes the loop is decided once.

An automatic order holds its need's open-order key (`need_key`) from the moment it is placed
until it is cancelled or its packs are in use, so a need has at most one open automatic order.
An order the customer asks for holds none. Pure: no database, no clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from cloud.decide.kinds import Estimator
from cloud.orders.fulfilment import ShipmentStatus
from cloud.terms import OrderSource, OrderStatus
from common.clock import utc


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderState:
    """What the lifecycle reads and changes of one order; times in epoch seconds."""

    id: str
    source: OrderSource
    status: OrderStatus
    quantity: int
    price_cents: int
    created_at: float
    updated_at: float
    cancel_until: float | None = None  # held, and undoable, until then
    open_key: str | None = None  # its need's key, while it is the need's open automatic order


TRACKED: Final = frozenset({OrderStatus.PLACED, OrderStatus.SHIPPED})  # the provider has it


def need_key(need_id: str) -> str:
    """The unique key an open automatic order of a need holds."""
    return f"need/{need_id}"


def place(
    *,
    order_id: str,
    need_id: str,
    source: OrderSource,
    quantity: int,
    price_cents: int,
    cancel_until: float | None,
    now: float,
) -> OrderState:
    """A new order: held while it can still be undone, else pending for the provider."""
    held = cancel_until is not None and cancel_until > now
    return OrderState(
        id=order_id,
        source=source,
        status=OrderStatus.HELD if held else OrderStatus.PENDING,
        quantity=quantity,
        price_cents=price_cents,
        created_at=now,
        updated_at=now,
        cancel_until=cancel_until if held else None,
        open_key=need_key(need_id) if source is OrderSource.ENGINE else None,
    )


def cancel_refusal(order: OrderState, now: float) -> str | None:
    """Why `order` can no longer be undone at `now`; None while it can."""
    if order.status is not OrderStatus.HELD or order.cancel_until is None:
        return f"order {order.id} is {order.status}; it can no longer be undone"
    if order.cancel_until <= now:
        return f"the cancel window of order {order.id} has closed"
    return None


def cancel(order: OrderState, now: float) -> OrderState:
    """The order undone: cancelled, and its need's key free for another order."""
    return dataclasses.replace(order, status=OrderStatus.CANCELLED, open_key=None, updated_at=now)


def releasable(order: OrderState, now: float) -> bool:
    """Whether a held order's cancel window has closed, so it goes to the provider."""
    return (
        order.status is OrderStatus.HELD
        and order.cancel_until is not None
        and order.cancel_until <= now
    )


def release(order: OrderState, now: float) -> OrderState:
    """A held order past its cancel window: pending, for the provider."""
    return dataclasses.replace(order, status=OrderStatus.PENDING, updated_at=now)


def tracked(order: OrderState) -> bool:
    """Whether the provider is asked where the order is (it has it, and has not delivered)."""
    return order.status in TRACKED


def track(order: OrderState, shipment: ShipmentStatus, now: float) -> OrderState:
    """The order where the provider says it is (the same order when nothing changed)."""
    status = OrderStatus(shipment.value)
    if status is order.status:
        return order
    return dataclasses.replace(order, status=status, updated_at=now)


def saw_new_packs(before: Estimator, after: Estimator) -> bool:
    """Whether learning from new readings found new packs: when the open order is checked.

    By the newest rise, not their number: an estimator keeps only its last 20 rises, so
    from a need's 21st pack on their number stays the same (and its order never closed).
    """
    return after.rises[-1:] != before.rises[-1:]


def in_use(order: OrderState, learner: Estimator) -> bool:
    """Whether the sensor has seen as many new packs since the order was placed as it holds."""
    return learner.rises_since(order.created_at) >= order.quantity


def install(order: OrderState, now: float) -> OrderState:
    """The order's packs are in use: installed, and the need's loop closed."""
    return dataclasses.replace(order, status=OrderStatus.INSTALLED, open_key=None, updated_at=now)


def open_order(orders: Iterable[OrderState]) -> OrderState | None:
    """The order among a need's orders that holds its open-order key, if any."""
    return next((o for o in orders if o.open_key is not None), None)


def month_start(now: float) -> float:
    """The start (UTC) of the calendar month of `now`: the spend cap counts from there."""
    return utc(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()


def spent_this_month(orders: Iterable[OrderState], now: float) -> int:
    """What a household's automatic orders placed this month cost, cancelled ones aside."""
    start = month_start(now)
    return sum(
        o.price_cents
        for o in orders
        if o.source is OrderSource.ENGINE
        and o.created_at >= start
        and o.status is not OrderStatus.CANCELLED
    )

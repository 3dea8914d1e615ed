"""An order's row as the lifecycle's state (`cloud.orders.lifecycle`), read at the boundary."""

from __future__ import annotations

import datetime as dt

from cloud.orders.lifecycle import OrderState
from cloud.store.models import Order
from cloud.terms import OrderSource, OrderStatus


def stamp(value: dt.datetime | None) -> float | None:
    """A row's datetime as a time in seconds (None stays None)."""
    return None if value is None else value.timestamp()


def state_of(order: Order) -> OrderState:
    """What the order lifecycle reads of an order's row."""
    return OrderState(
        id=order.id,
        source=OrderSource(order.source),
        status=OrderStatus(order.status),
        quantity=order.quantity,
        price_cents=order.price_cents,
        created_at=order.created_at.timestamp(),
        updated_at=order.updated_at.timestamp(),
        cancel_until=stamp(order.cancel_until),
        open_key=order.open_key,
    )

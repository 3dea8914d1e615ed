"""Held orders: an automatic order waits out its cancel window, undoable, then is sent."""

from __future__ import annotations

from collections import Counter

from cloud.decide import engine
from cloud.decide.reasons import VERSION, Reason, to_json
from cloud.needs.errors import NeedError
from cloud.orders import lifecycle
from cloud.orders.fulfiller import Fulfiller
from cloud.orders.rows import state_of
from cloud.store.changes import ChangeFeed
from cloud.store.models import DecisionRecord, Order
from cloud.terms import DecisionAction, OrderStatus, Topic
from common.clock import Clock, utc
from common.errors import NotFoundError


class HeldOrders:
    """Undo inside the cancel window; release to the provider once it has closed."""

    def __init__(
        self, *, fulfiller: Fulfiller, clock: Clock, feed: ChangeFeed, counters: Counter[str]
    ) -> None:
        self._fulfiller = fulfiller
        self._clock = clock
        self._feed = feed
        self._counters = counters

    async def cancel(self, order_id: str, *, by: str) -> Order:
        """Undo a held order (automatic, or placed on request) inside its cancel window."""
        order = await Order.get_or_none(id=order_id)
        if order is None:
            raise NotFoundError(f"no order {order_id!r}")
        now = self._clock.now()
        state = state_of(order)
        refusal = lifecycle.cancel_refusal(state, now)
        if refusal is not None:
            raise NeedError(refusal)
        undone = lifecycle.cancel(state, now)
        updated = await Order.filter(id=order_id, status=OrderStatus.HELD).update(
            status=undone.status, open_key=undone.open_key, updated_at=utc(undone.updated_at)
        )
        if not updated:
            raise NeedError(f"order {order_id} was released while cancelling")
        await order.refresh_from_db()
        if order.need_id is not None:
            await _record_cancel(order.need_id, order_id, by, now)
        self._counters["orders_cancelled"] += 1
        await self._feed.publish(Topic.ORDERS, order_id)
        return order

    async def release(self) -> None:
        """Send automatic orders whose cancel window has closed to the provider."""
        now = self._clock.now()
        for order in await Order.filter(status=OrderStatus.HELD, cancel_until__lte=utc(now)):
            state = state_of(order)
            if not lifecycle.releasable(state, now):
                continue
            released = lifecycle.release(state, now)
            claimed = await Order.filter(id=order.id, status=OrderStatus.HELD).update(
                status=released.status, updated_at=utc(released.updated_at)
            )
            if claimed:  # one worker wins the release
                await order.refresh_from_db()
                await self._fulfiller.submit(order)


async def _record_cancel(need_id: str, order_id: str, by: str, now: float) -> None:
    await DecisionRecord.create(
        need_id=need_id,
        at=utc(now),
        note=f"order cancelled by {by}",
        action=DecisionAction.CANCEL,
        reason=to_json(
            Reason(
                version=VERSION,
                rule="the customer undid an automatic order in its cancel window",
                summary=f"order {order_id} cancelled by {by}",
                decided_at=engine.iso(now),
                order_id=order_id,
            )
        ),
    )

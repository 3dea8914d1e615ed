"""Hands orders to the fulfilment provider and follows them until delivery.

Deciding what to order is the engine's job and placing it the needs executor's; this only
talks to the provider: submit a pending order (again, if an earlier try failed) and track
those in transit.
"""

from __future__ import annotations

import logging
from collections import Counter

from cloud.orders.fulfilment import FulfilmentError, FulfilmentProvider, OrderRequest
from cloud.orders.lifecycle import TRACKED, track
from cloud.orders.rows import state_of
from cloud.store.changes import ChangeFeed
from cloud.store.models import Device, Order
from cloud.terms import OrderSource, OrderStatus, Topic
from common.clock import Clock, utc

log = logging.getLogger(__name__)
ASKED = frozenset({OrderSource.BUTTON, OrderSource.API, OrderSource.DASHBOARD})


class Fulfiller:
    """Submits orders to the provider and tracks them."""

    def __init__(self, *, provider: FulfilmentProvider, clock: Clock, feed: ChangeFeed) -> None:
        """Wire the fulfiller to the provider."""
        self._provider = provider
        self._clock = clock
        self._feed = feed
        self.counters: Counter[str] = Counter()

    async def submit(self, order: Order) -> None:
        """Hand a pending order to the provider (again, if an earlier try failed)."""
        device = await Device.get(id=order.device_id).prefetch_related("site__customer")
        customer = device.site.customer
        request = OrderRequest(
            order.id,
            order.sku,
            order.quantity,
            customer.id,
            address=customer.address,
            payment_token=customer.payment_token,
            delivery="fastest" if order.source in ASKED else "standard",
            deliver_after=order.deliver_after.timestamp() if order.deliver_after else None,
        )
        try:
            shipment = await self._provider.place(request)
        except FulfilmentError as exc:
            self.counters["fulfilment_errors"] += 1
            log.warning("provider refused order %s: %s", order.id, exc)
            return
        state = track(state_of(order), shipment.status, self._clock.now())
        order.status = state.status
        order.provider_ref = shipment.ref
        order.eta = utc(shipment.eta)
        order.updated_at = utc(state.updated_at)
        await order.save()
        await self._feed.publish(Topic.ORDERS, order.id)

    async def track_orders(self) -> None:
        """Retry pending orders and update the status of those in transit."""
        for order in await Order.filter(status=OrderStatus.PENDING):
            await self.submit(order)
        for order in await Order.filter(status__in=TRACKED, provider_ref__isnull=False):
            try:
                shipment = await self._provider.track(order.provider_ref or "")
            except FulfilmentError as exc:
                log.warning("cannot track order %s: %s", order.id, exc)
                continue
            before = state_of(order)
            state = track(before, shipment.status, self._clock.now())
            if state is not before:
                order.status = state.status
                order.updated_at = utc(state.updated_at)
                await order.save()
                await self._feed.publish(Topic.ORDERS, order.id)

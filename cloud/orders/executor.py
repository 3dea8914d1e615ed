"""Applies replenishment decisions to the database and the fulfilment provider, idempotently.

"One open order per supply" is a unique key in the database (``Order.open_key``), so two
workers deciding at once, a redelivered message or a restart can never make a second order.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter

from tortoise.exceptions import IntegrityError

from cloud.decide.replenish import (
    CompleteOrder,
    FlagForOperator,
    PlaceOrder,
    ReplenishPolicy,
    SupplyDecision,
    SupplyView,
    decide_supply,
)
from cloud.orders.catalog import Catalog, Pack
from cloud.orders.fulfilment import FulfilmentError, FulfilmentProvider, OrderRequest
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.models import (
    CartridgeEpisode,
    Device,
    Flag,
    Need,
    Order,
    PrinterInfo,
    Supply,
    SupplyLevel,
)
from common.clock import Clock

log = logging.getLogger(__name__)
HISTORY_LIMIT = 2000
OPEN_STATUSES = ("pending", "placed", "shipped", "delivered")


def _ts(value: dt.datetime) -> float:
    return value.timestamp()


def _dt(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def open_key(device_id: str, sensor: str, index: int) -> str:
    """The unique key an open order of this supply holds."""
    return f"{device_id}/{sensor}/{index}"


class Replenisher:
    """Builds snapshots, runs the pure engine and applies what it decides."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        policy: ReplenishPolicy,
        provider: FulfilmentProvider,
        clock: Clock,
        feed: ChangeFeed,
    ) -> None:
        """Wire the engine to its dependencies."""
        self._catalog = catalog
        self._policy = policy
        self._provider = provider
        self._clock = clock
        self._feed = feed
        self.counters: Counter[str] = Counter()

    async def _view(
        self, device: Device, supply: Supply, printer: PrinterInfo | None
    ) -> SupplyView:
        since = _dt(self._clock.now() - self._policy.forecast.window_s)
        rows = await (
            SupplyLevel.filter(supply_id=supply.id, at__gte=since, level__isnull=False)
            .order_by("-at")
            .limit(HISTORY_LIMIT)
            .values_list("at", "level")
        )
        history = [(_ts(at), int(level)) for at, level in reversed(rows)]
        order = await Order.filter(
            open_key=open_key(device.id, supply.sensor, supply.index)
        ).first()
        customer = device.site.customer
        need = await Need.get_or_none(
            device_id=device.id, sensor=supply.sensor, supply_index=supply.index
        )
        auto = (
            customer.auto_replenish
            if need is None
            else need.experience == "automatic_execution" and need.authorized
        )
        return SupplyView(
            device_id=device.id,
            sensor=supply.sensor,
            index=supply.index,
            name=supply.name,
            color=supply.color,
            consumed=not supply.kind.lower().startswith("waste"),
            level_state=supply.level_state,
            history=history,
            make=printer.make if printer else None,
            model=printer.model if printer else None,
            auto_replenish=auto,
            pack=Pack(customer.preferred_pack),
            open_order_id=order.id if order else None,
            open_order_created=_ts(order.created_at) if order else None,
        )

    async def evaluate_device(self, device_id: str) -> list[SupplyDecision]:
        """Decide and act for every supply of one device."""
        device = await Device.get(id=device_id).prefetch_related("site__customer")
        printers = {p.sensor: p for p in await PrinterInfo.filter(device_id=device_id)}
        decisions = []
        for supply in await Supply.filter(device_id=device_id).order_by("sensor", "index"):
            view = await self._view(device, supply, printers.get(supply.sensor))
            now = self._clock.now()
            decision = decide_supply(view, now=now, policy=self._policy, catalog=self._catalog)
            await self._apply(device, supply, view, decision)
            decisions.append(decision)
        return decisions

    async def _apply(
        self, device: Device, supply: Supply, view: SupplyView, decision: SupplyDecision
    ) -> None:
        fc = decision.forecast
        changed = (
            supply.rate_per_day != fc.rate_per_day
            or supply.note != decision.note
            or supply.confident != fc.confident
        )
        supply.rate_per_day = fc.rate_per_day
        supply.runout_at = _dt(fc.runout_at) if fc.runout_at is not None else None
        supply.confident = fc.confident
        supply.note = decision.note[:512]
        for action in decision.actions:
            if isinstance(action, CompleteOrder):
                await self._complete(supply, view, action)
            elif isinstance(action, FlagForOperator):
                await self._flag(device, action)
            elif isinstance(action, PlaceOrder):
                await self._place(device, supply, action)
        if (
            decision.episode_start is not None
            and _dt(decision.episode_start) > supply.episode_start
        ):
            supply.episode_start = _dt(decision.episode_start)
        await supply.save()
        if changed or decision.actions:
            await self._feed.publish("supplies", device.id)

    async def _complete(self, supply: Supply, view: SupplyView, action: CompleteOrder) -> None:
        updated = await Order.filter(id=action.order_id, open_key__isnull=False).update(
            status="installed", open_key=None, updated_at=_dt(self._clock.now())
        )
        if not updated:
            return
        before = [p for p in view.history if p[0] < action.installed_at]
        if before:
            days = max((before[-1][0] - before[0][0]) / 86_400, 1e-9)
            await CartridgeEpisode.create(
                supply=supply,
                started_at=_dt(before[0][0]),
                ended_at=_dt(action.installed_at),
                start_level=before[0][1],
                end_level=before[-1][1],
                rate_per_day=(before[0][1] - before[-1][1]) / days if len(before) > 1 else None,
            )
        self.counters["orders_completed"] += 1
        log.info("order %s closed: replacement cartridge installed", action.order_id)
        await self._feed.publish("orders", action.order_id)

    async def _flag(self, device: Device, action: FlagForOperator) -> None:
        _, created = await Flag.get_or_create(
            device=device,
            kind=action.kind,
            detail=action.detail[:512],
            defaults={"created_at": _dt(self._clock.now())},
        )
        if created:
            log.warning("flagged for an operator: %s", action.detail)
            await self._feed.publish("flags", device.id)

    async def _place(self, device: Device, supply: Supply, action: PlaceOrder) -> None:
        now = _dt(self._clock.now())
        c = action.cartridge
        need = await Need.get_or_none(
            device_id=device.id, sensor=supply.sensor, supply_index=supply.index
        )
        try:
            order = await Order.create(
                need=need,
                id=uuid.uuid4().hex,
                device=device,
                sensor=supply.sensor,
                supply_index=supply.index,
                supply_name=supply.name,
                sku=c.sku,
                product=c.product,
                price_cents=c.price_cents,
                status="pending",
                open_key=open_key(device.id, supply.sensor, supply.index),
                reason=action.reason,
                created_at=now,
                updated_at=now,
            )
        except IntegrityError:
            self.counters["orders_deduplicated"] += 1
            return
        self.counters["orders_placed"] += 1
        await audit(
            at=now,
            actor="engine",
            role="system",
            action="order.placed",
            customer_id=(await device.site).customer_id,
            detail=f"order {order.id}: {c.sku} for {device.id}/{supply.name}",
            why=str(action.reason.get("rule", ""))[:256],
        )
        log.info(
            "ordered %s for %s/%s: %s", c.sku, device.id, supply.name, action.reason["summary"]
        )
        await self.submit(order)

    async def submit(self, order: Order) -> None:
        """Hand a pending order to the provider (again, if an earlier try failed)."""
        device = await Device.get(id=order.device_id).prefetch_related("site__customer")
        customer = device.site.customer
        asked = order.source in {"button", "api", "dashboard"}
        request = OrderRequest(
            order.id,
            order.sku,
            order.quantity,
            customer.id,
            address=customer.address,
            payment_token=customer.payment_token,
            delivery="fastest" if asked else "standard",
            deliver_after=order.deliver_after.timestamp() if order.deliver_after else None,
        )
        try:
            shipment = await self._provider.place(request)
        except FulfilmentError as exc:
            self.counters["fulfilment_errors"] += 1
            log.warning("provider refused order %s: %s", order.id, exc)
            return
        order.status = shipment.status.value
        order.provider_ref = shipment.ref
        order.eta = _dt(shipment.eta)
        order.updated_at = _dt(self._clock.now())
        await order.save()
        await self._feed.publish("orders", order.id)

    async def track_orders(self) -> None:
        """Retry pending orders and update the status of those in transit."""
        for order in await Order.filter(status="pending"):
            await self.submit(order)
        for order in await Order.filter(
            status__in=("placed", "shipped"), provider_ref__isnull=False
        ):
            try:
                shipment = await self._provider.track(order.provider_ref or "")
            except FulfilmentError as exc:
                log.warning("cannot track order %s: %s", order.id, exc)
                continue
            if shipment.status.value != order.status:
                order.status = shipment.status.value
                order.updated_at = _dt(self._clock.now())
                await order.save()
                await self._feed.publish("orders", order.id)

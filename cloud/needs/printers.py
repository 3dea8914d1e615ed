"""A printer's supplies become needs; a model the catalog does not know is flagged."""

from __future__ import annotations

import logging
import uuid

from tortoise.exceptions import IntegrityError

from cloud.decide.kinds import KINDS
from cloud.orders.catalog import Cartridge, Catalog, Pack
from cloud.store.changes import ChangeFeed
from cloud.store.models import Customer, Device, Flag, Need, PrinterInfo, Supply
from cloud.terms import Experience, NeedKind, Topic
from common.clock import Clock, utc

log = logging.getLogger(__name__)


class PrinterNeeds:
    """Makes every consumable supply of a printer a need of its household."""

    def __init__(
        self, *, catalog: Catalog, clock: Clock, feed: ChangeFeed, lead_hours: float = 72.0
    ) -> None:
        self._catalog = catalog
        self._clock = clock
        self._feed = feed
        self._lead_hours = lead_hours

    async def ensure(self, device_id: str) -> None:
        """Every consumable supply of a printer is a need (default: the customer's choice)."""
        missing = await _missing(device_id)
        if not missing:  # the usual case, on every printer reading: one query, nothing to do
            return
        device = await Device.get(id=device_id).prefetch_related("site__customer")
        customer = device.site.customer
        printers = {p.sensor: p for p in await PrinterInfo.filter(device_id=device_id)}
        for supply in missing:
            printer = printers.get(supply.sensor)
            make, model = (printer.make, printer.model) if printer else (None, None)
            cartridge = self._catalog.pick(make, model, supply.color, Pack(customer.preferred_pack))
            if cartridge is None:
                await self._flag_unknown(device, make, model, supply.color)
            try:
                await self._create(device, customer, supply, cartridge)
            except IntegrityError:
                continue  # another worker made it
            await self._feed.publish(Topic.NEEDS, device_id)

    async def _create(
        self, device: Device, customer: Customer, supply: Supply, cartridge: Cartridge | None
    ) -> None:
        kind = KINDS[NeedKind.CARTRIDGE]
        auto = customer.auto_replenish  # the default the installer recorded, per new need
        now = utc(self._clock.now())
        await Need.create(
            id=uuid.uuid4().hex,
            customer=customer,
            device=device,
            kind=kind.kind,
            label=f"{supply.name} ({supply.sensor})"[:128],
            sensor=supply.sensor,
            supply_index=supply.index,
            sku=cartridge.sku if cartridge else "",
            product=cartridge.product if cartridge else supply.name,
            pack_units=kind.pack_units or 100.0,
            price_cents=cartridge.price_cents if cartridge else 0,
            lead_hours=self._lead_hours,
            experience=Experience.AUTO if auto else Experience.DESIRE,
            authorized=auto,
            authorized_at=now if auto else None,
            created_at=now,
        )

    async def _flag_unknown(
        self, device: Device, make: str | None, model: str | None, color: str
    ) -> None:
        """A printer or colour the catalog does not know: an operator looks, nobody guesses."""
        what = (
            f"{make or '?'} {model or '?'}"
            if self._catalog.model_name(make, model) is None
            else f"{color} for {make} {model}"
        )
        _, created = await Flag.get_or_create(
            device=device,
            kind="unknown_model",
            detail=f"no catalog cartridge for {what}"[:512],
            defaults={"created_at": utc(self._clock.now())},
        )
        if created:
            log.warning("flagged for an operator: no catalog cartridge for %s", what)
            await self._feed.publish(Topic.FLAGS, device.id)


async def _missing(device_id: str) -> list[Supply]:
    """The printer's consumable supplies that are not needs yet (waste bins are not)."""
    known = set(
        await Need.filter(device_id=device_id, supply_index__isnull=False).values_list(
            "sensor", "supply_index"
        )
    )
    return [
        s
        for s in await Supply.filter(device_id=device_id)
        if not s.kind.lower().startswith("waste") and (s.sensor, s.index) not in known
    ]

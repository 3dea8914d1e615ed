"""The backend's real services on a fake clock, fed message by message (no broker needed)."""

from __future__ import annotations

import datetime as dt
import uuid

from cloud.config import BrokerSettings, CloudConfig, ReplenishSettings
from cloud.ingest.consumer import Ingest
from cloud.orders.catalog import Catalog
from cloud.orders.fulfilment import SimulatedProvider
from cloud.services import Services, build_services
from cloud.store.models import Need, Order
from common import topics
from common.clock import FakeClock
from common.messages import (
    Alert,
    Event,
    LevelState,
    PrinterReading,
    PrinterState,
    ScaleReading,
    ScaleState,
    Severity,
    Telemetry,
    encode,
    new_id,
)
from common.messages import Supply as SupplyReading
from common.topics import UplinkKind

DAY = 86_400.0
T0 = 1_798_761_600.0  # Friday 2027-01-01 00:00 UTC
CATALOG = Catalog.load()


class Acks:
    """Records the DeliveryAcks ingest would publish."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, list[str]]] = []

    async def __call__(self, site: str, device: str, ids: list[str]) -> None:
        self.sent.append((site, device, ids))


def services(
    clock: FakeClock,
    *,
    cancel_window_s: float = 1800.0,
    deliver_after_s: float = 2 * DAY,
    **replenish: float,
) -> Services:
    """One worker's real services, wired as the app wires them."""
    config = CloudConfig(
        database_url="sqlite://:memory:",  # the test's own database is already open
        broker=BrokerSettings(password="x"),
        replenish=ReplenishSettings(cancel_window_s=cancel_window_s, **replenish),
    )
    provider = SimulatedProvider(clock=clock, ship_after_s=3600, deliver_after_s=deliver_after_s)
    return build_services(config, clock=clock, provider=provider, catalog=CATALOG, channels={})


async def notify(services: Services) -> None:
    """What the escalation and delivery units would do now: queue what is due, deliver it.

    Twice over: a failed emergency attempt hands over to the next rung at once.
    """
    for _ in range(2):
        await services.escalator.round()
        await services.deliveries.settle()


def make_ingest(clock: FakeClock, **replenish: float) -> Ingest:
    """Ingest with every service behind it."""
    return services(clock, **replenish).ingest


def up(device: str = "pi-1", site: str = "home-1", kind: UplinkKind = UplinkKind.TELEMETRY) -> str:
    """A device's uplink topic."""
    return topics.uplink(site, device, kind)


def printer_message(
    device: str,
    seq: int,
    at: float,
    black: int | None,
    model: str = "OfficeJet Pro 8710",
    *,
    sensor: str = "printer",
) -> Telemetry:
    """An HP printer's reading with its black cartridge at `black` percent (None: unknown)."""
    state = LevelState.KNOWN if black is not None else LevelState.UNKNOWN
    return Telemetry(
        id=new_id(),
        device_id=device,
        seq=seq,
        sent_at=at,
        sensor=sensor,
        reading=PrinterReading(
            state=PrinterState.IDLE,
            make="HP",
            model=model,
            supplies=[
                SupplyReading(
                    index=1,
                    name="Black Cartridge HP 952",
                    kind="inkCartridge",
                    color="black",
                    consumed=True,
                    level=black,
                    level_state=state,
                )
            ],
        ),
    )


async def feed_levels(
    ingest: Ingest,
    clock: FakeClock,
    levels: list[int | None],
    device: str = "pi-1",
    model: str = "OfficeJet Pro 8710",
    *,
    every_s: float = 6 * 3600,
    first_seq: int = 1,
) -> None:
    """Printer readings `every_s` apart, through real ingest."""
    acks = Acks()
    for i, level in enumerate(levels, start=first_seq):
        clock.advance(every_s)
        site = "home-1" if device == "pi-1" else "home-2"
        message = printer_message(device, i, clock.now(), level, model=model)
        await ingest.handle(up(device=device, site=site), encode(message), acks)


def fall_alert(seq: int, *, t0: float = 1_800_000_000.0, message_id: str | None = None) -> Alert:
    """A wearable's fall alert from pi-1."""
    return Alert(
        id=message_id or new_id(),
        device_id="pi-1",
        seq=seq,
        sent_at=t0 + seq,
        sensor="wearable",
        name="fall",
        severity=Severity.CRITICAL,
        detail="fall",
        detected_at=t0,
        rate_hz=50,
        samples=[(0.0, -1.0, 0.0), (5.0, -4.0, 2.0)],
        impact_index=1,
    )


class Site:
    """One household's device feeding the real ingest and needs layer on a fake clock."""

    def __init__(self, clock: FakeClock, *, cancel_window_s: float = 1800.0) -> None:
        self.clock = clock
        self.services = services(clock, cancel_window_s=cancel_window_s, deliver_after_s=DAY)
        self.needs = self.services.needs
        self.ingest = self.services.ingest
        self.fulfiller = self.services.fulfiller
        self.seq = 0

    async def send(self, message_of: type[Telemetry | Event], **fields: object) -> None:
        self.seq += 1
        kind = UplinkKind.TELEMETRY if message_of is Telemetry else UplinkKind.EVENT
        message = message_of(
            id=new_id(),
            device_id="pi-1",
            seq=self.seq,
            sent_at=self.clock.now(),
            **fields,  # type: ignore[arg-type]
        )
        await self.ingest.handle(topics.uplink("home-1", "pi-1", kind), encode(message), Acks())

    async def weigh(self, grams: float, sensor: str = "fridge") -> None:
        reading = ScaleReading(state=ScaleState.STABLE, grams=grams)
        await self.send(Telemetry, sensor=sensor, reading=reading)

    async def ink(self, level: int | None, sensor: str = "printer") -> None:
        self.seq += 1
        message = printer_message("pi-1", self.seq, self.clock.now(), level, sensor=sensor)
        await self.ingest.handle(up(), encode(message), Acks())

    async def press(self) -> None:
        await self.send(Event, sensor="reorder", name="press.short")


async def new_need(sku: str, *, t0: float = T0, **fields: object) -> Need:
    """A scale need of pi-1 for a catalog good."""
    good = CATALOG.goods[sku]
    return await Need.create(
        id=uuid.uuid4().hex,
        customer_id="home-1",
        device_id="pi-1",
        kind=good.kind,
        label=good.product,
        sku=sku,
        product=good.product,
        pack_units=good.grams,
        price_cents=good.price_cents,
        lead_hours=good.lead_hours,
        created_at=dt.datetime.fromtimestamp(t0, tz=dt.UTC),
        **fields,  # type: ignore[arg-type]
    )


async def milk_days(
    site: Site, days: float, *, start_g: float, per_day: float, until_order: str | None = None
) -> None:
    """Readings every 3 hours as milk is drunk; every morning the jug is lifted out first."""
    steps = int(days * 8)
    for step in range(steps):
        grams = start_g - per_day * step / 8
        if step % 8 == 2:
            await site.weigh(3.0)  # the jug is out of the fridge for a minute
            site.clock.advance(60)
        await site.weigh(round(grams, 1))
        if until_order is not None and await Order.exists(need_id=until_order):
            return
        site.clock.advance(3 * 3600 - (60 if step % 8 == 2 else 0))

"""Every guard against every kind of need, through the real broker, ingest and database.

One household per (kind, situation), each with its own device credentials, publishing its
readings over MQTT to a running backend on a fake clock; the outcome is what the customer
and an operator would see: orders, asks and the need's note.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiomqtt
import pytest

from cloud.api.context import SERVICES
from cloud.identity.registry import NewDevice
from cloud.privacy import consent
from cloud.store.models import Absence, Customer, IngestedMessage, Need, Order, Reminder
from cloud.terms import Experience
from common import topics
from common.clock import FakeClock
from common.messages import ScaleReading, ScaleState, Telemetry, encode, new_id
from common.topics import UplinkKind
from tests.support.backend import CATALOG, printer_message
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    register,
    running_cloud,
)

T0 = 1_800_000_000.0
HOUR = 3600.0


@dataclass(frozen=True)
class Kind:
    """How a kind of need is read: a printer's percent or a scale's grams."""

    name: str
    pack: float

    def message(self, device: NewDevice, seq: int, at: float, share: float) -> Telemetry:
        level = self.pack * share
        if self.name == "cartridge":
            return printer_message(device.device_id, seq, at, round(level))
        return Telemetry(
            id=new_id(),
            device_id=device.device_id,
            seq=seq,
            sent_at=at,
            sensor="fridge",
            reading=ScaleReading(state=ScaleState.STABLE, grams=round(level, 1)),
        )


KINDS = [Kind("cartridge", 100.0), Kind("milk", CATALOG.goods["MILK-1G"].grams)]
FALLING = [0.60, 0.45, 0.30, 0.15, 0.06]  # share of a pack, one reading every 6 hours
SPARSE = [0.40, 0.06]  # two coarse readings an hour apart: no pace to trust, but critical


async def withdraw_consent(customer: str, kind: Kind) -> None:
    stream = "ink_levels" if kind.name == "cartridge" else "weights"
    now = dt.datetime.fromtimestamp(T0, dt.UTC)
    await consent.record(customer, [(stream, "replenishment", False, "")], by="ana", now=now)


async def cap_spending(customer: str, kind: Kind) -> None:
    del kind
    await Customer.filter(id=customer).update(spend_cap_cents=1)


async def go_away(customer: str, kind: Kind) -> None:
    del kind
    start = dt.datetime.fromtimestamp(T0, dt.UTC)
    await Absence.create(
        customer_id=customer,
        starts_at=start,
        ends_at=start + dt.timedelta(days=10),
        summary="holiday",
    )


async def nothing(customer: str, kind: Kind) -> None:
    del customer, kind


@dataclass(frozen=True)
class Case:
    """A situation, and what the customer should see."""

    name: str
    readings: list[float]
    setup: Callable[[str, Kind], Awaitable[None]] = nothing
    authorized: bool = True
    orders: int = 1
    ask: str | None = None  # a reminder asking the customer, containing this
    note: str | None = None


CASES = [
    Case("held for undo", FALLING),
    Case("no consent", FALLING, withdraw_consent, orders=0, note="withdrew consent"),
    Case("over the cap", FALLING, cap_spending, orders=0, ask="monthly cap"),
    Case("not authorized", FALLING, authorized=False, orders=0, note="not authorized"),
    Case("away", FALLING, go_away),
    Case("sparse and coarse", SPARSE),
]


async def publish(cloud: RunningCloud, device: NewDevice, message: Telemetry) -> None:
    """Publish as the device does, and wait until the backend has stored it and decided."""
    counters = cloud.app[SERVICES].ingest.counters
    before = counters["decided"] + counters["decide_failed"]
    async with aiomqtt.Client(
        "127.0.0.1",
        cloud.config.broker.devices_port,
        username=device.username,
        password=device.password,
        identifier=device.username,
        protocol=aiomqtt.ProtocolVersion.V5,
    ) as client:
        topic = topics.uplink(device.site, device.device_id, UplinkKind.TELEMETRY)
        await client.publish(topic, encode(message), qos=1)
    async with asyncio.timeout(30):
        while counters["decided"] + counters["decide_failed"] == before:
            await asyncio.sleep(0.02)
    assert await IngestedMessage.exists(id=message.id)


async def prepare(
    cloud: RunningCloud, device: NewDevice, kind: Kind, case: Case, clock: FakeClock
) -> Need:
    """Make the household's need the way its kind is made, then apply the situation."""
    if kind.name == "milk":
        good = CATALOG.goods["MILK-1G"]
        need = await Need.create(
            id=new_id(),
            customer_id=device.customer,
            device_id=device.device_id,
            kind="milk",
            label="Milk",
            sensor="fridge",
            sku=good.sku,
            product=good.product,
            pack_units=good.grams,
            price_cents=good.price_cents,
            lead_hours=good.lead_hours,
            created_at=dt.datetime.fromtimestamp(clock.now() - HOUR, dt.UTC),
        )
    else:  # a printer's needs appear with its first reading
        await publish(cloud, device, kind.message(device, 1, clock.now() - HOUR, 0.9))
        need = await Need.get(device_id=device.device_id)
    need.experience = Experience.AUTO
    need.authorized = case.authorized
    await need.save()
    await case.setup(device.customer, kind)
    return need


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_every_guard_holds_for_every_kind_through_the_real_stack(
    db_url: str, tmp_path: Path, kind: Kind
) -> None:
    devices = await register(db_url, *((f"home-{i}", f"pi-{i}", False) for i in range(len(CASES))))
    broker = Broker(tmp_path)
    broker.configure(await accounts(db_url))
    broker.start()
    clock = FakeClock(T0)
    try:
        async with running_cloud(
            cloud_config(
                db_url,
                broker.port,
                min_history_hours=12.0,
                stale_after_hours=48.0,
                cancel_window_s=3 * 86_400.0,
            ),
            clock=clock,
        ) as cloud:
            needs = [
                await prepare(cloud, d, kind, c, clock) for d, c in zip(devices, CASES, strict=True)
            ]
            for step in range(max(len(c.readings) for c in CASES)):
                for device, case in zip(devices, CASES, strict=True):
                    if step < len(case.readings):
                        message = kind.message(device, step + 10, clock.now(), case.readings[step])
                        await publish(cloud, device, message)
                clock.advance(HOUR if step == 0 else 6 * HOUR)
            # What time alone changes (a scale's lift settles).
            await cloud.app[SERVICES].needs.sweeper.sweep()
            for need, case in zip(needs, CASES, strict=True):
                await need.refresh_from_db()
                orders = await Order.filter(need_id=need.id)
                what = f"{kind.name} / {case.name}: {need.note}"
                assert len(orders) == case.orders, what
                for order in orders:  # every automatic order is held and can be undone
                    assert order.status == "held", what
                    assert order.cancel_until is not None, what
                    assert order.reason["version"] == 1, what
                if case.ask is not None:
                    asks = await Reminder.filter(need_id=need.id, topic="ask")
                    assert asks, what  # asked (once a day at most) ...
                    assert case.ask in need.note, what  # ... and the need says why it waits
                if case.note is not None:
                    assert case.note in need.note, what
            away = next(n for n, c in zip(needs, CASES, strict=True) if c.name == "away")
            (late,) = await Order.filter(need_id=away.id)
            assert late.deliver_after is not None  # not into an empty house
            sparse = next(n for n, c in zip(needs, CASES, strict=True) if c.name.startswith("sp"))
            (critical,) = await Order.filter(need_id=sparse.id)
            assert "critical" in critical.reason["rule"]

            # Undo: the customer cancels in the window, and the engine then asks, not orders.
            held = next(n for n, c in zip(needs, CASES, strict=True) if c.name.startswith("he"))
            (order,) = await Order.filter(need_id=held.id)
            token = await cloud.user("ana", "customer", customer=devices[0].customer)
            async with cloud.http(token) as http:
                url = f"{cloud.url}/api/v1/orders/{order.id}/cancel"
                async with http.post(url, json={"by": "the customer"}) as response:
                    assert response.status == 200, await response.text()
            device = devices[0]
            clock.advance(HOUR)
            await publish(cloud, device, kind.message(device, 99, clock.now(), 0.05))
            assert await Order.filter(need_id=held.id).count() == 1
            asks = await Reminder.filter(need_id=held.id, topic="ask")
            assert any("undid" in r.message for r in asks)
    finally:
        broker.stop()

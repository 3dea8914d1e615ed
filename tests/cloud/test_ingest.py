"""Ingest against a real database (SQLite and PostgreSQL): validation, dedupe, gaps, orders."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import msgspec
import pytest

from cloud.identity.registry import add_device
from cloud.ingest.consumer import Outcome
from cloud.store.models import (
    Device,
    DeviceEvent,
    Flag,
    IngestedMessage,
    Need,
    Order,
    SequenceGap,
    SupplyLevel,
)
from common.clock import FakeClock
from common.messages import (
    Alert,
    Heartbeat,
    LevelState,
    PrinterReading,
    Severity,
    encode,
    new_id,
)
from common.topics import UplinkKind
from tests.support.backend import (
    DAY,
    Acks,
    feed_levels,
    make_ingest,
    printer_message,
    services,
    up,
)
from tests.support.paths import FIXTURES

FIXTURES = FIXTURES / "messages"
T0 = 1_800_000_000.0


@pytest.fixture
async def home(db: str) -> str:
    await add_device(site="home-1", device_id="pi-1", auto_replenish=True)
    await add_device(site="home-2", device_id="pi-2")
    return db


async def test_stored_once_and_acknowledged_every_time(home: str) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    message = printer_message("pi-1", 1, T0, 80)
    payload = encode(message)
    assert await ingest.handle(up(), payload, acks) is Outcome.STORED
    assert await ingest.handle(up(), payload, acks) is Outcome.DUPLICATE
    assert acks.sent == [("home-1", "pi-1", [message.id])] * 2
    assert await IngestedMessage.filter(device_id="pi-1").count() == 1
    assert await SupplyLevel.all().count() == 1
    assert ingest.counters["duplicates"] == 1


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        (up(), b"{garbage", "rejected_malformed"),
        (up(), b'{"type":"telemetry"}', "rejected_invalid"),
        ("continuo/v1/home-1/pi-1/up/bogus", b"{}", "rejected_bad_topic"),
        (up(device="pi-2", site="home-2"), None, "rejected_device_mismatch"),
        (up(device="pi-9", site="home-1"), "pi-9", "rejected_unknown_device"),
        (up(site="home-2"), None, "rejected_site_mismatch"),
        (up(kind=UplinkKind.ALERT), None, "rejected_kind_mismatch"),
    ],
)
async def test_bad_messages_are_counted_never_stored_never_acked(
    home: str, topic: str, payload: bytes | str | None, reason: str
) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    device = payload if isinstance(payload, str) else "pi-1"
    raw = payload if isinstance(payload, bytes) else encode(printer_message(device, 1, T0, 50))
    assert await ingest.handle(topic, raw, acks) is Outcome.REJECTED
    assert ingest.counters[reason] == 1
    assert acks.sent == []
    assert await IngestedMessage.all().count() == 0
    good = printer_message("pi-1", 1, T0, 50)  # and ingest carries on
    assert await ingest.handle(up(), encode(good), acks) is Outcome.STORED


async def test_sequence_gaps_are_recorded_and_closed_by_late_messages(home: str) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    for seq in (1, 2, 6):
        await ingest.handle(up(), encode(printer_message("pi-1", seq, T0 + seq, 90)), acks)
    gaps = await SequenceGap.filter(device_id="pi-1").values_list("first_seq", "last_seq")
    assert gaps == [(3, 5)]
    await ingest.handle(up(), encode(printer_message("pi-1", 4, T0 + 4, 90)), acks)
    gaps = sorted(await SequenceGap.filter(device_id="pi-1").values_list("first_seq", "last_seq"))
    assert gaps == [(3, 3), (5, 5)]
    for seq in (3, 5):
        await ingest.handle(up(), encode(printer_message("pi-1", seq, T0 + seq, 90)), acks)
    assert await SequenceGap.filter(device_id="pi-1").count() == 0
    assert (await Device.get(id="pi-1")).last_seq == 6


async def test_alert_is_stored_and_heartbeat_marks_device_online(home: str) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    alert = Alert(
        id=new_id(),
        device_id="pi-1",
        seq=1,
        sent_at=T0,
        sensor="wearable",
        name="fall",
        severity=Severity.CRITICAL,
        detail="impact",
    )
    assert await ingest.handle(up(kind=UplinkKind.ALERT), encode(alert), acks) is Outcome.STORED
    assert (await DeviceEvent.get(id=alert.id)).severity == "critical"
    beat = Heartbeat(id=new_id(), device_id="pi-1", seq=9, sent_at=T0, uptime_s=5)
    assert await ingest.handle(up(kind=UplinkKind.HEARTBEAT), encode(beat), acks) is Outcome.APPLIED
    device = await Device.get(id="pi-1")
    assert device.online
    assert device.high_water == 9
    will = json.loads((FIXTURES / "presence_will.json").read_bytes())
    will["device_id"] = "pi-1"
    await ingest.handle(up(kind=UplinkKind.PRESENCE), json.dumps(will).encode(), acks)
    assert not (await Device.get(id="pi-1")).online
    assert len(acks.sent) == 1  # presence and heartbeats are never acknowledged


async def test_falling_level_orders_exactly_one_compatible_cartridge_with_its_reason(
    home: str,
) -> None:
    clock = FakeClock(T0)
    ingest = make_ingest(clock, min_history_hours=1.0)
    await feed_levels(ingest, clock, [60, 52, 44, 36, 28, 20, 12, 4])
    order = await Order.get()
    assert (order.sku, order.device_id, order.sensor, order.supply_index) == (
        "F6U15AN",
        "pi-1",
        "printer",
        1,
    )
    assert order.status == "held"  # every automatic order can be undone in its window
    assert order.cancel_until is not None
    assert order.reason["version"] == 1
    assert order.reason["inputs"]["rate_per_day"] == pytest.approx(32.0, rel=0.05)
    assert order.reason["inputs"]["unit"] == "%"
    assert {g["name"] for g in order.reason["guards"]} >= {
        "authorization",
        "consent",
        "confidence",
        "spend_cap",
        "cancel_window",
    }
    assert "HP 952 Black" in order.reason["summary"]
    need = await Need.get(device_id="pi-1")
    assert need.runout_at is not None
    assert need.level == 4


async def test_the_order_closes_once_its_last_cartridge_is_in(home: str) -> None:
    clock = FakeClock(T0)
    ingest = make_ingest(clock, min_history_hours=1.0)
    await feed_levels(ingest, clock, [60, 52, 44, 36, 28])
    order = await Order.get()
    assert order.quantity > 1  # a fast printer: a week's worth is several cartridges
    for pack in range(order.quantity):
        if pack:  # the cartridge before it is used up first
            await feed_levels(ingest, clock, [20], first_seq=200 + pack)
            await order.refresh_from_db()
            assert order.open_key is not None  # spares in the drawer: still open, no reorder
        await feed_levels(ingest, clock, [100], first_seq=100 + pack)
    order = await Order.get(id=order.id)
    assert (order.status, order.open_key) == ("installed", None)
    assert await Order.all().count() == 1


async def test_unknown_levels_and_unauthorized_customers_never_order(home: str) -> None:
    clock = FakeClock(T0)
    ingest = make_ingest(clock)
    await feed_levels(ingest, clock, [60, 40, None, None, None, None, None])
    await feed_levels(ingest, clock, [60, 50, 40, 30, 20, 10], device="pi-2")
    assert await Order.all().count() == 0
    pi1 = await Need.get(device_id="pi-1")
    assert pi1.level == 40  # an unknown level says nothing new: the last known one stands
    assert "not trusted" in pi1.note  # two readings: the customer is asked, nothing guessed
    pi2 = await Need.get(device_id="pi-2")
    assert pi2.note == "the customer orders when they want"  # not authorized: no automation


async def test_unknown_printer_model_is_flagged_not_guessed(home: str) -> None:
    clock = FakeClock(T0)
    ingest = make_ingest(clock, min_history_hours=1.0)
    await feed_levels(ingest, clock, [60, 40, 20, 10], model="OfficeJet Pro 9999")
    assert await Order.all().count() == 0
    (flag,) = await Flag.all()
    assert "OfficeJet Pro 9999" in flag.detail
    need = await Need.get(device_id="pi-1")
    assert "operator" in need.note


async def test_concurrent_workers_and_redelivery_make_one_order(home: str) -> None:
    clock = FakeClock(T0)
    ingest = make_ingest(clock, min_history_hours=1.0)
    await feed_levels(ingest, clock, [60, 52, 44])
    workers = [make_ingest(clock) for _ in range(4)]
    last = printer_message("pi-1", 50, clock.now() + 6 * 3600, 8)
    clock.advance(6 * 3600)
    acks = Acks()
    await asyncio.gather(*(w.handle(up(), encode(last), acks) for w in workers))
    need = await Need.get(device_id="pi-1")
    executors = [services(clock).needs.executor for _ in range(4)]
    await asyncio.gather(*(e.evaluate(need) for e in executors))
    assert await Order.all().count() == 1
    assert await IngestedMessage.filter(id=last.id).count() == 1


async def test_clock_skewed_device_time_is_clamped(home: str) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    message = printer_message("pi-1", 1, T0 + 10 * DAY, 70)
    await ingest.handle(up(), encode(message), acks)
    level = await SupplyLevel.get()
    assert level.at == dt.datetime.fromtimestamp(T0, tz=dt.UTC)
    assert ingest.counters["clock_skew_clamped"] == 1


async def test_a_failing_decision_is_counted_and_its_message_still_kept(home: str) -> None:
    from cloud.store.models import Customer  # noqa: PLC0415

    await Customer.filter(id="home-1").update(preferred_pack="bogus")  # a corrupt record
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    first = printer_message("pi-1", 1, T0, 50)
    assert await ingest.handle(up(), encode(first), acks) is Outcome.STORED
    assert ingest.counters["decide_failed"] == 1  # stored and acknowledged; the sweep retries
    assert acks.sent == [("home-1", "pi-1", [first.id])]
    other = printer_message("pi-2", 1, T0, 50)
    await ingest.handle(up(device="pi-2", site="home-2"), encode(other), acks)
    assert await IngestedMessage.filter(id=other.id).exists()


async def test_two_workers_storing_one_devices_messages_at_once_never_deadlock(home: str) -> None:
    clock = FakeClock(T0)
    workers = [make_ingest(clock), make_ingest(clock)]
    acks = Acks()
    messages = [printer_message("pi-1", seq, T0 + seq, 90 - seq // 10) for seq in range(1, 61)]

    async def lane(worker: int) -> None:
        for message in messages[worker::2]:  # a shared subscription alternates between them
            await workers[worker].handle(up(), encode(message), acks)

    await asyncio.gather(lane(0), lane(1))
    assert sum(w.counters["store_failed"] for w in workers) == 0
    assert await IngestedMessage.filter(device_id="pi-1").count() == 60
    assert await SequenceGap.filter(device_id="pi-1").count() == 0
    assert (await Device.get(id="pi-1")).last_seq == 60


async def test_a_printer_that_says_only_low_is_served_at_the_critical_level(home: str) -> None:
    clock = FakeClock(T0)
    ingest = make_ingest(clock)
    await feed_levels(ingest, clock, [60])  # one known level, then only "low"
    clock.advance(3600)
    low = printer_message("pi-1", 2, clock.now(), None)
    reading = low.reading
    assert isinstance(reading, PrinterReading)
    (supply,) = reading.supplies
    low = msgspec.structs.replace(
        low,
        reading=msgspec.structs.replace(
            reading, supplies=[msgspec.structs.replace(supply, level_state=LevelState.LOW)]
        ),
    )
    await ingest.handle(up(), encode(low), Acks())
    (order,) = await Order.all()
    assert order.status == "held"
    assert "critical" in order.reason["rule"]
    need = await Need.get(device_id="pi-1")
    assert need.level == 10  # what "low" says at least: the cartridge's critical level

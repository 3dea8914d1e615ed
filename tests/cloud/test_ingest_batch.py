"""The batching pipeline on a real database (SQLite and PostgreSQL): one transaction per batch.

What a batch must keep: every message stored once (duplicates inside one batch and across
batches and workers), gaps tracked per device, one ack per device naming only what
committed, a message that cannot be stored failing alone, liveness written in batches.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from tortoise import connections

from cloud.identity.registry import add_device
from cloud.ingest.fairqueue import FairQueue, Received
from cloud.ingest.pipeline import Outcome
from cloud.store.models import (
    ChangeEvent,
    Device,
    IngestedMessage,
    SensorSample,
    SequenceGap,
    SupplyLevel,
)
from common import topics
from common.clock import FakeClock
from common.messages import (
    Heartbeat,
    Presence,
    ScaleReading,
    ScaleState,
    Telemetry,
    encode,
    new_id,
)
from common.topics import UplinkKind
from tests.support.backend import Acks, make_ingest, printer_message
from tests.support.wait import wait_until

T0 = 1_800_000_000.0
POISON_GRAMS = 666.0
DEVICES = [(f"home-{i}", f"pi-{i}") for i in range(4)]


@pytest.fixture
async def fleet(db: str) -> str:
    for site, device in DEVICES:
        await add_device(site=site, device_id=device)
    return db


def weight(device: str, seq: int, grams: float = 500.0) -> Telemetry:
    return Telemetry(
        id=new_id(),
        device_id=device,
        seq=seq,
        sent_at=T0 + seq,
        sensor="fridge",
        reading=ScaleReading(state=ScaleState.STABLE, grams=grams),
    )


def wire(
    message: Telemetry | Heartbeat | Presence, kind: UplinkKind = UplinkKind.TELEMETRY
) -> tuple[str, bytes]:
    site = "home-" + message.device_id.removeprefix("pi-")
    return topics.uplink(site, message.device_id, kind), encode(message)


async def test_one_batch_stores_each_message_once_and_acks_each_device_once(fleet: str) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    earlier = weight("pi-0", 1)
    assert await ingest.handle(*wire(earlier), acks) is Outcome.STORED
    again = weight("pi-1", 1)
    batch = [
        wire(earlier),  # stored in an earlier batch
        wire(again),
        wire(again),  # twice in this one
        wire(weight("pi-0", 2)),
        wire(weight("pi-1", 5)),  # 2-4 missing
        (topics.uplink("home-2", "pi-2", UplinkKind.TELEMETRY), b"{junk"),
        wire(
            Heartbeat(id=new_id(), device_id="pi-3", seq=7, sent_at=T0, uptime_s=1),
            UplinkKind.HEARTBEAT,
        ),
    ]
    outcomes = await ingest.pipeline.process(batch, acks)
    assert outcomes == [
        Outcome.DUPLICATE,
        Outcome.STORED,
        Outcome.DUPLICATE,
        Outcome.STORED,
        Outcome.STORED,
        Outcome.REJECTED,
        Outcome.APPLIED,
    ]
    acked = {device: ids for _, device, ids in acks.sent[1:]}
    assert len(acks.sent) == 3  # the first message's, then one per device of the batch
    assert sorted(acked) == ["pi-0", "pi-1"]
    assert len(acked["pi-0"]) == 2
    assert len(acked["pi-1"]) == 3  # a duplicate is acknowledged again
    assert await IngestedMessage.all().count() == 4
    assert await SensorSample.all().count() == 4
    gaps = await SequenceGap.filter(device_id="pi-1").values_list("first_seq", "last_seq")
    assert gaps == [(2, 4)]
    assert ingest.counters["rejected_malformed"] == 1
    assert not (await Device.get(id="pi-3")).online  # liveness waits for its flush
    await ingest.pipeline.settle()
    device = await Device.get(id="pi-3")
    assert (device.online, device.high_water) == (True, 7)


async def test_one_change_event_per_device_and_topic_per_batch(fleet: str) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    before = await ChangeEvent.all().count()
    await ingest.pipeline.process([wire(weight("pi-0", seq)) for seq in range(1, 51)], acks)
    assert await ChangeEvent.all().count() - before == 2  # devices and sensors, for pi-0


async def test_a_message_that_cannot_be_stored_fails_alone(fleet: str) -> None:
    await _refuse_grams(POISON_GRAMS)
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    poison = weight("pi-1", 1, grams=POISON_GRAMS)
    batch = [wire(weight("pi-0", 1)), wire(poison), wire(weight("pi-2", 1))]
    outcomes = await ingest.pipeline.process(batch, acks)
    assert outcomes == [Outcome.STORED, Outcome.FAILED, Outcome.STORED]
    assert ingest.counters["batches_split"] == 1
    assert sorted(device for _, device, _ in acks.sent) == ["pi-0", "pi-2"]  # never pi-1
    assert not await IngestedMessage.exists(id=poison.id)
    assert await IngestedMessage.all().count() == 2


async def _refuse_grams(grams: float) -> None:
    """A database that refuses one value: the stand-in for a message it cannot store."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        await conn.execute_script(
            f"CREATE TRIGGER poison BEFORE INSERT ON sensorsample WHEN NEW.grams = {grams} "
            "BEGIN SELECT RAISE(ABORT, 'poison'); END;"
        )
    else:
        await conn.execute_script(
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.grams = {grams} THEN RAISE EXCEPTION 'poison'; END IF; RETURN NEW; "
            "END $$ LANGUAGE plpgsql; "
            "CREATE TRIGGER poison BEFORE INSERT ON sensorsample "
            "FOR EACH ROW EXECUTE FUNCTION poison();"
        )


async def test_two_workers_with_batches_of_the_same_devices_store_everything_once(
    fleet: str,
) -> None:
    """A shared subscription deals each worker every other message of every device."""
    clock = FakeClock(T0)
    workers = [make_ingest(clock), make_ingest(clock)]
    acks = Acks()
    messages = [weight(device, seq) for seq in range(1, 41) for _, device in DEVICES]

    async def worker(index: int) -> None:
        mine = messages[index::2]
        for start in range(0, len(mine), 16):
            await workers[index].pipeline.process([wire(m) for m in mine[start : start + 16]], acks)

    await asyncio.gather(worker(0), worker(1))
    assert sum(w.counters["store_failed"] for w in workers) == 0
    assert await IngestedMessage.all().count() == len(messages)
    assert await SensorSample.all().count() == len(messages)
    assert await SequenceGap.all().count() == 0
    for _, device in DEVICES:
        assert (await Device.get(id=device)).last_seq == 40
    acked = Counter(i for _, _, ids in acks.sent for i in ids)
    assert set(acked) == {m.id for m in messages}


async def test_the_same_batch_at_two_workers_at_once_is_stored_once(fleet: str) -> None:
    """A redelivery that overtakes the first delivery's commit is still a duplicate."""
    clock = FakeClock(T0)
    workers = [make_ingest(clock), make_ingest(clock)]
    acks = Acks()
    batch = [wire(printer_message("pi-0", seq, T0 + seq, 90 - seq)) for seq in range(1, 30)]
    results = await asyncio.gather(*(w.pipeline.process(batch, acks) for w in workers))
    per_message = list(zip(*results, strict=True))
    assert all(sorted(pair) == [Outcome.DUPLICATE, Outcome.STORED] for pair in per_message)
    assert await IngestedMessage.all().count() == len(batch)
    assert await SupplyLevel.all().count() == len(batch)


async def test_heartbeats_are_written_in_one_flush_and_presence_takes_devices_offline(
    fleet: str,
) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    beats = [
        wire(
            Heartbeat(id=new_id(), device_id=device, seq=seq, sent_at=T0, uptime_s=seq),
            UplinkKind.HEARTBEAT,
        )
        for seq in range(1, 6)
        for _, device in DEVICES
    ]
    outcomes = await ingest.pipeline.process(beats, acks)
    assert set(outcomes) == {Outcome.APPLIED}
    assert len(ingest.liveness) == len(DEVICES)  # one entry per device, not per heartbeat
    await ingest.liveness.flush()
    assert ingest.counters["liveness_flushes"] == 1
    rows = await Device.all().order_by("id").values_list("online", "high_water")
    assert rows == [(True, 5)] * len(DEVICES)
    clock.advance(1)
    will = Presence(id=new_id(), device_id="pi-0", seq=5, sent_at=clock.now(), online=False)
    await ingest.handle(*wire(will, UplinkKind.PRESENCE), acks)
    assert not (await Device.get(id="pi-0")).online
    assert acks.sent == []  # liveness is never acknowledged


async def test_a_lane_takes_what_queued_as_one_batch(fleet: str) -> None:
    """What arrives while a batch is stored goes into the next batch, not one by one."""
    clock = FakeClock(T0)
    ingest = make_ingest(clock)
    sent: list[tuple[str, str, list[str]]] = []

    async def send_ack(_lane: object, site: str, device: str, ids: list[str]) -> None:
        sent.append((site, device, ids))

    ingest._send_ack = send_ack  # type: ignore[method-assign,assignment]
    lane = ingest.lanes[1]
    messages = [weight(device, seq) for seq in range(1, 51) for _, device in DEVICES]
    for message in messages:
        topic, payload = wire(message)
        assert lane.queue.put(Received(message.device_id, topic, payload))
    from cloud.supervisor import Unit  # noqa: PLC0415

    writer = asyncio.create_task(ingest._write(lane, Unit("ingest-bulk-writer", clock)))
    try:
        await wait_until(
            lambda: ingest.counters["acked"] >= len(messages),
            "every queued message is acknowledged",
            timeout_s=60,
        )
    finally:
        writer.cancel()
    assert ingest.counters["batches"] == 1
    assert len(sent) == len(DEVICES)
    assert await IngestedMessage.all().count() == len(messages)


async def test_the_fair_queue_serves_every_device_in_turn_and_sheds_a_flood() -> None:
    queue = FairQueue(per_device=100, total=150)
    for n in range(150):
        queue.put(Received("flood", "t", str(n).encode()))
    assert not queue.put(Received("flood", "t", b"more"))
    assert queue.shed["flood"] == 51
    queue.put(Received("quiet", "t", b"hello"))
    batch = await queue.take(10)
    assert [r.device for r in batch[:2]] == ["flood", "quiet"]  # not behind the flood
    assert [r.payload for r in batch if r.device == "flood"][:3] == [b"0", b"1", b"2"]
    room = asyncio.create_task(queue.room())
    await asyncio.sleep(0)
    assert room.done()  # below the total again after the take
    for n in range(100):
        queue.put(Received(f"d{n}", "t", b"x"))
    blocked = asyncio.create_task(queue.room())
    await asyncio.sleep(0)
    assert not blocked.done()  # the total is reached: the receiver waits
    await queue.take(500)
    async with asyncio.timeout(1):
        await blocked


async def test_a_worker_dying_between_storing_and_sequencing_leaves_no_false_gap(
    fleet: str,
) -> None:
    clock = FakeClock(T0)
    ingest, acks = make_ingest(clock), Acks()
    for seq in (1, 2):
        await ingest.handle(*wire(weight("pi-0", seq)), acks)
    from cloud.ingest.admit import Admitted, Sender  # noqa: PLC0415
    from cloud.ingest.record import Recorder, audit_gaps  # noqa: PLC0415
    from common.clock import utc  # noqa: PLC0415

    lost = weight("pi-0", 3)  # stored and acknowledged, then the worker died
    sender = Sender("pi-0", "home-0", "home-0", revoked=False)
    await Recorder(clock=clock, counters=Counter()).record([Admitted(0, sender, lost, T0)])
    await ingest.handle(*wire(weight("pi-0", 4)), acks)
    gaps = await SequenceGap.filter(device_id="pi-0").values_list("first_seq", "last_seq")
    assert gaps == [(3, 3)]  # seq 4 saw 3 untracked
    assert await audit_gaps(since=utc(T0 - 3600)) == 1
    assert await SequenceGap.filter(device_id="pi-0").count() == 0

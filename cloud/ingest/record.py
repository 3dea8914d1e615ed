"""Recording: a batch of admitted messages in two short transactions, with bulk writes.

1. `record` stores the batch. The message ids go in first, in one statement, sorted, with
   ``ON CONFLICT DO NOTHING RETURNING id``: what comes back is new, the rest are duplicates
   (stored before, by this worker or another, or twice in this batch). A worker inserting
   an id another worker's open transaction holds waits for that commit and then skips it,
   so two workers holding the same redelivered message store it once; sorted ids mean two
   such waits can never form a cycle. Then each new message's rows go in, in bulk. No
   device row is locked here, so workers sharing every device's traffic store in parallel.
   The caller acknowledges what committed.
2. `sequence` then tracks each device's sequence numbers (gaps, late arrivals, resets)
   under the device rows' locks, taken in id order, as liveness takes them. It runs for
   duplicates too: a message redelivered after a worker died between the two steps closes
   the gap it left. The sweep checks open gaps against what is stored for the rest.

Liveness (online, last seen) is not written here; `cloud.ingest.liveness` batches it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import msgspec
from tortoise.backends.base.client import BaseDBAsyncClient

from cloud.alerts import incidents
from cloud.config import AlertSettings
from cloud.ingest.admit import Admitted
from cloud.store import bulk
from cloud.store.db import transaction
from cloud.store.models import (
    Device,
    DeviceEvent,
    IngestedMessage,
    PrinterInfo,
    SensorSample,
    SequenceGap,
    Supply,
    SupplyLevel,
)
from cloud.terms import Topic
from common.clock import Clock, utc
from common.messages import (
    Alert,
    CommandAck,
    Event,
    PrinterReading,
    ScaleReading,
    Status,
    Telemetry,
    WearableReading,
    kind_of,
)
from common.messages import Supply as SupplyReading

HISTORY_KEEPALIVE = dt.timedelta(hours=1)


@dataclass(slots=True)
class Recorded:
    """What one batch's transaction did, item by item."""

    new: list[Admitted] = field(default_factory=list)  # stored now, in batch order
    duplicates: list[Admitted] = field(default_factory=list)
    changes: set[tuple[Topic, str]] = field(default_factory=set)


class Recorder:
    """Stores batches of durable messages and tracks each device's sequence."""

    def __init__(
        self, *, clock: Clock, counters: Counter[str], rules: AlertSettings | None = None
    ) -> None:
        """Count what is stored into `counters` (gaps, sequence resets)."""
        self._clock = clock
        self._counters = counters
        self._rules = rules or AlertSettings()

    async def record(self, batch: list[Admitted]) -> Recorded:
        """Store the batch in one transaction; raises what the database raises."""
        done = Recorded()
        if not batch:
            return done
        now = utc(self._clock.now())
        first: dict[str, Admitted] = {}
        for item in batch:
            first.setdefault(item.message.id, item)
        rows = [
            (i.message.id, i.sender.device_id, i.message.seq, kind_of(i.message).value, now)
            for i in sorted(first.values(), key=lambda i: i.message.id)
        ]
        async with transaction() as conn:
            fresh = set(
                await bulk.insert(
                    conn,
                    IngestedMessage,
                    ("id", "device_id", "seq", "kind", "received_at"),
                    rows,
                    skip_conflicts_on="id",
                    returning="id",
                )
            )
            for item in batch:
                if item.message.id in fresh and first[item.message.id] is item:
                    done.new.append(item)
                else:
                    done.duplicates.append(item)
            if done.new:
                await self._write(conn, done, now)
        return done

    async def _write(self, conn: BaseDBAsyncClient, done: Recorded, now: dt.datetime) -> None:
        rows = _Rows.of(done)
        await bulk.insert(conn, SensorSample, SAMPLE_COLUMNS, rows.samples)
        # Events before incidents: a "false alarm" stored in this batch cancels its alert.
        await bulk.insert(conn, DeviceEvent, EVENT_COLUMNS, rows.events)
        # What is read, then written (a printer's state, an open incident, a status) is done
        # under its device's lock, all taken at once in id order, after the ids: workers
        # with messages of one printer take turns, and no two can wait on each other.
        alerts = [i for i in done.new if isinstance(i.message, Alert)]
        await _lock(
            rows.printers.devices
            | {i.sender.device_id for i in alerts}
            | set(rows.statuses)
            | rows.watched
        )
        await rows.printers.write()
        for item in alerts:
            device = await Device.get(id=item.sender.device_id)
            raised = await incidents.record(
                device,
                item.message,  # type: ignore[arg-type]
                now=now,
                rules=self._rules,
            )
            done.changes.add((Topic.ALERTS, device.id))
            if raised.folded:
                self._counters["alerts_folded"] += 1
        if rows.watched:  # a wearable: the site watchdog looks after this home from now on
            await Device.filter(id__in=sorted(rows.watched), watched=False).update(watched=True)
        for device_id, status in sorted(rows.statuses.items()):
            await Device.filter(id=device_id).update(**_status_fields(status))

    async def sequence(self, items: list[Admitted]) -> None:
        """Track the sequence numbers of stored messages, per device, in one transaction."""
        per_device: dict[str, list[tuple[int, str]]] = {}
        for item in items:
            per_device.setdefault(item.sender.device_id, []).append(
                (item.message.seq, item.message.id)
            )
        if not per_device:
            return
        now = utc(self._clock.now())
        async with transaction():
            locked = Device.filter(id__in=sorted(per_device)).order_by("id")
            devices = await locked.select_for_update(no_key=True)
            for device in devices:
                await self._track(device, sorted(set(per_device[device.id])), now)
            await Device.bulk_update(devices, fields=("last_seq",))

    async def _track(self, device: Device, seqs: list[tuple[int, str]], now: dt.datetime) -> None:
        """Open a gap past the last number, close the gap a late one fills, notice resets."""
        behind = [(seq, mid) for seq, mid in seqs if seq <= device.last_seq]
        gaps: list[SequenceGap] = []
        reused: set[int] = set()
        if behind:
            gaps = list(await SequenceGap.filter(device_id=device.id))
            # A number seen before under another id: the device lost its outbox, restarted.
            seen = IngestedMessage.filter(device_id=device.id, seq__in=[s for s, _ in behind])
            others = seen.exclude(id__in=[mid for _, mid in behind])
            reused = {int(row[0]) for row in await others.values_list("seq")}
        for seq, _ in seqs:
            last = device.last_seq
            if seq > last:
                if seq > last + 1:
                    gaps.append(
                        await SequenceGap.create(
                            device_id=device.id,
                            first_seq=last + 1,
                            last_seq=seq - 1,
                            detected_at=now,
                        )
                    )
                    self._counters["gaps_detected"] += 1
                device.last_seq = seq
                continue
            gap = next((g for g in gaps if g.first_seq <= seq <= g.last_seq), None)
            if gap is not None:
                gaps += await _fill(gap, seq)
                if gap.first_seq > gap.last_seq:
                    gaps.remove(gap)
            elif seq in reused:
                self._counters["sequence_resets"] += 1
                device.last_seq = seq
            # else: accounted for already (a duplicate, or another worker's batch went past)


async def _lock(device_ids: set[str]) -> None:
    """Lock device rows in id order (a query of values only would not lock: whole rows)."""
    if device_ids:
        await Device.filter(id__in=sorted(device_ids)).order_by("id").select_for_update(no_key=True)


async def _fill(gap: SequenceGap, seq: int) -> list[SequenceGap]:
    """A late message fills `seq` of a gap: shrink, split or delete it; the new part, if any."""
    if gap.first_seq == gap.last_seq:
        gap.first_seq += 1  # empty: the caller forgets it
        await gap.delete()
        return []
    if seq == gap.first_seq:
        gap.first_seq += 1
    elif seq == gap.last_seq:
        gap.last_seq -= 1
    else:
        after = await SequenceGap.create(
            device_id=gap.device_id,
            first_seq=seq + 1,
            last_seq=gap.last_seq,
            detected_at=gap.detected_at,
        )
        gap.last_seq = seq - 1
        await gap.save()
        return [after]
    await gap.save()
    return []


async def audit_gaps(*, since: dt.datetime) -> int:
    """Shrink the gaps opened since `since` by what is stored after all; the numbers filled.

    A worker that dies after storing a batch and before tracking its sequence leaves gaps
    that its messages fill; the sweep runs this over the last hour's gaps to close them.
    """
    filled = 0
    for gap in await SequenceGap.filter(detected_at__gte=since):
        stored = await IngestedMessage.filter(
            device_id=gap.device_id, seq__gte=gap.first_seq, seq__lte=gap.last_seq
        ).values_list("seq")
        parts = [gap]
        for seq in sorted({int(row[0]) for row in stored}):
            part = next((g for g in parts if g.first_seq <= seq <= g.last_seq), None)
            if part is not None:
                parts += await _fill(part, seq)
                filled += 1
    return filled


def _status_fields(message: Status) -> dict[str, object]:
    return {
        "firmware": message.firmware,
        "battery_pct": message.battery_pct,
        "sensors_ok": all(s.ok for s in message.sensors),
        "sensors_detail": "; ".join(
            f"{s.sensor}: {s.detail or 'fault'}" for s in message.sensors if not s.ok
        )[:1024],
        "outbox_dropped": message.outbox_dropped,
    }


SAMPLE_COLUMNS = ("device_id", "sensor", "kind", "state", "grams", "detail", "data", "at")
EVENT_COLUMNS = ("id", "device_id", "kind", "sensor", "name", "severity", "detail", "at")


def _sample(
    device_id: str, sensor: str, reading: ScaleReading | WearableReading, at: float
) -> tuple[object, ...]:
    if isinstance(reading, WearableReading):
        state = "connected" if reading.connected else "disconnected"
        data = msgspec.json.encode(reading).decode()
        return (device_id, sensor, "wearable", state, None, reading.detail, data, utc(at))
    return (
        device_id,
        sensor,
        "scale",
        reading.state.value,
        reading.grams,
        reading.detail,
        "{}",
        utc(at),
    )


def _event(device_id: str, message: Event | Alert | CommandAck, at: float) -> tuple[object, ...]:
    if isinstance(message, CommandAck):
        sensor, name = "agent", f"command {message.command_id}"
    else:
        sensor, name = message.sensor, message.name
    severity = message.severity.value if isinstance(message, Alert) else None
    return (
        message.id,
        device_id,
        kind_of(message).value,
        sensor,
        name,
        severity,
        message.detail,
        utc(at),
    )


class _Printers:
    """A batch's printer readings, applied per printer in memory, then written once each."""

    def __init__(self) -> None:
        self._readings: list[tuple[str, str, PrinterReading, dt.datetime]] = []

    @property
    def devices(self) -> set[str]:
        """The devices whose printers this batch reads."""
        return {r[0] for r in self._readings}

    def add(self, device_id: str, sensor: str, reading: PrinterReading, at: float) -> None:
        self._readings.append((device_id, sensor, reading, utc(at)))

    async def write(self) -> None:
        """Apply the readings in order to each printer and supply, then write each once."""
        if not self._readings:
            return
        devices = {r[0] for r in self._readings}
        sensors = {r[1] for r in self._readings}
        infos = {
            (i.device_id, i.sensor): i
            for i in await PrinterInfo.filter(device_id__in=devices, sensor__in=sensors)
        }
        supplies = {
            (s.device_id, s.sensor, s.index): s
            for s in await Supply.filter(device_id__in=devices, sensor__in=sensors)
        }
        dirty_infos: dict[tuple[str, str], PrinterInfo] = {}
        dirty: dict[tuple[str, str, int], Supply] = {}
        levels: list[SupplyLevel] = []
        for device_id, sensor, reading, when in self._readings:
            info = infos.setdefault(
                (device_id, sensor),
                PrinterInfo(device_id=device_id, sensor=sensor, updated_at=when),
            )
            if _take_printer(info, reading, when):
                dirty_infos[device_id, sensor] = info
            for item in reading.supplies:
                key = (device_id, sensor, item.index)
                supply = supplies.get(key)
                if supply is None:
                    supply = supplies[key] = await _new_supply(key, item, when)
                level = _observe(supply, item, when)
                if level is not None:
                    levels.append(level)
                dirty[key] = supply
        for info in dirty_infos.values():
            await info.save()
        for supply in dirty.values():
            await supply.save()
        await SupplyLevel.bulk_create(levels)


def _take_printer(info: PrinterInfo, reading: PrinterReading, when: dt.datetime) -> bool:
    """Take a printer's state from a reading unless a newer one is in; whether it did."""
    if when < info.updated_at:
        return False
    info.state = reading.state.value
    info.detail = reading.detail
    if reading.make or reading.model:
        info.make, info.model = reading.make, reading.model
    info.updated_at = when
    return True


async def _new_supply(key: tuple[str, str, int], item: SupplyReading, when: dt.datetime) -> Supply:
    """A supply seen for the first time, saved at once: its levels need its id."""
    device_id, sensor, index = key
    supply = Supply(device_id=device_id, sensor=sensor, index=index)
    _take(supply, item, when)
    await supply.save()
    return supply


def _observe(supply: Supply, item: SupplyReading, when: dt.datetime) -> SupplyLevel | None:
    """Take a reading of a supply (unless a newer one is in); the level to keep, if due."""
    keep = _history_due(supply, item, when)
    if when >= supply.updated_at:
        _take(supply, item, when)
    if not keep:
        return None
    supply.history_at = max(when, supply.history_at or when)
    return SupplyLevel(
        supply_id=supply.pk, at=when, level=item.level, level_state=item.level_state.value
    )


def _take(supply: Supply, item: SupplyReading, when: dt.datetime) -> None:
    supply.name, supply.kind, supply.color = item.name, item.kind, item.color
    supply.level, supply.level_state = item.level, item.level_state.value
    supply.updated_at = when


def _history_due(supply: Supply, item: SupplyReading, when: dt.datetime) -> bool:
    """Keep a level when it changed, and at least hourly, so history stays small."""
    return (
        supply.history_at is None
        or item.level != supply.level
        or item.level_state.value != supply.level_state
        or when - supply.history_at >= HISTORY_KEEPALIVE
        or when < supply.history_at
    )


@dataclass(slots=True)
class _Rows:
    """A batch's new messages as rows per table."""

    samples: list[tuple[object, ...]] = field(default_factory=list)
    events: list[tuple[object, ...]] = field(default_factory=list)
    printers: _Printers = field(default_factory=_Printers)
    statuses: dict[str, Status] = field(default_factory=dict)  # the latest of each device
    watched: set[str] = field(default_factory=set)  # devices heard with a wearable

    @classmethod
    def of(cls, done: Recorded) -> _Rows:
        rows = cls()
        for item in done.new:
            message, device_id = item.message, item.sender.device_id
            done.changes.add((Topic.DEVICES, device_id))
            if isinstance(message, Telemetry):
                reading = message.reading
                if isinstance(reading, PrinterReading):
                    rows.printers.add(device_id, message.sensor, reading, item.at)
                    done.changes.add((Topic.SUPPLIES, device_id))
                else:
                    rows.samples.append(_sample(device_id, message.sensor, reading, item.at))
                    done.changes.add((Topic.SENSORS, device_id))
                    if isinstance(reading, WearableReading):
                        rows.watched.add(device_id)
            elif isinstance(message, Event | Alert | CommandAck):
                rows.events.append(_event(device_id, message, item.at))
                done.changes.add((Topic.SENSORS, device_id))
                if isinstance(message, Alert) and message.rate_hz is not None:
                    rows.watched.add(device_id)  # an accelerometer's alert: a wearable
            elif isinstance(message, Status):
                latest = rows.statuses.get(device_id)
                if latest is None or message.seq > latest.seq:
                    rows.statuses[device_id] = message
        return rows

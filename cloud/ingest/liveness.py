"""Liveness: who is online and when each device was last heard, kept in memory.

Heartbeats and presence are the bulk of a fleet's traffic (10,000 devices beating every
30 s are 333 messages a second) and only the latest of each matters, so they never touch
the database one by one: every message updates an entry here, and `flush` writes all the
entries in one transaction, at most every `flush_s`. Several workers may hear the same
device; the merge keeps the newest time, the highest sequence number, and the online state
of whoever heard the device last.

What a lane's fair queue shed is written here too, on the device row (`shed`, summed over
workers) with a "flooding" flag for operators: a device that overflows its share of the
queue sends far past the agent's window, so it is broken or hostile.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from tortoise.expressions import F

from cloud.store import bulk
from cloud.store.changes import ChangeFeed
from cloud.store.db import transaction
from cloud.store.models import Device, Flag
from cloud.terms import Topic
from common.clock import Clock, utc

log = logging.getLogger(__name__)
FLOODING = "flooding"
FLOODING_DETAIL = "sends faster than its share of ingest: messages shed, not acknowledged"


@dataclass(slots=True)
class Heard:
    """The latest this worker heard of one device."""

    online: bool
    at: float
    high_water: int


class Liveness:
    """Liveness of every device this worker hears, written in batches (`flush`)."""

    def __init__(self, *, clock: Clock, feed: ChangeFeed, counters: Counter[str]) -> None:
        """Flush when told (the supervisor's liveness unit, every `liveness_flush_s`)."""
        self._clock = clock
        self._feed = feed
        self._counters = counters
        self._heard: dict[str, Heard] = {}
        self._shed: Counter[str] = Counter()  # device -> messages shed since the last flush

    def heard(self, device_id: str, *, seq: int, online: bool = True) -> None:
        """Note a message of a device (a presence message says whether it is online)."""
        now = self._clock.now()
        entry = self._heard.get(device_id)
        if entry is None:
            self._heard[device_id] = Heard(online, now, seq)
        else:
            entry.online, entry.at = online, max(entry.at, now)
            entry.high_water = max(entry.high_water, seq)

    def shed(self, device_id: str) -> None:
        """Note a message of a device that a lane's queue would not take."""
        self._shed[device_id] += 1

    def __len__(self) -> int:
        """Devices heard since the last flush."""
        return len(self._heard)

    async def flush(self) -> bool:
        """Write what was heard since the last flush, in one transaction.

        Returns:
            False when it could not be written: what was heard is kept for the next flush.
        """
        if not self._heard and not self._shed:
            return True
        heard, self._heard = self._heard, {}
        shed, self._shed = self._shed, Counter()
        try:
            changed = await self._write(heard, shed)
        except Exception:  # any failure (a lost connection, a full disk): keep it all
            self._counters["liveness_flush_failed"] += 1
            log.exception("could not write the liveness of %d devices; kept for later", len(heard))
            for device_id, entry in heard.items():
                self._merge_back(device_id, entry)
            self._shed.update(shed)
            return False
        self._counters["liveness_flushes"] += 1
        self._counters["liveness_written"] += len(heard)
        events = {(Topic.DEVICES, device_id) for device_id in changed}
        if shed:
            events.add((Topic.FLAGS, FLOODING))
        if events:
            try:
                await self._feed.publish_many(events)
            except Exception:  # written; only the dashboards' nudge is lost
                log.exception("could not announce liveness changes")
        return True

    def _merge_back(self, device_id: str, entry: Heard) -> None:
        newer = self._heard.get(device_id)
        if newer is None:
            self._heard[device_id] = entry
        else:
            newer.high_water = max(newer.high_water, entry.high_water)

    async def _write(self, heard: dict[str, Heard], shed: Counter[str]) -> list[str]:
        """Merge into the device rows (locked in id order, as ingest locks them)."""
        changed: list[str] = []
        async with transaction() as conn:
            rows = (
                await Device.filter(id__in=sorted(heard.keys() | shed.keys()))
                .order_by("id")
                .select_for_update(no_key=True)
            )
            flooding = [device.id for device in rows if shed[device.id]]
            for device_id in flooding:
                await Device.filter(id=device_id).update(shed=F("shed") + shed[device_id])
            if flooding:
                now = utc(self._clock.now())
                await bulk.insert(
                    conn,
                    Flag,
                    ("device_id", "kind", "detail", "created_at", "resolved"),
                    [(d, FLOODING, FLOODING_DETAIL, now, False) for d in flooding],
                    skip_conflicts_on=("device_id", "kind", "detail"),
                )
                await Flag.filter(device_id__in=flooding, kind=FLOODING).update(resolved=False)
                self._counters["flagged_flooding"] += len(flooding)
            rows = [device for device in rows if device.id in heard]
            for device in rows:
                entry = heard[device.id]
                at = utc(entry.at)
                if device.last_seen is None or at >= device.last_seen:
                    if device.online != entry.online:
                        changed.append(device.id)
                    device.online = entry.online
                    device.last_seen = at
                device.high_water = max(device.high_water, entry.high_water)
            if rows:
                await Device.bulk_update(rows, fields=("online", "last_seen", "high_water"))
        return changed

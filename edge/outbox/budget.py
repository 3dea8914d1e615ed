"""The outbox's storage budget: what to drop, and where to hold, so a full disk never stops it.

The queue keeps within two bounds: `capacity` messages and, when set, `max_bytes` on disk
(SQLite's page limit, which fails a write with the same SQLITE_FULL error as a full disk).
Past either, and when the disk itself is full, the oldest telemetry is dropped (when none
is left, status reports but the newest, which carries the drop count), and counted. Events,
alerts and command acks are never dropped. A full disk stays workable because SQLite's log
is kept small and the budget sets some space aside (the reserve), which it gives back when
the disk fills before it stops the file growing (see `_hold_size`). When the disk cannot
take even alerts, messages wait in a small in-memory hold (still sent, still acknowledged)
and move to disk when space returns. Adding a message never raises for lack of space.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from common.clock import Clock, SystemClock
from common.topics import UplinkKind
from edge.outbox.items import Pending
from edge.outbox.queue import WAL_PAGES, DurableQueue

log = logging.getLogger(__name__)

_ROOM_BATCH = 32  # rows freed per attempt on a full disk: a few pages, not one row
_ROOM_TRIES = 8
# Disk space the outbox keeps for itself and gives up when the disk is full, so SQLite can
# still checkpoint its log and delete telemetry: deleting needs room to write, too.
RESERVE_BYTES = 512 * 1024
_NO_SPACE = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR}


def out_of_space(exc: Exception) -> bool:
    """Whether a failed write failed for lack of room (disk, file system or `max_bytes`)."""
    if isinstance(exc, OSError):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _NO_SPACE
    return "full" in str(exc) or "disk I/O" in str(exc)


def free_bytes(where: Path) -> int:
    """Bytes free on the file system that holds `where`."""
    return shutil.disk_usage(where).free


def _drop_nothing(seqs: list[int]) -> None:
    del seqs


class _Said:
    """A condition that lasts is logged once a minute, with how often it happened meanwhile."""

    def __init__(self, now: Callable[[], float], every_s: float = 60.0) -> None:
        self._now = now
        self._every_s = every_s
        self._last: dict[str, float] = {}
        self._quiet: dict[str, int] = {}

    def warn(self, key: str, message: str, *args: object) -> None:
        at = self._now()
        if key in self._last and at - self._last[key] < self._every_s:
            self._quiet[key] = self._quiet.get(key, 0) + 1
            return
        quiet = self._quiet.pop(key, 0)
        self._last[key] = at
        log.warning("%s%s", message % args, f" ({quiet} more in the last minute)" if quiet else "")


class StorageBudget:
    """Stores messages in a `DurableQueue` within its bounds, holding in memory if need be."""

    def __init__(
        self,
        queue: DurableQueue,
        *,
        capacity: int,
        memory_capacity: int = 1000,
        reserve: Path,
        on_drop: Callable[[list[int]], None] = _drop_nothing,
        free: Callable[[Path], int] = free_bytes,
        clock: Clock | None = None,
    ) -> None:
        """Keep `queue` within `capacity` messages, with `reserve` set aside on its disk.

        Args:
            queue: Where messages are stored.
            capacity: Most messages kept on disk before telemetry is dropped.
            memory_capacity: Most messages held in memory while the disk takes nothing;
                past it, telemetry is dropped there too (alerts and events never are).
            reserve: The file that keeps `RESERVE_BYTES` of the disk for the queue.
            on_drop: Told the seqs of messages dropped for room (say, to forget their sends).
            free: Bytes free on the disk of a path (a test seam for a full disk).
            clock: Times the warnings of a lasting full disk (one a minute, with a count).
        """
        self._said = _Said((clock or SystemClock()).monotonic)
        self.capacity = capacity
        self._queue = queue
        self._memory_capacity = memory_capacity
        self._memory: list[Pending] = []  # in seq order
        self._reserve = reserve
        self._on_drop = on_drop
        self._free = free
        self._refill_reserve()

    @property
    def dropped(self) -> int:
        """How many messages were dropped for lack of room (capacity or disk), ever."""
        return self._queue.counters.dropped

    @property
    def in_memory(self) -> int:
        """How many messages wait in memory because the disk would not take them."""
        return len(self._memory)

    def held(self, limit: int) -> list[Pending]:
        """The `limit` oldest messages held in memory, in order."""
        return self._memory[:limit]

    # -- adding --------------------------------------------------------------------------
    def add(self, item: Pending) -> None:
        """Store `item` on disk, making room if need be, or else hold it in memory."""
        if not self._store(item):
            self._hold(item)

    def _store(self, item: Pending) -> bool:
        """Write one message, making room for it if the disk is full; False if it cannot."""

        def insert() -> None:
            self._queue.insert(item)
            self._drop(self._queue.count() - self.capacity)

        for attempt in range(_ROOM_TRIES):
            error = self._queue.write(insert)
            if error is None:
                return True
            if not out_of_space(error) or not self._make_room(first=attempt == 0):
                if not self._memory:  # once as the disk fills, not for every message
                    log.warning("outbox: disk takes nothing more (%s); holding in memory", error)
                return False
        return False

    def _drop(self, count: int) -> int:
        """Delete the `count` oldest droppable messages on disk; returns how many went."""
        if count <= 0:
            return 0
        seqs = self._queue.drop_oldest(count)
        self._on_drop(seqs)
        self._queue.counters.dropped += len(seqs)
        return len(seqs)

    def _make_room(self, *, first: bool) -> bool:
        """Free disk space: first settle into what the disk holds, then drop telemetry."""
        if first:
            self._hold_size()
            return True
        before = self.dropped
        error = self._queue.write(lambda: self._drop(_ROOM_BATCH))
        if error is not None:
            self._said.warn("free", "outbox cannot free space: %s", error)
            return False
        if self.dropped > before:
            self._said.warn(
                "dropped", "disk full: dropped the %d oldest telemetry", self.dropped - before
            )
        return self.dropped > before

    def _hold(self, item: Pending) -> None:
        """Keep a message in memory until the disk takes it again."""
        self._memory.append(item)
        if len(self._memory) > self._memory_capacity:
            victim = next((m for m in self._memory if m.kind == UplinkKind.TELEMETRY), None)
            if victim is not None:
                self._memory.remove(victim)
                self._on_drop([victim.seq])
                self._queue.counters.dropped += 1
        self._queue.save_counters()  # seqs stay unique even if the disk takes nothing else

    # -- taking out ----------------------------------------------------------------------
    def release(self, ids: Iterable[str]) -> list[int]:
        """Take the messages with these ids out of memory; returns their seqs."""
        wanted = set(ids)
        seqs = [m.seq for m in self._memory if m.id in wanted]
        self._memory = [m for m in self._memory if m.id not in wanted]
        return seqs

    def purge(self, keep: Callable[[Pending], bool]) -> int:
        """Take the messages `keep` rejects out of memory; returns how many."""
        held = len(self._memory)
        self._memory = [m for m in self._memory if keep(m)]
        return held - len(self._memory)

    def catch_up(self) -> None:
        """Delete what the queue forgot and store what waits in memory, if the disk lets us."""
        doomed = self._queue.forgotten
        if doomed and not self._delete(doomed):
            # in small steps, each of which fits the log of a full disk
            for start in range(0, len(doomed), WAL_PAGES):
                if not self._delete(doomed[start : start + WAL_PAGES]):
                    break
        while self._memory and self._store(self._memory[0]):
            self._memory.pop(0)
        if not self._memory:
            self._refill_reserve()

    def _delete(self, seqs: list[int]) -> bool:
        error = self._queue.delete(seqs)
        if error is not None and out_of_space(error):
            self._hold_size()  # a deletion needs room in the log, too
            error = self._queue.delete(seqs)
        return error is None

    # -- the disk ------------------------------------------------------------------------
    def _hold_size(self) -> None:
        """The disk is full: give back the reserve, then the queue grows no more.

        Nothing to do when the disk has room: the limit hit was `max_bytes`.
        """
        with suppress(OSError):
            if self._free(self._reserve.parent) >= RESERVE_BYTES:
                return
            self._reserve.unlink(missing_ok=True)
        self._queue.stop_growing()

    def _refill_reserve(self) -> None:
        """Take the reserve back, and let the queue grow, once the disk has room again."""
        if self._reserve.exists():
            return
        try:
            if self._free(self._reserve.parent) < 3 * RESERVE_BYTES:
                return
            with self._reserve.open("wb") as f:
                f.write(bytes(RESERVE_BYTES))  # real blocks, not a sparse file
                f.flush()
                os.fsync(f.fileno())
            self._queue.grow_again()
        except (OSError, sqlite3.Error) as exc:
            log.warning("outbox cannot set disk space aside: %s", exc)
            with suppress(OSError):
                self._reserve.unlink(missing_ok=True)

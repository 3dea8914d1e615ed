"""A bounded, durable queue of uplink messages (SQLite, fsync on every commit).

Messages stay until the cloud acknowledges that it stored them, so a kill -9, a reboot or
a broker crash loses nothing. Each message gets the device's next sequence number when it
is added.

The outbox keeps within two bounds: `capacity` messages and, when set, `max_bytes` on disk
(SQLite's page limit, which fails a write with the same SQLITE_FULL error as a full disk).
Past either, and when the disk itself is full, the oldest telemetry is dropped (when none
is left, status reports but the newest, which carries the drop count), and counted. Events, alerts
and command acks are never dropped. A full disk stays workable because SQLite's log is kept
small and the outbox sets some space aside, which it gives back when the disk fills before
it stops growing (see `_hold_size`). When the disk cannot take even alerts, messages wait
in a small in-memory queue (still sent, still acknowledged) and move to disk when space
returns. Adding a message never raises for lack of space, so a full disk never stops the
sensors.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from common.errors import ContinuoError, InvalidMessageError
from common.messages import Uplink, decode_uplink, encode, kind_of
from common.topics import UplinkKind

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('next_seq', 1), ('dropped', 0);
"""
# Telemetry, oldest first; then status reports that a newer one supersedes.
_DROPPABLE = """
SELECT seq FROM outbox WHERE kind = 'telemetry'
   OR (kind = 'status' AND seq < (SELECT max(seq) FROM outbox WHERE kind = 'status'))
ORDER BY kind = 'status', seq LIMIT ?
"""
_ROOM_BATCH = 32  # rows freed per attempt on a full disk: a few pages, not one row
_ROOM_TRIES = 8
_WAL_PAGES = 64
# Disk space the outbox keeps for itself and gives up when the disk is full, so SQLite can
# still checkpoint its log and delete telemetry: deleting needs room to write, too.
RESERVE_BYTES = 512 * 1024
_NO_PAGE_CAP = 2**31 - 2
_NO_SPACE = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR}


class OutboxError(ContinuoError):
    """The outbox's database cannot be opened or read."""


def _out_of_space(exc: Exception) -> bool:
    if isinstance(exc, OSError):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _NO_SPACE
    return "full" in str(exc) or "disk I/O" in str(exc)


@dataclass(frozen=True, slots=True)
class Pending:
    """A message waiting for the cloud's acknowledgement.

    Attributes:
        sent_at: When it was last handed to the broker in this connection (None: not yet).
        sends: How many times it was, in this connection.
    """

    seq: int
    id: str
    kind: str
    payload: bytes
    sent_at: float | None = None
    sends: int = 0


@dataclass(frozen=True, slots=True)
class Delivered:
    """An acknowledged message, with when it was last sent and how many times."""

    seq: int
    sent_at: float | None
    sends: int


class Outbox:
    """The agent's durable queue; one instance per database file, one writer."""

    def __init__(
        self,
        path: Path,
        *,
        capacity: int,
        max_bytes: int | None = None,
        memory_capacity: int = 1000,
        connection: type[sqlite3.Connection] = sqlite3.Connection,
    ) -> None:
        """Open (or create) the outbox at `path`.

        Args:
            path: The SQLite file.
            capacity: Most messages kept on disk before telemetry is dropped.
            max_bytes: Most bytes the database file may grow to (None: the disk's size).
            memory_capacity: Most messages held in memory while the disk takes nothing;
                past it, telemetry is dropped there too (alerts and events never are).
            connection: The SQLite connection class (a test seam for a failing disk).

        Raises:
            OutboxError: The database cannot be opened.
        """
        self.capacity = capacity
        self._memory_capacity = memory_capacity
        self._memory: list[Pending] = []  # in seq order
        self._sent: dict[int, tuple[float, int]] = {}  # seq -> (last sent, sends)
        self._forgotten: set[int] = set()  # acknowledged or purged, not yet deleted on disk
        self._reserve = path.with_name(f"{path.name}-reserve")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, factory=connection)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # A small write-ahead log, checkpointed often and cut back after: on a small
            # disk SQLite's default (4 MB before a checkpoint) fills it on its own.
            self._db.execute(f"PRAGMA wal_autocheckpoint = {_WAL_PAGES}")
            page = int(self._db.execute("PRAGMA page_size").fetchone()[0])
            self._db.execute(f"PRAGMA journal_size_limit = {_WAL_PAGES * page}")
            self._page_cap = _NO_PAGE_CAP if max_bytes is None else max(1, max_bytes // page)
            self._capped = False  # held to its size because the disk filled up
            self._db.execute(f"PRAGMA max_page_count = {self._page_cap}")
            self._db.executescript(_SCHEMA)
            self._next_seq = self._meta("next_seq")
            self._dropped = self._meta("dropped")
            self._refill_reserve()
        except (sqlite3.Error, OSError) as exc:
            raise OutboxError(f"cannot open the outbox {path}: {exc}") from exc

    def close(self) -> None:
        """Close the database (messages held only in memory are lost)."""
        self._db.close()

    def _meta(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise OutboxError(f"outbox database failed: {exc}") from exc

    def _save_counters(self) -> None:
        self._db.execute(
            "UPDATE meta SET value = CASE key WHEN 'next_seq' THEN ? ELSE ? END",
            (self._next_seq, self._dropped),
        )

    # -- adding --------------------------------------------------------------------------
    def add(self, build: Callable[[int], Uplink]) -> Uplink:
        """Give `build` the next sequence number and store the message it returns.

        Never fails for lack of space: see the module's docstring.
        """
        self._catch_up()
        seq = self._next_seq
        message = build(seq)
        self._next_seq = seq + 1
        item = Pending(seq, message.id, kind_of(message).value, encode(message))
        if not self._store(item):
            self._hold(item)
        return message

    def _write(self, change: Callable[[], object]) -> Exception | None:
        """Apply `change` and the counters in one transaction; the error if it failed."""
        dropped = self._dropped
        try:
            with self._transaction():
                change()
                self._save_counters()
        except (sqlite3.Error, OSError) as exc:
            self._dropped = dropped  # rolled back with the rest
            return exc
        return None

    def _store(self, item: Pending) -> bool:
        """Write one message, making room for it if the disk is full; False if it cannot."""

        def insert() -> None:
            self._db.execute(
                "INSERT INTO outbox (seq, id, kind, payload) VALUES (?, ?, ?, ?)",
                (item.seq, item.id, item.kind, item.payload),
            )
            self._drop(self._on_disk() - len(self._forgotten) - self.capacity)

        for attempt in range(_ROOM_TRIES):
            error = self._write(insert)
            if error is None:
                return True
            if not _out_of_space(error) or not self._make_room(first=attempt == 0):
                if not self._memory:  # once as the disk fills, not for every message
                    log.warning("outbox: disk takes nothing more (%s); holding in memory", error)
                return False
        return False

    def _drop(self, count: int) -> int:
        """Delete the `count` oldest droppable messages on disk; returns how many went."""
        if count <= 0:
            return 0
        seqs = [r[0] for r in self._db.execute(_DROPPABLE, (count,)).fetchall()]
        self._db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])
        for seq in seqs:
            self._sent.pop(seq, None)
        self._dropped += len(seqs)
        return len(seqs)

    def _make_room(self, *, first: bool) -> bool:
        """Free disk space: first settle into what the disk holds, then drop telemetry."""
        if first:
            self._hold_size()
            return True
        before = self._dropped
        error = self._write(lambda: self._drop(_ROOM_BATCH))
        if error is not None:
            log.warning("outbox cannot free space: %s", error)
            return False
        if self._dropped > before:
            log.warning("disk full: dropped the %d oldest telemetry", self._dropped - before)
        return self._dropped > before

    def _hold(self, item: Pending) -> None:
        """Keep a message in memory until the disk takes it again."""
        self._memory.append(item)
        if len(self._memory) > self._memory_capacity:
            victim = next((m for m in self._memory if m.kind == UplinkKind.TELEMETRY), None)
            if victim is not None:
                self._memory.remove(victim)
                self._sent.pop(victim.seq, None)
                self._dropped += 1
        with suppress(sqlite3.Error):  # an in-place update often still fits: seqs stay unique
            self._save_counters()

    def _catch_up(self) -> None:
        """Delete what was acknowledged and store what waits in memory, if the disk lets us."""
        doomed = sorted(self._forgotten)
        if doomed and self._delete(doomed):
            self._forgotten.clear()
        elif doomed:  # in small steps, each of which fits the log of a full disk
            for start in range(0, len(doomed), _WAL_PAGES):
                chunk = doomed[start : start + _WAL_PAGES]
                if not self._delete(chunk):
                    break
                self._forgotten.difference_update(chunk)
        while self._memory and self._store(self._memory[0]):
            self._memory.pop(0)
        if not self._memory:
            self._refill_reserve()

    def _delete(self, seqs: list[int]) -> bool:
        """Delete acknowledged messages, without waiting for the disk.

        A deletion lost to a power cut only sends a message again (the cloud knows it by its
        id), and the next stored message's commit makes it durable anyway; a process crash
        loses nothing. So acks, which come in thousands while a backlog drains, cost no fsync.
        """
        change = partial(
            self._db.executemany, "DELETE FROM outbox WHERE seq = ?", [(seq,) for seq in seqs]
        )
        self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            error = self._write(change)
            if error is not None and _out_of_space(error):
                self._hold_size()  # a deletion needs room in the log, too
                error = self._write(change)
        finally:
            self._db.execute("PRAGMA synchronous=FULL")
        return error is None

    def _hold_size(self) -> None:
        """The disk is full: give back the reserve, fold the log in and grow no more.

        From here on, new messages take the pages of dropped ones, and the log only ever
        rewrites pages the file has, so the outbox keeps working on a full disk. Nothing
        to do when the disk has room: the limit hit was `max_bytes`.
        """
        with suppress(OSError):
            if shutil.disk_usage(self._reserve.parent).free >= RESERVE_BYTES:
                return
            self._reserve.unlink(missing_ok=True)
        with suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with suppress(sqlite3.Error):
            pages = int(self._db.execute("PRAGMA page_count").fetchone()[0])
            self._db.execute(f"PRAGMA max_page_count = {min(pages, self._page_cap)}")
            self._capped = True

    def _refill_reserve(self) -> None:
        """Take the reserve back, and let the outbox grow, once the disk has room again."""
        if self._reserve.exists():
            return
        try:
            if shutil.disk_usage(self._reserve.parent).free < 3 * RESERVE_BYTES:
                return
            with self._reserve.open("wb") as f:
                f.write(bytes(RESERVE_BYTES))  # real blocks, not a sparse file
                f.flush()
                os.fsync(f.fileno())
            if self._capped:
                self._db.execute(f"PRAGMA max_page_count = {self._page_cap}")
                self._capped = False
        except (OSError, sqlite3.Error) as exc:
            log.warning("outbox cannot set disk space aside: %s", exc)
            with suppress(OSError):
                self._reserve.unlink(missing_ok=True)

    # -- sending -------------------------------------------------------------------------
    def head(self, limit: int) -> list[Pending]:
        """The `limit` oldest messages held, on disk or in memory, in order.

        Raises:
            OutboxError: The database cannot be read.
        """
        with self._reading():
            rows = self._db.execute(
                "SELECT seq, id, kind, payload FROM outbox ORDER BY seq LIMIT ?",
                (limit + len(self._forgotten),),
            ).fetchall()
        on_disk = [
            Pending(r[0], r[1], r[2], bytes(r[3])) for r in rows if r[0] not in self._forgotten
        ]
        held = sorted(on_disk + self._memory[:limit], key=lambda p: p.seq)[:limit]
        marked = []
        for item in held:
            sent_at, sends = self._sent.get(item.seq, (None, 0))
            marked.append(replace(item, sent_at=sent_at, sends=sends))
        return marked

    def pending(self, *, window: int, now: float, resend_after_s: float) -> list[Pending]:
        """Messages to (re)send now, in order.

        Of the first `window` messages held, those never sent in this connection and those
        last sent at or before `now - resend_after_s`.
        """
        return [
            p for p in self.head(window) if p.sent_at is None or p.sent_at <= now - resend_after_s
        ]

    def mark_sent(self, seqs: Iterable[int], *, now: float) -> None:
        """Record that these messages were handed to the broker at `now`."""
        for seq in seqs:
            self._sent[seq] = (now, self._sent.get(seq, (now, 0))[1] + 1)

    def reset_sent(self) -> None:
        """Mark everything unsent, so a new connection resends it all in order."""
        self._sent.clear()

    def acknowledge(self, ids: Iterable[str]) -> list[Delivered]:
        """Forget messages the cloud has stored; returns those that were still held.

        If the disk cannot even take the deletion, they are forgotten in memory (never sent
        again) and deleted when it can.

        Raises:
            OutboxError: The database cannot be read.
        """
        wanted = set(ids)
        seqs = [m.seq for m in self._memory if m.id in wanted]
        self._memory = [m for m in self._memory if m.id not in wanted]
        if wanted:
            marks = ",".join("?" * len(wanted))
            with self._reading():
                rows = self._db.execute(
                    f"SELECT seq FROM outbox WHERE id IN ({marks})",  # noqa: S608
                    tuple(wanted),
                ).fetchall()
            on_disk = [r[0] for r in rows if r[0] not in self._forgotten]
            self._forgotten.update(on_disk)
            seqs += on_disk
        delivered = []
        for seq in sorted(seqs):
            sent_at, sends = self._sent.pop(seq, (None, 0))
            delivered.append(Delivered(seq, sent_at, sends))
        self._catch_up()
        return delivered

    def purge(self, unwanted: Callable[[Uplink], bool]) -> int:
        """Delete held messages the customer no longer lets us send (consent withdrawn).

        Raises:
            OutboxError: The database cannot be read.
        """

        def keep(kind: str, payload: bytes) -> bool:
            try:
                message = decode_uplink(payload, kind=UplinkKind(kind))
            except (InvalidMessageError, ValueError):
                return True
            return not unwanted(message)

        held = len(self._memory)
        self._memory = [m for m in self._memory if keep(m.kind, m.payload)]
        with self._reading():
            rows = self._db.execute("SELECT seq, kind, payload FROM outbox").fetchall()
        doomed = {seq for seq, kind, payload in rows if not keep(kind, bytes(payload))}
        doomed -= self._forgotten
        self._forgotten |= doomed
        self._catch_up()
        return len(doomed) + held - len(self._memory)

    # -- state ---------------------------------------------------------------------------
    def high_water(self) -> int:
        """The highest sequence number assigned so far (0 before the first)."""
        return self._next_seq - 1

    @property
    def dropped(self) -> int:
        """How many messages were dropped for lack of room (capacity or disk), ever."""
        return self._dropped

    @property
    def in_memory(self) -> int:
        """How many messages wait in memory because the disk would not take them."""
        return len(self._memory)

    def _on_disk(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def __len__(self) -> int:
        """Messages held, on disk and in memory."""
        with self._reading():
            return self._on_disk() - len(self._forgotten) + len(self._memory)

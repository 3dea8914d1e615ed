"""The outbox's durable FIFO: messages by sequence number in SQLite, fsync on every commit.

The database is in WAL mode with `synchronous=FULL`: once `write` returns None, what it
wrote survives kill -9 and a power cut. The device's two counters (the next sequence
number and how many messages were ever dropped) live in the same file and are written in
every transaction, so they commit with the messages they count.

The queue knows nothing of budgets: it stores, hands out the oldest, forgets what was
acknowledged and deletes it. `edge.outbox.budget` decides what to drop and when to stop
growing; errors of a write come back to it as values, as a full disk is routine there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from common.errors import ContinuoError
from edge.outbox.items import Pending

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
WAL_PAGES = 64  # the log is checkpointed at this many pages and cut back to them after
_NO_PAGE_CAP = 2**31 - 2

T = TypeVar("T")


class OutboxError(ContinuoError):
    """The outbox's database cannot be opened or read."""


@dataclass(slots=True)
class Counters:
    """The device's counters, stored with the messages.

    Attributes:
        next_seq: The sequence number the next message gets.
        dropped: How many messages were ever dropped for lack of room.
    """

    next_seq: int
    dropped: int


class DurableQueue:
    """Messages in sequence order in one SQLite file; one instance per file, one writer."""

    def __init__(
        self,
        path: Path,
        *,
        max_bytes: int | None = None,
        connection: type[sqlite3.Connection] = sqlite3.Connection,
    ) -> None:
        """Open (or create) the queue at `path`.

        Args:
            path: The SQLite file.
            max_bytes: Most bytes the file may grow to (None: as much as the disk has);
                past it, writes fail with SQLITE_FULL, as on a full disk.
            connection: The SQLite connection class (a test seam for a failing disk).

        Raises:
            OutboxError: The database cannot be opened.
        """
        self.path = path
        self._forgotten: set[int] = set()  # acknowledged or purged, not yet deleted
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, factory=connection)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # A small write-ahead log, checkpointed often and cut back after: on a small
            # disk SQLite's default (4 MB before a checkpoint) fills it on its own.
            self._db.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
            page = int(self._db.execute("PRAGMA page_size").fetchone()[0])
            self._db.execute(f"PRAGMA journal_size_limit = {WAL_PAGES * page}")
            self._page_cap = _NO_PAGE_CAP if max_bytes is None else max(1, max_bytes // page)
            self._capped = False  # held to its size by `stop_growing`
            self._db.execute(f"PRAGMA max_page_count = {self._page_cap}")
            self._db.executescript(_SCHEMA)
            self.counters = Counters(self._meta("next_seq"), self._meta("dropped"))
        except (sqlite3.Error, OSError) as exc:
            raise OutboxError(f"cannot open the outbox {path}: {exc}") from exc

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _meta(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0])

    # -- numbering -----------------------------------------------------------------------
    def numbered(self, build: Callable[[int], T]) -> tuple[int, T]:
        """Give `build` the next sequence number; it is used up only if `build` returns.

        The number is saved with the next `write` (or `save_counters`), so it is never
        given twice to messages that were stored.

        Returns:
            The number and what `build` made with it.
        """
        seq = self.counters.next_seq
        made = build(seq)
        self.counters.next_seq = seq + 1
        return seq, made

    @property
    def high_water(self) -> int:
        """The highest sequence number given out so far (0 before the first)."""
        return self.counters.next_seq - 1

    # -- writing -------------------------------------------------------------------------
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

    def _save(self) -> None:
        self._db.execute(
            "UPDATE meta SET value = CASE key WHEN 'next_seq' THEN ? ELSE ? END",
            (self.counters.next_seq, self.counters.dropped),
        )

    def write(self, change: Callable[[], object]) -> Exception | None:
        """Apply `change` and the counters in one durable transaction.

        Returns:
            None once committed; else the error, with the database and the counters as
            they were before (a full disk is an answer here, not an exception).
        """
        before = replace(self.counters)
        try:
            with self._transaction():
                change()
                self._save()
        except (sqlite3.Error, OSError) as exc:
            self.counters.next_seq, self.counters.dropped = before.next_seq, before.dropped
            return exc
        return None

    def save_counters(self) -> None:
        """Save the counters on their own, if the disk lets us (an in-place update often fits)."""
        with suppress(sqlite3.Error):
            self._save()

    def insert(self, item: Pending) -> None:
        """Add one message (inside `write`)."""
        self._db.execute(
            "INSERT INTO outbox (seq, id, kind, payload) VALUES (?, ?, ?, ?)",
            (item.seq, item.id, item.kind, item.payload),
        )

    def drop_oldest(self, count: int) -> list[int]:
        """Delete the `count` oldest droppable messages (inside `write`); returns their seqs.

        Droppable are telemetry, oldest first, then status reports a newer one supersedes;
        events, alerts and command acks never are.
        """
        seqs = [r[0] for r in self._db.execute(_DROPPABLE, (count,)).fetchall()]
        self._db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])
        return seqs

    def count(self) -> int:
        """Messages held, acknowledged ones not counted (inside `write`: errors are raw)."""
        on_disk = int(self._db.execute("SELECT count(*) FROM outbox").fetchone()[0])
        return on_disk - len(self._forgotten)

    # -- reading -------------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise OutboxError(f"outbox database failed: {exc}") from exc

    def head(self, limit: int) -> list[Pending]:
        """The `limit` oldest messages held, in order (not yet marked as sent).

        Raises:
            OutboxError: The database cannot be read.
        """
        with self._reading():
            rows = self._db.execute(
                "SELECT seq, id, kind, payload FROM outbox ORDER BY seq LIMIT ?",
                (limit + len(self._forgotten),),
            ).fetchall()
        return [Pending(r[0], r[1], r[2], bytes(r[3])) for r in rows if r[0] not in self._forgotten]

    def __len__(self) -> int:
        """Messages held, acknowledged ones not counted.

        Raises:
            OutboxError: The database cannot be read.
        """
        with self._reading():
            return self.count()

    # -- forgetting and deleting -----------------------------------------------------------
    def forget(self, ids: set[str]) -> list[int]:
        """Stop handing out the messages with these ids; returns the seqs of those held.

        They are deleted by `delete`, which a full disk may put off: until then they stay
        in the file but are neither counted nor sent.

        Raises:
            OutboxError: The database cannot be read.
        """
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self._reading():
            rows = self._db.execute(
                f"SELECT seq FROM outbox WHERE id IN ({marks})",  # noqa: S608
                tuple(ids),
            ).fetchall()
        seqs = [r[0] for r in rows if r[0] not in self._forgotten]
        self._forgotten.update(seqs)
        return seqs

    def forget_where(self, unwanted: Callable[[str, bytes], bool]) -> int:
        """Stop handing out the messages `unwanted(kind, payload)` picks; returns how many.

        Raises:
            OutboxError: The database cannot be read.
        """
        with self._reading():
            rows = self._db.execute("SELECT seq, kind, payload FROM outbox").fetchall()
        doomed = {seq for seq, kind, payload in rows if unwanted(kind, bytes(payload))}
        doomed -= self._forgotten
        self._forgotten |= doomed
        return len(doomed)

    @property
    def forgotten(self) -> list[int]:
        """The seqs forgotten and not yet deleted, in order."""
        return sorted(self._forgotten)

    def delete(self, seqs: Iterable[int]) -> Exception | None:
        """Delete forgotten messages for good, without waiting for the disk.

        A deletion lost to a power cut only sends a message again (the cloud knows it by its
        id), and the next stored message's commit makes it durable anyway; a process crash
        loses nothing. So acks, which come in thousands while a backlog drains, cost no fsync.

        Returns:
            None once deleted; else the error (they stay forgotten, to delete later).
        """
        gone = list(seqs)
        change = partial(
            self._db.executemany, "DELETE FROM outbox WHERE seq = ?", [(seq,) for seq in gone]
        )
        self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            error = self.write(change)
        finally:
            self._db.execute("PRAGMA synchronous=FULL")
        if error is None:
            self._forgotten.difference_update(gone)
        return error

    # -- the file's size -----------------------------------------------------------------
    def stop_growing(self) -> None:
        """Fold the log into the file and let the file grow no more.

        From here on, new messages take the pages of dropped ones, and the log only ever
        rewrites pages the file has, so the queue keeps working on a full disk. Best
        effort: each step that fails is left undone.
        """
        with suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with suppress(sqlite3.Error):
            pages = int(self._db.execute("PRAGMA page_count").fetchone()[0])
            self._db.execute(f"PRAGMA max_page_count = {min(pages, self._page_cap)}")
            self._capped = True

    def grow_again(self) -> None:
        """Let the file grow up to `max_bytes` again, after `stop_growing`.

        Raises:
            sqlite3.Error: The limit cannot be changed.
        """
        if self._capped:
            self._db.execute(f"PRAGMA max_page_count = {self._page_cap}")
            self._capped = False

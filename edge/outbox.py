"""A bounded, durable queue of uplink messages (SQLite, fsync on every commit).

Messages stay until the cloud acknowledges that it stored them, so a kill -9, a reboot or
a broker crash loses nothing. Each message gets the device's next sequence number when it
is added. When the outbox is full the oldest droppable messages (telemetry and status,
never events or alerts) are dropped, and counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from common.errors import InvalidMessageError
from common.messages import DROPPABLE_KINDS, Uplink, decode_uplink, encode, kind_of
from common.topics import UplinkKind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload BLOB NOT NULL,
    sent_at REAL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('next_seq', 1), ('dropped', 0);
"""


@dataclass(frozen=True, slots=True)
class Pending:
    """A message waiting for the cloud's acknowledgement."""

    seq: int
    id: str
    kind: str
    payload: bytes


class Outbox:
    """The agent's durable queue; one instance per database file, one writer."""

    def __init__(self, path: Path, *, capacity: int) -> None:
        """Open (or create) the outbox at `path`, holding at most `capacity` messages."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self.capacity = capacity

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _meta(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0])

    def add(self, build: Callable[[int], Uplink]) -> Uplink:
        """Give `build` the next sequence number and store the message it returns."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            seq = self._meta("next_seq")
            message = build(seq)
            kind = kind_of(message)
            self._db.execute(
                "INSERT INTO outbox (seq, id, kind, payload) VALUES (?, ?, ?, ?)",
                (seq, message.id, kind.value, encode(message)),
            )
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'next_seq'", (seq + 1,))
            self._enforce_capacity()
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return message

    def _enforce_capacity(self) -> None:
        excess = len(self) - self.capacity
        if excess <= 0:
            return
        kinds = sorted(k.value for k in DROPPABLE_KINDS)
        marks = ",".join("?" * len(kinds))
        cursor = self._db.execute(
            f"DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE kind IN ({marks}) "  # noqa: S608
            "ORDER BY seq LIMIT ?)",
            (*kinds, excess),
        )
        self._db.execute(
            "UPDATE meta SET value = value + ? WHERE key = 'dropped'", (cursor.rowcount,)
        )

    def pending(self, *, window: int, now: float, resend_after_s: float) -> list[Pending]:
        """Messages to (re)send now: within the first `window` unacknowledged, in order."""
        rows = self._db.execute(
            "SELECT seq, id, kind, payload, sent_at FROM outbox ORDER BY seq LIMIT ?",
            (window,),
        ).fetchall()
        return [
            Pending(r[0], r[1], r[2], bytes(r[3]))
            for r in rows
            if r[4] is None or r[4] <= now - resend_after_s
        ]

    def mark_sent(self, seqs: Iterable[int], *, now: float) -> None:
        """Record that these messages were handed to the broker at `now`."""
        self._db.executemany(
            "UPDATE outbox SET sent_at = ? WHERE seq = ?", [(now, s) for s in seqs]
        )

    def acknowledge(self, ids: Iterable[str]) -> int:
        """Forget messages the cloud has stored; returns how many were still held."""
        cursor = self._db.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in ids])
        return cursor.rowcount

    def purge(self, unwanted: Callable[[Uplink], bool]) -> int:
        """Delete held messages the customer no longer lets us send (consent withdrawn)."""
        doomed = []
        for seq, kind, payload in self._db.execute("SELECT seq, kind, payload FROM outbox"):
            try:
                message = decode_uplink(bytes(payload), kind=UplinkKind(kind))
            except (InvalidMessageError, ValueError):
                continue
            if unwanted(message):
                doomed.append((seq,))
        self._db.executemany("DELETE FROM outbox WHERE seq = ?", doomed)
        return len(doomed)

    def reset_sent(self) -> None:
        """Mark everything unsent, so a new connection resends it all in order."""
        self._db.execute("UPDATE outbox SET sent_at = NULL")

    def high_water(self) -> int:
        """The highest sequence number assigned so far (0 before the first)."""
        return self._meta("next_seq") - 1

    @property
    def dropped(self) -> int:
        """How many messages were dropped because the outbox was full, ever."""
        return self._meta("dropped")

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM outbox").fetchone()[0])

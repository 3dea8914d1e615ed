"""A bounded, durable queue of uplink messages (SQLite, fsync on every commit).

Messages stay until the cloud acknowledges that it stored them, so a kill -9, a reboot or
a broker crash loses nothing. Each message gets the device's next sequence number when it
is added. Adding a message never raises for lack of space, so a full disk never stops the
sensors.

`Outbox` is the agent's one view of it, made of three parts, each usable on its own:

- `queue.DurableQueue`: the SQLite FIFO (WAL, `synchronous=FULL`), sequence numbers and
  the counters, what is held in order, what was acknowledged and deleted;
- `budget.StorageBudget`: the bounds (`capacity`, `max_bytes`, a full disk), dropping the
  oldest telemetry, the reserve and the in-memory hold while the disk takes nothing;
- `resend.SendLog`: when each held message was last sent in this connection, how often,
  and which are due to go again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from common.errors import InvalidMessageError
from common.messages import Uplink, decode_uplink, encode, kind_of
from common.topics import UplinkKind
from edge.outbox.budget import RESERVE_BYTES, StorageBudget
from edge.outbox.items import Delivered, Pending
from edge.outbox.queue import DurableQueue, OutboxError
from edge.outbox.resend import SendLog

__all__ = ["RESERVE_BYTES", "Delivered", "Outbox", "OutboxError", "Pending"]


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
        self._queue = DurableQueue(path, max_bytes=max_bytes, connection=connection)
        self._sends = SendLog()
        try:
            self._budget = StorageBudget(
                self._queue,
                capacity=capacity,
                memory_capacity=memory_capacity,
                reserve=path.with_name(f"{path.name}-reserve"),
                on_drop=self._sends.forget,
            )
        except OSError as exc:
            raise OutboxError(f"cannot open the outbox {path}: {exc}") from exc

    def close(self) -> None:
        """Close the database (messages held only in memory are lost)."""
        self._queue.close()

    @property
    def capacity(self) -> int:
        """Most messages kept on disk before telemetry is dropped."""
        return self._budget.capacity

    def add(self, build: Callable[[int], Uplink]) -> Uplink:
        """Give `build` the next sequence number and store the message it returns.

        Never fails for lack of space: see the module's docstring.
        """
        self._budget.catch_up()
        seq, message = self._queue.numbered(build)
        self._budget.add(Pending(seq, message.id, kind_of(message).value, encode(message)))
        return message

    # -- sending -------------------------------------------------------------------------
    def _held(self, limit: int) -> list[Pending]:
        on_disk = self._queue.head(limit)
        return sorted(on_disk + self._budget.held(limit), key=lambda p: p.seq)[:limit]

    def head(self, limit: int) -> list[Pending]:
        """The `limit` oldest messages held, on disk or in memory, in order.

        Raises:
            OutboxError: The database cannot be read.
        """
        return self._sends.annotate(self._held(limit))

    def pending(self, *, window: int, now: float, resend_after_s: float) -> list[Pending]:
        """Messages to (re)send now, in order.

        Of the first `window` messages held, those never sent in this connection and those
        last sent at or before `now - resend_after_s`.
        """
        return self._sends.due(self._held(window), now=now, resend_after_s=resend_after_s)

    def mark_sent(self, seqs: Iterable[int], *, now: float) -> None:
        """Record that these messages were handed to the broker at `now`."""
        self._sends.mark(seqs, now=now)

    def reset_sent(self) -> None:
        """Mark everything unsent, so a new connection resends it all in order."""
        self._sends.reset()

    def acknowledge(self, ids: Iterable[str]) -> list[Delivered]:
        """Forget messages the cloud has stored; returns those that were still held.

        If the disk cannot even take the deletion, they are forgotten in memory (never sent
        again) and deleted when it can.

        Raises:
            OutboxError: The database cannot be read.
        """
        wanted = set(ids)
        seqs = self._budget.release(wanted) + self._queue.forget(wanted)
        delivered = self._sends.delivered(seqs)
        self._budget.catch_up()
        return delivered

    def purge(self, unwanted: Callable[[Uplink], bool]) -> int:
        """Delete held messages the customer no longer lets us send (consent withdrawn).

        Raises:
            OutboxError: The database cannot be read.
        """

        def drop(kind: str, payload: bytes) -> bool:
            try:
                message = decode_uplink(payload, kind=UplinkKind(kind))
            except (InvalidMessageError, ValueError):
                return False
            return unwanted(message)

        purged = self._budget.purge(lambda m: not drop(m.kind, m.payload))
        purged += self._queue.forget_where(drop)
        self._budget.catch_up()
        return purged

    # -- state ---------------------------------------------------------------------------
    def high_water(self) -> int:
        """The highest sequence number assigned so far (0 before the first)."""
        return self._queue.high_water

    @property
    def dropped(self) -> int:
        """How many messages were dropped for lack of room (capacity or disk), ever."""
        return self._budget.dropped

    @property
    def in_memory(self) -> int:
        """How many messages wait in memory because the disk would not take them."""
        return self._budget.in_memory

    def __len__(self) -> int:
        """Messages held, on disk and in memory."""
        return len(self._queue) + self._budget.in_memory

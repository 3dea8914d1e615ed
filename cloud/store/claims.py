"""Periodic work done once per period across workers, whichever worker asks first.

Every worker runs the same sweep on the same period boundaries; on PostgreSQL each asks for
the period with a session-level advisory lock, `pg_try_advisory_lock(key, period)`, on a
connection of its own, and holds it until it claims a later period. A worker that asks for a
period someone else holds is told no and skips that round; one that dies releases its claim
with its session. SQLite has one worker, which always gets the claim.
"""

from __future__ import annotations

import logging
import zlib

import asyncpg

from cloud.store.db import dialect, postgres_dsn

log = logging.getLogger(__name__)
_PERIODS = 2**31  # periods are numbered modulo this (the lock's second int4)
_TIMEOUT_S = 10.0  # a half-open connection must not stall the sweep
_TRY = "SELECT pg_try_advisory_lock($1, $2)"
_UNLOCK = "SELECT pg_advisory_unlock($1, $2)"


class Periods:
    """Claims of one kind of periodic work (`name`), one period at a time."""

    def __init__(self, database_url: str, name: str) -> None:
        """Claims for `name` on the database at `database_url`."""
        self._postgres = dialect(database_url) == "postgres"
        self._url = postgres_dsn(database_url)
        self._key = zlib.crc32(name.encode()) - 2**31  # an int4, the same in every worker
        self._conn: asyncpg.Connection | None = None
        self._held: int | None = None
        self._last = -1  # the latest period asked for: each is asked once
        self._granted = -1  # the latest period this worker got: asked again, still its own

    async def claim(self, period: int) -> bool:
        """Whether this worker does `period`'s work (True if the claim cannot be asked).

        A claim that cannot be asked (PostgreSQL unreachable) counts as granted: the work is
        idempotent, so two workers doing it is only waste, and no worker doing it is worse.
        """
        if period == self._granted:  # a failed round tried again: the period is still ours
            return True
        if period <= self._last:  # asked already (a clock that stepped back): once is enough
            return False
        self._last = period
        if not self._postgres:
            self._granted = period
            return True
        asked, period = period, period % _PERIODS
        try:
            conn = await self._connection()
            got = bool(await conn.fetchval(_TRY, self._key, period, timeout=_TIMEOUT_S))
            if got and self._held is not None and self._held != period:
                await conn.execute(_UNLOCK, self._key, self._held, timeout=_TIMEOUT_S)
            if got:
                self._held = period
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("cannot claim period %d (%s); doing its work anyway", period, exc)
            await self.close()
            got = True
        if got:
            self._granted = asked
        return got

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            self._conn, self._held = await asyncpg.connect(self._url, timeout=_TIMEOUT_S), None
        return self._conn

    async def close(self) -> None:
        """Give up the claim held (closing its session releases it)."""
        conn, self._conn, self._held = self._conn, None, None
        if conn is not None and not conn.is_closed():
            try:
                await conn.close(timeout=2)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
                conn.terminate()

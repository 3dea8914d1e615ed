"""A change feed for the live dashboard, stored in the database so every worker sees it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Iterable

import asyncpg
from tortoise import connections
from tortoise.exceptions import BaseORMException

from cloud.store.db import dialect, postgres_dsn
from cloud.store.models import ChangeEvent
from cloud.terms import Topic
from common.clock import Clock, SystemClock, utc

log = logging.getLogger(__name__)


CHANNEL = "continuo_changes"  # PostgreSQL's LISTEN/NOTIFY channel between workers
_RETRY_S = 5.0


class ChangeFeed:
    """Writes change events and wakes every worker's listeners at once.

    A worker's own changes wake its streams directly. On PostgreSQL each write also sends
    `NOTIFY continuo_changes` (delivered when its transaction commits) and every worker
    LISTENs (`listen`), so another worker's change reaches this worker's dashboards in
    milliseconds; without it (SQLite, or while the listening connection is down) streams
    look again every second.
    """

    def __init__(self, *, database_url: str | None = None, clock: Clock | None = None) -> None:
        """Create an empty feed; `database_url` says whether to NOTIFY and LISTEN."""
        self._url = database_url
        self._clock = clock or SystemClock()
        self._postgres = database_url is not None and dialect(database_url) == "postgres"
        self._changed = asyncio.Event()
        self._token = secrets.token_hex(8)  # this worker's notifications come back: ignored
        self.listening = asyncio.Event()  # set while another worker's changes reach us

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()  # waiters hold the one just set

    def _heard(self, payload: str) -> None:
        if payload != self._token:
            self._wake()

    async def _announce(self) -> None:
        self._wake()
        if not self._postgres:
            return
        try:  # the change is stored: another worker hearing of it late is no reason to fail
            await connections.get("default").execute_script(f"NOTIFY {CHANNEL}, '{self._token}'")
        except (BaseORMException, OSError, asyncpg.PostgresError) as exc:
            log.warning("change feed: NOTIFY failed (%s); other workers look within 1 s", exc)

    async def publish(self, topic: Topic, subject: str) -> None:
        """Record that `subject` (a device, an order) of `topic` changed."""
        await ChangeEvent.create(topic=topic, subject=subject[:128], at=utc(self._clock.now()))
        await self._announce()

    async def publish_many(self, changes: Iterable[tuple[Topic, str]]) -> None:
        """Record many changes at once (a batch's), one row per distinct change."""
        at = utc(self._clock.now())
        rows = [ChangeEvent(topic=t, subject=s[:128], at=at) for t, s in sorted(set(changes))]
        if not rows:
            return
        await ChangeEvent.bulk_create(rows)
        await self._announce()

    def mark(self) -> asyncio.Event:
        """Take this before reading the feed.

        `wait(mark=...)` then returns at once for a change announced since, even one that
        came while the feed was being read.
        """
        return self._changed

    async def wait(self, timeout_s: float, *, mark: asyncio.Event | None = None) -> None:
        """Return when any worker publishes a change (since `mark`), or after `timeout_s`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for((mark or self._changed).wait(), timeout_s)

    async def listen(self) -> None:
        """On PostgreSQL, LISTEN for other workers' changes, reconnecting; runs until cancelled."""
        if not self._postgres or self._url is None:
            return
        url = postgres_dsn(self._url)
        while True:
            try:
                conn = await asyncpg.connect(url)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("change feed: cannot LISTEN (%s); retrying in %.0f s", exc, _RETRY_S)
                await asyncio.sleep(_RETRY_S)
                continue
            try:
                await self._listen_on(conn)
                log.warning("change feed: the LISTEN connection closed; reconnecting")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("change feed: LISTEN failed (%s); retrying", exc)
            finally:
                self.listening.clear()
                with contextlib.suppress(Exception):
                    await asyncio.shield(conn.close(timeout=2))
            await asyncio.sleep(_RETRY_S)

    async def _listen_on(self, conn: asyncpg.Connection) -> None:
        """Wake on every notification until the connection is lost."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(CHANNEL, lambda *args: self._heard(str(args[-1])))
        self.listening.set()
        await lost.wait()

    @staticmethod
    async def since(last_id: int, limit: int = 500) -> list[ChangeEvent]:
        """Events after `last_id`, oldest first."""
        return await ChangeEvent.filter(id__gt=last_id).order_by("id").limit(limit)

    @staticmethod
    async def latest_id() -> int:
        """The id of the newest event (0 if none)."""
        newest = await ChangeEvent.all().order_by("-id").first()
        return newest.id if newest else 0

"""A change feed for the live dashboard, stored in the database so every worker sees it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable

from cloud.store.models import ChangeEvent
from cloud.terms import Topic


class ChangeFeed:
    """Writes change events and wakes this worker's listeners at once."""

    def __init__(self) -> None:
        """Create an empty feed."""
        self._changed = asyncio.Condition()

    async def publish(self, topic: Topic, subject: str) -> None:
        """Record that `subject` (a device, an order) of `topic` changed."""
        await ChangeEvent.create(topic=topic, subject=subject[:128], at=dt.datetime.now(dt.UTC))
        async with self._changed:
            self._changed.notify_all()

    async def publish_many(self, changes: Iterable[tuple[Topic, str]]) -> None:
        """Record many changes at once (a batch's), one row per distinct change."""
        at = dt.datetime.now(dt.UTC)
        rows = [ChangeEvent(topic=t, subject=s[:128], at=at) for t, s in sorted(set(changes))]
        if not rows:
            return
        await ChangeEvent.bulk_create(rows)
        async with self._changed:
            self._changed.notify_all()

    async def wait(self, timeout_s: float) -> None:
        """Return when this worker publishes a change, or after `timeout_s` (other workers)."""
        async with self._changed:
            try:
                async with asyncio.timeout(timeout_s):
                    await self._changed.wait()
            except TimeoutError:
                pass

    @staticmethod
    async def since(last_id: int, limit: int = 500) -> list[ChangeEvent]:
        """Events after `last_id`, oldest first."""
        return await ChangeEvent.filter(id__gt=last_id).order_by("id").limit(limit)

    @staticmethod
    async def latest_id() -> int:
        """The id of the newest event (0 if none)."""
        newest = await ChangeEvent.all().order_by("-id").first()
        return newest.id if newest else 0

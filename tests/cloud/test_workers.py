"""What several workers on one database share: the change feed and periodic work.

On PostgreSQL another worker's change wakes a stream at once (LISTEN/NOTIFY), not at the
next once-a-second look; and the sweep's period is claimed by one worker, not done by all.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from cloud.store.changes import ChangeFeed
from cloud.store.claims import Periods
from cloud.terms import Topic


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_a_change_written_by_one_worker_wakes_another_workers_streams(db: str) -> None:
    writer, reader = ChangeFeed(database_url=db), ChangeFeed(database_url=db)
    listening = asyncio.create_task(reader.listen())
    try:
        await asyncio.wait_for(reader.listening.wait(), 30)
        woken = asyncio.create_task(reader.wait(timeout_s=3600))  # only a wake ends it
        await asyncio.sleep(0)
        assert not woken.done()
        await writer.publish(Topic.ALERTS, "incident-1")
        await asyncio.wait_for(woken, 30)
        assert [e.subject for e in await ChangeFeed.since(0)] == ["incident-1"]
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)


async def test_without_postgres_a_workers_own_change_wakes_its_streams(db: str) -> None:
    feed = ChangeFeed(database_url=db)
    woken = asyncio.create_task(feed.wait(timeout_s=3600))
    await asyncio.sleep(0)
    await feed.publish(Topic.DEVICES, "pi-1")
    await asyncio.wait_for(woken, 30)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_each_period_is_claimed_by_one_worker_and_a_gone_worker_lets_go(db_url: str) -> None:
    a, b = Periods(db_url, "sweep"), Periods(db_url, "sweep")
    other_work = Periods(db_url, "something-else")
    try:
        assert await a.claim(5)
        assert not await b.claim(5)  # a has it: b skips this round
        assert await a.claim(5)  # a's failed round, tried again: still a's
        assert not await b.claim(5)
        assert await other_work.claim(5)  # another kind of work is claimed apart
        assert await b.claim(6)  # the next period goes to whoever asks first
        assert not await a.claim(6)
        assert await a.claim(7)
        await a.close()  # a worker that stops (or dies) releases what it held
        assert await b.claim(7)
    finally:
        for periods in (a, b, other_work):
            await periods.close()


async def test_a_lone_sqlite_worker_always_has_the_claim(tmp_path: Path) -> None:
    periods = Periods(f"sqlite://{tmp_path / 'cloud.sqlite3'}", "sweep")
    assert await periods.claim(1)
    assert await periods.claim(2)
    assert await periods.claim(2)  # a failed round tried again: the period is still its own
    assert not await periods.claim(1)  # an earlier one (a clock that stepped back): never again
    await periods.close()


class _Wire:
    """Where a stream writes (its HTTP response), kept to read back."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def write(self, data: bytes) -> None:
        self.sent.append(data)

    def ids(self) -> list[int]:
        return [
            int(line.split(b"id: ")[1].split(b"\n")[0]) for line in self.sent if b"id: " in line
        ]


async def test_a_stream_sends_a_change_that_committed_after_a_later_one(db: str) -> None:
    from cloud.api.stream import _stream_once  # noqa: PLC0415 (the stream's one step)
    from cloud.store.models import ChangeEvent  # noqa: PLC0415

    feed, wire, sent = ChangeFeed(database_url=db), _Wire(), set[int]()
    now = dt.datetime.now(dt.UTC)
    await ChangeEvent.create(id=10, topic=Topic.DEVICES, subject="pi-1", at=now)
    await ChangeEvent.create(id=12, topic=Topic.DEVICES, subject="pi-3", at=now)  # 11 not yet
    last = await _stream_once(wire, feed, 9, sent)  # type: ignore[arg-type]
    assert (wire.ids(), last) == ([10, 12], 12)
    await ChangeEvent.create(id=11, topic=Topic.ALERTS, subject="pi-2", at=now)  # commits late
    last = await _stream_once(wire, feed, last, sent)  # type: ignore[arg-type]
    assert (wire.ids(), last) == ([10, 12, 11], 12)
    await _stream_once(wire, feed, last, sent)  # type: ignore[arg-type]
    assert wire.ids() == [10, 12, 11]  # nothing twice

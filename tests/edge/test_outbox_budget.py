"""The outbox's storage budget on its own: bounds, drops, the reserve and the in-memory hold.

The budget runs on a real `DurableQueue` (real SQLITE_FULL past `max_bytes`, or a
connection that refuses writes), with the free disk space it sees injected.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from common.clock import FakeClock
from edge.outbox.budget import RESERVE_BYTES, StorageBudget, out_of_space
from edge.outbox.items import Pending
from edge.outbox.queue import DurableQueue

PLENTY = 10**12


def message(seq: int, kind: str) -> Pending:
    return Pending(seq, f"m-{seq}", kind, b"x" * 200)


class Refusing(sqlite3.Connection):
    """A database whose disk, while `refuse` is set, fails every write with SQLITE_FULL's text."""

    refuse = False

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self._check(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self._check(sql)
        return super().executemany(sql, parameters)

    def _check(self, sql: str) -> None:
        if self.refuse and sql.split(maxsplit=1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            raise sqlite3.OperationalError("database or disk is full")


class Disk:
    """The free space the budget sees, set by the test."""

    def __init__(self, free: int = PLENTY) -> None:
        self.free = free

    def __call__(self, where: Path) -> int:
        assert where.is_dir()
        return self.free


class Setup:
    """A queue, its budget, the seqs it dropped and the disk it sees."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        capacity: int = 10**6,
        memory_capacity: int = 1000,
        max_bytes: int | None = None,
        connection: type[sqlite3.Connection] = sqlite3.Connection,
        free: int = PLENTY,
        clock: FakeClock | None = None,
    ) -> None:
        self.reserve = tmp_path / "q.sqlite3-reserve"
        self.queue = DurableQueue(
            tmp_path / "q.sqlite3", max_bytes=max_bytes, connection=connection
        )
        self.disk = Disk(free)
        self.drops: list[int] = []
        self.budget = StorageBudget(
            self.queue,
            capacity=capacity,
            memory_capacity=memory_capacity,
            reserve=self.reserve,
            on_drop=self.drops.extend,
            free=self.disk,
            clock=clock,
        )

    def add(self, *kinds: str) -> list[int]:
        seqs = []
        for kind in kinds:
            seq, made = self.queue.numbered(partial(message, kind=kind))
            self.budget.add(made)
            seqs.append(seq)
        return seqs

    def held(self) -> list[int]:
        on_disk = [p.seq for p in self.queue.head(10**6)]
        return sorted(on_disk + [p.seq for p in self.budget.held(10**6)])

    def max_pages(self) -> int:
        return int(self.queue._db.execute("PRAGMA max_page_count").fetchone()[0])


def test_past_capacity_the_oldest_telemetry_goes_alerts_stay_and_drops_are_told(
    tmp_path: Path,
) -> None:
    s = Setup(tmp_path, capacity=4)
    s.add("alert", "telemetry", "telemetry", "alert", "telemetry", "event", "telemetry")
    assert s.drops == [2, 3, 5]
    assert s.budget.dropped == 3
    assert s.held() == [1, 4, 6, 7]
    s.add("alert", "alert")  # nothing droppable is left but the newest telemetry
    assert (s.held(), s.drops) == ([1, 4, 6, 8, 9], [2, 3, 5, 7])
    assert s.budget.in_memory == 0


def test_a_disk_that_takes_nothing_holds_in_memory_drops_telemetry_there_and_moves_back(
    tmp_path: Path,
) -> None:
    class Full(Refusing):
        pass

    s = Setup(tmp_path, memory_capacity=3, connection=Full)
    s.add("alert")
    Full.refuse = True
    s.add("telemetry", "alert", "telemetry", "alert", "alert", "alert")
    assert s.drops == [2, 4]  # the oldest telemetry in memory...
    assert [p.seq for p in s.budget.held(10)] == [3, 5, 6, 7]  # ...never alerts
    assert s.budget.release({"m-5"}) == [5]  # acknowledged straight from memory
    s.budget.catch_up()
    assert s.budget.in_memory == 3  # still nowhere to go
    Full.refuse = False
    s.budget.catch_up()
    assert (s.budget.in_memory, [p.seq for p in s.queue.head(10)]) == (0, [1, 3, 6, 7])
    s.queue.close()
    reopened = DurableQueue(tmp_path / "q.sqlite3")
    assert (reopened.counters.dropped, reopened.high_water) == (2, 7)


def test_acknowledged_messages_the_full_disk_cannot_delete_are_deleted_when_it_can(
    tmp_path: Path,
) -> None:
    class Full(Refusing):
        pass

    s = Setup(tmp_path, connection=Full)
    s.add(*["telemetry"] * 200)
    s.queue.forget({f"m-{seq}" for seq in range(1, 151)})
    Full.refuse = True
    s.budget.catch_up()
    assert len(s.queue.forgotten) == 150
    Full.refuse = False
    s.budget.catch_up()
    assert (s.queue.forgotten, len(s.queue)) == ([], 50)
    assert s.budget.dropped == 0


def test_the_reserve_is_set_aside_only_where_the_disk_has_room_for_it(tmp_path: Path) -> None:
    s = Setup(tmp_path / "roomy")
    assert s.reserve.stat().st_size == RESERVE_BYTES
    tight = Setup(tmp_path / "tight", free=3 * RESERVE_BYTES - 1)
    assert not tight.reserve.exists()
    tight.disk.free = 3 * RESERVE_BYTES
    tight.budget.catch_up()
    assert tight.reserve.stat().st_size == RESERVE_BYTES


def test_max_bytes_on_a_roomy_disk_drops_telemetry_and_keeps_the_reserve(tmp_path: Path) -> None:
    s = Setup(tmp_path, max_bytes=65_536)
    pages = s.max_pages()
    s.add("alert", *["telemetry"] * 400)
    assert s.budget.in_memory == 0
    assert 0 < s.budget.dropped == len(s.drops) < 400
    assert s.held()[0] == 1  # the alert stays
    assert s.held()[1:] == list(range(402 - len(s.held()) + 1, 402))  # the newest telemetry
    assert s.reserve.exists()
    assert s.max_pages() == pages  # the disk has room: the file may still grow to max_bytes


def test_on_a_full_disk_the_reserve_goes_the_file_stops_growing_and_both_come_back(
    tmp_path: Path,
) -> None:
    class Full(Refusing):
        pass

    s = Setup(tmp_path, connection=Full)
    grown = s.max_pages()
    s.add(*["telemetry"] * 300)
    assert s.reserve.exists()
    s.disk.free, Full.refuse = RESERVE_BYTES - 1, True  # the disk fills up
    (alert,) = s.add("alert")
    assert not s.reserve.exists()  # given back, so SQLite can checkpoint and delete
    pages = s.queue._db.execute("PRAGMA page_count").fetchone()[0]
    assert s.max_pages() == pages  # and no growing into the space it freed
    assert s.budget.in_memory == 1
    Full.refuse = False  # the file takes writes again, within its pages
    s.budget.catch_up()
    assert (s.budget.in_memory, s.held()[-1]) == (0, alert)
    assert s.max_pages() == pages  # the disk is still full
    s.disk.free = PLENTY  # space returns
    s.budget.catch_up()
    assert s.reserve.stat().st_size == RESERVE_BYTES
    assert s.max_pages() == grown


def test_purging_memory_keeps_what_the_filter_keeps(tmp_path: Path) -> None:
    class Full(Refusing):
        pass

    s = Setup(tmp_path, connection=Full)
    Full.refuse = True
    s.add("telemetry", "alert", "telemetry")
    assert s.budget.purge(lambda p: p.kind == "alert") == 2
    assert [p.seq for p in s.budget.held(10)] == [2]
    assert s.drops == []  # purged, not dropped for room
    assert s.budget.dropped == 0


@pytest.mark.parametrize(
    ("error", "no_room"),
    [
        (OSError(28, "No space left on device"), True),
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("disk I/O error"), True),
        (sqlite3.IntegrityError("UNIQUE constraint failed: outbox.id"), False),
        (sqlite3.OperationalError("database is locked"), False),
    ],
)
def test_only_a_lack_of_room_counts_as_out_of_space(error: Exception, no_room: bool) -> None:
    assert out_of_space(error) is no_room


def test_a_disk_that_stays_full_is_said_once_a_minute_with_a_count(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    s = Setup(tmp_path, max_bytes=96 * 1024, clock=clock)
    with caplog.at_level(logging.WARNING, logger="edge.outbox"):
        s.add(*["telemetry"] * 1500)  # the file is full long before: room made each time
        assert s.budget.dropped > 100
        said = [r.getMessage() for r in caplog.records if "disk full" in r.getMessage()]
        assert len(said) == 1  # not once per message
        clock.advance(61)
        s.add(*["telemetry"] * 50)
    said = [r.getMessage() for r in caplog.records if "disk full" in r.getMessage()]
    assert len(said) == 2
    assert "more in the last minute" in said[1]

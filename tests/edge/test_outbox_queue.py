"""The outbox's durable FIFO on its own: numbering, order, durability, forgetting, its size."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from edge.outbox.items import Pending
from edge.outbox.queue import DurableQueue, OutboxError


def item(seq: int, kind: str = "telemetry") -> Pending:
    return Pending(seq, f"m-{seq}", kind, b"x" * 100)


def store(queue: DurableQueue, *kinds: str) -> list[int]:
    """Number and insert one message per kind, each in its own transaction."""
    seqs = []
    for kind in kinds:
        seq, made = queue.numbered(partial(item, kind=kind))
        assert queue.write(partial(queue.insert, made)) is None
        seqs.append(seq)
    return seqs


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


def test_the_database_is_durable_wal_with_full_sync_even_after_a_quick_delete(
    tmp_path: Path,
) -> None:
    queue = DurableQueue(tmp_path / "q.sqlite3")
    store(queue, "telemetry")
    db = queue._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    queue.forget({"m-1"})
    assert queue.delete(queue.forgotten) is None  # acks skip the fsync...
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # ...and only they do


def test_numbers_are_consecutive_used_up_only_by_a_build_that_returns_and_saved_on_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.sqlite3"
    queue = DurableQueue(path)
    assert queue.high_water == 0

    def broken(seq: int) -> Pending:
        raise ValueError(seq)

    with pytest.raises(ValueError, match="1"):
        queue.numbered(broken)
    assert store(queue, "telemetry", "alert") == [1, 2]
    assert queue.high_water == 2
    queue.numbered(item)  # taken, but never written: not saved
    queue.close()
    assert DurableQueue(path).high_water == 2


def test_the_head_is_in_order_and_hides_what_was_forgotten_until_it_is_deleted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.sqlite3"
    queue = DurableQueue(path)
    store(queue, *["telemetry"] * 5)
    assert queue.forget({"m-2", "m-4", "nobody"}) == [2, 4]
    assert queue.forget({"m-2"}) == []  # already forgotten
    assert [p.seq for p in queue.head(2)] == [1, 3]
    assert [p.seq for p in queue.head(10)] == [1, 3, 5]
    assert (len(queue), queue.forgotten) == (3, [2, 4])
    assert queue.delete([2]) is None
    assert queue.forgotten == [4]
    queue.close()
    reopened = DurableQueue(path)  # 4 was never deleted: it is held again, to be resent
    assert [p.seq for p in reopened.head(10)] == [1, 3, 4, 5]
    assert reopened.head(1)[0] == Pending(1, "m-1", "telemetry", b"x" * 100)


def test_dropping_takes_oldest_telemetry_then_superseded_status_never_alerts(
    tmp_path: Path,
) -> None:
    queue = DurableQueue(tmp_path / "q.sqlite3")
    store(queue, "status", "telemetry", "alert", "status", "telemetry", "event", "status")
    dropped: list[int] = []
    assert queue.write(lambda: dropped.extend(queue.drop_oldest(3))) is None
    assert dropped == [2, 5, 1]
    assert queue.write(lambda: dropped.extend(queue.drop_oldest(10))) is None
    assert dropped == [2, 5, 1, 4]  # the newest status report stays
    assert [(p.seq, p.kind) for p in queue.head(10)] == [(3, "alert"), (6, "event"), (7, "status")]


def test_a_failed_write_changes_nothing_on_disk_or_in_the_counters(tmp_path: Path) -> None:
    class Disk(Refusing):
        pass

    path = tmp_path / "q.sqlite3"
    queue = DurableQueue(path, connection=Disk)
    store(queue, "telemetry", "telemetry")
    Disk.refuse = True

    def change() -> None:
        queue.counters.dropped += len(queue.drop_oldest(1))

    error = queue.write(change)
    assert isinstance(error, sqlite3.OperationalError)
    assert (queue.counters.dropped, len(queue)) == (0, 2)
    queue.forget({"m-2"})
    assert queue.delete([2]) is not None
    assert (queue.forgotten, len(queue)) == ([2], 1)  # still forgotten, to delete later
    Disk.refuse = False
    assert queue.write(change) is None
    queue.close()
    reopened = DurableQueue(path)
    assert (reopened.counters.dropped, reopened.high_water) == (1, 2)
    assert [p.seq for p in reopened.head(10)] == [2]  # its delete never happened


def test_forget_where_picks_by_kind_and_payload_once(tmp_path: Path) -> None:
    queue = DurableQueue(tmp_path / "q.sqlite3")
    store(queue, "telemetry", "alert", "telemetry")
    assert queue.forget_where(lambda kind, payload: kind == "telemetry" and bool(payload)) == 2
    assert queue.forget_where(lambda kind, _: kind == "telemetry") == 0
    assert [p.seq for p in queue.head(10)] == [2]


def test_max_bytes_fails_writes_as_a_full_disk_and_the_file_can_stop_growing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.sqlite3"
    queue = DurableQueue(path, max_bytes=65_536)
    errors = []
    for _ in range(2000):
        seq, made = queue.numbered(item)
        error = queue.write(partial(queue.insert, made))
        if error is not None:
            errors.append((seq, error))
            break
    assert errors, "max_bytes never stopped a write"
    assert "full" in str(errors[0][1])
    assert path.stat().st_size <= 65_536
    assert queue.write(lambda: queue.drop_oldest(100)) is None
    queue.stop_growing()
    pages = queue._db.execute("PRAGMA page_count").fetchone()[0]
    assert queue._db.execute("PRAGMA max_page_count").fetchone()[0] == pages
    queue.grow_again()
    assert queue._db.execute("PRAGMA max_page_count").fetchone()[0] == 65_536 // 4096


def test_reading_a_broken_database_raises_the_outbox_error(tmp_path: Path) -> None:
    queue = DurableQueue(tmp_path / "q.sqlite3")
    queue.close()
    with pytest.raises(OutboxError):
        queue.head(1)
    with pytest.raises(OutboxError):
        len(queue)
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(OutboxError, match="cannot open"):
        DurableQueue(tmp_path / "dir.sqlite3")

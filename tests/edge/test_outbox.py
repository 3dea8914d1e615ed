"""The edge outbox: order, end-to-end acknowledgement, bounds, and surviving kill -9."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from common.messages import (
    Alert,
    Heartbeat,
    PrinterReading,
    PrinterState,
    Severity,
    Status,
    Telemetry,
    Uplink,
    decode_uplink,
    new_id,
)
from edge.outbox import Outbox
from tests.support.paths import ROOT


def telemetry(seq: int) -> Telemetry:
    return Telemetry(
        id=new_id(),
        device_id="pi-1",
        seq=seq,
        sent_at=1.0e9 + seq,
        sensor="printer",
        reading=PrinterReading(state=PrinterState.IDLE),
    )


def alert(seq: int) -> Alert:
    return Alert(
        id=new_id(),
        device_id="pi-1",
        seq=seq,
        sent_at=1.0e9 + seq,
        sensor="wearable",
        name="fall",
        severity=Severity.CRITICAL,
    )


def test_messages_get_consecutive_sequence_numbers_and_leave_only_when_acknowledged(
    tmp_path: Path,
) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=100)
    sent = [box.add(telemetry) for _ in range(5)]
    assert [m.seq for m in sent] == [1, 2, 3, 4, 5]
    pending = box.pending(window=10, now=0.0, resend_after_s=10)
    assert [p.seq for p in pending] == [1, 2, 3, 4, 5]
    assert decode_uplink(pending[0].payload) == sent[0]
    box.mark_sent([1, 2, 3], now=100.0)
    assert [p.seq for p in box.pending(window=10, now=105.0, resend_after_s=10)] == [4, 5]
    assert [p.seq for p in box.pending(window=10, now=111.0, resend_after_s=10)] == [1, 2, 3, 4, 5]
    assert [d.seq for d in box.acknowledge([sent[0].id, sent[2].id, new_id()])] == [1, 3]
    assert [p.seq for p in box.pending(window=10, now=200.0, resend_after_s=10)] == [2, 4, 5]
    assert len(box) == 3


def test_window_limits_how_many_are_in_flight(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=100)
    for _ in range(10):
        box.add(telemetry)
    assert [p.seq for p in box.pending(window=3, now=0.0, resend_after_s=1)] == [1, 2, 3]
    box.mark_sent([1, 2, 3], now=0.0)
    assert box.pending(window=3, now=0.5, resend_after_s=1) == []


def test_full_outbox_drops_oldest_telemetry_never_alerts_and_counts(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=10)
    alerts = [box.add(alert) for _ in range(3)]
    for _ in range(20):
        box.add(telemetry)
    assert len(box) == 10
    assert box.dropped == 13
    kept = box.pending(window=100, now=0.0, resend_after_s=1)
    assert {a.id for a in alerts} <= {p.id for p in kept}
    assert [p.seq for p in kept if p.kind == "telemetry"] == list(range(17, 24))


def test_alerts_are_kept_even_beyond_capacity(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=10)
    for _ in range(15):
        box.add(alert)
    assert len(box) == 15
    assert box.dropped == 0


def test_sequence_numbers_never_repeat_after_acknowledging_the_newest(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    box = Outbox(path, capacity=100)
    last = box.add(telemetry)
    box.acknowledge([last.id])
    box.close()
    assert Outbox(path, capacity=100).add(telemetry).seq == 2


def status(seq: int) -> Status:
    return Status(id=new_id(), device_id="pi-1", seq=seq, sent_at=1.0e9, firmware="1", uptime_s=1)


def held(box: Outbox) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in box.pending(window=10**6, now=0.0, resend_after_s=0)]


def test_acknowledgements_report_when_each_was_sent_and_how_often(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=100)
    first, second = box.add(telemetry), box.add(telemetry)
    box.mark_sent([1, 2], now=10.0)
    box.mark_sent([2], now=12.0)
    assert [p.sends for p in box.pending(window=10, now=20.0, resend_after_s=1)] == [1, 2]
    delivered = box.acknowledge([first.id, second.id])
    assert [(d.seq, d.sent_at, d.sends) for d in delivered] == [(1, 10.0, 1), (2, 12.0, 2)]


def test_telemetry_goes_before_status_reports_and_the_newest_report_stays(
    tmp_path: Path,
) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=4)
    builds: list[Callable[[int], Uplink]] = [status, telemetry, status, telemetry, alert, alert]
    for build in builds:
        box.add(build)
    assert held(box) == [(1, "status"), (3, "status"), (5, "alert"), (6, "alert")]
    box.add(status)  # no telemetry is left: the oldest superseded report goes
    assert held(box) == [(3, "status"), (5, "alert"), (6, "alert"), (7, "status")]
    assert box.dropped == 3


def test_only_the_newest_status_report_is_kept_when_room_runs_out(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=7)
    builds: list[Callable[[int], Uplink]] = [status, alert]
    for build in builds * 5 + [status]:
        box.add(build)
    assert held(box) == [(2, "alert"), (4, "alert"), (6, "alert"), (8, "alert"), (9, "status"),
                         (10, "alert"), (11, "status")]  # fmt: skip
    assert box.dropped == 4


def fill_until_in_memory(box: Outbox, build: Callable[[int], Uplink]) -> int:
    """Add messages until the disk takes no more of them; returns how many were added."""
    for n in range(1, 2000):
        box.add(build)
        if box.in_memory:
            return n
    raise AssertionError("the outbox never ran out of room")


def test_a_full_disk_drops_oldest_telemetry_keeps_alerts_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    box = Outbox(path, capacity=100_000, max_bytes=65_536)  # real SQLITE_FULL past 16 pages
    alerts = [box.add(alert) for _ in range(5)]
    for _ in range(600):
        box.add(telemetry)
    assert box.in_memory == 0  # room was made on disk by dropping telemetry
    assert box.dropped > 0
    kinds = held(box)
    assert [seq for seq, _ in kinds] == sorted(seq for seq, _ in kinds)
    assert {a.seq for a in alerts} <= {seq for seq, _ in kinds}
    telemetry_left = [seq for seq, kind in kinds if kind == "telemetry"]
    assert telemetry_left == list(range(606 - len(telemetry_left), 606))  # the newest survive
    assert len(kinds) + box.dropped == 605
    assert path.stat().st_size <= 65_536
    box.close()
    reopened = Outbox(path, capacity=100_000, max_bytes=65_536)
    assert reopened.dropped == 605 - len(kinds)  # the count survives a restart
    assert reopened.add(telemetry).seq == 606


def test_alerts_wait_in_memory_when_the_disk_takes_nothing_and_move_back(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=100_000, max_bytes=65_536, memory_capacity=20)
    on_disk = fill_until_in_memory(box, alert) - 1
    more = [box.add(alert) for _ in range(30)]  # alerts are never dropped, even in memory
    for _ in range(10):
        box.add(telemetry)  # past memory_capacity: telemetry in memory is dropped
    assert box.dropped == 10
    assert box.in_memory == 31 + 10 - 10
    seqs = [seq for seq, _ in held(box)]
    assert seqs == list(range(1, on_disk + 32))  # sent in order from disk and memory alike
    assert box.high_water() == on_disk + 41
    box.acknowledge([m.id for m in more[-5:]])  # acked straight from memory
    assert box.in_memory == 26
    first = box.pending(window=40, now=0.0, resend_after_s=0)
    box.acknowledge([p.id for p in first])  # space returns on disk
    assert box.in_memory == 0
    assert len(box) == on_disk + 26 - 40
    assert box.add(alert).seq == on_disk + 42


class FullDisk(sqlite3.Connection):
    """A database whose disk, while `full`, refuses every write with SQLITE_FULL's message."""

    full = False

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self._check(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self._check(sql)
        return super().executemany(sql, parameters)

    def _check(self, sql: str) -> None:
        if type(self).full and sql.split(maxsplit=1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            raise sqlite3.OperationalError("database or disk is full")


def test_a_disk_that_takes_nothing_holds_in_memory_forgets_acked_and_recovers(
    tmp_path: Path,
) -> None:
    class Disk(FullDisk):
        pass

    path = tmp_path / "o.sqlite3"
    box = Outbox(path, capacity=100, memory_capacity=5, connection=Disk)
    first = [box.add(alert) for _ in range(3)]
    Disk.full = True
    later = [box.add(alert) for _ in range(4)]
    for _ in range(6):
        box.add(telemetry)  # memory holds 5: the oldest telemetry there goes
    assert (box.in_memory, box.dropped) == (5, 5)
    delivered = box.acknowledge([first[0].id, later[0].id])  # the disk cannot delete either
    assert [d.seq for d in delivered] == [1, 4]
    assert [seq for seq, _ in held(box)] == [2, 3, 5, 6, 7, 13]  # acked ones are not resent
    assert len(box) == 6
    Disk.full = False  # space returns
    box.add(telemetry)
    assert box.in_memory == 0
    box.close()
    reopened = Outbox(path, capacity=100)
    assert [seq for seq, _ in held(reopened)] == [2, 3, 5, 6, 7, 13, 14]
    assert reopened.dropped == 5
    assert reopened.add(telemetry).seq == 15


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MiB file system (tmpfs), where this machine lets the tests mount one."""
    where = tmp_path / "tiny"
    where.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)]
    done = subprocess.run(mount, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=False)


def fill(path: Path) -> None:
    with contextlib.suppress(OSError), path.open("wb", buffering=0) as f:
        while True:
            f.write(bytes(4096))


def test_on_a_real_full_disk_telemetry_makes_room_and_nothing_else_is_lost(
    tiny_disk: Path,
) -> None:
    path = tiny_disk / "outbox.sqlite3"
    box = Outbox(path, capacity=10**6)
    one_in_fifty: list[Callable[[int], Uplink]] = [alert, *[telemetry] * 49]
    for build in one_in_fifty * 160:  # 8000 messages, about 3 MB
        box.add(build)
    assert box.in_memory == 0  # the outbox settled into the disk
    assert 0 < box.dropped < 8000
    fill(tiny_disk / "junk")  # then something else takes every byte left
    for _ in range(100):
        box.add(alert)
        box.add(telemetry)
    assert box.in_memory == 0
    kinds = held(box)
    assert sum(kind == "alert" for _, kind in kinds) == 260
    assert len(kinds) + box.dropped == 8200
    acked = box.acknowledge([p.id for p in box.pending(window=500, now=0.0, resend_after_s=0)])
    assert len(acked) == 500  # deleting works on the full disk, too
    box.close()
    reopened = Outbox(path, capacity=10**6)  # and so does starting again
    assert (len(reopened), reopened.dropped) == (len(kinds) - 500, 8200 - len(kinds))
    assert reopened.add(telemetry).seq == 8201
    assert reopened.in_memory == 0


def test_heartbeats_are_not_queued_but_report_the_high_water_mark(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", capacity=100)
    for _ in range(3):
        box.add(telemetry)
    beat = Heartbeat(id=new_id(), device_id="pi-1", seq=box.high_water(), sent_at=1.0, uptime_s=1)
    assert beat.seq == 3


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from edge.outbox import Outbox
    from tests.edge.test_outbox import telemetry
    box = Outbox(Path(sys.argv[1]), capacity=1_000_000)
    n = 0
    while True:
        box.add(telemetry)
        n += 1
        if n % 100 == 0:
            print(n, flush=True)
    """
)


def test_everything_added_survives_kill_9_in_order(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    while int(proc.stdout.readline() or b"0") < 500:  # killed while it keeps adding
        assert proc.poll() is None, "the writer died on its own"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    box = Outbox(path, capacity=1_000_000)
    seqs = [p.seq for p in box.pending(window=10**6, now=0.0, resend_after_s=1)]
    assert len(seqs) >= 500
    assert seqs == list(range(1, len(seqs) + 1))  # nothing lost, nothing out of order
    assert box.add(telemetry).seq == len(seqs) + 1  # and the counter went on from there

"""The edge outbox: order, end-to-end acknowledgement, bounds, and surviving kill -9."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from common.messages import (
    Alert,
    Heartbeat,
    PrinterReading,
    PrinterState,
    Severity,
    Telemetry,
    decode_uplink,
    new_id,
)
from edge.outbox import Outbox


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
    assert box.acknowledge([sent[0].id, sent[2].id, new_id()]) == 2
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
    from tests.test_outbox import telemetry
    box = Outbox(Path(sys.argv[1]), capacity=1_000_000)
    n = 0
    while True:
        box.add(telemetry)
        n += 1
        if n == 200:
            print("ready", flush=True)
    """
)


def test_everything_added_survives_kill_9_in_order(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    box = Outbox(path, capacity=1_000_000)
    seqs = [p.seq for p in box.pending(window=10**6, now=0.0, resend_after_s=1)]
    assert len(seqs) >= 200
    assert seqs == list(range(1, len(seqs) + 1))  # nothing lost, nothing out of order
    assert box.add(telemetry).seq == len(seqs) + 1  # and the counter went on from there

"""The wearable's life on a fake clock: "not worn" and dying-battery alarms fire and clear."""

from __future__ import annotations

import math

import pytest

from common.clock import FakeClock
from common.messages import Severity
from edge.fall.monitor import FallMonitor
from edge.fall.wear import WearSettings, WearWatch
from hardware.wearable import AccelFrame

HOUR = 3600.0


class Sink:
    """Records what the watch reports, in order."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, str]] = []

    def event(self, sensor: str, name: str, detail: str = "") -> None:
        self.reports.append(("event", name))
        assert sensor == "wrist"
        assert detail

    def alert(self, sensor: str, name: str, severity: Severity, detail: str, **_: object) -> None:
        self.reports.append(("alert", name))
        assert sensor == "wrist"
        assert severity is Severity.WARNING
        assert detail


def frame(*, moving: bool, worn: bool = True, seq: int = 0) -> AccelFrame:
    """Ten samples at 50 Hz: still (noise of 0.005 g) or swinging by 0.2 g."""
    wobble = 0.2 if moving else 0.005
    samples = tuple((0.0, -1.0 + wobble * math.sin(i), 0.0) for i in range(10))
    return AccelFrame(seq, 50, 8, im_ok=False, worn=worn, samples=samples)


def watch(clock: FakeClock, sink: Sink, **settings: float) -> WearWatch:
    return WearWatch(sensor="wrist", clock=clock, sink=sink, settings=WearSettings(**settings))


def test_no_motion_for_the_set_time_raises_not_worn_and_motion_clears_it() -> None:
    clock, sink = FakeClock(), Sink()
    w = watch(clock, sink, not_worn_s=600)
    for _ in range(59):  # a still frame every 10 s, for 590 s
        clock.advance(10)
        w.on_frame(frame(moving=False))
        w.tick()
    assert sink.reports == []
    clock.advance(10)
    w.tick()
    assert sink.reports == [("alert", "not_worn")]
    clock.advance(60)
    w.tick()
    assert sink.reports == [("alert", "not_worn")]  # raised once, not every tick
    w.on_frame(frame(moving=True))
    w.tick()
    assert sink.reports == [("alert", "not_worn"), ("event", "not_worn.cleared")]
    assert not w.not_worn


def test_frames_flagged_off_the_body_never_count_as_motion() -> None:
    clock, sink = FakeClock(), Sink()
    w = watch(clock, sink, not_worn_s=60)
    for _ in range(7):
        clock.advance(10)
        w.on_frame(frame(moving=True, worn=False))
        w.tick()
    assert sink.reports == [("alert", "not_worn")]


def test_outside_the_wear_hours_stillness_is_no_alarm_and_ends_one() -> None:
    clock, sink = FakeClock(), Sink()
    wearing = [True]
    w = WearWatch(
        sensor="wrist",
        clock=clock,
        sink=sink,
        settings=WearSettings(not_worn_s=60),
        should_wear=lambda _now: wearing[0],
    )
    clock.advance(61)
    w.tick()
    assert sink.reports == [("alert", "not_worn")]
    wearing[0] = False  # night: it may lie on the table
    clock.advance(HOUR)
    w.tick()
    assert sink.reports == [("alert", "not_worn"), ("event", "not_worn.cleared")]


def test_a_draining_battery_is_predicted_dead_before_it_is_and_charging_clears_it() -> None:
    clock, sink = FakeClock(), Sink()
    w = watch(clock, sink, battery_warn_s=6 * HOUR, not_worn_s=1e9)
    level = 100.0
    while level > 60:  # 10 % an hour: empty in 6 h once at 60 %
        w.on_battery(level)
        w.tick()
        assert sink.reports == []
        clock.advance(HOUR / 2)
        level -= 5
    w.on_battery(level)
    w.tick()
    assert sink.reports == [("alert", "battery_dying")]
    assert w.empty_at == pytest.approx(clock.now() + 6 * HOUR)
    clock.advance(HOUR / 2)
    w.on_battery(level - 5)
    w.tick()
    assert sink.reports == [("alert", "battery_dying")]
    w.on_battery(level + 10)  # on the charger
    w.tick()
    assert sink.reports == [("alert", "battery_dying"), ("event", "battery_dying.cleared")]
    assert w.empty_at is None


def test_a_full_battery_draining_slowly_raises_nothing() -> None:
    clock, sink = FakeClock(), Sink()
    w = watch(clock, sink, not_worn_s=1e9)
    for level in (100, 99, 98, 97):  # 1 % an hour: days left
        w.on_battery(level)
        w.tick()
        clock.advance(HOUR)
    assert sink.reports == []
    assert w.empty_at is not None
    assert w.empty_at > clock.now() + 24 * HOUR


def test_the_fall_monitor_runs_the_watch_on_its_frames_and_ticks() -> None:
    clock, sink = FakeClock(), Sink()
    monitor = FallMonitor(sensor="wrist", clock=clock, sink=sink, wear=WearSettings(not_worn_s=30))
    monitor.on_frame(frame(moving=False))
    clock.advance(31)
    monitor.tick()
    assert sink.reports == [("alert", "not_worn")]
    monitor.on_frame(frame(moving=True))
    monitor.on_battery(50)
    monitor.tick()
    assert sink.reports[-1] == ("event", "not_worn.cleared")
    quiet = FallMonitor(sensor="wrist", clock=clock, sink=sink)
    clock.advance(HOUR)
    quiet.tick()
    assert quiet.wear is None
    assert len(sink.reports) == 2


def test_wear_settings_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        WearSettings(not_worn_s=0)

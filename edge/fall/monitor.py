"""From a detected fall to an alert: a local alarm, a cancel window, then a call for help.

The wearer can cancel within `cancel_s` (the button, or the wearable's own "I'm OK");
otherwise the alert goes to the cloud at once with the samples around the fall. Alerts
are never dropped from the outbox and are resent until the cloud acknowledges them.

An "I'm OK" after help was called is a false alarm: the monitor sends one event
"fall.false_alarm" (durable, like every event), and the cloud tells everyone its ladder had
already told and resolves the incident. Holding the button over several frames sends it once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from common.clock import Clock
from common.messages import Severity
from edge.fall.layout import Params
from edge.fall.stream import StreamingDetector
from edge.fall.wear import WearSettings, WearWatch, always
from hardware.wearable import AccelFrame

Sample = tuple[float, float, float]


class AlertSink(Protocol):
    """Where the monitor reports (the agent)."""

    def event(self, sensor: str, name: str, detail: str = "") -> None:
        """Queue an event."""
        ...

    def alert(
        self,
        sensor: str,
        name: str,
        severity: Severity,
        detail: str,
        *,
        detected_at: float | None = None,
        rate_hz: int | None = None,
        samples: list[Sample] | None = None,
        impact_index: int | None = None,
    ) -> None:
        """Queue an alert (never dropped)."""
        ...


@dataclass
class _Pending:
    detected_at: float
    samples: list[Sample]
    impact_index: int
    frames_after: int = 0


class FallMonitor:
    """Runs the detector on a wearable's frames and owns the alarm's cancel window."""

    def __init__(
        self,
        *,
        sensor: str,
        clock: Clock,
        sink: AlertSink,
        cancel_s: float = 30.0,
        before_s: float = 4.0,
        after_s: float = 2.0,
        params: Params | None = None,
        wear: WearSettings | None = None,
        should_wear: Callable[[float], bool] = always,
    ) -> None:
        """Nothing runs until frames arrive; with `wear`, "not worn" and battery alarms too."""
        self.sensor = sensor
        self._clock = clock
        self._sink = sink
        self._cancel_s = cancel_s
        self._before_s = before_s
        self._after_s = after_s
        self._params = params or Params()
        self._detector: StreamingDetector | None = None
        self._rate = 0
        self._recent: deque[Sample] = deque()
        self.pending: _Pending | None = None
        self.alarm_on = False
        self.frames = 0  # frames fed so far
        self.summoned_for: float | None = None  # detected_at of the fall help was called for
        self.wear = (
            None
            if wear is None
            else WearWatch(
                sensor=sensor, clock=clock, sink=sink, settings=wear, should_wear=should_wear
            )
        )

    def on_frame(self, frame: AccelFrame) -> None:
        """Feed one frame; an "I'm OK" in it cancels a pending alarm, or the call for help."""
        self.frames += 1
        if frame.im_ok and not self.cancel("the wearable's I'm OK button"):
            self.false_alarm("the wearable's I'm OK button")
        if self.wear is not None:
            self.wear.on_frame(frame)
        if self._detector is None or frame.rate_hz != self._rate:
            self._rate = frame.rate_hz
            self._detector = StreamingDetector(self._params, frame.rate_hz)
            self._recent = deque(maxlen=int((self._before_s + self._after_s) * frame.rate_hz))
        self._recent.extend(frame.samples)
        hit = self._detector.feed_frame(np.asarray(frame.samples, dtype=np.float64))
        if hit is not None and self.pending is None:
            keep = int(self._before_s * self._rate)
            trace = list(self._recent)
            offset = len(frame.samples) - hit  # samples after the detection in this frame
            start = max(0, len(trace) - offset - keep)
            window = trace[start:]
            # The detector declares a fall post_s after the (filtered) impact; point at the
            # raw peak near there, which is what a responder wants to see.
            guess = len(window) - offset - int(self._params.post_s * self._rate)
            lo, hi = max(0, guess - self._rate), min(len(window), guess + self._rate // 2)
            impact = max(range(lo, hi), key=lambda i: sum(v * v for v in window[i]), default=0)
            self.pending = _Pending(self._clock.now(), window, impact)
            self.alarm_on = True
            self._sink.event(
                self.sensor,
                "fall.suspected",
                f"alarm on; cancel within {self._cancel_s:g} s if you are OK",
            )

    def cancel(self, by: str) -> bool:
        """Stop the alarm before help is called; True if there was one."""
        if self.pending is None:
            return False
        self.pending = None
        self.alarm_on = False
        self._sink.event(self.sensor, "fall.cancelled", f"cancelled by {by}")
        return True

    def false_alarm(self, by: str) -> bool:
        """Say that the fall help was called for was a false alarm; True if help was called.

        Once per call for help: a repeated "I'm OK" sends nothing more.
        """
        detected_at = self.summoned_for
        if detected_at is None:
            return False
        self.summoned_for = None
        waited = self._clock.now() - detected_at
        self._sink.event(
            self.sensor,
            "fall.false_alarm",  # the cloud reads "<alert name>.false_alarm"
            f"the wearer is fine: {by}, {waited:.0f} s after the fall was detected",
        )
        return True

    def on_battery(self, percent: float) -> None:
        """A battery reading, for the dead-battery prediction (with `wear` settings)."""
        if self.wear is not None:
            self.wear.on_battery(percent)

    def tick(self) -> None:
        """Call for help once the cancel window has passed (call this every second or so).

        With `wear` settings, also raise or clear the "not worn" and battery alarms.
        """
        if self.wear is not None:
            self.wear.tick()
        pending = self.pending
        if pending is None or self._clock.now() - pending.detected_at < self._cancel_s:
            return
        self.pending = None
        self.alarm_on = False  # help is being called; the wearer need not act any more
        self.summoned_for = pending.detected_at
        peak = max((sum(v * v for v in s) ** 0.5 for s in pending.samples), default=0.0)
        self._sink.alert(
            self.sensor,
            "fall",
            Severity.CRITICAL,
            f"fall detected, not cancelled within {self._cancel_s:g} s; peak {peak:.1f} g",
            detected_at=pending.detected_at,
            rate_hz=self._rate,
            samples=[(round(x, 3), round(y, 3), round(z, 3)) for x, y, z in pending.samples],
            impact_index=min(pending.impact_index, max(0, len(pending.samples) - 1)),
        )

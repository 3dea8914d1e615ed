"""The wearable's life: is it worn, and when will its battery die. Pure, on an injected clock.

* Not worn: no motion for `not_worn_s` while it should be worn raises a `not_worn` alert;
  motion (or the end of the wear hours) clears it with a `not_worn.cleared` event. A frame
  moves if its magnitude strays more than `motion_g` from the frame's mean (a device on a
  table only shows sensor noise; a sleeping wearer still breathes); frames the wearable
  itself flags as off the body never count as motion.
* Battery: the drain rate is a least-squares line through the readings of the last
  `battery_window_s`; when that line reaches 0 % within `battery_warn_s`, a
  `battery_dying` alert says when, before it happens. Charging, or a prediction beyond
  1.5 x `battery_warn_s`, clears it with `battery_dying.cleared`.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from common.clock import Clock
from common.messages import Severity
from hardware.wearable import AccelFrame

_CLEAR_MARGIN = 1.5  # hysteresis: a prediction must be this much later to clear
_MIN_READINGS = 3


class WearSink(Protocol):
    """Where the watch reports (the agent, through the fall monitor)."""

    def event(self, sensor: str, name: str, detail: str = "") -> None:
        """Queue an event."""
        ...

    def alert(self, sensor: str, name: str, severity: Severity, detail: str) -> None:
        """Queue an alert (never dropped)."""
        ...


@dataclass(frozen=True)
class WearSettings:
    """When to call the wearable not worn, and how early to warn of a dying battery."""

    not_worn_s: float = 1800.0
    motion_g: float = 0.02
    battery_warn_s: float = 6 * 3600.0
    battery_window_s: float = 6 * 3600.0

    def __post_init__(self) -> None:
        """Times and thresholds are positive."""
        values = (self.not_worn_s, self.motion_g, self.battery_warn_s, self.battery_window_s)
        if min(values) <= 0:
            msg = "wear settings must be positive"
            raise ValueError(msg)


def always(_now: float) -> bool:
    """The default wear schedule: it should always be worn."""
    return True


def never(_now: float) -> bool:
    """No wear schedule: the "not worn" alarm is off."""
    return False


def hours(start: int, end: int) -> Callable[[float], bool]:
    """Worn from local hour `start` until `end` (wrapping past midnight when end < start)."""
    if (start, end) in {(0, 24), (0, 0)}:
        return always

    def should_wear(now: float) -> bool:
        hour = time.localtime(now).tm_hour
        return start <= hour < end if start <= end else hour >= start or hour < end

    return should_wear


class WearWatch:
    """Watches frames and battery readings; `tick` raises and clears the alarms."""

    def __init__(
        self,
        *,
        sensor: str,
        clock: Clock,
        sink: WearSink,
        settings: WearSettings | None = None,
        should_wear: Callable[[float], bool] = always,
    ) -> None:
        """Nothing is judged until `tick`; the wear clock starts now."""
        self.sensor = sensor
        self._clock = clock
        self._sink = sink
        self.settings = settings or WearSettings()
        self._should_wear = should_wear
        self.last_motion_at = clock.now()
        self._readings: deque[tuple[float, float]] = deque()
        self.not_worn = False
        self.battery_dying = False
        self.empty_at: float | None = None

    def on_frame(self, frame: AccelFrame) -> None:
        """Note motion in a frame the wearable says is worn."""
        if not frame.worn or not frame.samples:
            return
        mags = [math.sqrt(x * x + y * y + z * z) for x, y, z in frame.samples]
        mean = sum(mags) / len(mags)
        if max(abs(m - mean) for m in mags) > self.settings.motion_g:
            self.last_motion_at = self._clock.now()

    def on_battery(self, percent: float) -> None:
        """A battery reading; a rise means charging and starts the drain estimate afresh."""
        now = self._clock.now()
        if self._readings and percent > self._readings[-1][1]:
            self._readings.clear()
        self._readings.append((now, percent))
        while self._readings and now - self._readings[0][0] > self.settings.battery_window_s:
            self._readings.popleft()

    def tick(self) -> None:
        """Raise or clear the alarms for the present moment (call every second or so)."""
        now = self._clock.now()
        self._judge_wear(now)
        self._judge_battery(now)

    def _judge_wear(self, now: float) -> None:
        still_s = now - self.last_motion_at
        off = self._should_wear(now) and still_s >= self.settings.not_worn_s
        if off and not self.not_worn:
            self.not_worn = True
            self._sink.alert(
                self.sensor,
                "not_worn",
                Severity.WARNING,
                f"no motion for {still_s / 60:.0f} min: the wearable seems not to be worn",
            )
        elif not off and self.not_worn:
            self.not_worn = False
            self._sink.event(self.sensor, "not_worn.cleared", "the wearable moves again")

    def predict_empty_at(self) -> float | None:
        """When the drain line reaches 0 %, or None while not draining (or too few readings)."""
        if len(self._readings) < _MIN_READINGS:
            return None
        times = [t for t, _ in self._readings]
        levels = [p for _, p in self._readings]
        t0 = times[0]
        mean_t = sum(t - t0 for t in times) / len(times)
        mean_p = sum(levels) / len(levels)
        var = sum((t - t0 - mean_t) ** 2 for t in times)
        if var <= 0:
            return None
        slope = sum((t - t0 - mean_t) * (p - mean_p) for t, p in zip(times, levels, strict=True))
        slope /= var
        if slope >= 0:
            return None
        return t0 + mean_t - mean_p / slope

    def _judge_battery(self, now: float) -> None:
        self.empty_at = self.predict_empty_at()
        left = None if self.empty_at is None else self.empty_at - now
        warn = self.settings.battery_warn_s
        if left is not None and left <= warn and not self.battery_dying:
            self.battery_dying = True
            self._sink.alert(
                self.sensor,
                "battery_dying",
                Severity.WARNING,
                f"the wearable's battery will be empty in about {max(0.0, left) / 3600:.1f} h"
                " at its present drain: charge it",
            )
        elif self.battery_dying and (left is None or left > _CLEAR_MARGIN * warn):
            self.battery_dying = False
            self._sink.event(self.sensor, "battery_dying.cleared", "charging, or draining slowly")

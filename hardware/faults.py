"""Detect readings that are implausible even though each one decodes fine."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

Sample = tuple[float, float, float]


@dataclass
class StuckDetector:
    """A sensor whose value has not moved at all for `window_s` is stuck.

    Frozen firmware or a jammed platform gives the same reading forever; a working load
    cell or scale always shows some noise or use.
    """

    window_s: float
    tolerance: float = 0.0
    _since: float | None = field(init=False, default=None)
    _value: float | None = field(init=False, default=None)

    def feed(self, at: float, value: float) -> bool:
        """Add a reading; True while the sensor counts as stuck."""
        if self._value is None or abs(value - self._value) > self.tolerance:
            self._value, self._since = value, at
            return False
        return self._since is not None and at - self._since >= self.window_s

    def reset(self) -> None:
        """Forget the history (after an unreadable interval)."""
        self._value = self._since = None

    def unchanged_s(self, now: float) -> float:
        """For how long the value has not changed (0 without history)."""
        return 0.0 if self._since is None else now - self._since


def saturated_fraction(samples: Sequence[Sample], range_g: float) -> float:
    """Share of samples with an axis at the end of the accelerometer's range."""
    if not samples:
        return 0.0
    limit = range_g * 0.995
    return sum(1 for s in samples if max(abs(v) for v in s) >= limit) / len(samples)


def is_flatline(samples: Sequence[Sample], tolerance_g: float = 1e-4) -> bool:
    """True when every sample is identical: a live accelerometer always shows noise."""
    if len(samples) < 2:  # noqa: PLR2004
        return False
    first = samples[0]
    return all(
        max(abs(a - b) for a, b in zip(s, first, strict=True)) <= tolerance_g
        for s in itertools.islice(samples, 1, None)
    )


@dataclass
class AccelHealth:
    """Watches a stream of samples for saturation and flat lines over a sliding window."""

    range_g: float
    window: int = 200
    saturated_above: float = 0.5
    _recent: deque[Sample] = field(init=False)

    def __post_init__(self) -> None:
        self._recent = deque(maxlen=self.window)

    def feed(self, samples: Sequence[Sample]) -> str | None:
        """Add samples; returns a fault description, or None when the signal looks alive."""
        self._recent.extend(samples)
        if len(self._recent) < self.window:
            return None
        if saturated_fraction(self._recent, self.range_g) > self.saturated_above:
            return f"accelerometer saturated at +-{self.range_g:g} g"
        if is_flatline(self._recent):
            return "accelerometer output is flat: the sensor is stuck"
        return None

"""A cartridge's consumption from its level line within the cartridge now installed (pure).

Printers report levels coarsely (HP: 10 % steps) and irregularly (they sleep). A least-squares
line through the current cartridge's readings over a recent window gives the pace; a jump up
of `refill` points is a new cartridge and starts a new line. Same surface as
`cloud.decide.learning.RateLearner`, so the engine treats both alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cloud.decide.learning import DAY, Prior, RateEstimate

Point = tuple[float, float]  # (epoch seconds, percent)


def fit(points: Sequence[Point]) -> tuple[float, float, float]:
    """Least-squares line level = a + b * (t - t0); returns (a, b per second, rms residual)."""
    n = len(points)
    t0 = points[0][0]
    xs = [t - t0 for t, _ in points]
    ys = [level for _, level in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = 0.0 if sxx == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    rms = math.sqrt(sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys, strict=True)) / n)
    return a, b, rms


@dataclass(frozen=True, slots=True)
class LevelLine:
    """Incremental level line of one cartridge (immutable: `update` returns a new one)."""

    refill: float  # points up that mean a new cartridge
    window_s: float = 14 * DAY  # only recent consumption counts
    max_points: int = 96
    max_residual: float = 6.0  # percentage points (RMS) around the line
    points: tuple[Point, ...] = ()
    rises: tuple[float, ...] = ()  # times a new cartridge went in
    last_at: float | None = None
    last_level: float | None = None

    def update(self, at: float, level: float, *, away: bool = False) -> LevelLine:
        """Learn from one reading (`away` does not matter: a printer idles when nobody is in)."""
        del away
        if self.last_at is not None and at <= self.last_at:
            return self
        moved = replace(self, last_at=at, last_level=level)
        if self.last_level is not None and level - self.last_level >= self.refill:
            return replace(moved, points=((at, level),), rises=(*self.rises[-19:], at))
        kept = tuple(p for p in self.points if p[0] >= at - self.window_s)
        if len(kept) >= 2 and kept[-1][1] == level == kept[-2][1]:  # noqa: PLR2004
            kept = kept[:-1]  # a flat step: its first and latest readings say it all
        return replace(moved, points=(*kept, (at, level))[-self.max_points :])

    def rises_since(self, since: float) -> int:
        """How many new cartridges since `since`."""
        return sum(1 for t in self.rises if t >= since)

    def estimate(self, prior: Prior | None = None) -> RateEstimate:
        """The pace of the line, with the doubts a customer should hear about."""
        pts = self.points
        span_days = (pts[-1][0] - pts[0][0]) / DAY if len(pts) >= 2 else 0.0  # noqa: PLR2004
        if span_days <= 0:
            if prior is None:
                return RateEstimate(0.0, 0.0)
            return RateEstimate(prior.mean, prior.std, source="population")
        _, slope, rms = fit(pts)
        mean = max(-slope * DAY, 0.0)
        # The day-to-day spread a line cannot see: at least 30 % of the pace, more when the
        # readings scatter around the line.
        std = max(0.3 * mean, rms / max(span_days, 0.25))
        doubts: tuple[str, ...] = ()
        if rms > self.max_residual:
            doubts = (f"readings scatter {rms:.1f} points around the trend",)
        return RateEstimate(mean, std, observed_days=span_days, source="own", doubts=doubts)

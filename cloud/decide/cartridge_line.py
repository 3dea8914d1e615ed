"""Consumption rate and run-out forecasts from a supply's level history (pure).

A level that jumps up by at least `refill_jump` points means a new cartridge: the history
is cut into episodes there, and only the current episode is used for the forecast.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, int]  # (epoch seconds, percent)
DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class ForecastPolicy:
    """When a forecast is good enough to act on."""

    min_points: int = 4
    min_span_s: float = 6 * 3600.0
    stale_after_s: float = 2 * DAY
    max_residual: float = 6.0  # percentage points (RMS) around the fitted line
    refill_jump: int = 10  # percentage points up = a new cartridge
    window_s: float = 14 * DAY  # only recent consumption counts
    max_refills: int = 2  # more apparent cartridge changes in the window is contradictory


@dataclass(frozen=True, slots=True)
class Forecast:
    """A fitted consumption rate and when the supply runs out, with why it can(not) be trusted."""

    points: int
    span_s: float
    rate_per_day: float | None
    runout_at: float | None
    residual: float | None
    confident: bool
    why_not: str


def current_episode(history: Sequence[Point], *, refill_jump: int) -> tuple[int, Sequence[Point]]:
    """Split off the current cartridge: (index where it starts, its points)."""
    start = 0
    for i in range(1, len(history)):
        if history[i][1] - history[i - 1][1] >= refill_jump:
            start = i
    return start, history[start:]


def _fit(points: Sequence[Point]) -> tuple[float, float, float]:
    """Least-squares line level = a + b * t; returns (a, b, rms residual)."""
    n = len(points)
    t0 = points[0][0]
    xs = [(t - t0) for t, _ in points]
    ys = [float(level) for _, level in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = 0.0 if sxx == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    rms = math.sqrt(sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys, strict=True)) / n)
    return a - b * t0, b, rms


def refills(history: Sequence[Point], *, since: float, refill_jump: int) -> int:
    """How many times the level jumped up like a new cartridge after `since`."""
    return sum(
        1
        for before, after in itertools.pairwise(history)
        if after[0] >= since and after[1] - before[1] >= refill_jump
    )


def forecast(
    episode: Sequence[Point], *, now: float, policy: ForecastPolicy, refills_in_window: int = 0
) -> Forecast:
    """Fit the episode's recent points and say when the level reaches zero."""
    recent = [p for p in episode if p[0] >= now - policy.window_s]
    if len(recent) < 2 and refills_in_window <= policy.max_refills:  # noqa: PLR2004
        return Forecast(
            len(recent),
            0.0,
            None,
            None,
            None,
            confident=False,
            why_not=f"only {len(recent)} reading(s) of this cartridge",
        )
    span = recent[-1][0] - recent[0][0]
    a, slope, rms = _fit(recent)
    rate = -slope * DAY
    runout = None
    if rate > 0:
        runout = max(now, -a / slope if slope else math.inf)
        runout = min(runout, now + 3650 * DAY)
    reasons = []
    if len(recent) < policy.min_points:
        reasons.append(f"{len(recent)} readings, fewer than {policy.min_points}")
    if span < policy.min_span_s:
        reasons.append(
            f"readings span {span / 3600:.1f} h, less than {policy.min_span_s / 3600:.1f} h"
        )
    if now - recent[-1][0] > policy.stale_after_s:
        reasons.append(f"last reading {(now - recent[-1][0]) / 3600:.1f} h old")
    if rms > policy.max_residual:
        reasons.append(f"readings scatter {rms:.1f} points around the trend")
    if rate <= 0:
        reasons.append("no consumption measured")
    if refills_in_window > policy.max_refills:
        reasons.append(
            f"level jumped up {refills_in_window} times in {policy.window_s / DAY:g} days; "
            "the readings contradict each other"
        )
    return Forecast(
        len(recent), span, rate, runout, rms, confident=not reasons, why_not="; ".join(reasons)
    )

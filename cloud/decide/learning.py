"""What Continuo learns from repeat: per-customer consumption and population priors (pure).

A `RateLearner` turns one need's level readings (percent of a cartridge, grams on a scale)
into a daily consumption rate with its spread and its weekly pattern. A new customer starts
from the population's prior for the product, so their first forecast is good before their own
history exists; their own readings take over as they accumulate.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

DAY = 86_400.0
WEEK_DAYS = 7
FLAT_WEEK = (1.0,) * WEEK_DAYS


@dataclass(frozen=True, slots=True)
class Prior:
    """What the population says about a product's consumption, per customer-day."""

    mean: float
    std: float
    weight: float = 3.0  # worth this many days of the customer's own readings


@dataclass(frozen=True, slots=True)
class RateEstimate:
    """A consumption rate in units per day, its day-to-day spread and weekly pattern."""

    mean: float
    std: float
    weekday: tuple[float, ...] = FLAT_WEEK  # Monday first; averages 1.0
    observed_days: float = 0.0
    source: str = "none"  # "own", "own+population" or "population"
    doubts: tuple[str, ...] = ()  # what the estimator itself does not trust
    peak: float = 0.0  # how far a heavy day (a party, guests) lately went above the pace

    @property
    def known(self) -> bool:
        """Whether there is anything to forecast from."""
        return self.source != "none"


@dataclass(frozen=True, slots=True)
class RateLearner:
    """Incremental, exponentially weighted learner for one need (immutable: update returns one).

    Readings are (epoch seconds, level). A rise of `refill` units or more is a new pack, not
    negative consumption; when the size of a pack is known (`pack`), the use across it (what
    the old pack lost plus what the new one lost) is learned too, because the days a pack runs
    out are the heavy ones, and skipping them would learn a pace and a spread that are too
    low. Intervals the household was away are not learned from.
    """

    refill: float
    pack: float = 0.0  # a new pack's size in the same units; 0: unknown, rises not learned from
    half_life_days: float = 28.0
    peak_half_life_days: float = 91.0  # heavy days are rare: remember them for a season
    last_at: float | None = None
    last_level: float | None = None
    mean: float = 0.0
    var: float = 0.0
    days: float = 0.0
    weekday_sum: tuple[float, ...] = (0.0,) * WEEK_DAYS
    weekday_days: tuple[float, ...] = (0.0,) * WEEK_DAYS
    rises: tuple[float, ...] = ()  # times the level rose like a new pack
    peak: float = 0.0  # the largest excess of one day's use over the pace, fading

    def update(self, at: float, level: float, *, away: bool = False) -> RateLearner:
        """Learn from one reading."""
        if self.last_at is None or self.last_level is None or at <= self.last_at:
            if self.last_at is not None and at <= self.last_at:
                return self
            return replace(self, last_at=at, last_level=level)
        span_days = (at - self.last_at) / DAY
        used = self.last_level - level
        moved = replace(self, last_at=at, last_level=level)
        if -used >= self.refill:
            moved = replace(moved, rises=(*self.rises[-19:], at))
            if not 0 <= used + self.pack < self.pack:  # more than one pack, or none known
                return moved
            used += self.pack
        if away or span_days > 7:  # noqa: PLR2004 - a week-long gap says little about a day
            return moved
        daily = used / span_days
        decay = 0.5 ** (span_days / self.half_life_days)
        days = self.days * decay + span_days
        w = span_days / days
        mean = self.mean + w * (daily - self.mean)
        var = (1 - w) * (self.var + w * (daily - self.mean) ** 2)
        weekday = int((self.last_at + at) / 2 // DAY + 3) % WEEK_DAYS  # 1970-01-01 was Thursday
        sums = list(self.weekday_sum)
        counts = list(self.weekday_days)
        for i in range(WEEK_DAYS):
            sums[i] *= decay
            counts[i] *= decay
        sums[weekday] += used
        counts[weekday] += span_days
        peak = self.peak * 0.5 ** (span_days / self.peak_half_life_days)
        if span_days <= 1.5 and self.days >= 3:  # noqa: PLR2004 - one day's reading, a pace known
            peak = max(peak, daily - self.mean)
        return replace(
            moved,
            mean=mean,
            var=var,
            days=days,
            weekday_sum=tuple(sums),
            weekday_days=tuple(counts),
            peak=peak,
        )

    def rises_since(self, since: float) -> int:
        """How many apparent new packs since `since`."""
        return sum(1 for t in self.rises if t >= since)

    def estimate(self, prior: Prior | None = None) -> RateEstimate:
        """The rate to forecast with: the customer's own, shrunk toward the population's."""
        own_w = self.days
        if prior is None and own_w <= 0:
            return RateEstimate(0.0, 0.0)
        w = 1.0
        if prior is None:
            mean, var, source = self.mean, self.var, "own"
        elif own_w <= 0:
            mean, var, source = prior.mean, prior.std**2, "population"
        else:
            w = own_w / (own_w + prior.weight)
            mean = w * self.mean + (1 - w) * prior.mean
            var = w * self.var + (1 - w) * prior.std**2
            source = "own+population"
        return RateEstimate(
            max(mean, 0.0),
            math.sqrt(max(var, 0.0)),
            self._weekday(),
            own_w,
            source,
            peak=w * self.peak if own_w > 0 else 0.0,
        )

    def _weekday(self) -> tuple[float, ...]:
        if min(self.weekday_days) < 2:  # noqa: PLR2004 - two of each weekday before trusting
            return FLAT_WEEK
        rates = [s / d for s, d in zip(self.weekday_sum, self.weekday_days, strict=True)]
        average = sum(rates) / WEEK_DAYS
        if average <= 0:
            return FLAT_WEEK
        return tuple(min(max(r / average, 0.2), 3.0) for r in rates)


@dataclass
class Population:
    """Learning across customers: consumption priors, demand per week, bought together."""

    rates: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    demand: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    baskets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def observe_rate(self, product_kind: str, rate_per_day: float) -> None:
        """A customer's learned daily consumption of one kind of product."""
        if rate_per_day > 0 and math.isfinite(rate_per_day):
            self.rates[product_kind].append(rate_per_day)

    def observe_order(self, customer: str, sku: str, at: float, quantity: int = 1) -> None:
        """One order, for demand per product and week and for "bought together"."""
        self.demand[(sku, int(at // (WEEK_DAYS * DAY)))] += quantity
        self.baskets[customer].add(sku)

    def prior(self, product_kind: str, *, min_customers: int = 5) -> Prior | None:
        """Median rate and robust spread of a kind, once enough customers have taught it."""
        values = self.rates.get(product_kind, [])
        if len(values) < min_customers:
            return None
        median = statistics.median(values)
        spread = statistics.median(abs(v - median) for v in values) * 1.4826
        return Prior(median, max(spread, median * 0.25))

    def bought_together(self, sku: str, *, top: int = 3) -> list[tuple[str, float]]:
        """Products most often bought by customers who buy `sku`, with the share who do."""
        holders = [b for b in self.baskets.values() if sku in b]
        if not holders:
            return []
        counts: dict[str, int] = defaultdict(int)
        for basket in holders:
            for other in basket - {sku}:
                counts[other] += 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [(other, n / len(holders)) for other, n in ranked]


def cadence_days(order_times: Sequence[float]) -> float | None:
    """The customer's usual days between orders of one need (median), once there are three."""
    if len(order_times) < 3:  # noqa: PLR2004
        return None
    gaps = [(b - a) / DAY for a, b in itertools.pairwise(order_times)]
    return statistics.median(gaps)

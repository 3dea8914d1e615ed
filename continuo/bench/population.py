"""The population benchmark: simulated households through the real decision engine.

Each household has one to three needs (ink or toner, milk, pet food, coffee, medication) with
its own pace, weekly pattern, bursts, holidays (told to Continuo through a shared calendar,
or not), sensors that go offline and, for printers, a cartridge sometimes installed early from
elsewhere. Households join through the first half of the year, so the population's priors
matter. Every strategy sees the same demand, day by day:

Orders go out at the end of a day, after that day's reading; deliveries come at midday on
the promised day, or a day early three times in ten.

- ``buy_what_we_have``: the customer orders when the item is empty and waits for delivery.
- ``naive_threshold``: order when the sensor reads 10 % or less.
- ``continuo_auto``: automatic execution by `cloud.decide.engine.decide`, each need learned by
  its kind's estimator from `cloud.decide.kinds.KINDS` (a cartridge's level line, a scale's
  learned rate) with the population's priors: the very path production runs. When it asks
  instead of ordering, the customer says yes the next day four times in five.
- ``continuo_coach``: the same engine coaching; the customer follows a reminder the next day
  seven times in ten.

The engine's snapshot is production's (`cloud.needs.facts.snapshot_of`, the builder the
backend runs on its rows) and orders live production's life in memory
(`cloud.orders.lifecycle`): an automatic order is held for its cancel window, released,
delivered, and closes its need's loop only when the sensor has seen its packs go in; an order
the customer places holds no open-order key, as in the backend. A customer never orders while
an order of theirs is on its way or a pack is unopened; an order placed while another of the
same need is on its way counts as a duplicate.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from cloud.decide.engine import Ask, Decision, PlaceOrder, Policy, Product, Remind, decide, quantity
from cloud.decide.kinds import KINDS as KINDS_TABLE
from cloud.decide.kinds import Estimator
from cloud.decide.learning import DAY, Population, RateEstimate
from cloud.needs.facts import HouseholdFacts, NeedFacts, snapshot_of
from cloud.orders import lifecycle
from cloud.orders.fulfilment import ShipmentStatus
from cloud.orders.lifecycle import OrderState
from cloud.terms import Experience, NeedKind, OrderSource, OrderStatus

STRATEGIES = ("buy_what_we_have", "naive_threshold", "continuo_auto", "continuo_coach")
T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z, a Thursday
CHUNK = 250  # customers simulated together (they share the population's learning)
EVENING = DAY - 60  # the engine decides at the end of a day
READ_AHEAD_S = 60.0  # the day's reading comes in a minute before the engine decides
MIDDAY = DAY / 2  # deliveries come, and held orders have been released, by then


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of need: pack size, pace range (units/day), noise, delivery time."""

    name: str
    product: Product
    rate_range: tuple[float, float]
    cv: float
    reading_noise: float
    need_kind: NeedKind
    step: float = 0.0  # readings come in steps of this much (an HP printer: 10 %)
    share: float = 1.0


KINDS = (
    Kind(
        "ink",
        Product("INK-1", "ink cartridge", 100.0, 2999, 3 * DAY),
        (0.6, 3.0),
        0.6,
        0.0,
        need_kind=NeedKind.CARTRIDGE,
        step=10.0,
        share=0.25,
    ),
    Kind(
        "toner",
        Product("TONER-1", "toner cartridge", 100.0, 8999, 3 * DAY),
        (0.15, 0.8),
        0.5,
        0.0,
        need_kind=NeedKind.CARTRIDGE,
        step=1.0,
        share=0.10,
    ),
    Kind(
        "milk",
        Product("MILK-1G", "milk, 1 gallon", 3900.0, 429, 1 * DAY),
        (300.0, 1400.0),
        0.35,
        5.0,
        need_kind=NeedKind.MILK,
        share=0.25,
    ),
    Kind(
        "pet_food",
        Product("PET-7KG", "dry dog food, 7 kg", 7000.0, 3899, 2 * DAY),
        (90.0, 400.0),
        0.15,
        5.0,
        need_kind=NeedKind.PET_FOOD,
        share=0.15,
    ),
    Kind(
        "coffee",
        Product("COF-1KG", "coffee beans, 1 kg", 1000.0, 1799, 2 * DAY),
        (15.0, 60.0),
        0.4,
        2.0,
        need_kind=NeedKind.COFFEE,
        share=0.15,
    ),
    Kind(
        "medication",
        Product("MED-90", "90 tablets", 45.0, 1200, 3 * DAY),
        (0.5, 1.0),
        0.05,
        0.2,
        need_kind=NeedKind.MEDICATION,
        share=0.10,
    ),
)


@dataclass
class Need:
    """One simulated need: its true daily demand and, per strategy, its state."""

    kind: Kind
    demand: list[float]
    offline: list[bool]
    early_install: list[bool]
    pace: float  # the household's typical daily use on a day at home


@dataclass
class Household:
    """One simulated customer."""

    id: str
    joined: int
    needs: list[Need]
    absences: list[tuple[int, int]]  # [first day, last day + 1)
    shares_calendar: bool
    spend_cap_cents: int | None


def _household(seed: int, index: int, days: int) -> Household:
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - a simulation, not security
    joined = rng.randrange(0, max(days // 2, 1))
    absences = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        start = rng.randrange(0, days)
        absences.append((start, start + rng.randint(4, 14)))
    weekend = rng.uniform(0.6, 1.6)
    kinds = rng.choices(KINDS, weights=[k.share for k in KINDS], k=rng.randint(1, 3))
    needs = []
    for kind in dict.fromkeys(kinds):
        lo, hi = kind.rate_range
        pace = math.exp(rng.uniform(math.log(lo), math.log(hi)))
        demand, offline, early = [], [], []
        down_until = -1
        for day in range(days):
            weekday = (day + 3) % 7
            away = any(a <= day < b for a, b in absences)
            factor = weekend if weekday >= 5 else 1.0  # noqa: PLR2004
            if rng.random() < 0.03:  # noqa: PLR2004 - guests, a party, a big print job
                factor *= rng.uniform(2.0, 4.0)
            shape = 1 / (kind.cv**2)
            use = 0.0 if away else pace * factor * rng.gammavariate(shape, 1 / shape)
            demand.append(use)
            if rng.random() < 0.006:  # noqa: PLR2004 - a few outages a year
                down_until = day + rng.randint(2, 6)
            offline.append(day <= down_until)
            early.append(kind.need_kind is NeedKind.CARTRIDGE and rng.random() < 0.004)  # noqa: PLR2004
        used = [d for d in demand if d > 0]
        needs.append(Need(kind, demand, offline, early, statistics.fmean(used) if used else pace))
    cap = rng.choice((None, None, None, 15000))
    return Household(f"c{index}", joined, needs, absences, rng.random() < 0.7, cap)  # noqa: PLR2004


@dataclass
class NeedRun:
    """One need's state under one strategy: the household's cupboard and the backend's rows."""

    on_hand: float
    spares: int = 0  # delivered packs not opened yet
    coming: dict[str, int] = field(default_factory=dict)  # order id -> the day it arrives
    orders: dict[str, OrderState] = field(default_factory=dict)  # every order, oldest first
    learner: Estimator | None = None
    kind_name: str = ""
    pending_yes: int | None = None  # the day the customer answers an ask / follows a nudge
    last_reminder: float | None = None
    last_ask: float | None = None
    last_level: float | None = None
    last_level_at: float | None = None

    def stocked(self) -> bool:
        """Whether the household knows of stock to come: an order on its way, a pack unopened."""
        return bool(self.coming) or self.spares > 0

    def since(self, start: float) -> Iterator[OrderState]:
        """Its orders placed at or after `start`, newest first."""
        return itertools.takewhile(lambda o: o.created_at >= start, reversed(self.orders.values()))


@dataclass
class Tally:
    """Per-strategy counters."""

    customer_days: int = 0
    stockout_days: int = 0
    orders: int = 0
    duplicates: int = 0  # placed while another order of the same need was on its way
    reminders: int = 0
    asks: int = 0
    supply_on_arrival: list[float] = field(default_factory=list)
    runout_error_days: list[float] = field(default_factory=list)
    empty_house_deliveries: int = 0

    def merge(self, other: Tally) -> None:
        """Add another chunk's counts."""
        self.customer_days += other.customer_days
        self.stockout_days += other.stockout_days
        self.orders += other.orders
        self.duplicates += other.duplicates
        self.reminders += other.reminders
        self.asks += other.asks
        self.supply_on_arrival += other.supply_on_arrival
        self.runout_error_days += other.runout_error_days
        self.empty_house_deliveries += other.empty_house_deliveries


def _actual_runout(need: Need, day: int, level: float) -> float | None:
    """Days from the end of `day` until `level` is used up by the true demand."""
    used = 0.0
    for later in range(day + 1, len(need.demand)):
        if need.demand[later] > 0 and used + need.demand[later] >= level:
            return later - day - 1 + (level - used) / need.demand[later]
        used += need.demand[later]
    return None


class _Run:
    """One strategy over one chunk of households, day by day."""

    def __init__(
        self, strategy: str, households: Sequence[Household], days: int, policy: Policy
    ) -> None:
        self.strategy = strategy
        self.households = households
        self.days = days
        self.tally = Tally()
        self.population = Population()
        self.policy = policy
        self.state = {
            (h.id, i): NeedRun(on_hand=n.kind.product.pack_units * 0.7)
            for h in households
            for i, n in enumerate(h.needs)
        }

    def run(self) -> Tally:
        for day in range(self.days):
            if day % 7 == 0:
                self._refresh_priors()
            for h in self.households:
                if day < h.joined:
                    continue
                self.tally.customer_days += 1
                for i, need in enumerate(h.needs):
                    self._day(h, i, need, day)
        return self.tally

    def _refresh_priors(self) -> None:
        self.population = Population()
        for st in self.state.values():
            own = None if st.learner is None else st.learner.estimate()
            if own is not None and own.observed_days >= 14:  # noqa: PLR2004
                self.population.observe_rate(st.kind_name, own.mean)

    def _order(
        self,
        h: Household,
        need: Need,
        st: NeedRun,
        day: int,
        qty: int,
        *,
        source: OrderSource,
        cancel_until: float | None = None,
        after_day: int | None = None,
    ) -> None:
        """Place an order as the backend does, and fix the day the provider delivers it."""
        if st.coming:
            self.tally.duplicates += 1
        now = T0 + day * DAY + EVENING
        order = lifecycle.place(
            order_id=f"{h.id}/{need.kind.name}/{len(st.orders)}",
            need_id=f"{h.id}/{need.kind.name}",
            source=source,
            quantity=qty,
            price_cents=qty * need.kind.product.price_cents,
            cancel_until=cancel_until,
            now=now,
        )
        if order.status is not OrderStatus.HELD:  # handed to the provider at once
            order = lifecycle.track(order, ShipmentStatus.PLACED, now)
        st.orders[order.id] = order
        lead_days = round(need.kind.product.lead_s / DAY)
        early = _chance(h.id, day, need.kind.name) < 0.3  # noqa: PLR2004
        arrive = day + max(1, lead_days - (1 if early else 0))
        if after_day is not None:
            arrive = max(arrive, after_day)
        st.coming[order.id] = arrive
        self.tally.orders += 1

    def _customer_order(self, h: Household, need: Need, st: NeedRun, day: int) -> None:
        """The customer orders themselves, unless they know of stock to come."""
        if not st.stocked():
            self._order(h, need, st, day, self._qty(need, day), source=OrderSource.API)

    def _day(self, h: Household, i: int, need: Need, day: int) -> None:
        st = self.state[(h.id, i)]
        kind = need.kind
        pack = kind.product.pack_units
        away = any(a <= day < b for a, b in h.absences)
        if need.early_install[day] and st.on_hand < 0.3 * pack:
            st.on_hand = pack  # a cartridge from the shop, put in early
        # Deliveries come at midday: the morning is used from what is left.
        short = self._consume(st, need.demand[day] / 2, pack)
        self._midday(need, st, day, away=away)
        short = self._consume(st, need.demand[day] / 2, pack) or short
        if short:
            self.tally.stockout_days += 1
        reading: float | None = None
        if not need.offline[day]:
            noise = (_chance(h.id, i, day) - 0.5) * 3.4 * kind.reading_noise
            reading = max(st.on_hand + noise, 0.0)
            if kind.step:
                reading = float(math.floor(reading / kind.step) * kind.step)
        self._decide(h, need, st, day, reading, away=away, short=short)

    def _decide(
        self,
        h: Household,
        need: Need,
        st: NeedRun,
        day: int,
        reading: float | None,
        *,
        away: bool,
        short: bool,
    ) -> None:
        pack = need.kind.product.pack_units
        if self.strategy == "buy_what_we_have":
            if short:
                self._customer_order(h, need, st, day)
            return
        if self.strategy == "continuo_coach" and short and not st.stocked():
            self._customer_order(h, need, st, day)  # they notice it is empty
            return
        if self.strategy == "naive_threshold":
            if reading is not None and reading <= 0.1 * pack:
                self._customer_order(h, need, st, day)
            return
        self._engine(h, need, st, day, reading, away=away)

    def _midday(self, need: Need, st: NeedRun, day: int, *, away: bool) -> None:
        """Held orders past their cancel window go to the provider; what is due arrives."""
        now = T0 + day * DAY + MIDDAY
        for order_id in st.coming:
            order = st.orders[order_id]
            if lifecycle.releasable(order, now):
                released = lifecycle.release(order, now)
                st.orders[order_id] = lifecycle.track(released, ShipmentStatus.PLACED, now)
        for order_id, arrive in list(st.coming.items()):
            if arrive != day:
                continue
            del st.coming[order_id]
            order = st.orders[order_id]
            if lifecycle.tracked(order):  # not when its loop closed before it came
                st.orders[order_id] = lifecycle.track(order, ShipmentStatus.DELIVERED, now)
            st.spares += order.quantity
            self.tally.supply_on_arrival.append(st.on_hand / need.pace)
            if away:
                self.tally.empty_house_deliveries += 1

    @staticmethod
    def _consume(st: NeedRun, use: float, pack: float) -> bool:
        """Use a day's demand, opening spares; True if some of it could not be met."""
        while use > 0:
            take = min(use, st.on_hand)
            st.on_hand -= take
            use -= take
            if use <= 0:
                break
            if not st.spares:
                return True
            st.spares -= 1
            st.on_hand += pack
        return False

    def _qty(self, need: Need, day: int) -> int:
        rate = statistics.fmean(need.demand[max(0, day - 28) : day + 1])
        return quantity(RateEstimate(rate, 0.0, source="own"), need.kind.product)

    def _engine(
        self, h: Household, need: Need, st: NeedRun, day: int, reading: float | None, *, away: bool
    ) -> None:
        now = T0 + day * DAY + EVENING
        kind = need.kind
        described = KINDS_TABLE[kind.need_kind]
        if st.learner is None:
            st.learner = described.new_estimator(kind.product.pack_units)
            st.kind_name = kind.name
        learner = st.learner
        if reading is not None:
            read_at = now - READ_AHEAD_S
            before = learner
            learner = learner.update(read_at, reading, away=away and h.shares_calendar)
            st.learner = learner
            st.last_level, st.last_level_at = reading, read_at
            if lifecycle.saw_new_packs(before, learner):
                self._install(st, learner, now)
        if st.pending_yes == day:
            st.pending_yes = None
            self._customer_order(h, need, st, day)
        experience = Experience.AUTO if self.strategy == "continuo_auto" else Experience.COACH
        facts = NeedFacts(
            need_id=f"{h.id}/{kind.name}",
            kind=described.kind,
            experience=experience,
            product=kind.product,
            authorized=True,
            level=st.last_level,
            level_at=st.last_level_at,
            last_reminder_at=st.last_reminder,
            last_ask_at=st.last_ask,
        )
        snap = snapshot_of(
            facts,
            self._household(h, now),
            learner=learner,
            prior=self.population.prior(kind.name),
            orders=list(st.orders.values()),
            now=now,
            policy=self.policy,
        )
        self._apply(h, need, st, day, decide(snap, now, self.policy))

    @staticmethod
    def _install(st: NeedRun, learner: Estimator, now: float) -> None:
        """New packs on the sensor: the open order's loop closes once all its packs are in."""
        order = lifecycle.open_order(st.orders.values())
        if order is not None and lifecycle.in_use(order, learner):
            st.orders[order.id] = lifecycle.install(order, now)

    def _household(self, h: Household, now: float) -> HouseholdFacts:
        """What the backend knows of a household: its shared calendar, its month's spending."""
        start = lifecycle.month_start(now)
        month = itertools.chain.from_iterable(
            self.state[(h.id, i)].since(start) for i in range(len(h.needs))
        )
        return HouseholdFacts(
            absences=(
                tuple((T0 + a * DAY, T0 + b * DAY) for a, b in h.absences)
                if h.shares_calendar
                else ()
            ),
            spend_cap_cents=h.spend_cap_cents,
            spent_this_month_cents=lifecycle.spent_this_month(month, now),
        )

    def _apply(self, h: Household, need: Need, st: NeedRun, day: int, decision: Decision) -> None:
        now = T0 + day * DAY + EVENING
        for action in decision.actions:
            if isinstance(action, PlaceOrder):
                after = None
                if action.deliver_after is not None:
                    after = math.ceil((action.deliver_after - T0) / DAY)
                self._order(
                    h,
                    need,
                    st,
                    day,
                    action.quantity,
                    source=OrderSource.ENGINE,
                    cancel_until=action.cancel_until,
                    after_day=after,
                )
                self._score_forecast(need, st, day, decision.runout.expected_at, now)
            elif isinstance(action, Ask):
                st.last_ask = now
                self.tally.asks += 1
                if _chance(h.id, day, "ask") < 0.8:  # noqa: PLR2004
                    st.pending_yes = day + 1
            elif isinstance(action, Remind):
                st.last_reminder = now
                self.tally.reminders += 1
                if _chance(h.id, day, "nudge") < 0.7:  # noqa: PLR2004
                    st.pending_yes = day + 1
                    self._score_forecast(need, st, day, decision.runout.expected_at, now)

    def _score_forecast(
        self, need: Need, st: NeedRun, day: int, expected: float | None, now: float
    ) -> None:
        """Predicted against true run-out of what is on hand (no delivery counted)."""
        if expected is None:
            return
        actual = _actual_runout(need, day, st.on_hand)
        if actual is not None:
            self.tally.runout_error_days.append(abs((expected - now) / DAY - actual))


def _chance(*key: object) -> float:
    """A uniform number fixed by `key`, the same in every process and run."""
    return zlib.crc32("/".join(map(str, key)).encode()) / 2**32


def _simulate_chunk(args: tuple[int, int, int, int, float]) -> dict[str, Tally]:
    seed, first, count, days, z = args
    households = [_household(seed, first + i, days) for i in range(count)]
    policy = Policy(service_z=z)
    return {s: _Run(s, households, days, policy).run() for s in STRATEGIES}


def _chunks(
    customers: int, seed: int, days: int, z: float
) -> Iterator[tuple[int, int, int, int, float]]:
    for first in range(0, customers, CHUNK):
        yield seed, first, min(CHUNK, customers - first), days, z


def simulate(
    *, customers: int, days: int, seed: int, workers: int = 1, service_z: float = Policy().service_z
) -> dict[str, Tally]:
    """Run every strategy on the same population; the result does not depend on `workers`."""
    totals = {s: Tally() for s in STRATEGIES}
    chunks = list(_chunks(customers, seed, days, service_z))
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_simulate_chunk, chunks))
    else:
        results = [_simulate_chunk(c) for c in chunks]
    for result in results:
        for strategy, tally in result.items():
            totals[strategy].merge(tally)
    return totals


def _p(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def metrics(totals: dict[str, Tally]) -> dict[str, dict[str, float | int | None]]:
    """The benchmark's figures per strategy."""
    out: dict[str, dict[str, float | int | None]] = {}
    for strategy, t in totals.items():
        years = t.customer_days / 365.0 or 1.0
        months = t.customer_days / 30.44 or 1.0
        out[strategy] = {
            "customer_days": t.customer_days,
            "stockout_days_per_1000": round(1000 * t.stockout_days / (t.customer_days or 1), 3),
            "supply_on_arrival_days_mean": (
                round(statistics.fmean(t.supply_on_arrival), 2) if t.supply_on_arrival else None
            ),
            "supply_on_arrival_days_median": _p(t.supply_on_arrival, 0.5),
            "duplicate_orders": t.duplicates,
            "orders_per_customer_year": round(t.orders / years, 2),
            "reminders_per_customer_month": round((t.reminders + t.asks) / months, 3),
            "runout_error_days_mae": (
                round(statistics.fmean(t.runout_error_days), 2) if t.runout_error_days else None
            ),
            "runout_error_days_p90": _p(t.runout_error_days, 0.9),
            "deliveries_to_empty_house": t.empty_house_deliveries,
        }
        median = out[strategy]["supply_on_arrival_days_median"]
        if isinstance(median, float):
            out[strategy]["supply_on_arrival_days_median"] = round(median, 2)
        p90 = out[strategy]["runout_error_days_p90"]
        if isinstance(p90, float):
            out[strategy]["runout_error_days_p90"] = round(p90, 2)
    return out


def markdown(figures: dict[str, dict[str, float | int | None]], *, header: str) -> str:
    """The benchmark as a Markdown table, strategies as columns."""
    rows = [
        ("stock-out days per 1,000 customer-days", "stockout_days_per_1000"),
        ("days of supply left when a delivery arrives (mean)", "supply_on_arrival_days_mean"),
        ("days of supply left when a delivery arrives (median)", "supply_on_arrival_days_median"),
        ("duplicate orders", "duplicate_orders"),
        ("orders per customer-year", "orders_per_customer_year"),
        ("reminders and asks per customer-month", "reminders_per_customer_month"),
        ("run-out forecast error, days (mean absolute)", "runout_error_days_mae"),
        ("run-out forecast error, days (90th percentile)", "runout_error_days_p90"),
        ("deliveries while the household was away", "deliveries_to_empty_house"),
    ]
    lines = [header, "", "| metric | " + " | ".join(STRATEGIES) + " |"]
    lines.append("|---|" + "---:|" * len(STRATEGIES))
    for label, key in rows:
        cells = ["–" if figures[s][key] is None else str(figures[s][key]) for s in STRATEGIES]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    base = figures["buy_what_we_have"]["stockout_days_per_1000"] or 0
    naive = figures["naive_threshold"]["stockout_days_per_1000"] or 0
    ours = figures["continuo_auto"]["stockout_days_per_1000"] or 0
    if ours:
        lines += [
            "",
            (
                f"Automatic execution has {_times(base, ours, 0)} stock-out days than buy what "
                f"we have and {_times(naive, ours, 1)} than the naive 10 % threshold."
            ),
        ]
    return "\n".join(lines) + "\n"


def _times(theirs: float, ours: float, digits: int) -> str:
    """How ours compares: "12x fewer" or, when ours is worse, "1.5x more"."""
    if ours <= theirs:
        return f"{theirs / ours:.{digits}f}x fewer"
    return f"{ours / theirs:.1f}x more" if theirs else "more"

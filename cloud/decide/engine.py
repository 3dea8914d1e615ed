"""The decision engine: one need, one snapshot, one time in; decisions with their reasons out.

Pure: no clock, no database, no randomness. The same snapshot and time give the same decisions,
so one backend worker or several decide alike, and the population benchmark runs the very
function the backend runs, for every kind of need (`cloud.decide.kinds` says what differs).
Each customer picks, per need, one of the four connected experiences (MISSION.md):

- respond to desire: nothing on its own; `decide_request` turns a press or a call into the
  exact order.
- curated offering: `offer` builds the short menu when the need comes up.
- coach behavior: reminders (run-out ahead, purchase cadence, idle printer), within quiet
  hours and one per need per period.
- automatic execution: an order before run-out, through every guard (authorization, consent,
  the confidence bar, the monthly spend cap, "you undid the last order", absences, a cancel
  window); a guard that wants the customer's word turns the order into an ask. Sparse, coarse
  or stale data never means silence: at or below the kind's critical level the level itself
  is the evidence, and the need orders or asks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from cloud.decide.learning import DAY, WEEK_DAYS, RateEstimate
from cloud.decide.reasons import VERSION, Estimate, Guard, Inputs, OrderTerms, Reason
from cloud.terms import Experience
from common.clock import utc

DAYS_PER_YEAR = 365.25
_NORMAL = NormalDist()

MODELS = {
    "own": "the need's own readings",
    "own+population": "the need's own readings, shrunk toward the population's prior",
    "population": "the population's prior for this kind (no readings of its own yet)",
    "none": "nothing learned yet",
}


@dataclass(frozen=True, slots=True)
class Policy:
    """How cautious the engine is; one policy for the whole fleet, tunable per need kind."""

    service_z: float = 2.3  # order when running out before the delivery is this unlikely
    review_s: float = DAY  # how long until the engine next looks (readings arrive daily)
    stale_after_s: float = 2 * DAY
    min_days: float = 2.0  # days of the customer's own readings when there is no prior
    max_rises: int = 2  # apparent new packs in `rise_window_s`: more contradicts itself
    rise_window_s: float = 14 * DAY
    max_cv: float = 4.0  # a spread this many times the mean is noise, not a pattern
    reminder_period_s: float = 3 * DAY
    ask_period_s: float = DAY  # an ask about an imminent run-out may come daily
    answer_s: float = DAY  # how long a customer may take to answer an ask
    orders_per_year: float = 12.0  # `service_z` holds per order at this pace; more: a wider one
    coach_cadence_lead_s: float = 7 * DAY
    idle_nudge_s: float = 14 * DAY
    idle_nudge_period_s: float = 30 * DAY
    cancel_window_s: float = 2 * 3600.0


@dataclass(frozen=True, slots=True)
class Product:
    """What is ordered for a need."""

    sku: str
    name: str
    pack_units: float  # how much one pack holds, in the need's units (percent or grams)
    price_cents: int
    lead_s: float  # the slowest promised delivery


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """An order not yet in use (placed, shipped or delivered but not installed)."""

    id: str
    placed_at: float
    status: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the engine may use about one need."""

    need_id: str
    kind: str  # a `cloud.terms.NeedKind`; what differs by kind is already in the fields below
    experience: Experience
    product: Product
    level: float | None  # units on hand at `level_at`; None when unknown
    level_at: float | None
    rate: RateEstimate
    authorized: bool = False  # the customer's authorization for automatic execution
    consented: bool = True  # the customer lets this stream be used for replenishment
    unit: str = ""
    critical_level: float = 0.0  # at or below it, act on whatever data there is
    idle_nudge: bool = False  # nudge maintenance after a long idle period
    open_order: OpenOrder | None = None
    rises_recent: int = 0  # the level rose like a new pack, and no delivery of ours explains it
    absences: tuple[tuple[float, float], ...] = ()
    spent_this_month_cents: int = 0
    spend_cap_cents: int | None = None
    last_reminder_at: float | None = None
    last_order_at: float | None = None
    cadence_days: float | None = None
    last_consumed_at: float | None = None  # for idle nudges (printers)
    last_idle_nudge_at: float | None = None
    quiet_hours: tuple[int, int] | None = None  # local [start, end) hours
    utc_offset_s: float = 0.0
    last_ask_at: float | None = None
    cancelled_at: float | None = None  # the customer undid the last automatic order then


ORDER_POINT_PRECISION_S = 3600.0
ORDER_POINT_HORIZON_S = 60 * 86_400.0  # looked for this far ahead (each step walks the days)


@dataclass(frozen=True, slots=True)
class RunOut:
    """When the need runs out, with its uncertainty."""

    expected_at: float | None
    early_at: float | None  # the service-level quantile: running out sooner is unlikely
    confident: bool
    why_not: str


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """Order `quantity` of a product; not delivered before `deliver_after`."""

    sku: str
    quantity: int
    deliver_after: float | None
    cancel_until: float | None
    reason: Reason


@dataclass(frozen=True, slots=True)
class Remind:
    """Nudge the customer (or, for `to="caregiver"`, the person who looks after them)."""

    topic: str  # "runout", "cadence", "maintenance", "dose_missed"
    message: str
    reason: Reason
    to: str = "customer"


@dataclass(frozen=True, slots=True)
class Ask:
    """The engine would act but will not guess: ask the customer to confirm."""

    message: str
    reason: Reason


Action = PlaceOrder | Remind | Ask


@dataclass(frozen=True, slots=True)
class Decision:
    """What the engine decided about one need, and why."""

    need_id: str
    runout: RunOut
    note: str
    actions: tuple[Action, ...] = ()


def iso(t: float) -> str:
    """An epoch time as ISO 8601 UTC."""
    return utc(t).isoformat(timespec="seconds")


def _away(t: float, absences: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    for start, end in absences:
        if start <= t < end:
            return start, end
    return None


def demand_over(
    rate: RateEstimate, start: float, seconds: float, absences: Sequence[tuple[float, float]]
) -> tuple[float, float]:
    """Mean and variance of consumption over [start, start + seconds); nothing is used away."""
    mean = var = 0.0
    t, end = start, start + seconds
    while t < end:
        step = min(DAY - (t % DAY), end - t)
        if _away(t, absences) is None:
            weekday = int(t // DAY + 3) % WEEK_DAYS
            share = step / DAY
            mean += rate.mean * rate.weekday[weekday] * share
            var += rate.std**2 * share
        t += step
    return mean, var


def _days_until(level: float, mean: float, std: float, z: float) -> float:
    """Solve mean*H + z*std*sqrt(H) = level for H (days)."""
    if mean <= 0:
        return math.inf
    root = (-z * std + math.sqrt(z * z * std * std + 4 * mean * level)) / (2 * mean)
    return root * root


def _shift_for_absences(
    start: float, days: float, absences: Sequence[tuple[float, float]]
) -> float:
    end = start + days * DAY
    for a_start, a_end in sorted(absences):
        if a_end <= start or a_start >= end:
            continue
        end += min(a_end, end) - max(a_start, start)
    return end


def runout(snap: Snapshot, now: float, policy: Policy) -> tuple[RunOut, float | None]:
    """When the need runs out (expected and early), and the level projected to `now`.

    The level is known whenever there is a reading, even before any pace is learned.
    """
    if snap.level is None or snap.level_at is None:
        return RunOut(None, None, confident=False, why_not="no level reading"), None
    if not snap.rate.known:
        ro = RunOut(None, None, confident=False, why_not="no consumption learned yet")
        return ro, snap.level
    used, _ = demand_over(snap.rate, snap.level_at, max(now - snap.level_at, 0.0), snap.absences)
    level = max(snap.level - used, 0.0)
    expected = _shift_for_absences(now, _days_until(level, snap.rate.mean, 0.0, 0.0), snap.absences)
    early = _shift_for_absences(
        now, _days_until(level, snap.rate.mean, snap.rate.std, policy.service_z), snap.absences
    )
    reasons = list(snap.rate.doubts)
    if now - snap.level_at > policy.stale_after_s:
        reasons.append(f"last reading {(now - snap.level_at) / 3600:.0f} h old")
    if snap.rate.source == "own" and snap.rate.observed_days < policy.min_days:
        reasons.append(f"only {snap.rate.observed_days:.1f} days of readings")
    if snap.rises_recent > policy.max_rises:
        reasons.append(
            f"level rose like a new pack {snap.rises_recent} times in "
            f"{policy.rise_window_s / DAY:g} days; the readings contradict each other"
        )
    if snap.rate.mean > 0 and snap.rate.std > policy.max_cv * snap.rate.mean:
        reasons.append("consumption too erratic to forecast")
    if snap.rate.mean <= 0:
        reasons.append("no consumption measured")
    horizon = now + 3650 * DAY
    return (
        RunOut(
            min(expected, horizon) if math.isfinite(expected) else None,
            min(early, horizon) if math.isfinite(early) else None,
            confident=not reasons,
            why_not="; ".join(reasons),
        ),
        level,
    )


def order_point(snap: Snapshot, now: float, policy: Policy | None = None) -> float | None:
    """When an order becomes due if use goes on as forecast: the engine's own rule, solved for time.

    What automatic execution orders at, coaching reminds at and a customer who orders
    themselves should order by. None when no pace is known or stock outlasts the forecast.
    """
    policy = policy or Policy()
    if snap.open_order is not None:  # what is on its way is the answer until it is in use
        return None
    ro, level = runout(snap, now, policy)
    if level is None:
        return None
    if _needs_stock(snap, now, level, policy)[0]:
        return now
    if ro.expected_at is None:
        return None
    lo, hi = now, min(ro.expected_at, now + ORDER_POINT_HORIZON_S)

    def due(t: float) -> bool:
        used, _ = demand_over(snap.rate, now, t - now, snap.absences)
        return _needs_stock(snap, t, max(level - used, 0.0), policy)[0]

    if not due(hi):
        return None  # not within the horizon: the dashboard says "not soon"
    while hi - lo > ORDER_POINT_PRECISION_S:  # due is monotone in time: stock only falls
        mid = (lo + hi) / 2
        if due(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _reported_critical(snap: Snapshot) -> bool:
    """Whether the last reading itself is at or below the critical level (not a projection)."""
    return snap.level is not None and snap.level <= snap.critical_level


def service_z(rate: RateEstimate, product: Product, policy: Policy) -> float:
    """The safety factor for one need: the policy's, or more for a need ordered often.

    The policy's `service_z` is the risk of running out per order for a need ordered about
    `orders_per_year` times a year. A need ordered more often (milk for a big family: weekly)
    meets that risk more often, so it gets a smaller risk per order and the same risk per
    year; one ordered less often keeps the policy's.
    """
    if not rate.known or rate.mean <= 0:
        return policy.service_z
    packs = quantity(rate, product) * product.pack_units
    orders = DAYS_PER_YEAR * rate.mean / packs
    if orders <= policy.orders_per_year:
        return policy.service_z
    risk = _NORMAL.cdf(-policy.service_z) * policy.orders_per_year / orders
    return -_NORMAL.inv_cdf(risk)


def _needs_stock(
    snap: Snapshot, now: float, level: float, policy: Policy, *, extra_s: float = 0.0
) -> tuple[bool, float]:
    """Whether stock runs out (at the service level) before an order placed now is in use.

    `extra_s` looks further ahead (an ask must leave the customer time to answer). At or
    below the critical level the answer is yes whatever the pace: coarse, sparse or stale
    data never means silence.
    """
    if _reported_critical(snap):
        return True, snap.critical_level
    if not snap.rate.known:
        return False, 0.0
    horizon = snap.product.lead_s + policy.review_s + extra_s
    mean, var = demand_over(snap.rate, now, horizon, snap.absences)
    z = service_z(snap.rate, snap.product, policy)
    if snap.level_at is not None and now > snap.level_at:
        # The level is projected from the last reading: what was used since is uncertain too,
        # so a sensor that has gone quiet widens the margin instead of hiding the risk.
        _, since = demand_over(snap.rate, snap.level_at, now - snap.level_at, snap.absences)
        var += since
    # Household use is spiky (guests, a party): one heavy day can take more than a Gaussian
    # margin allows, so the margin also covers the heaviest day seen lately.
    margin = max(z * math.sqrt(var), snap.rate.peak if mean > 0 else 0.0)
    need = mean + margin
    return level <= need, need


def quantity(
    rate: RateEstimate, product: Product, *, cover_days: float = 7.0, max_packs: int = 4
) -> int:
    """Packs to order: enough for `cover_days` of typical use, at least one."""
    wanted = rate.mean * cover_days / product.pack_units if rate.known else 0.0
    return max(1, min(max_packs, math.ceil(wanted - 1e-9)))


def _local_hour(t: float, offset_s: float) -> int:
    return int(((t + offset_s) % DAY) // 3600)


def _quiet(snap: Snapshot, now: float) -> bool:
    if snap.quiet_hours is None:
        return False
    start, end = snap.quiet_hours
    hour = _local_hour(now, snap.utc_offset_s)
    return start <= hour < end if start <= end else hour >= start or hour < end


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def reason(
    snap: Snapshot,
    now: float,
    ro: RunOut,
    level: float | None,
    rule: str,
    *,
    summary: str = "",
    guards: Sequence[Guard] = (),
    order: OrderTerms | None = None,
    why: str = "",
) -> Reason:
    """The typed reason for a decision about `snap` at `now`."""
    return Reason(
        version=VERSION,
        rule=rule,
        summary=summary or rule,
        decided_at=iso(now),
        experience=snap.experience.value,
        kind=snap.kind,
        inputs=Inputs(
            level=_round(level, 1),
            unit=snap.unit,
            level_at=None if snap.level_at is None else iso(snap.level_at),
            rate_per_day=round(snap.rate.mean, 3) if snap.rate.known else None,
            rate_std=round(snap.rate.std, 3) if snap.rate.known else None,
            rate_source=snap.rate.source,
            observed_days=round(snap.rate.observed_days, 1),
        ),
        estimate=Estimate(
            model=MODELS.get(snap.rate.source, snap.rate.source),
            runout_at=None if ro.expected_at is None else iso(ro.expected_at),
            runout_early_at=None if ro.early_at is None else iso(ro.early_at),
            confident=ro.confident,
            why_not=ro.why_not,
        ),
        guards=tuple(guards),
        order=order,
        why=why,
    )


def _deliver_after(snap: Snapshot, now: float) -> float | None:
    """If the delivery would reach an empty house, not before the household is back."""
    arrival = now + snap.product.lead_s
    for start, end in sorted(snap.absences):
        if start - DAY / 2 <= arrival < end:
            return end
    return None


def _duration(seconds: float) -> str:
    if seconds >= DAY:
        return f"{seconds / DAY:.1f} days"
    if seconds >= 3600:  # noqa: PLR2004
        return f"{seconds / 3600:.1f} hours"
    return f"{max(seconds, 0):.0f} s"


def _amount(level: float, unit: str) -> str:
    return f"{level:.0f}{unit}" if unit == "%" else f"{level:.0f} {unit}".rstrip()


def _guards(
    snap: Snapshot, now: float, policy: Policy, ro: RunOut, *, critical: bool, cost: int
) -> tuple[list[Guard], str | None]:
    """Every guard of automatic execution, and the first one that wants the customer's word."""
    guards: list[Guard] = []
    ask: str | None = None

    def check(name: str, *, passed: bool, ok: str, why: str) -> None:
        nonlocal ask
        guards.append(Guard(name, passed, ok if passed else why))
        if not passed and ask is None:
            ask = why

    if critical and not ro.confident:
        guards.append(
            Guard(
                "confidence",
                passed=True,
                detail="at or below the critical level: the level itself is the evidence"
                + (f" ({ro.why_not})" if ro.why_not else ""),
            )
        )
    else:
        check(
            "confidence",
            passed=ro.confident,
            ok="the forecast is trusted",
            why=f"the forecast is not trusted: {ro.why_not}",
        )
    over = snap.spend_cap_cents is not None and snap.spent_this_month_cents + cost > (
        snap.spend_cap_cents or 0
    )
    check(
        "spend_cap",
        passed=not over,
        ok="no monthly cap"
        if snap.spend_cap_cents is None
        else f"within the monthly cap of {snap.spend_cap_cents / 100:.2f}",
        why=f"this order ({cost / 100:.2f}) would pass the monthly cap of "
        f"{(snap.spend_cap_cents or 0) / 100:.2f} ({snap.spent_this_month_cents / 100:.2f} spent)",
    )
    undone = snap.cancelled_at is not None and now - snap.cancelled_at < policy.reminder_period_s
    check(
        "undo",
        passed=not undone,
        ok="the customer kept the last automatic order",
        why="you undid the last automatic order",
    )
    return guards, ask


def _not_ordering(snap: Snapshot, level: float, *, due: bool) -> str | None:
    """Why no order or ask is due at all (each a note the customer and operator see)."""
    if not due:
        if not snap.rate.known:
            return f"learning the pace: {_amount(level, snap.unit)} left"
        return "enough stock for now"
    if not snap.authorized:
        return "automatic execution is not authorized"
    if not snap.consented:
        return "the customer withdrew consent to use these readings for orders"
    if not snap.product.sku:
        return "no product in the catalog fits: an operator must look"
    return None


def _automatic(snap: Snapshot, now: float, policy: Policy, ro: RunOut, level: float) -> Decision:
    due, need = _needs_stock(snap, now, level, policy)
    critical = _reported_critical(snap)
    qty = quantity(snap.rate, snap.product)
    cost = qty * snap.product.price_cents
    guards, ask = _guards(snap, now, policy, ro, critical=critical, cost=cost)
    if not due and ask is not None:
        # An ask waits for the customer's answer, so it goes out that much earlier than an
        # order would: asked only when an order is due, the answer comes too late.
        due, need = _needs_stock(snap, now, level, policy, extra_s=policy.answer_s)
    blocked = _not_ordering(snap, level, due=due)
    if blocked is not None:
        return Decision(snap.need_id, ro, blocked)
    guards = [
        Guard("authorization", passed=True, detail="the customer authorized automatic execution"),
        Guard("consent", passed=True, detail="readings may be used for replenishment"),
        Guard("open_order", passed=True, detail="no order of this need is on its way"),
        *guards,
    ]
    if ask is not None:
        if snap.last_ask_at is not None and now - snap.last_ask_at < policy.ask_period_s - 60:
            return Decision(snap.need_id, ro, f"waiting for the customer: {ask}")
        why_rule = "ask instead of ordering when a guard wants the customer's word"
        message = f"{snap.product.name} may run out soon; {ask}. Order {qty}?"
        r = reason(snap, now, ro, level, why_rule, summary=message, guards=guards, why=ask)
        return Decision(snap.need_id, ro, f"asked: {ask}", (Ask(message, r),))
    after = _deliver_after(snap, now)
    guards.append(
        Guard(
            "absence",
            passed=True,
            detail="nobody is away when it arrives"
            if after is None
            else f"delivered after the household is back ({iso(after)})",
        )
    )
    cancel_until = now + policy.cancel_window_s
    guards.append(
        Guard(
            "cancel_window",
            passed=True,
            detail=f"held, and can be undone until {iso(cancel_until)}",
        )
    )
    if critical:
        rule = "order at or below the critical level, whatever the forecast"
        floor = _amount(snap.critical_level, snap.unit)
        why = f"{_amount(level, snap.unit)} left, at or below {floor}"
    else:
        rule = (
            "order when stock runs out before an order placed now could arrive "
            f"(lead {snap.product.lead_s / DAY:g} d + review {policy.review_s / DAY:g} d, "
            f"z={policy.service_z})"
        )
        why = (
            f"{_amount(level, snap.unit)} left, about {snap.rate.mean:.1f}{snap.unit}/day"
            + ("" if ro.expected_at is None else f", runs out in {_duration(ro.expected_at - now)}")
            + f"; up to {need:.0f} needed before a delivery"
        )
    summary = f"{snap.product.name}: {why}: ordered {qty}" + (
        "" if after is None else f", delivered after the household is back ({iso(after)})"
    )
    terms = OrderTerms(
        sku=snap.product.sku,
        quantity=qty,
        price_cents=cost,
        deliver_after=None if after is None else iso(after),
        cancel_until=iso(cancel_until),
        needed_until_arrival=round(need, 1),
    )
    r = reason(snap, now, ro, level, rule, summary=summary, guards=guards, order=terms)
    order = PlaceOrder(snap.product.sku, qty, after, cancel_until, r)
    return Decision(snap.need_id, ro, "ordered", (order,))


def _coach(snap: Snapshot, now: float, policy: Policy, ro: RunOut, level: float | None) -> Decision:
    period_over = (
        snap.last_reminder_at is None or now - snap.last_reminder_at >= policy.reminder_period_s
    )
    quiet = _quiet(snap, now)
    nudges: list[Remind] = []

    def nudge(topic: str, message: str, rule: str) -> None:
        nudges.append(Remind(topic, message, reason(snap, now, ro, level, rule, summary=message)))

    if snap.open_order is None and level is not None:
        due, _ = _needs_stock(snap, now, level, policy)
        critical = _reported_critical(snap)
        if due and (ro.confident or critical):
            when = (
                f"runs out in about {(ro.expected_at - now) / DAY:.1f} days"
                if ro.expected_at is not None and not critical
                else f"is down to {_amount(level, snap.unit)}"
            )
            message = (
                f"{snap.product.name} {when}; delivery takes {snap.product.lead_s / DAY:g} days. "
                "Order now?"
            )
            nudge("runout", message, "remind when stock runs out before a delivery")
    if (
        not nudges
        and snap.open_order is None
        and snap.cadence_days is not None
        and snap.last_order_at is not None
    ):
        since = (now - snap.last_order_at) / DAY
        if since >= snap.cadence_days - policy.coach_cadence_lead_s / DAY:
            message = (
                f"You order {snap.product.name} every {snap.cadence_days:.0f} days; "
                f"it has been {since:.0f}."
            )
            nudge("cadence", message, "remind a week before the usual reorder")
    if (
        snap.idle_nudge
        and snap.last_consumed_at is not None
        and now - snap.last_consumed_at >= policy.idle_nudge_s
        and (
            snap.last_idle_nudge_at is None
            or now - snap.last_idle_nudge_at >= policy.idle_nudge_period_s
        )
    ):
        idle = (now - snap.last_consumed_at) / DAY
        message = (
            f"The printer has not printed for {idle:.0f} days: run its print-head "
            "cleaning so the nozzles do not dry out."
        )
        nudge("maintenance", message, "nudge cleaning after a long idle period")
    if not nudges:
        return Decision(snap.need_id, ro, "nothing to remind")
    if quiet:
        return Decision(snap.need_id, ro, "a reminder waits for the end of quiet hours")
    if not period_over and nudges[0].topic != "maintenance":
        return Decision(snap.need_id, ro, "already reminded this period")
    return Decision(snap.need_id, ro, f"reminded: {nudges[0].topic}", (nudges[0],))


def decide(snap: Snapshot, now: float, policy: Policy | None = None) -> Decision:
    """Decide what to do about one need now."""
    policy = policy or Policy()
    ro, level = runout(snap, now, policy)
    if snap.experience is Experience.AUTO:
        if snap.open_order is not None:
            return Decision(snap.need_id, ro, "an order is already on its way")
        if level is None:
            return Decision(snap.need_id, ro, f"cannot forecast: {ro.why_not}")
        return _automatic(snap, now, policy, ro, level)
    if snap.experience is Experience.COACH:
        return _coach(snap, now, policy, ro, level)
    return Decision(snap.need_id, ro, "the customer orders when they want")


def decide_request(
    snap: Snapshot, now: float, *, quantity: int, source: str, undo_s: float = 0.0
) -> PlaceOrder:
    """Respond to desire: exactly the item and quantity the customer buys, fastest delivery.

    With `undo_s` the order is held that long first, so a slip of the finger can be undone.
    """
    summary = f"{source}: {quantity} x {snap.product.name}"
    return PlaceOrder(
        snap.product.sku,
        quantity,
        None,
        now + undo_s if undo_s > 0 else None,
        Reason(
            version=VERSION,
            rule="the customer asked for it",
            summary=summary,
            decided_at=iso(now),
            experience=Experience.DESIRE.value,
            kind=snap.kind,
            source=source,
            order=OrderTerms(
                sku=snap.product.sku,
                quantity=quantity,
                cancel_until=iso(now + undo_s) if undo_s > 0 else None,
            ),
        ),
    )


@dataclass(frozen=True, slots=True)
class Option:
    """One line of a curated menu."""

    sku: str
    name: str
    quantity: int
    price_cents: int
    why: str


def offer(
    snap: Snapshot,
    now: float,
    choices: Sequence[Product],
    *,
    companions: Sequence[tuple[Snapshot, float]] = (),
    policy: Policy | None = None,
    limit: int = 4,
) -> tuple[Option, ...]:
    """Curated offering: compatible packs ranked by fit to consumption, plus what is also low.

    `choices` are only the products that fit the customer's device (the caller filters by
    model); `companions` are the customer's other needs with the population's share of buyers
    of this product who also buy them ("bought together").
    """
    policy = policy or Policy()
    rate = snap.rate.mean if snap.rate.known else 0.0
    ranked: list[tuple[float, Option]] = []
    for product in choices:
        days = product.pack_units / rate if rate > 0 else math.inf
        fit = abs(math.log(max(days, 1.0) / 30.0)) if math.isfinite(days) else 9.0
        why = (
            f"lasts about {days:.0f} days at your pace"
            if math.isfinite(days)
            else "fits your device"
        )
        ranked.append((fit, Option(product.sku, product.name, 1, product.price_cents, why)))
    options = [o for _, o in sorted(ranked, key=lambda p: (p[0], p[1].price_cents))]
    for other, share in companions:
        ro, level = runout(other, now, policy)
        if level is None or ro.expected_at is None:
            continue
        if ro.expected_at - now <= 2 * (other.product.lead_s + policy.review_s):
            days = (ro.expected_at - now) / DAY
            options.append(
                Option(
                    other.product.sku,
                    other.product.name,
                    1,
                    other.product.price_cents,
                    f"also running low (about {days:.0f} days left); "
                    f"{share:.0%} of customers buy both",
                )
            )
    return tuple(options[:limit])

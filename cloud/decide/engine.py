"""The decision engine: one need, one snapshot, one time in; decisions with their reasons out.

Pure: no clock, no database, no randomness. The same snapshot and time give the same decisions,
so one backend worker or several decide alike, and the population benchmark runs the very
function the backend runs. Each customer picks, per need, one of the four connected
experiences (MISSION.md); the engine does what that experience asks and no more:

- respond to desire: nothing on its own; `decide_request` turns a press or a call into the
  exact order.
- curated offering: `offer` builds the short menu when the need comes up.
- coach behavior: reminders (run-out ahead, purchase cadence, idle printer), within quiet
  hours and one per need per period.
- automatic execution: an order before run-out, within the household's absences, the monthly
  spend cap and a confidence bar; below that bar it asks instead of ordering.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cloud.decide.learning import DAY, WEEK_DAYS, RateEstimate

MODEL = "exponentially weighted daily consumption with weekday pattern, population prior"


class Experience(StrEnum):
    """The four connected experiences; the customer picks one per need."""

    DESIRE = "respond_to_desire"
    CURATED = "curated_offering"
    COACH = "coach_behavior"
    AUTO = "automatic_execution"


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
    kind: str  # "cartridge", "milk", "pet_food", "coffee", "medication", ...
    experience: Experience
    product: Product
    level: float | None  # units on hand at `level_at`; None when unknown
    level_at: float | None
    rate: RateEstimate
    authorized: bool = False  # the customer's authorization for automatic execution
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
    reason: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Remind:
    """Nudge the customer (or, for `to="caregiver"`, the person who looks after them)."""

    topic: str  # "runout", "cadence", "maintenance", "dose_missed"
    message: str
    reason: dict[str, Any]
    to: str = "customer"


@dataclass(frozen=True, slots=True)
class Ask:
    """The engine would act but will not guess: ask the customer to confirm."""

    message: str
    reason: dict[str, Any]


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
    return dt.datetime.fromtimestamp(t, tz=dt.UTC).isoformat(timespec="seconds")


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
    """When the need runs out (expected and early), and the level projected to `now`."""
    if snap.level is None or snap.level_at is None:
        return RunOut(None, None, confident=False, why_not="no level reading"), None
    if not snap.rate.known:
        return RunOut(None, None, confident=False, why_not="no consumption learned yet"), None
    used, _ = demand_over(snap.rate, snap.level_at, max(now - snap.level_at, 0.0), snap.absences)
    level = max(snap.level - used, 0.0)
    expected = _shift_for_absences(now, _days_until(level, snap.rate.mean, 0.0, 0.0), snap.absences)
    early = _shift_for_absences(
        now, _days_until(level, snap.rate.mean, snap.rate.std, policy.service_z), snap.absences
    )
    reasons = []
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


def _needs_stock(snap: Snapshot, now: float, level: float, policy: Policy) -> tuple[bool, float]:
    """Whether stock runs out (at the service level) before an order placed now is in use."""
    horizon = snap.product.lead_s + policy.review_s
    mean, var = demand_over(snap.rate, now, horizon, snap.absences)
    need = mean + policy.service_z * math.sqrt(var)
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


def _reason(
    snap: Snapshot, now: float, ro: RunOut, level: float | None, rule: str, **extra: Any
) -> dict[str, Any]:
    return {
        "rule": rule,
        "decided_at": iso(now),
        "experience": snap.experience.value,
        "model": MODEL,
        "inputs": {
            "level": None if level is None else round(level, 1),
            "level_at": None if snap.level_at is None else iso(snap.level_at),
            "rate_per_day": round(snap.rate.mean, 3),
            "rate_std": round(snap.rate.std, 3),
            "rate_source": snap.rate.source,
            "observed_days": round(snap.rate.observed_days, 1),
        },
        "forecast": {
            "runout_at": None if ro.expected_at is None else iso(ro.expected_at),
            "runout_early_at": None if ro.early_at is None else iso(ro.early_at),
        },
        **extra,
    }


def _deliver_after(snap: Snapshot, now: float) -> float | None:
    """If the delivery would reach an empty house, not before the household is back."""
    arrival = now + snap.product.lead_s
    for start, end in sorted(snap.absences):
        if start - DAY / 2 <= arrival < end:
            return end
    return None


def _automatic(snap: Snapshot, now: float, policy: Policy, ro: RunOut, level: float) -> Decision:
    due, need = _needs_stock(snap, now, level, policy)
    if not due:
        return Decision(snap.need_id, ro, "enough stock for now")
    if not snap.authorized:
        return Decision(snap.need_id, ro, "automatic execution is not authorized")
    qty = quantity(snap.rate, snap.product)
    cost = qty * snap.product.price_cents
    ask_again = snap.last_ask_at is None or now - snap.last_ask_at >= policy.ask_period_s - 60
    undone = snap.cancelled_at is not None and now - snap.cancelled_at < policy.reminder_period_s
    over_cap = (
        snap.spend_cap_cents is not None
        and snap.spent_this_month_cents + cost > snap.spend_cap_cents
    )
    if not ro.confident or over_cap or undone:
        if not ro.confident:
            why = f"the forecast is not trusted: {ro.why_not}"
        elif over_cap:
            why = (
                f"this order ({cost / 100:.2f}) would pass the monthly cap of "
                f"{(snap.spend_cap_cents or 0) / 100:.2f} "
                f"({snap.spent_this_month_cents / 100:.2f} spent)"
            )
        else:
            why = "you undid the last automatic order"
        if not ask_again:
            return Decision(snap.need_id, ro, f"waiting for the customer: {why}")
        reason = _reason(snap, now, ro, level, "ask instead of ordering", why=why)
        message = f"{snap.product.name} may run out soon; {why}. Order {qty}?"
        return Decision(snap.need_id, ro, f"asked: {why}", (Ask(message, reason),))
    after = _deliver_after(snap, now)
    reason = _reason(
        snap,
        now,
        ro,
        level,
        "order when stock runs out before an order placed now could arrive "
        f"(lead {snap.product.lead_s / DAY:g} d + review {policy.review_s / DAY:g} d, "
        f"z={policy.service_z})",
        needed_until_arrival=round(need, 1),
        quantity=qty,
        sku=snap.product.sku,
        price_cents=cost,
        deliver_after=None if after is None else iso(after),
        authorization="customer authorized automatic execution for this need",
        summary=(
            f"{snap.product.name}: {level:.0f} left, about {snap.rate.mean:.1f}/day; "
            f"up to {need:.0f} needed before a delivery: ordered {qty}"
            + ("" if after is None else f", delivered after the household is back ({iso(after)})")
        ),
    )
    order = PlaceOrder(snap.product.sku, qty, after, now + policy.cancel_window_s, reason)
    return Decision(snap.need_id, ro, "ordered", (order,))


def _coach(snap: Snapshot, now: float, policy: Policy, ro: RunOut, level: float | None) -> Decision:
    period_over = (
        snap.last_reminder_at is None or now - snap.last_reminder_at >= policy.reminder_period_s
    )
    quiet = _quiet(snap, now)
    nudges: list[Remind] = []
    if snap.open_order is None and level is not None and ro.confident:
        due, _ = _needs_stock(snap, now, level, policy)
        if due and ro.expected_at is not None:
            days = (ro.expected_at - now) / DAY
            nudges.append(
                Remind(
                    "runout",
                    f"{snap.product.name} runs out in about {days:.1f} days; "
                    f"delivery takes {snap.product.lead_s / DAY:g}. Order now?",
                    _reason(snap, now, ro, level, "remind when stock runs out before a delivery"),
                )
            )
    if (
        not nudges
        and snap.open_order is None
        and snap.cadence_days is not None
        and snap.last_order_at is not None
    ):
        since = (now - snap.last_order_at) / DAY
        if since >= snap.cadence_days - policy.coach_cadence_lead_s / DAY:
            nudges.append(
                Remind(
                    "cadence",
                    f"You order {snap.product.name} every {snap.cadence_days:.0f} days; "
                    f"it has been {since:.0f}.",
                    _reason(snap, now, ro, level, "remind a week before the usual reorder"),
                )
            )
    if (
        snap.kind == "cartridge"
        and snap.last_consumed_at is not None
        and now - snap.last_consumed_at >= policy.idle_nudge_s
        and (
            snap.last_idle_nudge_at is None
            or now - snap.last_idle_nudge_at >= policy.idle_nudge_period_s
        )
    ):
        idle = (now - snap.last_consumed_at) / DAY
        nudges.append(
            Remind(
                "maintenance",
                f"The printer has not printed for {idle:.0f} days: run its print-head "
                "cleaning so the nozzles do not dry out.",
                _reason(snap, now, ro, level, "nudge cleaning after a long idle period"),
            )
        )
    if not nudges:
        return Decision(snap.need_id, ro, "nothing to say")
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


def decide_request(snap: Snapshot, now: float, *, quantity: int, source: str) -> PlaceOrder:
    """Respond to desire: exactly the item and quantity the customer buys, fastest delivery."""
    return PlaceOrder(
        snap.product.sku,
        quantity,
        None,
        None,
        {
            "rule": "the customer asked for it",
            "decided_at": iso(now),
            "experience": Experience.DESIRE.value,
            "source": source,
            "sku": snap.product.sku,
            "quantity": quantity,
            "summary": f"{source}: {quantity} x {snap.product.name}",
        },
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

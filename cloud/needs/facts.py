"""What the engine sees of one need, built from plain values: the one snapshot builder.

The backend loads these values from its rows (`cloud.needs.snapshot.Snapshots`) and the
population benchmark keeps them in memory; both build the engine's snapshot here, so what a
decision may use, and how it is derived, is decided once. Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cloud.decide import engine
from cloud.decide.engine import Policy, Product, Snapshot
from cloud.decide.kinds import Estimator, describe
from cloud.decide.learning import DAY, Prior, cadence_days
from cloud.orders.lifecycle import OrderState, open_order
from cloud.terms import Experience, NeedKind, OrderSource, OrderStatus

TRAILING_ORDERS_S = 7 * DAY  # our own orders this long before the rise window explain rises
ABSENCE_KEPT_S = DAY  # an absence that ended longer ago than this no longer matters


@dataclass(frozen=True, slots=True, kw_only=True)
class NeedFacts:
    """What is kept about one need; times in epoch seconds."""

    need_id: str
    kind: NeedKind
    experience: Experience
    product: Product
    authorized: bool
    consented: bool = True  # its readings may be used for replenishment
    level: float | None = None
    level_at: float | None = None
    last_reminder_at: float | None = None
    last_ask_at: float | None = None
    last_consumed_at: float | None = None
    last_idle_nudge_at: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseholdFacts:
    """What is kept about the household a need belongs to."""

    absences: tuple[tuple[float, float], ...] = ()  # [start, end) from its calendar
    spend_cap_cents: int | None = None  # per calendar month, automatic orders only
    spent_this_month_cents: int = 0  # see `cloud.orders.lifecycle.spent_this_month`
    quiet_hours: tuple[int, int] | None = None  # local [start, end) hours
    utc_offset_s: float = 0.0


def kept_absences(
    absences: Sequence[tuple[float, float]], now: float
) -> tuple[tuple[float, float], ...]:
    """The absences a decision at `now` looks at: those not over for a day or more."""
    return tuple((start, end) for start, end in absences if end > now - ABSENCE_KEPT_S)


def snapshot_of(
    need: NeedFacts,
    household: HouseholdFacts,
    *,
    learner: Estimator,
    prior: Prior | None,
    orders: Sequence[OrderState],
    now: float,
    policy: Policy,
) -> Snapshot:
    """Everything the engine may use about one need at `now`.

    Args:
        need: The need's own values.
        household: Its household's calendar, spending and quiet hours.
        learner: The need's estimator, fed every reading so far.
        prior: The population's prior for the need's kind (None before anyone taught it).
        orders: Every order of the need, cancelled ones included.
        now: The time of the decision.
        policy: The engine's policy (its rise window matters here).
    """
    kind = describe(need.kind)
    kept = sorted(
        (o for o in orders if o.status is not OrderStatus.CANCELLED), key=lambda o: o.created_at
    )
    undone = (
        o.updated_at
        for o in orders
        if o.status is OrderStatus.CANCELLED and o.source is OrderSource.ENGINE
    )
    window = now - policy.rise_window_s
    ours = sum(o.quantity for o in kept if o.created_at >= window - TRAILING_ORDERS_S)
    held = open_order(orders)
    return Snapshot(
        need_id=need.need_id,
        kind=need.kind,
        experience=need.experience,
        product=need.product,
        level=need.level,
        level_at=need.level_at,
        rate=learner.estimate(prior),
        authorized=need.authorized,
        consented=need.consented,
        unit=kind.unit,
        critical_level=kind.critical_level(need.product.pack_units),
        idle_nudge=kind.idle_nudge,
        open_order=None
        if held is None
        else engine.OpenOrder(held.id, held.created_at, held.status),
        rises_recent=max(0, learner.rises_since(window) - ours),
        absences=kept_absences(household.absences, now),
        spent_this_month_cents=household.spent_this_month_cents,
        spend_cap_cents=household.spend_cap_cents,
        last_reminder_at=need.last_reminder_at,
        last_order_at=kept[-1].created_at if kept else None,
        cadence_days=cadence_days([o.created_at for o in kept]),
        last_consumed_at=need.last_consumed_at,
        last_idle_nudge_at=need.last_idle_nudge_at,
        quiet_hours=household.quiet_hours,
        utc_offset_s=household.utc_offset_s,
        last_ask_at=need.last_ask_at,
        cancelled_at=max(undone, default=None),
    )

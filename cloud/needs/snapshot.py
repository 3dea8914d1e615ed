"""What the engine sees of one need: its rows loaded and handed to the one snapshot builder.

The builder itself is pure (`cloud.needs.facts.snapshot_of`), and so is the one open-order
key scheme (`cloud.orders.lifecycle`): an automatic order holds its need's `need_key` until
the new pack is in use, so one need has at most one open automatic order.
"""

from __future__ import annotations

from cloud.decide.engine import Policy, Snapshot
from cloud.decide.kinds import describe
from cloud.needs.estimators import learner_of
from cloud.needs.facts import ABSENCE_KEPT_S, HouseholdFacts, NeedFacts, snapshot_of
from cloud.needs.population import Priors
from cloud.needs.products import product_of
from cloud.orders.lifecycle import month_start, need_key, spent_this_month
from cloud.orders.rows import stamp, state_of
from cloud.privacy import consent
from cloud.store.models import Absence, Customer, Need, Order
from cloud.terms import Experience, Purpose
from common.clock import Clock, utc

__all__ = ["Snapshots", "need_key"]  # need_key: the one key scheme, re-exported for callers


async def _spent_this_month(customer: Customer, now: float) -> int:
    orders = await Order.filter(
        need__customer_id=customer.id, created_at__gte=utc(month_start(now))
    )
    return spent_this_month([state_of(o) for o in orders], now)


def _quiet_hours(customer: Customer) -> tuple[int, int] | None:
    if customer.quiet_start is None or customer.quiet_end is None:
        return None
    return customer.quiet_start, customer.quiet_end


class Snapshots:
    """Builds the engine's snapshot of a need from its rows, its customer's and the priors."""

    def __init__(self, *, policy: Policy, clock: Clock, priors: Priors) -> None:
        self._policy = policy
        self._clock = clock
        self._priors = priors

    async def of(self, need: Need, customer: Customer) -> Snapshot:
        """Everything the engine may use about one need, now."""
        now = self._clock.now()
        stream = describe(need.kind).stream
        away = await Absence.filter(customer_id=customer.id, ends_at__gt=utc(now - ABSENCE_KEPT_S))
        orders = await Order.filter(need_id=need.id).order_by("created_at")
        facts = NeedFacts(
            need_id=need.id,
            kind=need.kind,
            experience=Experience(need.experience),
            product=product_of(need),
            authorized=need.authorized,
            consented=await consent.granted(customer.id, stream, Purpose.REPLENISHMENT),
            level=need.level,
            level_at=stamp(need.level_at),
            last_reminder_at=stamp(need.last_reminder_at),
            last_ask_at=stamp(need.last_ask_at),
            last_consumed_at=stamp(need.last_consumed_at),
            last_idle_nudge_at=stamp(need.last_idle_nudge_at),
        )
        household = HouseholdFacts(
            absences=tuple((a.starts_at.timestamp(), a.ends_at.timestamp()) for a in away),
            spend_cap_cents=customer.spend_cap_cents,
            spent_this_month_cents=await _spent_this_month(customer, now),
            quiet_hours=_quiet_hours(customer),
            utc_offset_s=customer.utc_offset_min * 60.0,
        )
        return snapshot_of(
            facts,
            household,
            learner=learner_of(need),
            prior=self._priors.of(need.kind),
            orders=[state_of(o) for o in orders],
            now=now,
            policy=self._policy,
        )

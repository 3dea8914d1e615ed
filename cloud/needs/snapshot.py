"""What the engine sees of one need: its snapshot, built from the database's rows.

Also the one open-order key scheme: an automatic order holds its need's `need_key` until the
new pack is in use, so one need has at most one open automatic order.
"""

from __future__ import annotations

import datetime as dt

from cloud.decide import engine
from cloud.decide.engine import Policy, Snapshot
from cloud.decide.kinds import describe
from cloud.decide.learning import DAY, cadence_days
from cloud.needs.estimators import learner_of
from cloud.needs.population import Priors
from cloud.needs.products import product_of
from cloud.privacy import consent
from cloud.store.models import Absence, Customer, Need, Order
from cloud.terms import Experience, OrderSource, OrderStatus, Purpose
from common.clock import Clock, utc

TRAILING_ORDERS_S = 7 * DAY  # our own orders this long before the rise window explain rises


def stamp(value: dt.datetime | None) -> float | None:
    """A row's datetime as a time in seconds (None stays None)."""
    return None if value is None else value.timestamp()


def need_key(need_id: str) -> str:
    """The unique key an open automatic order of a need holds."""
    return f"need/{need_id}"


async def open_order(need: Need) -> Order | None:
    """The need's open automatic order, if any."""
    return await Order.filter(open_key=need_key(need.id)).first()


async def _spent_this_month(customer: Customer, now: float) -> int:
    month = utc(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return sum(
        o.price_cents
        for o in await Order.filter(
            need__customer_id=customer.id,
            source=OrderSource.ENGINE,
            created_at__gte=month,
            status__not=OrderStatus.CANCELLED,
        )
    )


def _quiet_hours(customer: Customer) -> tuple[int, int] | None:
    if customer.quiet_start is None or customer.quiet_end is None:
        return None
    return customer.quiet_start, customer.quiet_end


def _open_of(order: Order | None) -> engine.OpenOrder | None:
    if order is None:
        return None
    return engine.OpenOrder(order.id, order.created_at.timestamp(), order.status)


class Snapshots:
    """Builds the engine's snapshot of a need from its rows, its customer's and the priors."""

    def __init__(self, *, policy: Policy, clock: Clock, priors: Priors) -> None:
        self._policy = policy
        self._clock = clock
        self._priors = priors

    async def of(self, need: Need, customer: Customer) -> Snapshot:
        """Everything the engine may use about one need, now."""
        now = self._clock.now()
        learner = learner_of(need)
        kind = describe(need.kind)
        away = await Absence.filter(customer_id=customer.id, ends_at__gt=utc(now - DAY))
        orders = await Order.filter(need_id=need.id, status__not=OrderStatus.CANCELLED).order_by(
            "created_at"
        )
        cancelled = await Order.filter(
            need_id=need.id, status=OrderStatus.CANCELLED, source=OrderSource.ENGINE
        )
        window = now - self._policy.rise_window_s
        ours = sum(
            o.quantity for o in orders if o.created_at.timestamp() >= window - TRAILING_ORDERS_S
        )
        return Snapshot(
            need_id=need.id,
            kind=need.kind,
            experience=Experience(need.experience),
            product=product_of(need),
            level=need.level,
            level_at=stamp(need.level_at),
            rate=learner.estimate(self._priors.of(need.kind)),
            authorized=need.authorized,
            consented=await consent.granted(customer.id, kind.stream, Purpose.REPLENISHMENT),
            unit=kind.unit,
            critical_level=kind.critical_level(need.pack_units),
            idle_nudge=kind.idle_nudge,
            open_order=_open_of(await open_order(need)),
            rises_recent=max(0, learner.rises_since(window) - ours),
            absences=tuple((a.starts_at.timestamp(), a.ends_at.timestamp()) for a in away),
            spent_this_month_cents=await _spent_this_month(customer, now),
            spend_cap_cents=customer.spend_cap_cents,
            last_reminder_at=stamp(need.last_reminder_at),
            last_order_at=orders[-1].created_at.timestamp() if orders else None,
            cadence_days=cadence_days([o.created_at.timestamp() for o in orders]),
            last_consumed_at=stamp(need.last_consumed_at),
            last_idle_nudge_at=stamp(need.last_idle_nudge_at),
            quiet_hours=_quiet_hours(customer),
            utc_offset_s=customer.utc_offset_min * 60.0,
            last_ask_at=stamp(need.last_ask_at),
            cancelled_at=max((o.updated_at.timestamp() for o in cancelled), default=None),
        )

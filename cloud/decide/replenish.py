"""Automatic replenishment of printer supplies, as a pure function.

It maps a snapshot and a time to decisions; the executor applies them, and running it
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cloud.decide.cartridge_line import (
    DAY,
    Forecast,
    ForecastPolicy,
    Point,
    current_episode,
    forecast,
    refills,
)
from cloud.orders.catalog import Cartridge, Catalog, Pack


@dataclass(frozen=True, slots=True)
class ReplenishPolicy:
    """How early to order."""

    lead_time_s: float = 3 * DAY
    safety_s: float = 2 * DAY
    forecast: ForecastPolicy = field(default_factory=ForecastPolicy)


@dataclass(frozen=True, slots=True)
class SupplyView:
    """What the engine knows about one supply."""

    device_id: str
    sensor: str
    index: int
    name: str
    color: str
    consumed: bool
    level_state: str
    history: Sequence[Point]
    make: str | None
    model: str | None
    auto_replenish: bool
    pack: Pack = Pack.STANDARD
    open_order_id: str | None = None
    open_order_created: float | None = None


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """Order a cartridge for a supply."""

    cartridge: Cartridge
    reason: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CompleteOrder:
    """A replacement cartridge was installed: the open order's loop is closed."""

    order_id: str
    installed_at: float


@dataclass(frozen=True, slots=True)
class FlagForOperator:
    """Something the engine will not guess about."""

    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class SupplyDecision:
    """Everything decided about one supply at one time."""

    forecast: Forecast
    episode_start: float | None
    note: str
    actions: tuple[PlaceOrder | CompleteOrder | FlagForOperator, ...] = ()


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, tz=dt.UTC).isoformat(timespec="seconds")


def _duration(seconds: float) -> str:
    if seconds >= DAY:
        return f"{seconds / DAY:.1f} days"
    if seconds >= 3600:  # noqa: PLR2004
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds:.0f} s"


def _reason(
    view: SupplyView,
    fc: Forecast,
    cartridge: Cartridge,
    *,
    policy: ReplenishPolicy,
    now: float,
    runout_at: float,
    rate_per_day: float,
    episode: Sequence[Point],
) -> dict[str, Any]:
    level = episode[-1][1]
    horizon = (policy.lead_time_s + policy.safety_s) / DAY
    return {
        "rule": "order when predicted run-out is within delivery lead time plus safety margin",
        "summary": (
            f"{view.name} at {level}%, falling {rate_per_day:.1f}%/day; runs out "
            f"in {_duration(runout_at - now)} ({_iso(runout_at)}), within the "
            f"{_duration(policy.lead_time_s)} delivery lead time + "
            f"{_duration(policy.safety_s)} margin: ordered {cartridge.product} "
            f"({cartridge.sku})"
        ),
        "decided_at": _iso(now),
        "level": level,
        "levels": [[_iso(t), lvl] for t, lvl in episode[-10:]],
        "model": "least-squares line over the current cartridge's recent readings",
        "points": fc.points,
        "span_hours": round(fc.span_s / 3600, 2),
        "rate_per_day": round(rate_per_day, 3),
        "residual": round(fc.residual or 0.0, 3),
        "runout_at": _iso(runout_at),
        "lead_time_days": policy.lead_time_s / DAY,
        "safety_days": policy.safety_s / DAY,
        "horizon_days": horizon,
        "printer": f"{view.make or ''} {view.model or ''}".strip(),
        "color": view.color,
        "pack": cartridge.pack.value,
        "authorization": "customer authorized automatic replenishment",
    }


def decide_supply(
    view: SupplyView, *, now: float, policy: ReplenishPolicy, catalog: Catalog
) -> SupplyDecision:
    """Decide what to do about one supply now."""
    start, episode = current_episode(view.history, refill_jump=policy.forecast.refill_jump)
    episode_start = episode[0][0] if episode else None
    window_start = now - policy.forecast.window_s
    jumps = refills(view.history, since=window_start, refill_jump=policy.forecast.refill_jump)
    fc = forecast(episode, now=now, policy=policy.forecast, refills_in_window=jumps)
    actions: list[PlaceOrder | CompleteOrder | FlagForOperator] = []
    if (
        start > 0
        and view.open_order_id is not None
        and view.open_order_created is not None
        and episode_start is not None
        and episode_start > view.open_order_created
    ):
        actions.append(CompleteOrder(view.open_order_id, episode_start))
        open_order = None
    else:
        open_order = view.open_order_id
    if not view.consumed:
        return SupplyDecision(
            fc, episode_start, "a receptacle that fills; nothing to order", tuple(actions)
        )
    cartridge = catalog.pick(view.make, view.model, view.color, view.pack)
    if cartridge is None:
        what = (
            f"{view.make or '?'} {view.model or '?'}"
            if catalog.model_name(view.make, view.model) is None
            else f"{view.color} for {view.make} {view.model}"
        )
        actions.append(FlagForOperator("unknown_model", f"no catalog cartridge for {what}"))
        return SupplyDecision(fc, episode_start, f"not in catalog: {what}", tuple(actions))
    if open_order is not None:
        note = "an order is already open for this supply"
    elif not view.auto_replenish:
        note = "customer has not authorized automatic replenishment"
    elif view.level_state != "known":
        note = f"level is {view.level_state}; no order from unknown data"
    elif not fc.confident:
        note = f"forecast not trusted: {fc.why_not}"
    elif (
        fc.runout_at is not None
        and fc.rate_per_day is not None
        and fc.runout_at <= now + policy.lead_time_s + policy.safety_s
    ):
        reason = _reason(
            view,
            fc,
            cartridge,
            policy=policy,
            now=now,
            runout_at=fc.runout_at,
            rate_per_day=fc.rate_per_day,
            episode=episode,
        )
        actions.append(PlaceOrder(cartridge, reason))
        note = "ordered"
    else:
        note = "enough supply for now"
    return SupplyDecision(fc, episode_start, note, tuple(actions))

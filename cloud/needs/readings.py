"""A need's new readings, from the source its kind reads (a scale, a printer's supply)."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q

from cloud.decide.kinds import Source, describe
from cloud.decide.learning import DAY
from cloud.decide.weight import LiftFilter, settle
from cloud.store.models import Need, SensorSample, SupplyLevel
from common.messages import LevelState

Points = list[tuple[float, float]]
MAX_ROWS = 5000  # per need and pass; the rest is read on the next pass
PRINTER_HISTORY_S = 14 * DAY  # how far back a new printer need starts


async def new_readings(need: Need, *, lift: LiftFilter, now: float) -> tuple[Points, float]:
    """The need's readings since it last learned, and up to when they are final."""
    if describe(need.kind).source is Source.SCALE:
        return await _scale_readings(need, lift, now)
    return await _supply_readings(need)


async def _scale_readings(need: Need, lift: LiftFilter, now: float) -> tuple[Points, float]:
    """A scale's new settled weights (a carton lifted and put back is not use)."""
    since = need.seen_until or need.created_at
    lookback = since - dt.timedelta(seconds=lift.lift_s * 2)
    rows = (
        await SensorSample.filter(
            device_id=need.device_id,
            sensor=need.sensor,
            kind="scale",
            state="stable",
            grams__isnull=False,
            at__gte=lookback,
        )
        .order_by("at")
        .limit(MAX_ROWS)
        .values_list("at", "grams")
    )
    samples = [(at.timestamp(), float(g)) for at, g in rows]
    settled = [p for p in settle(samples, lift, now=now) if p[0] > since.timestamp()]
    # Only readings older than a lift can be final; later ones are seen again next time.
    final = min(settled[-1][0], now - lift.lift_s) if settled else 0.0
    return settled, final


async def _supply_readings(need: Need) -> tuple[Points, float]:
    """A printer supply's new levels (a new need starts from the recent history).

    A printer that says only "low" reads as the kind's critical level: what it does say is
    that the supply is at least that far down.
    """
    since = need.seen_until or need.created_at - dt.timedelta(seconds=PRINTER_HISTORY_S)
    rows = (
        await SupplyLevel.filter(
            Q(level__isnull=False) | Q(level_state=LevelState.LOW.value),
            supply__device_id=need.device_id,
            supply__sensor=need.sensor,
            supply__index=need.supply_index,
            at__gt=since,
        )
        .order_by("at")
        .limit(MAX_ROWS)
        .values_list("at", "level")
    )
    low = describe(need.kind).critical_level(need.pack_units)
    points = [(at.timestamp(), low if level is None else float(level)) for at, level in rows]
    return points, points[-1][0] if points else 0.0

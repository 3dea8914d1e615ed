"""Retention: raw telemetry older than the configured period becomes daily aggregates.

Supply levels and scale, load-cell and wearable readings older than `raw_days` are summed up
per sensor and day (count, minimum, maximum, mean) and deleted. Decisions, orders, alerts and
the audit log are kept: they are the record of what was done and why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from cloud.store.db import transaction
from cloud.store.models import DailyAggregate, SensorSample, Supply, SupplyLevel

BATCH = 5000
Key = tuple[str, str, str, dt.date]  # device, sensor, kind, day


@dataclass(frozen=True, slots=True)
class Swept:
    """What one pass removed and kept."""

    levels_removed: int
    samples_removed: int
    days_aggregated: int


async def _aggregate(
    groups: dict[tuple[str, str, str, dt.date], list[float]],
    counts: dict[tuple[str, str, str, dt.date], int],
) -> int:
    for (device, sensor, kind, day), values in groups.items():
        row, created = await DailyAggregate.get_or_create(
            device_id=device,
            sensor=sensor,
            kind=kind,
            day=day,
            defaults={"count": 0},
        )
        total = row.count + counts[(device, sensor, kind, day)]
        if values:
            weight = 0 if created or row.mean is None else row.count
            row.minimum = min(values + ([row.minimum] if row.minimum is not None else []))
            row.maximum = max(values + ([row.maximum] if row.maximum is not None else []))
            row.mean = ((row.mean or 0.0) * weight + sum(values)) / (weight + len(values))
        row.count = total
        await row.save()
    return len(groups)


async def enforce(*, now: dt.datetime, raw_days: float) -> Swept:
    """Aggregate and delete raw telemetry older than `raw_days`."""
    cutoff = now - dt.timedelta(days=raw_days)
    supplies = {s.id: s for s in await Supply.all()}
    groups: dict[Key, list[float]] = defaultdict(list)
    counts: dict[Key, int] = defaultdict(int)
    levels = (
        await SupplyLevel.filter(at__lt=cutoff)
        .limit(BATCH)
        .values_list("id", "supply_id", "at", "level")
    )
    for _, supply_id, at, level in levels:
        supply = supplies.get(supply_id)
        if supply is None:
            continue
        key = (supply.device_id, f"{supply.sensor}#{supply.index}", "supply", at.date())
        counts[key] += 1
        if level is not None:
            groups[key].append(float(level))
    samples = (
        await SensorSample.filter(at__lt=cutoff)
        .limit(BATCH)
        .values_list("id", "device_id", "sensor", "kind", "at", "grams")
    )
    for _, device, sensor, kind, at, grams in samples:
        key = (str(device), str(sensor), str(kind), at.date())
        counts[key] += 1
        if grams is not None:
            groups[key].append(float(grams))
    for key in counts:
        groups.setdefault(key, [])
    async with transaction():
        days = await _aggregate(groups, counts)
        removed_levels = await SupplyLevel.filter(id__in=[r[0] for r in levels]).delete()
        removed_samples = await SensorSample.filter(id__in=[r[0] for r in samples]).delete()
    return Swept(removed_levels, removed_samples, days)

"""Retention: raw telemetry past its period becomes daily aggregates; recent data stays."""

from __future__ import annotations

import datetime as dt

import pytest

from cloud.identity.registry import add_device
from cloud.privacy.retention import enforce
from cloud.store.models import DailyAggregate, SensorSample
from common.clock import FakeClock
from tests.support.backend import T0, Site

DAY = 86_400.0


async def test_old_readings_are_aggregated_per_day_and_deleted(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0))
    for hour in range(0, 24 * 3, 6):  # three days, four readings a day
        await site.weigh(2000.0 - hour * 10, sensor="fridge")
        site.clock.advance(6 * 3600)
    site.clock.advance(100 * DAY)
    await site.weigh(500.0, sensor="fridge")  # today's reading
    now = dt.datetime.fromtimestamp(site.clock.now(), dt.UTC)
    swept = await enforce(now=now, raw_days=90)
    assert swept.samples_removed == 12
    assert swept.days_aggregated == 3
    assert await SensorSample.filter(sensor="fridge").count() == 1  # today's stays
    days = await DailyAggregate.filter(sensor="fridge").order_by("day")
    assert [d.count for d in days] == [4, 4, 4]
    assert days[0].day == dt.date(2027, 1, 1)
    assert days[0].maximum == 2000.0
    assert days[0].minimum == 2000.0 - 18 * 10
    assert days[0].mean == pytest.approx(2000.0 - 9 * 10)
    again = await enforce(now=now, raw_days=90)
    assert again.samples_removed == 0  # nothing left to do

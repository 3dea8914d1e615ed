"""A household's absences, from its iCalendar feed; every need is decided again with them.

The feed is the customer's own input: bounded in size (`MAX_FEED_BYTES`) and in absences
kept (`MAX_ABSENCES`), and parsed in a worker thread, so a large one never holds the event
loop that carries other households' alerts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from cloud.needs.apply import Executor
from cloud.needs.calendar_feed import CalendarError
from cloud.needs.calendar_feed import absences as parse_absences
from cloud.needs.errors import NeedError
from cloud.privacy import consent
from cloud.store.models import Absence, Customer, Need
from common.errors import NotFoundError

MAX_ABSENCES = 500  # a household away more often than this is not a household


class Calendar:
    """Keeps each customer's absences as their shared calendar says."""

    def __init__(self, *, executor: Executor, counters: Counter[str]) -> None:
        self._executor = executor
        self._counters = counters

    async def set_calendar(
        self, customer_id: str, feed: bytes, *, all_events: bool
    ) -> list[Absence]:
        """Replace a customer's absences with those in an iCalendar feed."""
        customer = await Customer.get_or_none(id=customer_id)
        if customer is None:
            raise NotFoundError(f"no customer {customer_id!r}")
        if "calendar" not in await consent.collected(customer_id):
            raise NeedError("the customer has not consented to sharing a calendar")
        found, skipped = await asyncio.to_thread(
            parse_absences,
            feed,
            utc_offset=dt.timedelta(minutes=customer.utc_offset_min),
            all_events=all_events,
        )
        if len(found) > MAX_ABSENCES:
            raise CalendarError(f"the feed has {len(found)} absences; at most {MAX_ABSENCES}")
        self._counters["calendar_events_skipped"] += skipped
        await Absence.filter(customer_id=customer_id).delete()
        await Absence.bulk_create(
            [
                Absence(
                    customer_id=customer_id, starts_at=a.start, ends_at=a.end, summary=a.summary
                )
                for a in found
            ]
        )
        rows = await Absence.filter(customer_id=customer_id).order_by("starts_at")
        for need in await Need.filter(customer_id=customer_id):
            await self._executor.evaluate(need)
        return rows

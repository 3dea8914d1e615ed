"""A household's absences, from its iCalendar feed; every need is decided again with them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from cloud.needs.apply import Executor
from cloud.needs.calendar_feed import absences as parse_absences
from cloud.needs.errors import NeedError
from cloud.privacy import consent
from cloud.store.models import Absence, Customer, Need


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
            raise NeedError(404, f"no customer {customer_id!r}")
        if "calendar" not in await consent.collected(customer_id):
            raise NeedError(409, "the customer has not consented to sharing a calendar")
        found, skipped = parse_absences(
            feed, utc_offset=dt.timedelta(minutes=customer.utc_offset_min), all_events=all_events
        )
        self._counters["calendar_events_skipped"] += skipped
        await Absence.filter(customer_id=customer_id).delete()
        rows = [
            await Absence.create(
                customer_id=customer_id, starts_at=a.start, ends_at=a.end, summary=a.summary
            )
            for a in found
        ]
        for need in await Need.filter(customer_id=customer_id):
            await self._executor.evaluate(need)
        return rows

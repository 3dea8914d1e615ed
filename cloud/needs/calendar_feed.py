"""A household's absences from its iCalendar feed (RFC 5545), parsed with `icalendar`.

Only events that say the household is away count: those marked TRANSP:OPAQUE with a
summary or category naming an absence (away, holiday, vacation, trip, travel), or any event
in a calendar the customer shares for absences only (`all_events`). A malformed feed is one
clear error; a single bad event is skipped and counted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import icalendar

from common.errors import RefusedError

_AWAY = re.compile(r"\b(away|holiday|vacation|trip|travel|abroad|out of town)\b", re.IGNORECASE)
MAX_FEED_BYTES = 1_000_000


class CalendarError(RefusedError):
    """The feed is not an iCalendar document."""


@dataclass(frozen=True, slots=True)
class Away:
    """The household is away from `start` until `end`."""

    start: dt.datetime
    end: dt.datetime
    summary: str


def _as_utc(value: dt.date | dt.datetime, offset: dt.timedelta) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # floating time: the household's own clock
            return (value - offset).replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC) - offset


def absences(
    feed: bytes, *, utc_offset: dt.timedelta = dt.timedelta(0), all_events: bool = False
) -> tuple[list[Away], int]:
    """Absences in a feed and the number of events skipped as unreadable."""
    if len(feed) > MAX_FEED_BYTES:
        raise CalendarError(f"calendar feed is larger than {MAX_FEED_BYTES} bytes")
    try:
        calendar = icalendar.Calendar.from_ical(feed)
    except ValueError as exc:
        raise CalendarError(f"not an iCalendar feed: {exc}") from exc
    found: list[Away] = []
    skipped = 0
    for event in calendar.walk("VEVENT"):
        summary = str(event.get("SUMMARY", ""))
        categories = event.get("CATEGORIES")
        labels = " ".join(
            str(c)
            for cat in (categories if isinstance(categories, list) else [categories])
            if cat is not None
            for c in getattr(cat, "cats", [cat])
        )
        if not all_events and not _AWAY.search(f"{summary} {labels}"):
            continue
        try:
            start = _as_utc(event.decoded("DTSTART"), utc_offset)
            if "DTEND" in event:
                end = _as_utc(event.decoded("DTEND"), utc_offset)
            elif "DURATION" in event:
                end = start + event.decoded("DURATION")
            else:
                end = start + dt.timedelta(days=1)
        except (KeyError, ValueError, TypeError):
            skipped += 1
            continue
        if end <= start:
            skipped += 1
            continue
        found.append(Away(start, end, summary[:200]))
    return sorted(found, key=lambda a: a.start), skipped

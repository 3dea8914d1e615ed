"""Consent per customer, per data stream and per purpose, with its history.

A stream is collected while at least one purpose for it is granted; withdrawing the last one
stops the cloud storing it, pushes the change to the household's agents (which stop sending
it and drop what their outbox held of it) and takes it out of every decision that used it.
Consent is asked at installation: a customer with no recorded choice has granted the
purposes of the devices installed, and every change is recorded with the text shown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from cloud.store.models import Absence, Consent, ConsentChange, Device
from common.clock import Clock
from common.messages import CONSENT_STREAMS

STREAMS: Final = CONSENT_STREAMS
PURPOSES: Final = ("replenishment", "coaching", "safety_alerts", "population_learning")
TEXTS: Final = {
    "replenishment": "Use this data to order what I need before it runs out.",
    "coaching": "Use this data to remind me at the right moment.",
    "safety_alerts": "Use this data to call for help when I may have fallen.",
    "population_learning": "Use this data, without my name, to improve forecasts for everyone.",
}
# What a customer loses by withdrawing a purpose, said where they withdraw it.
WITHOUT: Final = {
    "safety_alerts": (
        "If you fall, only the contacts you marked as your household are told: not your "
        "caregiver, not a neighbour, not the alarm centre."
    ),
    "population_learning": "Your data no longer improves forecasts or suggestions for others.",
}
AT_INSTALLATION: Final = "granted at installation"


@dataclass(frozen=True, slots=True)
class Choice:
    """One stream and purpose, and whether it is granted."""

    stream: str
    purpose: str
    granted: bool
    text: str
    at: dt.datetime | None


async def choices(customer_id: str) -> list[Choice]:
    """Every stream and purpose for a customer, as recorded or as granted at installation."""
    recorded = {
        (str(c.stream), str(c.purpose)): c for c in await Consent.filter(customer_id=customer_id)
    }
    out = []
    for stream in STREAMS:
        for purpose in PURPOSES:
            c = recorded.get((stream, purpose))
            out.append(
                Choice(stream, purpose, granted=True, text=AT_INSTALLATION, at=None)
                if c is None
                else Choice(stream, purpose, c.granted, c.text, c.at)
            )
    return out


async def granted(customer_id: str, stream: str, purpose: str) -> bool:
    """Whether a customer lets a stream be used for a purpose."""
    c = await Consent.get_or_none(customer_id=customer_id, stream=stream, purpose=purpose)
    return True if c is None else c.granted


async def withheld(purpose: str) -> set[tuple[str, str]]:
    """(customer, stream) of every customer who withdrew `purpose` for a stream, at once."""
    rows = await Consent.filter(purpose=purpose, granted=False).values_list("customer_id", "stream")
    return {(str(customer), str(stream)) for customer, stream in rows}


async def collected(customer_id: str) -> set[str]:
    """The streams collected for a customer: those with at least one purpose granted."""
    return (await collected_many([customer_id]))[customer_id]


async def collected_many(customer_ids: Iterable[str]) -> dict[str, set[str]]:
    """The streams collected for each customer, in one query (ingest asks for a batch)."""
    withdrawn: Counter[tuple[str, str]] = Counter()
    wanted = set(customer_ids)
    rows = await Consent.filter(customer_id__in=wanted, granted=False).values_list(
        "customer_id", "stream"
    )
    for customer_id, stream in rows:
        withdrawn[customer_id, str(stream)] += 1
    return {
        customer_id: {s for s in STREAMS if withdrawn[customer_id, s] < len(PURPOSES)}
        for customer_id in wanted
    }


async def record(
    customer_id: str,
    changes: list[tuple[str, str, bool, str]],
    *,
    by: str,
    now: dt.datetime,
) -> tuple[set[str], set[str]]:
    """Apply (stream, purpose, granted, text) choices; return the streams stopped and resumed."""
    before = await collected(customer_id)
    for stream, purpose, give, text in changes:
        if stream not in STREAMS or purpose not in PURPOSES:
            msg = f"unknown stream or purpose: {stream}/{purpose}"
            raise ValueError(msg)
        shown = text or TEXTS[purpose]
        row = await Consent.get_or_none(customer_id=customer_id, stream=stream, purpose=purpose)
        if row is None:
            await Consent.create(
                customer_id=customer_id,
                stream=stream,
                purpose=purpose,
                granted=give,
                text=shown,
                at=now,
            )
        else:
            row.granted, row.text, row.at = give, shown, now
            await row.save()
        await ConsentChange.create(
            customer_id=customer_id,
            stream=stream,
            purpose=purpose,
            granted=give,
            text=shown,
            at=now,
            by=by,
        )
    after = await collected(customer_id)
    if "calendar" in before - after:
        await Absence.filter(customer_id=customer_id).delete()  # not kept once withdrawn
    return before - after, after - before


_NEVER: Final = (-math.inf, set[str]())


@dataclass
class ConsentCache:
    """What each customer lets the cloud collect, re-read after `ttl_s` (a few seconds)."""

    clock: Clock
    ttl_s: float = 2.0

    def __post_init__(self) -> None:
        self._seen: dict[str, tuple[float, set[str]]] = {}

    async def collecting(self, customer_id: str, stream: str) -> bool:
        """Whether the stream is collected for this customer now."""
        await self.refresh([customer_id])
        return stream in self._seen[customer_id][1]

    async def refresh(self, customer_ids: Iterable[str]) -> None:
        """Re-read, in one query, the customers whose cached choice is older than `ttl_s`."""
        now = self.clock.now()
        stale = {c for c in customer_ids if now - self._seen.get(c, _NEVER)[0] > self.ttl_s}
        if stale:
            for customer_id, streams in (await collected_many(stale)).items():
                self._seen[customer_id] = (now, streams)

    def forget(self, customer_id: str) -> None:
        """Drop a customer's cached choice (it just changed on this worker)."""
        self._seen.pop(customer_id, None)


async def devices_of(customer_id: str) -> list[tuple[str, str]]:
    """(site, device) of each device of a customer, to push a change to."""
    rows = await Device.filter(site__customer_id=customer_id, revoked=False).values_list(
        "site_id", "id"
    )
    return [(str(site), str(device)) for site, device in rows]

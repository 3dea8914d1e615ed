"""A household's preferences: what every decision about its needs respects."""

from __future__ import annotations

import dataclasses

from cloud.needs.errors import NeedError
from cloud.store.models import Customer
from common.errors import Refusal

TEXTS = ("name", "address", "payment_token", "person_name", "access_notes")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Preferences:
    """A change to a customer's profile and preferences; None stays as it is."""

    name: str | None = None
    spend_cap_cents: int | None = None
    clear_spend_cap: bool = False
    quiet_start: int | None = None
    quiet_end: int | None = None
    utc_offset_min: int | None = None
    address: str | None = None
    payment_token: str | None = None
    person_name: str | None = None  # who an alert is about
    access_notes: str | None = None  # how a responder gets in


async def set_preferences(customer: Customer, change: Preferences) -> None:
    """Apply `change` to `customer` and store it; quiet hours come as a pair."""
    if (change.quiet_start is None) != (change.quiet_end is None):
        raise NeedError("quiet_start and quiet_end go together", refusal=Refusal.INVALID)
    for name in TEXTS:
        if (value := getattr(change, name)) is not None:
            setattr(customer, name, value)
    if change.clear_spend_cap:
        customer.spend_cap_cents = None
    elif change.spend_cap_cents is not None:
        customer.spend_cap_cents = change.spend_cap_cents
    if change.quiet_start is not None:
        customer.quiet_start, customer.quiet_end = change.quiet_start, change.quiet_end
    if change.utc_offset_min is not None:
        customer.utc_offset_min = change.utc_offset_min
    await customer.save()

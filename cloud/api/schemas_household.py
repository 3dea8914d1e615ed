"""Bodies of the household routes: needs, orders asked for, customers, insights (OpenAPI too)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from cloud.decide.reasons import Reason

Experience = Literal[
    "respond_to_desire", "curated_offering", "coach_behavior", "automatic_execution"
]
_Label = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
_HourMinute = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class NeedIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A weight-based need to keep in stock (printer supplies become needs by themselves)."""

    device_id: _Name
    sku: _Name
    label: _Label
    sensor: _Name | None = None
    button: _Name | None = None
    experience: Experience = "respond_to_desire"
    authorized: bool = False
    quantity: Annotated[int, msgspec.Meta(ge=1, le=20)] = 1
    dose_times: Annotated[list[_HourMinute], msgspec.Meta(max_length=12)] = []
    dose_grams: Annotated[float, msgspec.Meta(gt=0, le=100)] | None = None


class NeedUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a customer may change about a need at any time; absent fields stay."""

    experience: Experience | None = None
    authorized: bool | None = None
    quantity: Annotated[int, msgspec.Meta(ge=1, le=20)] | None = None
    button: _Name | None = None
    label: _Label | None = None


class DecisionOut(msgspec.Struct, frozen=True):
    """One decision the engine made about a need, with its reasons."""

    at: dt.datetime
    action: str
    note: str
    reason: Reason  # the one reason type (cloud/decide/reasons.py)


class NeedOut(msgspec.Struct, frozen=True):
    """A need, its experience, its stock and forecast, and the latest decision."""

    id: str
    customer_id: str
    device_id: str
    kind: str
    label: str
    sensor: str | None
    supply_index: int | None
    button: str | None
    sku: str
    product: str
    quantity: int
    experience: str
    authorized: bool
    level: float | None
    level_at: dt.datetime | None
    rate_per_day: float | None
    runout_at: dt.datetime | None
    runout_early_at: dt.datetime | None
    act_at: dt.datetime | None  # the order point: when an order is due at the forecast pace
    note: str
    dose_times: list[str]
    last_decision: DecisionOut | None
    nudges_sent: int = 0
    nudges_followed: int = 0  # how often a reminder was followed by an order: does coaching work?


class OrderIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Respond to desire, or a pick from the curated menu: one request is one order."""

    quantity: Annotated[int, msgspec.Meta(ge=1, le=20)] | None = None
    sku: _Name | None = None


class OptionOut(msgspec.Struct, frozen=True):
    """One line of a curated offering; order it with POST /needs/{need_id}/orders."""

    need_id: str
    sku: str
    name: str
    quantity: int
    price_cents: int
    why: str


class CancelIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who undoes an automatic order."""

    by: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class CustomerSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A customer's profile and preferences (correct them at any time); absent fields stay."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    spend_cap_cents: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)] | None = None
    clear_spend_cap: bool = False
    quiet_start: Annotated[int, msgspec.Meta(ge=0, le=23)] | None = None
    quiet_end: Annotated[int, msgspec.Meta(ge=0, le=23)] | None = None
    utc_offset_min: Annotated[int, msgspec.Meta(ge=-720, le=840)] | None = None
    address: Annotated[str, msgspec.Meta(max_length=512)] | None = None
    payment_token: Annotated[str, msgspec.Meta(max_length=128)] | None = None
    # Who an alert is about, and how a responder gets in: what every alert notice carries.
    person_name: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    access_notes: Annotated[str, msgspec.Meta(max_length=512)] | None = None


class CustomerOut(msgspec.Struct, frozen=True):
    """A customer's preferences (the payment token is never shown, only whether one is held)."""

    id: str
    name: str
    spend_cap_cents: int | None
    quiet_start: int | None
    quiet_end: int | None
    utc_offset_min: int
    address: str
    has_payment_token: bool
    person_name: str
    access_notes: str


class AbsenceOut(msgspec.Struct, frozen=True):
    """A time the household is away."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str


class ReminderOut(msgspec.Struct, frozen=True):
    """A nudge or question, and whether the customer acted on it."""

    id: str
    need_id: str
    topic: str
    recipient: str
    message: str
    at: dt.datetime
    followed_at: dt.datetime | None
    order_id: str | None
    sent_via: str


class TimelineEntry(msgspec.Struct, frozen=True):
    """One thing in a customer's single timeline."""

    at: dt.datetime
    kind: str  # reading, decision, order, reminder, alert, event
    subject: str
    detail: str


class DemandOut(msgspec.Struct, frozen=True):
    """Units ordered of a product in one week."""

    sku: str
    week_start: str
    quantity: int


class TogetherOut(msgspec.Struct, frozen=True):
    """The share of a product's buyers who also buy another."""

    sku: str
    also: str
    share: float


class PriorOut(msgspec.Struct, frozen=True):
    """What a new customer's forecast starts from."""

    mean_per_day: float
    std_per_day: float


class InsightsOut(msgspec.Struct, frozen=True):
    """Learning across the population."""

    priors: dict[str, PriorOut]
    demand: list[DemandOut]
    bought_together: list[TogetherOut]

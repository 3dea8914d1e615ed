"""Response bodies of the REST API (also the source of the OpenAPI schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from cloud.decide.reasons import Reason


class PrinterOut(msgspec.Struct, frozen=True):
    """A printer at a site."""

    sensor: str
    state: str
    make: str | None
    model: str | None
    detail: str
    updated_at: dt.datetime


class DeviceOut(msgspec.Struct, frozen=True):
    """An edge device and the state of its link."""

    id: str
    site: str
    customer: str
    online: bool
    last_seen: dt.datetime | None
    firmware: str | None
    battery_pct: int | None
    sensors_ok: bool
    sensors_detail: str
    last_seq: int
    open_gaps: int
    outbox_dropped: int
    printers: list[PrinterOut]
    shed: int = 0  # messages ingest would not queue (it sent faster than its share)
    quarantined_at: dt.datetime | None = None  # set aside by an operator: nothing is taken
    quarantine_reason: str = ""
    health: str = "ok"  # cloud.api.fleet.Health: never_seen, offline, quarantined, attention, ok
    problems: list[str] = []  # what needs a look, in words


class SupplyOut(msgspec.Struct, frozen=True):
    """A consumable, its level and its forecast."""

    device_id: str
    sensor: str
    supply: str
    index: int
    color: str
    kind: str
    level: int | None
    level_state: str
    updated_at: dt.datetime
    rate_per_day: float | None  # the forecast is the supply's need's (one source)
    runout_at: dt.datetime | None
    note: str
    need_id: str | None


class LevelOut(msgspec.Struct, frozen=True):
    """One reported level."""

    at: dt.datetime
    level: int | None
    level_state: str


class OrderOut(msgspec.Struct, frozen=True):
    """An order and why it was placed."""

    id: str
    device_id: str
    sensor: str
    supply: str
    supply_index: int
    sku: str
    product: str
    quantity: int
    price_cents: int
    status: str
    reason: Reason  # the one reason type (cloud/decide/reasons.py)
    created_at: dt.datetime
    updated_at: dt.datetime
    eta: dt.datetime | None
    need_id: str | None = None
    experience: str = "automatic_execution"
    source: str = "engine"
    cancel_until: dt.datetime | None = None
    deliver_after: dt.datetime | None = None


class FlagOut(msgspec.Struct, frozen=True):
    """Something an operator must look at."""

    id: int
    device_id: str
    kind: str
    detail: str
    created_at: dt.datetime
    resolved: bool


class IngestStats(msgspec.Struct, frozen=True):
    """Counters of this worker's ingest and replenishment (rejections by reason)."""

    ingest: dict[str, int]
    replenishment: dict[str, int]


class Problem(msgspec.Struct, frozen=True):
    """An RFC 9457 problem response."""

    title: str
    status: int
    detail: str


class SensorOut(msgspec.Struct, frozen=True):
    """The latest (or one past) reading of a scale, load cell or wearable."""

    device_id: str
    sensor: str
    kind: str
    state: str
    grams: float | None
    detail: str
    data: dict[str, Any]
    at: dt.datetime


class EventOut(msgspec.Struct, frozen=True):
    """An event, alert or command answer from a device."""

    id: str
    device_id: str
    kind: str
    sensor: str
    name: str
    severity: str | None
    detail: str
    at: dt.datetime


class DeliveryOut(msgspec.Struct, frozen=True, kw_only=True):
    """One notice to one receiver: where it is, and how many attempts it took."""

    id: str  # the webhook-id every attempt carried
    position: int | None
    who: str
    purpose: str  # alert, raised_again, false_alarm, cleared, reminder
    channel: str
    target: str  # masked, but for operators' own (trusted) targets
    state: str  # pending, sending, delivered, failed, gone, cancelled
    attempts: int
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    next_at: dt.datetime | None  # the next attempt, while pending
    detail: str  # for customers: delivered or not; for operators: the last error
    ok: bool
    incident_id: str | None
    reminder_id: str | None
    customer_id: str


class IncidentOut(msgspec.Struct, frozen=True, kw_only=True):
    """An alert incident and its lifecycle."""

    id: str
    device_id: str
    site: str
    sensor: str
    kind: str
    severity: str
    notice: str  # emergency or warning
    state: str
    detail: str
    raised_at: dt.datetime
    detected_at: dt.datetime | None
    occurrences: int
    raised_again: int
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    resolved_by: str | None
    resolved_at: dt.datetime | None
    rate_hz: int | None
    samples: list[list[float]]
    impact_index: int | None
    notifications: list[DeliveryOut]
    next_escalation_at: dt.datetime | None


class QuarantineIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Why an operator sets a device aside."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class IncidentAction(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """On whose behalf the logged-in user acknowledges or resolves an incident (optional)."""

    by: Annotated[str, msgspec.Meta(max_length=128)] = ""


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


class LoginIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A user name and password."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class MeOut(msgspec.Struct, frozen=True):
    """Who is logged in; `csrf` is what the dashboard echoes in X-CSRF-Token."""

    username: str
    role: str
    customer_id: str | None
    sites: list[str]
    csrf: str | None


class LoginOut(msgspec.Struct, frozen=True):
    """A new session: its token (also set as an HttpOnly cookie) and its CSRF token."""

    token: str
    csrf: str
    expires_at: dt.datetime
    me: MeOut

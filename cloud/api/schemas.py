"""Response bodies of the REST API (also the source of the OpenAPI schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

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
    health: str = "ok"  # cloud.terms.Health: never_seen, offline, quarantined, attention, ok
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

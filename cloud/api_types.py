"""Response bodies of the REST API (also the source of the OpenAPI schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec


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
    rate_per_day: float | None
    runout_at: dt.datetime | None
    confident: bool
    note: str


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
    reason: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    eta: dt.datetime | None


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


class NotificationOut(msgspec.Struct, frozen=True):
    """One attempt to tell someone."""

    position: int
    channel: str
    target: str
    at: dt.datetime
    ok: bool
    detail: str


class IncidentOut(msgspec.Struct, frozen=True):
    """An alert incident and its lifecycle."""

    id: str
    device_id: str
    site: str
    sensor: str
    kind: str
    severity: str
    state: str
    detail: str
    raised_at: dt.datetime
    detected_at: dt.datetime | None
    occurrences: int
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    resolved_by: str | None
    resolved_at: dt.datetime | None
    rate_hz: int | None
    samples: list[list[float]]
    impact_index: int | None
    notifications: list[NotificationOut]
    next_escalation_at: dt.datetime | None


class IncidentAction(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who acknowledges or resolves an incident."""

    by: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]

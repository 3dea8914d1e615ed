"""Data rights over the API: export, erasure, the audit log and the breach report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from aiohttp import web

from cloud import data_rights
from cloud.access import PRINCIPAL
from cloud.api_base import ApiError, Handler, int_query, respond
from cloud.config import BrokerSettings
from cloud.models import AuditEntry
from cloud.provisioning import refresh_broker
from common.clock import Clock


@dataclass(frozen=True, slots=True)
class Rights:
    """What the data-rights routes need from the app."""

    clock: Clock
    broker: BrokerSettings
    exports_dir: Path | None


RIGHTS = web.AppKey("rights", Rights)


class ErasureOut(msgspec.Struct, frozen=True):
    """What was erased (the record keeps no name)."""

    at: dt.datetime
    by: str
    subject_digest: str
    removed: dict[str, int]


class AuditOut(msgspec.Struct, frozen=True):
    """One audit entry."""

    at: dt.datetime
    actor: str
    role: str
    action: str
    customer_id: str
    detail: str
    why: str


class BreachOut(msgspec.Struct, frozen=True):
    """Which customers, and which of their data, a credential could have exposed."""

    credential: str | None
    since: dt.datetime
    until: dt.datetime
    customers: list[dict[str, Any]]


def _now(request: web.Request) -> dt.datetime:
    return dt.datetime.fromtimestamp(request.app[RIGHTS].clock.now(), tz=dt.UTC)


async def export_customer(request: web.Request) -> web.Response:
    """Everything held about a customer (continuo-export/1, JSON)."""
    try:
        document = await data_rights.export(request.match_info["customer_id"], now=_now(request))
    except data_rights.DataRightsError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    response = respond(document)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{request.match_info["customer_id"]}-export.json"'
    )
    return response


async def erase_customer(request: web.Request) -> web.Response:
    """Erase a customer: their data, their devices' credentials, their exports on disk."""
    rights = request.app[RIGHTS]
    principal = request[PRINCIPAL]
    # A customer erasing themselves is recorded as such, not by a name that is being erased.
    who = "the customer" if principal.customer_id else principal.username
    try:
        record = await data_rights.erase(
            request.match_info["customer_id"],
            by=who,
            now=_now(request),
            exports_dir=rights.exports_dir,
        )
    except data_rights.DataRightsError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    await refresh_broker(rights.broker)  # the erased devices can no longer log in
    return respond(ErasureOut(record.at, record.by, record.subject_digest, record.removed))


def _time(request: web.Request, name: str, default: dt.datetime) -> dt.datetime:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "Bad query", f"{name} must be an ISO 8601 time") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def audit_log(request: web.Request) -> web.Response:
    """The audit log, newest first (?customer_id=, ?actor=, ?since=, ?limit=)."""
    query = AuditEntry.all().order_by("-at", "-id")
    if customer := request.query.get("customer_id"):
        query = query.filter(customer_id=customer)
    if actor := request.query.get("actor"):
        query = query.filter(actor=actor)
    query = query.filter(at__gte=_time(request, "since", dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    limit = int_query(request, "limit", 200, low=1, high=10_000)
    return respond(
        [
            AuditOut(e.at, e.actor, e.role, e.action, e.customer_id, e.detail, e.why)
            for e in await query.limit(limit)
        ]
    )


async def breach(request: web.Request) -> web.Response:
    """What one user or device credential could have exposed (?username= or ?device_id=)."""
    username = request.query.get("username")
    device_id = request.query.get("device_id")
    if (username is None) == (device_id is None):
        raise ApiError(400, "Bad query", "give exactly one of username and device_id")
    now = _now(request)
    report = await data_rights.breach_report(
        username=username,
        device_id=device_id,
        since=_time(request, "since", now - dt.timedelta(days=30)),
        until=_time(request, "until", now),
    )
    return respond(msgspec.convert(report, BreachOut))


ROUTES: list[tuple[str, str, Handler, str, type | None]] = [
    (
        "GET",
        "/api/v1/customers/{customer_id}/export",
        export_customer,
        "Everything held about a customer (continuo-export/1)",
        dict[str, Any],
    ),
    (
        "DELETE",
        "/api/v1/customers/{customer_id}",
        erase_customer,
        "Erase a customer's data",
        ErasureOut,
    ),
    ("GET", "/api/v1/audit", audit_log, "The audit log", list[AuditOut]),
    ("GET", "/api/v1/breach-report", breach, "What a credential could have exposed", BreachOut),
]

"""Data rights over the API: export, erasure, the audit log and the breach report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from aiohttp import web

from cloud.api.access import PRINCIPAL
from cloud.api.errors import ApiError, decode_body, int_query, respond
from cloud.api.table import OPS, OWN, Route
from cloud.config import BrokerSettings
from cloud.identity.provisioning import refresh_broker
from cloud.privacy import consent, data_rights
from cloud.store.models import AuditEntry, Customer
from common.clock import Clock

Push = Callable[[str, str, str, dict[str, str]], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Rights:
    """What the data-rights routes need from the app."""

    clock: Clock
    broker: BrokerSettings
    exports_dir: Path | None
    push: Push | None = None  # sends a device a command (the MQTT ingest's connection)
    forget: Callable[[str], None] | None = None  # drops a customer's cached consent


class ConsentIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A choice for one stream and purpose; `text` is what the customer was shown."""

    stream: Literal["ink_levels", "weights", "accelerometer", "calendar"]
    purpose: Literal["replenishment", "coaching", "safety_alerts", "population_learning"]
    granted: bool
    text: Annotated[str, msgspec.Meta(max_length=512)] = ""


class ConsentOut(msgspec.Struct, frozen=True):
    """A stream and purpose, whether it is granted, the text shown and when it was chosen."""

    stream: str
    purpose: str
    granted: bool
    text: str
    at: dt.datetime | None


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
    if rights.push is not None:  # the agents forget what they still hold (best effort)
        for site, device in await consent.devices_of(request.match_info["customer_id"]):
            await rights.push(site, device, "erase", {})
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


async def _breach(
    request: web.Request, *, username: str | None, device_id: str | None
) -> web.Response:
    now = _now(request)
    report = await data_rights.breach_report(
        username=username,
        device_id=device_id,
        since=_time(request, "since", now - dt.timedelta(days=30)),
        until=_time(request, "until", now),
    )
    return respond(msgspec.convert(report, BreachOut))


async def user_breach(request: web.Request) -> web.Response:
    """What a user's credential could have exposed (?since=, ?until=; default 30 days)."""
    return await _breach(request, username=request.match_info["username"], device_id=None)


async def device_breach(request: web.Request) -> web.Response:
    """What a device's credential could have exposed (?since=, ?until=)."""
    return await _breach(request, username=None, device_id=request.match_info["device_id"])


async def _consents_out(customer: str) -> list[ConsentOut]:
    return [
        ConsentOut(c.stream, c.purpose, c.granted, c.text, c.at)
        for c in await consent.choices(customer)
    ]


async def get_consents(request: web.Request) -> web.Response:
    """Every stream and purpose, granted or not."""
    customer = request.match_info["customer_id"]
    if not await Customer.exists(id=customer):
        raise ApiError(404, "Not found", f"no customer {customer!r}")
    return respond(await _consents_out(customer))


async def put_consents(request: web.Request) -> web.Response:
    """Give or withdraw consent; a stream with no purpose left stops everywhere at once."""
    customer = request.match_info["customer_id"]
    if not await Customer.exists(id=customer):
        raise ApiError(404, "Not found", f"no customer {customer!r}")
    wanted = decode_body(await request.read(), list[ConsentIn], "consent")
    rights = request.app[RIGHTS]
    stopped, resumed = await consent.record(
        customer,
        [(c.stream, c.purpose, c.granted, c.text) for c in wanted],
        by=request[PRINCIPAL].username,
        now=_now(request),
    )
    if rights.forget is not None:
        rights.forget(customer)
    if rights.push is not None and (stopped or resumed):
        change = dict.fromkeys(stopped, "off") | dict.fromkeys(resumed, "on")
        for site, device in await consent.devices_of(customer):
            await rights.push(site, device, "consent", change)
    return respond(await _consents_out(customer))


ROUTES: list[Route] = [
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/consents",
        handler=get_consents,
        summary="Consent per stream and purpose",
        roles=OWN,
        response=list[ConsentOut],
    ),
    Route(
        method="PUT",
        path="/api/v1/customers/{customer_id}/consents",
        handler=put_consents,
        summary="Give or withdraw consent",
        roles=OWN,
        response=list[ConsentOut],
        body=list[ConsentIn],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/export",
        handler=export_customer,
        summary="Everything held about a customer (continuo-export/1)",
        roles=OWN,
        response=dict[str, Any],
    ),
    Route(
        method="DELETE",
        path="/api/v1/customers/{customer_id}",
        handler=erase_customer,
        summary="Erase a customer's data",
        roles=OWN,
        response=ErasureOut,
    ),
    Route(
        method="GET",
        path="/api/v1/audit",
        handler=audit_log,
        summary="The audit log",
        roles=OPS,
        response=list[AuditOut],
    ),
    Route(
        method="GET",
        path="/api/v1/breach-report/users/{username}",
        handler=user_breach,
        summary="What a user's credential could have exposed",
        roles=OPS,
        response=BreachOut,
    ),
    Route(
        method="GET",
        path="/api/v1/breach-report/devices/{device_id}",
        handler=device_breach,
        summary="What a device's credential could have exposed",
        roles=OPS,
        response=BreachOut,
    ),
]

"""Data rights over the API: export, erasure, the audit log and the breach report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from aiohttp import web

from cloud.api import queries
from cloud.api.access import PRINCIPAL
from cloud.api.context import services
from cloud.api.errors import ApiError, decode_body, query_of, respond
from cloud.api.table import OPS, OWN, Route
from cloud.identity.provisioning import refresh_broker
from cloud.privacy import consent, data_rights
from cloud.store.models import AuditEntry, Customer
from common.clock import utc


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
    without: str | None = None  # withdrawn: what the customer loses, in plain words


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
    return utc(services(request).clock.now())


async def export_customer(request: web.Request) -> web.Response:
    """Everything held about a customer (continuo-export/1, JSON)."""
    document = await data_rights.export(request.match_info["customer_id"], now=_now(request))
    response = respond(document)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{request.match_info["customer_id"]}-export.json"'
    )
    return response


async def erase_customer(request: web.Request) -> web.Response:
    """Erase a customer: their data, their devices' credentials, their exports on disk."""
    s = services(request)
    principal = request[PRINCIPAL]
    # A customer erasing themselves is recorded as such, not by a name that is being erased.
    who = "the customer" if principal.customer_id else principal.username
    # The agents forget what they still hold (best effort: "Pis in the field" confirms it).
    for site, device in await consent.devices_of(request.match_info["customer_id"]):
        await s.ingest.command(site, device, "erase", {})
    exports = Path(s.config.exports_dir) if s.config.exports_dir else None
    record = await data_rights.erase(
        request.match_info["customer_id"], by=who, now=_now(request), exports_dir=exports
    )
    await refresh_broker(s.config.broker)  # the erased devices can no longer log in
    # (A retry after a crash before this line finds the record and comes here again.)
    return respond(ErasureOut(record.at, record.by, record.subject_digest, record.removed))


async def audit_log(request: web.Request) -> web.Response:
    """The audit log, newest first (?customer_id=, ?actor=, ?since=, ?limit=)."""
    query = AuditEntry.all().order_by("-at", "-id")
    q = query_of(request, queries.Audit)
    if q.customer_id:
        query = query.filter(customer_id=q.customer_id)
    if q.actor:
        query = query.filter(actor=q.actor)
    if q.since is not None:
        query = query.filter(at__gte=queries.aware(q.since))
    limit = q.limit
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
    period = query_of(request, queries.Period)
    report = await data_rights.breach_report(
        username=username,
        device_id=device_id,
        since=queries.aware(period.since or now - dt.timedelta(days=30)),
        until=queries.aware(period.until or now),
    )
    return respond(msgspec.convert(report, BreachOut))


async def user_breach(request: web.Request) -> web.Response:
    """What a user's credential could have exposed (?since=, ?until=; default 30 days)."""
    return await _breach(request, username=request.match_info["username"], device_id=None)


async def device_breach(request: web.Request) -> web.Response:
    """What a device's credential could have exposed (?since=, ?until=)."""
    return await _breach(request, username=None, device_id=request.match_info["device_id"])


def _without(choice: consent.Choice) -> str | None:
    """What withdrawing this choice costs (safety alerts: only the accelerometer's count)."""
    if choice.purpose == "safety_alerts" and choice.stream != "accelerometer":
        return None
    return consent.WITHOUT.get(choice.purpose)


async def _consents_out(customer: str) -> list[ConsentOut]:
    return [
        ConsentOut(c.stream, c.purpose, c.granted, c.text, c.at, None if c.granted else _without(c))
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
    s = services(request)
    stopped, resumed = await consent.record(
        customer,
        [(c.stream, c.purpose, c.granted, c.text) for c in wanted],
        by=request[PRINCIPAL].username,
        now=_now(request),
    )
    s.ingest.consent.forget(customer)
    if stopped or resumed:
        change = dict.fromkeys(stopped, "off") | dict.fromkeys(resumed, "on")
        for site, device in await consent.devices_of(customer):
            await s.ingest.command(site, device, "consent", change)
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
        query=queries.Audit,
        summary="The audit log",
        roles=OPS,
        response=list[AuditOut],
    ),
    Route(
        method="GET",
        path="/api/v1/breach-report/users/{username}",
        handler=user_breach,
        query=queries.Period,
        summary="What a user's credential could have exposed",
        roles=OPS,
        response=BreachOut,
    ),
    Route(
        method="GET",
        path="/api/v1/breach-report/devices/{device_id}",
        handler=device_breach,
        query=queries.Period,
        summary="What a device's credential could have exposed",
        roles=OPS,
        response=BreachOut,
    ),
]

"""The alert routes: incidents (the wall), a household's receivers, and deliveries.

The wall cannot be flooded or truncated: open incidents come unanswered first, then by
severity, then oldest first, a page at a time with `X-Total-Count`. Receivers' targets are
masked for everyone but operators; a webhook's signing secret is shown once, when it is
made or rotated. A customer sees whether each notice was delivered, never why not (no
probe of what answers where); operators see the detail, and retry what failed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from aiohttp import web

from cloud.alerts import incidents
from cloud.alerts.receivers import (
    LadderError,
    StepOut,
    StepSpec,
    ladder,
    rotate_secret,
    set_ladder,
    shown,
)
from cloud.api import access
from cloud.api.access import PRINCIPAL
from cloud.api.errors import ApiError, decode_body, enum_query, int_query, respond
from cloud.api.schemas import DeliveryOut, IncidentAction, IncidentOut
from cloud.api.table import ALERT, OPS, OWN, Route
from cloud.config import AlertSettings, NotifySettings
from cloud.delivery.engine import Deliveries
from cloud.delivery.targets import mask
from cloud.identity.users import Principal, Role
from cloud.store.changes import ChangeFeed
from cloud.store.models import Customer, Delivery, Device, Incident
from cloud.terms import DeliveryState, Topic
from common.clock import Clock

LADDER_BYTES = 64 * 1024  # a ladder of 10 receivers is a few hundred bytes


@dataclass(frozen=True, slots=True)
class AlertsApi:
    """What the alert routes need from the app."""

    deliveries: Deliveries
    feed: ChangeFeed
    clock: Clock
    alerts: AlertSettings
    notify: NotifySettings


ALERTS_API = web.AppKey("alerts_api", AlertsApi)
OPEN_ORDER = ("-state", "severity", "raised_at", "id")  # unanswered, critical, oldest first


def _staff(request: web.Request) -> bool:
    """Whether an operator asks (who may see targets and failure details, set any target)."""
    principal = request.get(PRINCIPAL)
    return isinstance(principal, Principal) and principal.role is Role.OPERATOR


def delivery_out(d: Delivery, *, staff: bool) -> DeliveryOut:
    """A delivery as the API shows it: customers see delivered or not, never why not."""
    delivered = d.state is DeliveryState.DELIVERED
    if staff:
        detail = d.last_error or ("delivered" if delivered else d.state.value)
    else:
        detail = {
            DeliveryState.DELIVERED: "delivered",
            DeliveryState.PENDING: "not delivered yet" if d.attempts else "on its way",
            DeliveryState.SENDING: "on its way",
        }.get(d.state, "not delivered")
    return DeliveryOut(
        id=d.id,
        position=d.position,
        who=d.who,
        purpose=d.purpose,
        channel=d.channel,
        target=d.target if staff and d.trusted else mask(d.target),
        state=d.state.value,
        attempts=d.attempts,
        created_at=d.created_at,
        delivered_at=d.delivered_at,
        next_at=d.next_at if d.state is DeliveryState.PENDING else None,
        detail=detail,
        ok=delivered,
        incident_id=d.incident_id,
        reminder_id=d.reminder_id,
        customer_id=d.customer_id,
    )


async def incidents_out(items: list[Incident], *, staff: bool = True) -> list[IncidentOut]:
    """Incidents as the API shows them: two queries for any number, not two per incident."""
    if not items:
        return []
    devices = {i.device_id for i in items}
    site_of = dict(await Device.filter(id__in=devices).values_list("id", "site_id"))
    sent: dict[str, list[DeliveryOut]] = {i.id: [] for i in items}
    for d in await Delivery.filter(incident_id__in=list(sent)).order_by(
        "created_at", "position", "id"
    ):
        sent[str(d.incident_id)].append(delivery_out(d, staff=staff))
    return [
        IncidentOut(
            id=incident.id,
            device_id=incident.device_id,
            site=str(site_of[incident.device_id]),
            sensor=incident.sensor,
            kind=incident.kind,
            severity=incident.severity,
            notice=incident.notice.value,
            state=incident.state,
            detail=incident.detail,
            raised_at=incident.raised_at,
            detected_at=incident.detected_at,
            occurrences=incident.occurrences,
            raised_again=incident.raised_again,
            acknowledged_by=incident.acknowledged_by,
            acknowledged_at=incident.acknowledged_at,
            resolved_by=incident.resolved_by,
            resolved_at=incident.resolved_at,
            rate_hz=incident.rate_hz,
            samples=incident.samples,
            impact_index=incident.impact_index,
            notifications=sent[incident.id],
            next_escalation_at=incident.next_escalation_at if incident.state == "active" else None,
        )
        for incident in items
    ]


async def _customer(request: web.Request) -> str:
    customer = request.match_info["customer_id"]
    if not await Customer.exists(id=customer):
        raise ApiError(404, "Not found", f"no customer {customer!r}")
    return customer


async def list_alerts(request: web.Request, *, customer: str | None = None) -> web.Response:
    """Alert incidents (?state=active|acknowledged|resolved|open), a page at a time.

    Open ones (open, active, acknowledged) come unanswered first, then critical, then oldest
    first, so nothing urgent is ever off the first page because of what is newer; resolved
    ones and the whole history come newest first. X-Total-Count says how many match.
    """
    query = Incident.all()
    if customer is not None:
        query = query.filter(device__site__customer_id=customer)
    state = request.query.get("state")
    if state == "open":
        query = query.filter(state__in=incidents.OPEN_STATES)
    elif state in {"active", "acknowledged", "resolved"}:
        query = query.filter(state=state)
    elif state is not None:
        raise ApiError(400, "Bad query", "state must be active, acknowledged, resolved or open")
    ordered = (
        query.order_by(*OPEN_ORDER)
        if state not in {None, "resolved"}
        else query.order_by("-raised_at", "id")
    )
    limit = int_query(request, "limit", 100, low=1, high=1000)
    offset = int_query(request, "offset", 0, low=0, high=10_000_000)
    total = await query.count()
    page = await ordered.offset(offset).limit(limit)
    response = respond(await incidents_out(page, staff=_staff(request)))
    response.headers["X-Total-Count"] = str(total)
    return response


async def customer_alerts(request: web.Request) -> web.Response:
    """One household's alert incidents (what a caregiver follows)."""
    return await list_alerts(request, customer=await _customer(request))


async def _transition(request: web.Request, action: str) -> web.Response:
    raw = await request.read()
    body = decode_body(raw, IncidentAction, 'action (expected {} or {"by": NAME})') if raw else None
    change = incidents.acknowledge if action == "acknowledge" else incidents.resolve
    api = request.app[ALERTS_API]
    try:
        incident = await change(
            request.match_info["incident_id"],
            by=access.actor(request, body.by if body else ""),
            now=dt.datetime.fromtimestamp(api.clock.now(), tz=dt.UTC),
        )
    except LookupError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    except incidents.TransitionError as exc:
        raise ApiError(409, "Conflict", str(exc)) from exc
    await api.feed.publish(Topic.ALERTS, incident.device_id)
    (out,) = await incidents_out([incident], staff=_staff(request))
    return respond(out)


async def acknowledge_alert(request: web.Request) -> web.Response:
    """Acknowledge an active incident as the logged-in user (optionally {"by": "for whom"})."""
    return await _transition(request, "acknowledge")


async def resolve_alert(request: web.Request) -> web.Response:
    """Resolve an incident as the logged-in user (optionally {"by": "for whom"})."""
    return await _transition(request, "resolve")


async def get_ladder(request: web.Request) -> web.Response:
    """A household's receivers (targets masked but for operators; secrets never)."""
    customer = await _customer(request)
    staff = _staff(request)
    return respond([shown(s, staff=staff) for s in await ladder(customer)])


async def put_ladder(request: web.Request) -> web.Response:
    """Replace a household's receivers; a new webhook's signing secret is shown this once.

    A customer's webhooks must be https and reach only public addresses; operators may set
    any target.
    """
    customer = await _customer(request)
    raw = await request.read()
    if len(raw) > LADDER_BYTES:
        raise ApiError(413, "Too large", f"a ladder is at most {LADDER_BYTES} bytes")
    steps = await asyncio.to_thread(decode_body, raw, list[StepSpec], "escalation ladder")
    api = request.app[ALERTS_API]
    try:
        out = await set_ladder(
            customer, steps, trusted=_staff(request), max_steps=api.alerts.max_ladder_steps
        )
    except LadderError as exc:
        raise ApiError(400, "Bad request", f"invalid escalation ladder: {exc}") from exc
    return respond(out)


async def rotate(request: web.Request) -> web.Response:
    """A new signing secret for one webhook receiver; the old one works for the overlap."""
    customer = await _customer(request)
    try:
        position = int(request.match_info["position"])
    except ValueError:
        raise ApiError(400, "Bad path", "position must be an integer") from None
    if not 0 <= position < 2**31:
        raise ApiError(404, "Not found", f"no webhook receiver at position {position}")
    api = request.app[ALERTS_API]
    try:
        out = await rotate_secret(
            customer,
            position,
            now=dt.datetime.fromtimestamp(api.clock.now(), tz=dt.UTC),
            overlap_s=api.notify.secret_overlap_s,
            staff=_staff(request),
        )
    except LookupError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    return respond(out)


async def list_deliveries(request: web.Request) -> web.Response:
    """Deliveries, newest first (?state=, ?incident_id=, ?customer_id=), a page at a time."""
    query = Delivery.all()
    if state := enum_query(request, "state", DeliveryState):
        query = query.filter(state=state)
    if incident := request.query.get("incident_id"):
        query = query.filter(incident_id=incident)
    if customer := request.query.get("customer_id"):
        query = query.filter(customer_id=customer)
    limit = int_query(request, "limit", 100, low=1, high=1000)
    offset = int_query(request, "offset", 0, low=0, high=10_000_000)
    total = await query.count()
    page = await query.order_by("-created_at", "id").offset(offset).limit(limit)
    response = respond([delivery_out(d, staff=True) for d in page])
    response.headers["X-Total-Count"] = str(total)
    return response


async def retry_delivery(request: web.Request) -> web.Response:
    """Try a failed, gone or cancelled delivery again now, with a fresh lifetime."""
    api = request.app[ALERTS_API]
    delivery = await api.deliveries.retry(request.match_info["delivery_id"])
    if delivery is None:
        raise ApiError(409, "Conflict", "no failed delivery with that id")
    return respond(delivery_out(delivery, staff=True))


ROUTES = [
    Route(
        method="GET",
        path="/api/v1/alerts",
        handler=list_alerts,
        summary="Alert incidents (open ones unanswered and critical first), paged",
        roles=OPS,
        response=list[IncidentOut],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/alerts",
        handler=customer_alerts,
        summary="One household's alert incidents",
        roles=ALERT,
        response=list[IncidentOut],
    ),
    Route(
        method="POST",
        path="/api/v1/alerts/{incident_id}/acknowledge",
        handler=acknowledge_alert,
        summary="Acknowledge an active alert",
        roles=ALERT,
        response=IncidentOut,
        body=IncidentAction,
    ),
    Route(
        method="POST",
        path="/api/v1/alerts/{incident_id}/resolve",
        handler=resolve_alert,
        summary="Resolve an alert",
        roles=ALERT,
        response=IncidentOut,
        body=IncidentAction,
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/escalation",
        handler=get_ladder,
        summary="A household's receivers: who is told of what, how and when",
        roles=OWN,
        response=list[StepOut],
    ),
    Route(
        method="PUT",
        path="/api/v1/customers/{customer_id}/escalation",
        handler=put_ladder,
        summary="Replace a household's receivers (new webhook secrets shown once)",
        roles=OWN,
        response=list[StepOut],
        body=list[StepSpec],
    ),
    Route(
        method="POST",
        path="/api/v1/customers/{customer_id}/escalation/{position}/rotate-secret",
        handler=rotate,
        summary="Rotate a webhook receiver's signing secret (the old one works for an overlap)",
        roles=OWN,
        response=StepOut,
    ),
    Route(
        method="GET",
        path="/api/v1/deliveries",
        handler=list_deliveries,
        summary="Notice deliveries (?state=failed: what did not arrive), paged",
        roles=OPS,
        response=list[DeliveryOut],
    ),
    Route(
        method="POST",
        path="/api/v1/deliveries/{delivery_id}/retry",
        handler=retry_delivery,
        summary="Try a failed delivery again",
        roles=OPS,
        response=DeliveryOut,
    ),
]

"""The alert routes: incidents (the wall) and how each was told.

The wall cannot be flooded or truncated: open incidents come unanswered first, then by
severity, then oldest first, a page at a time with `X-Total-Count`. A customer sees whether
each notice was delivered, never why not (no probe of what answers where); operators see the
detail. A household's receivers and the deliveries list are `cloud.api.receivers`.
"""

from __future__ import annotations

from aiohttp import web

from cloud.alerts import incidents
from cloud.api import access, queries
from cloud.api.access import PRINCIPAL
from cloud.api.context import services
from cloud.api.errors import ApiError, decode_body, query_of, respond
from cloud.api.schemas import DeliveryOut, IncidentAction, IncidentOut
from cloud.api.table import ALERT, OPS, Route
from cloud.delivery.targets import mask
from cloud.identity.users import Principal, Role
from cloud.store.models import Customer, Delivery, Device, Incident
from cloud.terms import DeliveryState, Topic
from common.clock import utc

OPEN_ORDER = ("-state", "severity", "raised_at", "id")  # unanswered, critical, oldest first


def staff_asks(request: web.Request) -> bool:
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


async def customer_in_path(request: web.Request) -> str:
    """The customer the path names (a 404 if there is none)."""
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
    q = query_of(request, queries.Alerts)
    state = q.state
    if state == "open":
        query = query.filter(state__in=incidents.OPEN_STATES)
    elif state is not None:
        query = query.filter(state=state)
    ordered = (
        query.order_by(*OPEN_ORDER)
        if state not in {None, "resolved"}
        else query.order_by("-raised_at", "id")
    )
    total = await query.count()
    page = await ordered.offset(q.offset).limit(q.limit)
    response = respond(await incidents_out(page, staff=staff_asks(request)))
    response.headers["X-Total-Count"] = str(total)
    return response


async def customer_alerts(request: web.Request) -> web.Response:
    """One household's alert incidents (what a caregiver follows)."""
    return await list_alerts(request, customer=await customer_in_path(request))


async def _transition(request: web.Request, action: str) -> web.Response:
    raw = await request.read()
    body = decode_body(raw, IncidentAction, 'action (expected {} or {"by": NAME})') if raw else None
    change = incidents.acknowledge if action == "acknowledge" else incidents.resolve
    api = services(request)
    incident = await change(
        request.match_info["incident_id"],
        by=access.actor(request, body.by if body else ""),
        now=utc(api.clock.now()),
    )
    await api.feed.publish(Topic.ALERTS, incident.device_id)
    (out,) = await incidents_out([incident], staff=staff_asks(request))
    return respond(out)


async def acknowledge_alert(request: web.Request) -> web.Response:
    """Acknowledge an active incident as the logged-in user (optionally {"by": "for whom"})."""
    return await _transition(request, "acknowledge")


async def resolve_alert(request: web.Request) -> web.Response:
    """Resolve an incident as the logged-in user (optionally {"by": "for whom"})."""
    return await _transition(request, "resolve")


ROUTES = [
    Route(
        method="GET",
        path="/api/v1/alerts",
        handler=list_alerts,
        query=queries.Alerts,
        summary="Alert incidents (open ones unanswered and critical first), paged",
        roles=OPS,
        response=list[IncidentOut],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/alerts",
        handler=customer_alerts,
        query=queries.Alerts,
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
]

"""REST API under /api/v1, its OpenAPI document, and the live change stream (SSE)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from aiohttp import web

from cloud.alerts import incidents
from cloud.alerts.escalation import LadderError, StepSpec, ladder, set_ladder
from cloud.api import access
from cloud.api import needs as api_needs
from cloud.api import rights as api_rights
from cloud.api import sessions as api_auth
from cloud.api.access import PRINCIPAL
from cloud.api.errors import ApiError, Handler, int_query, respond
from cloud.api.needs import need_rate, order_out
from cloud.api.schemas import (
    DeviceOut,
    EventOut,
    FlagOut,
    IncidentAction,
    IncidentOut,
    IngestStats,
    LevelOut,
    NotificationOut,
    OrderOut,
    PrinterOut,
    Problem,
    SensorOut,
    SupplyOut,
)
from cloud.config import BrokerSettings
from cloud.identity.provisioning import EnrollmentError, redeem, refresh_broker
from cloud.identity.registry import RegistryError
from cloud.identity.users import Principal, Role
from cloud.store.changes import ChangeFeed
from cloud.store.models import (
    Customer,
    Device,
    DeviceEvent,
    Flag,
    Incident,
    Need,
    NotificationRecord,
    Order,
    PrinterInfo,
    SensorSample,
    SequenceGap,
    Supply,
    SupplyLevel,
)
from common.clock import Clock
from common.messages import Provisioned, ProvisionRequest


async def _device_out(device: Device) -> DeviceOut:
    printers = await PrinterInfo.filter(device_id=device.id).order_by("sensor")
    gaps = await SequenceGap.filter(device_id=device.id).count()
    return DeviceOut(
        id=device.id,
        site=device.site_id,
        customer=device.site.customer_id,
        online=device.online,
        last_seen=device.last_seen,
        firmware=device.firmware,
        battery_pct=device.battery_pct,
        sensors_ok=device.sensors_ok,
        sensors_detail=device.sensors_detail,
        last_seq=device.last_seq,
        open_gaps=gaps,
        outbox_dropped=device.outbox_dropped,
        printers=[
            PrinterOut(p.sensor, p.state, p.make, p.model, p.detail, p.updated_at) for p in printers
        ],
    )


async def list_devices(request: web.Request) -> web.Response:
    """All devices."""
    query = Device.all()
    principal = request.get(PRINCIPAL)
    if isinstance(principal, Principal) and principal.role is Role.INSTALLER:
        query = query.filter(site_id__in=sorted(principal.sites))  # their sites only
    devices = await query.prefetch_related("site").order_by("id")
    return respond([await _device_out(d) for d in devices])


async def get_device(request: web.Request) -> web.Response:
    """One device."""
    device = await Device.get_or_none(id=request.match_info["device_id"]).prefetch_related("site")
    if device is None:
        raise ApiError(404, "Not found", f"no device {request.match_info['device_id']!r}")
    return respond(await _device_out(device))


def _supply_out(s: Supply, need: Need | None) -> SupplyOut:
    rate = None if need is None else need_rate(need)
    return SupplyOut(
        device_id=s.device_id,
        sensor=s.sensor,
        supply=s.name,
        index=s.index,
        color=s.color,
        kind=s.kind,
        level=s.level,
        level_state=s.level_state,
        updated_at=s.updated_at,
        rate_per_day=rate,
        runout_at=None if need is None else need.runout_at,
        note="" if need is None else need.note,
        need_id=None if need is None else need.id,
    )


async def list_supplies(request: web.Request) -> web.Response:
    """Every supply (of one device with ?device_id=) with its need's forecast."""
    query = Supply.all().order_by("device_id", "sensor", "index")
    needs = Need.filter(supply_index__isnull=False)
    if device_id := request.query.get("device_id"):
        query = query.filter(device_id=device_id)
        needs = needs.filter(device_id=device_id)
    by_supply = {(n.device_id, n.sensor, n.supply_index): n for n in await needs}
    return respond(
        [_supply_out(s, by_supply.get((s.device_id, s.sensor, s.index))) for s in await query]
    )


async def supply_levels(request: web.Request) -> web.Response:
    """The level history of one supply, oldest first (the last ?limit= points)."""
    m = request.match_info
    try:
        index = int(m["index"])
    except ValueError:
        raise ApiError(400, "Bad path", "supply index must be an integer") from None
    if not -(2**31) <= index < 2**31:
        raise ApiError(404, "Not found", "no such supply")
    supply = await Supply.get_or_none(device_id=m["device_id"], sensor=m["sensor"], index=index)
    if supply is None:
        raise ApiError(404, "Not found", "no such supply")
    limit = int_query(request, "limit", 500, low=1, high=10_000)
    rows = await SupplyLevel.filter(supply_id=supply.id).order_by("-at").limit(limit)
    return respond([LevelOut(r.at, r.level, r.level_state) for r in reversed(rows)])


async def list_orders(request: web.Request) -> web.Response:
    """Orders, newest first (?status=, ?device_id=, ?limit=)."""
    query = Order.all().order_by("-created_at")
    if status := request.query.get("status"):
        query = query.filter(status=status)
    if device_id := request.query.get("device_id"):
        query = query.filter(device_id=device_id)
    limit = int_query(request, "limit", 200, low=1, high=5000)
    return respond([order_out(o) for o in await query.limit(limit)])


async def list_flags(_request: web.Request) -> web.Response:
    """Open operator flags."""
    flags = await Flag.filter(resolved=False).order_by("-created_at")
    return respond(
        [FlagOut(f.id, f.device_id, f.kind, f.detail, f.created_at, f.resolved) for f in flags]
    )


def _sensor_out(s: SensorSample) -> SensorOut:
    return SensorOut(s.device_id, s.sensor, s.kind, s.state, s.grams, s.detail, s.data, s.at)


async def list_sensors(request: web.Request) -> web.Response:
    """The latest reading of every scale, load cell and wearable (?device_id=)."""
    query = SensorSample.all().order_by("-at")
    if device_id := request.query.get("device_id"):
        query = query.filter(device_id=device_id)
    latest: dict[tuple[str, str], SensorSample] = {}
    for sample in await query.limit(2000):
        latest.setdefault((sample.device_id, sample.sensor), sample)
    return respond([_sensor_out(s) for _, s in sorted(latest.items())])


async def sensor_readings(request: web.Request) -> web.Response:
    """One sensor's readings, oldest first (the last ?limit=)."""
    m = request.match_info
    limit = int_query(request, "limit", 500, low=1, high=10_000)
    rows = await (
        SensorSample.filter(device_id=m["device_id"], sensor=m["sensor"])
        .order_by("-at")
        .limit(limit)
    )
    if not rows:
        raise ApiError(404, "Not found", "no readings for that sensor")
    return respond([_sensor_out(s) for s in reversed(rows)])


async def list_events(request: web.Request) -> web.Response:
    """Events, faults, alerts and command answers, newest first (?device_id=, ?limit=)."""
    query = DeviceEvent.all().order_by("-at")
    if device_id := request.query.get("device_id"):
        query = query.filter(device_id=device_id)
    limit = int_query(request, "limit", 100, low=1, high=5000)
    return respond(
        [
            EventOut(e.id, e.device_id, e.kind, e.sensor, e.name, e.severity, e.detail, e.at)
            for e in await query.limit(limit)
        ]
    )


async def _incident_out(incident: Incident) -> IncidentOut:
    device = await Device.get(id=incident.device_id)
    sent = await NotificationRecord.filter(incident_id=incident.id).order_by("at")
    return IncidentOut(
        incident.id,
        incident.device_id,
        device.site_id,
        incident.sensor,
        incident.kind,
        incident.severity,
        incident.state,
        incident.detail,
        incident.raised_at,
        incident.detected_at,
        incident.occurrences,
        incident.acknowledged_by,
        incident.acknowledged_at,
        incident.resolved_by,
        incident.resolved_at,
        incident.rate_hz,
        incident.samples,
        incident.impact_index,
        [NotificationOut(n.position, n.channel, n.target, n.at, n.ok, n.detail) for n in sent],
        incident.next_escalation_at if incident.state == "active" else None,
    )


async def get_ladder(request: web.Request) -> web.Response:
    """A customer's escalation ladder."""
    customer = request.match_info["customer_id"]
    if not await Customer.exists(id=customer):
        raise ApiError(404, "Not found", f"no customer {customer!r}")
    steps = await ladder(customer)
    return respond([StepSpec(s.after_s, s.channel, s.target) for s in steps])


_ladder_decoder = msgspec.json.Decoder(list[StepSpec])


async def put_ladder(request: web.Request) -> web.Response:
    """Replace a customer's escalation ladder: [{"after_s", "channel", "target"}, ...]."""
    customer = request.match_info["customer_id"]
    if not await Customer.exists(id=customer):
        raise ApiError(404, "Not found", f"no customer {customer!r}")
    try:
        steps = _ladder_decoder.decode(await request.read())
        await set_ladder(customer, steps)
    except (msgspec.ValidationError, msgspec.DecodeError, LadderError) as exc:
        raise ApiError(400, "Bad request", f"invalid escalation ladder: {exc}") from exc
    return respond(steps)


async def customer_alerts(request: web.Request) -> web.Response:
    """One household's alert incidents, newest first (what a caregiver follows)."""
    customer = request.match_info["customer_id"]
    if not await Customer.exists(id=customer):
        raise ApiError(404, "Not found", f"no customer {customer!r}")
    return await list_alerts(request, customer=customer)


async def list_alerts(request: web.Request, *, customer: str | None = None) -> web.Response:
    """Alert incidents, newest first (?state=active|acknowledged|resolved|open)."""
    query = Incident.all().order_by("-raised_at")
    if customer is not None:
        query = query.filter(device__site__customer_id=customer)
    state = request.query.get("state")
    if state == "open":
        query = query.filter(state__in=("active", "acknowledged"))
    elif state in {"active", "acknowledged", "resolved"}:
        query = query.filter(state=state)
    elif state is not None:
        raise ApiError(400, "Bad query", "state must be active, acknowledged, resolved or open")
    limit = int_query(request, "limit", 100, low=1, high=1000)
    return respond([await _incident_out(i) for i in await query.limit(limit)])


_action_decoder = msgspec.json.Decoder(IncidentAction)


async def _transition(request: web.Request, action: str) -> web.Response:
    try:
        body = _action_decoder.decode(await request.read())
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ApiError(400, "Bad request", f'expected {{"by": NAME}}: {exc}') from exc
    change = incidents.acknowledge if action == "acknowledge" else incidents.resolve
    clock = request.app[PROVISIONING].clock
    try:
        incident = await change(
            request.match_info["incident_id"],
            by=body.by,
            now=dt.datetime.fromtimestamp(clock.now(), tz=dt.UTC),
        )
    except LookupError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    except incidents.TransitionError as exc:
        raise ApiError(409, "Conflict", str(exc)) from exc
    await request.app[FEED].publish("alerts", incident.device_id)
    return respond(await _incident_out(incident))


async def acknowledge_alert(request: web.Request) -> web.Response:
    """Acknowledge an active incident: {"by": "caregiver name"}."""
    return await _transition(request, "acknowledge")


async def resolve_alert(request: web.Request) -> web.Response:
    """Resolve an incident: {"by": "name"}."""
    return await _transition(request, "resolve")


@dataclass(frozen=True)
class Provisioning:
    """What the provisioning route needs from the app."""

    clock: Clock
    broker: BrokerSettings


PROVISIONING = web.AppKey("provisioning", Provisioning)
_provision_decoder = msgspec.json.Decoder(ProvisionRequest)


async def provision(request: web.Request) -> web.Response:
    """Redeem an installer's one-time token: register the device, return its credentials."""
    try:
        body = _provision_decoder.decode(await request.read())
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ApiError(400, "Bad request", f"invalid provisioning request: {exc}") from exc
    ctx = request.app[PROVISIONING]
    try:
        device = await redeem(body.token, clock=ctx.clock, device_id=body.device_id)
    except EnrollmentError as exc:
        raise ApiError(403, "Forbidden", str(exc)) from exc
    except RegistryError as exc:
        raise ApiError(409, "Conflict", str(exc)) from exc
    await refresh_broker(ctx.broker)
    out = Provisioned(
        device.device_id,
        device.site,
        device.username,
        device.password,
        ctx.broker.public_host or ctx.broker.host,
        ctx.broker.devices_port,
    )
    return respond(out, status=201)


@dataclass(frozen=True)
class Counters:
    """Where the API reads this worker's counters from."""

    ingest: Callable[[], dict[str, int]]
    replenishment: Callable[[], dict[str, int]]


COUNTERS = web.AppKey("counters", Counters)
FEED = web.AppKey("feed", ChangeFeed)


async def ingest_stats(request: web.Request) -> web.Response:
    """Counters of this worker: messages stored, duplicates, rejections by reason."""
    counters = request.app[COUNTERS]
    return respond(IngestStats(counters.ingest(), counters.replenishment()))


async def stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: one `change` event per change, for the live dashboard."""
    feed = request.app[FEED]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    last = await feed.latest_id()
    await response.write(b"event: hello\ndata: {}\n\n")
    with contextlib.suppress(ConnectionResetError):  # the browser went away
        while True:
            last = await _stream_once(response, feed, last)
    return response


async def _stream_once(response: web.StreamResponse, feed: ChangeFeed, last: int) -> int:
    """Send what changed since `last`, or a keep-alive; then wait for the next change."""
    events = await feed.since(last)
    for event in events:
        last = event.id
        data = json.dumps({"topic": event.topic, "subject": event.subject})
        await response.write(f"event: change\nid: {event.id}\ndata: {data}\n\n".encode())
    if not events:
        await response.write(b": keep-alive\n\n")
    await feed.wait(timeout_s=1.0)
    return last


ROUTES: list[tuple[str, str, Handler, str, type | None]] = [
    ("GET", "/api/v1/devices", list_devices, "List devices", list[DeviceOut]),
    ("GET", "/api/v1/devices/{device_id}", get_device, "Get one device", DeviceOut),
    ("GET", "/api/v1/supplies", list_supplies, "List supplies with forecasts", list[SupplyOut]),
    (
        "GET",
        "/api/v1/devices/{device_id}/supplies/{sensor}/{index}/levels",
        supply_levels,
        "Level history of one supply",
        list[LevelOut],
    ),
    ("GET", "/api/v1/orders", list_orders, "List orders with their reasons", list[OrderOut]),
    ("GET", "/api/v1/flags", list_flags, "Open operator flags", list[FlagOut]),
    (
        "GET",
        "/api/v1/sensors",
        list_sensors,
        "Latest reading of each scale and wearable",
        list[SensorOut],
    ),
    (
        "GET",
        "/api/v1/devices/{device_id}/sensors/{sensor}/readings",
        sensor_readings,
        "Readings of one scale or wearable",
        list[SensorOut],
    ),
    ("GET", "/api/v1/events", list_events, "Device events, faults and alerts", list[EventOut]),
    ("GET", "/api/v1/alerts", list_alerts, "Alert incidents", list[IncidentOut]),
    (
        "GET",
        "/api/v1/customers/{customer_id}/alerts",
        customer_alerts,
        "One household's alert incidents",
        list[IncidentOut],
    ),
    (
        "POST",
        "/api/v1/alerts/{incident_id}/acknowledge",
        acknowledge_alert,
        "Acknowledge an active alert",
        IncidentOut,
    ),
    (
        "POST",
        "/api/v1/alerts/{incident_id}/resolve",
        resolve_alert,
        "Resolve an alert",
        IncidentOut,
    ),
    (
        "GET",
        "/api/v1/customers/{customer_id}/escalation",
        get_ladder,
        "A customer's escalation ladder",
        list[StepSpec],
    ),
    (
        "PUT",
        "/api/v1/customers/{customer_id}/escalation",
        put_ladder,
        "Replace a customer's escalation ladder",
        list[StepSpec],
    ),
    ("GET", "/api/v1/ingest/stats", ingest_stats, "Ingest counters of this worker", IngestStats),
    ("GET", "/api/v1/stream", stream, "Server-sent change events", None),
    *api_needs.ROUTES,
    *api_auth.ROUTES,
    *api_rights.ROUTES,
    (
        "POST",
        "/api/v1/provision",
        provision,
        "Provision a device with a one-time token",
        Provisioned,
    ),
]


REQUEST_BODIES: dict[tuple[str, str], type] = {
    ("POST", "/api/v1/alerts/{incident_id}/acknowledge"): IncidentAction,
    ("POST", "/api/v1/alerts/{incident_id}/resolve"): IncidentAction,
    ("POST", "/api/v1/provision"): ProvisionRequest,
    ("PUT", "/api/v1/customers/{customer_id}/escalation"): list[StepSpec],
    **api_needs.BODIES,
    **api_auth.BODIES,
    **api_rights.BODIES,
}
_INTEGER_PATH_PARAMETERS = frozenset({"index"})


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built from ROUTES, REQUEST_BODIES and their types."""
    responses = [t for *_, t in ROUTES if t is not None]
    bodies = list(REQUEST_BODIES.values())
    schemas, components = msgspec.json.schema_components(
        [*responses, *bodies, Problem], ref_template="#/components/schemas/{name}"
    )
    response_schemas = schemas[: len(responses)]
    body_schemas = dict(
        zip(REQUEST_BODIES, schemas[len(responses) : len(responses) + len(bodies)], strict=True)
    )
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    paths: dict[str, Any] = {}
    for (method, path, handler, summary, _), schema in zip(
        [r for r in ROUTES if r[4] is not None], response_schemas, strict=True
    ):
        params = [
            {
                "name": p,
                "in": "path",
                "required": True,
                "schema": {"type": "integer" if p in _INTEGER_PATH_PARAMETERS else "string"},
            }
            for p in path.replace("}", "{").split("{")[1::2]
        ]
        operation: dict[str, Any] = {
            "summary": summary,
            "operationId": handler.__name__,
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
                "default": {
                    "description": "Problem",
                    "content": {"application/problem+json": {"schema": problem_ref}},
                },
            },
        }
        params += [
            {"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
            for h in api_needs.HEADERS.get((method, path), [])
        ]
        if (method, path) in body_schemas:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body_schemas[method, path]}},
            }
        paths.setdefault(path, {})[method.lower()] = operation
    paths[api_needs.CALENDAR_PATH] = {
        "put": {
            "summary": "Replace the household's absences with an iCalendar feed",
            "operationId": "put_calendar",
            "parameters": [
                {
                    "name": "customer_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            },
            "responses": {
                "200": {"description": "The absences found"},
                "default": {
                    "description": "Problem",
                    "content": {"application/problem+json": {"schema": problem_ref}},
                },
            },
        }
    }
    paths["/api/v1/stream"] = {
        "get": {
            "summary": "Server-sent change events",
            "operationId": "stream",
            "responses": {"200": {"description": "text/event-stream"}},
        }
    }
    for path, operations in paths.items():
        for method, operation in operations.items():
            if access.POLICY.get((method.upper(), path), ()) is None:
                operation["security"] = []  # public
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": access.SESSION_COOKIE},
    }
    return {
        "openapi": "3.1.0",
        "security": [{"bearer": []}, {"session": []}],
        "info": {"title": "Continuo API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }


async def openapi(_request: web.Request) -> web.Response:
    """Serve the OpenAPI document."""
    return web.json_response(openapi_document())


def add_routes(app: web.Application) -> None:
    """Mount the API on `app`."""
    for method, path, handler, *_ in ROUTES:
        app.router.add_route(method, path, handler)
    app.router.add_put(api_needs.CALENDAR_PATH, api_needs.put_calendar)
    app.router.add_get("/api/v1/openapi.json", openapi)

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

from cloud.api import access, fleet
from cloud.api import alerts as api_alerts
from cloud.api import metrics as api_metrics
from cloud.api import needs as api_needs
from cloud.api import rights as api_rights
from cloud.api import sessions as api_auth
from cloud.api.access import PRINCIPAL
from cloud.api.errors import ApiError, decode_body, int_query, respond
from cloud.api.needs import need_rate, order_out
from cloud.api.schemas import (
    DeviceOut,
    EventOut,
    FlagOut,
    IngestStats,
    LevelOut,
    OrderOut,
    Problem,
    QuarantineIn,
    SensorOut,
    SupplyOut,
)
from cloud.api.table import DEVICE, OPS, POLICY, STAFF_DEVICES, Route, policy
from cloud.config import BrokerSettings
from cloud.identity import registry
from cloud.identity.provisioning import EnrollmentError, redeem, refresh_broker
from cloud.identity.registry import RegistryError
from cloud.identity.users import Principal, Role
from cloud.store.changes import ChangeFeed
from cloud.store.models import (
    Device,
    DeviceEvent,
    Flag,
    Need,
    Order,
    SensorSample,
    Supply,
    SupplyLevel,
)
from cloud.terms import OrderStatus, Topic
from common.clock import Clock
from common.messages import Provisioned, ProvisionRequest


async def list_devices(request: web.Request) -> web.Response:
    """Devices, a page at a time (?q=, ?health=, ?sort=, ?limit=, ?offset=); X-Total-Count."""
    query = Device.all()
    principal = request.get(PRINCIPAL)
    if isinstance(principal, Principal) and principal.role is Role.INSTALLER:
        query = query.filter(site_id__in=sorted(principal.sites))  # their sites only
    found = fleet.query(
        query,
        text=request.query.get("q", "").strip(),
        health=request.query.get("health") or None,
        sort=request.query.get("sort", "id"),
    )
    limit = int_query(request, "limit", 1000, low=1, high=10_000)
    offset = int_query(request, "offset", 0, low=0, high=10_000_000)
    total = await found.count()
    page = await found.offset(offset).limit(limit).prefetch_related("site")
    response = respond(await fleet.devices_out(page))
    response.headers["X-Total-Count"] = str(total)
    return response


async def _device_out(device: Device) -> DeviceOut:
    (out,) = await fleet.devices_out([device])
    return out


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
        try:
            query = query.filter(status=OrderStatus(status))
        except ValueError:
            names = ", ".join(s.value for s in OrderStatus)
            raise ApiError(400, "Bad query", f"status must be one of {names}") from None
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


@dataclass(frozen=True)
class Provisioning:
    """What the provisioning and device-account routes need from the app."""

    clock: Clock
    broker: BrokerSettings
    forget: Callable[[str], None] | None = None  # ingest drops what it cached of a device


PROVISIONING = web.AppKey("provisioning", Provisioning)


async def _device_account_changed(request: web.Request, device: Device) -> web.Response:
    ctx = request.app[PROVISIONING]
    if ctx.forget is not None:
        ctx.forget(device.id)
    await refresh_broker(ctx.broker)  # the broker's ACL follows, where the cloud manages it
    await request.app[FEED].publish(Topic.DEVICES, device.id)
    await device.fetch_related("site")
    return respond(await _device_out(device))


async def quarantine_device(request: web.Request) -> web.Response:
    """Set a device aside: {"reason": "..."}; nothing it sends is taken until released."""
    body = decode_body(await request.read(), QuarantineIn, 'quarantine (expected {"reason": TEXT})')
    now = dt.datetime.fromtimestamp(request.app[PROVISIONING].clock.now(), tz=dt.UTC)
    try:
        device = await registry.quarantine(
            request.match_info["device_id"], reason=body.reason, at=now
        )
    except RegistryError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    return await _device_account_changed(request, device)


async def release_device(request: web.Request) -> web.Response:
    """Release a quarantined device; what it kept back arrives as it resends."""
    try:
        device = await registry.release(request.match_info["device_id"])
    except RegistryError as exc:
        raise ApiError(404, "Not found", str(exc)) from exc
    return await _device_account_changed(request, device)


async def provision(request: web.Request) -> web.Response:
    """Redeem an installer's one-time token: register the device, return its credentials."""
    body = decode_body(await request.read(), ProvisionRequest, "provisioning request")
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


REREAD = 200  # ids looked at again: another worker's insert may commit after a later one's


async def stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: one `change` event per change, for the live dashboard."""
    feed = request.app[FEED]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    last = await feed.latest_id()
    sent = set(range(max(0, last - REREAD) + 1, last + 1))  # before this stream: not news
    await response.write(b"event: hello\ndata: {}\n\n")
    with contextlib.suppress(ConnectionResetError):  # the browser went away
        while True:
            last = await _stream_once(response, feed, last, sent)
    return response


async def _stream_once(
    response: web.StreamResponse, feed: ChangeFeed, last: int, sent: set[int]
) -> int:
    """Send what changed since `last`, or a keep-alive; then wait for the next change.

    The last `REREAD` ids are read again, and what was sent is skipped: two workers'
    inserts can commit out of id order, and a stream woken at once must not step over the
    one that committed second.
    """
    mark = feed.mark()
    fresh = [e for e in await feed.since(max(0, last - REREAD)) if e.id not in sent]
    for event in fresh:
        data = json.dumps({"topic": event.topic, "subject": event.subject})
        await response.write(f"event: change\nid: {event.id}\ndata: {data}\n\n".encode())
        sent.add(event.id)
        last = max(last, event.id)
    sent.difference_update({i for i in sent if i <= last - REREAD})
    if not fresh:
        await response.write(b": keep-alive\n\n")
    await feed.wait(timeout_s=1.0, mark=mark)
    return last


ROUTES: list[Route] = [
    Route(
        method="GET",
        path="/api/v1/devices",
        handler=list_devices,
        summary="List devices",
        roles=STAFF_DEVICES,
        response=list[DeviceOut],
    ),
    Route(
        method="GET",
        path="/api/v1/devices/{device_id}",
        handler=get_device,
        summary="Get one device",
        roles=DEVICE,
        response=DeviceOut,
    ),
    Route(
        method="POST",
        path="/api/v1/devices/{device_id}/quarantine",
        handler=quarantine_device,
        summary="Quarantine a device: ingest and the broker take nothing from it",
        roles=OPS,
        response=DeviceOut,
        body=QuarantineIn,
    ),
    Route(
        method="DELETE",
        path="/api/v1/devices/{device_id}/quarantine",
        handler=release_device,
        summary="Release a quarantined device",
        roles=OPS,
        response=DeviceOut,
    ),
    Route(
        method="GET",
        path="/api/v1/supplies",
        handler=list_supplies,
        summary="List supplies with forecasts",
        roles=OPS,
        response=list[SupplyOut],
    ),
    Route(
        method="GET",
        path="/api/v1/devices/{device_id}/supplies/{sensor}/{index}/levels",
        handler=supply_levels,
        summary="Level history of one supply",
        roles=DEVICE,
        response=list[LevelOut],
    ),
    Route(
        method="GET",
        path="/api/v1/orders",
        handler=list_orders,
        summary="List orders with their reasons",
        roles=OPS,
        response=list[OrderOut],
    ),
    Route(
        method="GET",
        path="/api/v1/flags",
        handler=list_flags,
        summary="Open operator flags",
        roles=OPS,
        response=list[FlagOut],
    ),
    Route(
        method="GET",
        path="/api/v1/sensors",
        handler=list_sensors,
        summary="Latest reading of each scale and wearable",
        roles=OPS,
        response=list[SensorOut],
    ),
    Route(
        method="GET",
        path="/api/v1/devices/{device_id}/sensors/{sensor}/readings",
        handler=sensor_readings,
        summary="Readings of one scale or wearable",
        roles=DEVICE,
        response=list[SensorOut],
    ),
    Route(
        method="GET",
        path="/api/v1/events",
        handler=list_events,
        summary="Device events, faults and alerts",
        roles=OPS,
        response=list[EventOut],
    ),
    Route(
        method="GET",
        path="/api/v1/ingest/stats",
        handler=ingest_stats,
        summary="Ingest counters of this worker",
        roles=OPS,
        response=IngestStats,
    ),
    Route(
        method="GET",
        path="/api/v1/stream",
        handler=stream,
        summary="Server-sent change events",
        roles=OPS,
    ),
    *api_alerts.ROUTES,
    *api_needs.ROUTES,
    *api_metrics.ROUTES,
    *api_auth.ROUTES,
    *api_rights.ROUTES,
    Route(
        method="POST",
        path="/api/v1/provision",
        handler=provision,
        summary="Provision a device with a one-time token",
        roles=None,
        response=Provisioned,
        body=ProvisionRequest,
    ),
]


_INTEGER_PATH_PARAMETERS = frozenset({"index", "position"})


def _problem() -> dict[str, Any]:
    return {
        "description": "Problem",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _operation(
    route: Route, answer: dict[str, Any] | None, body: dict[str, Any] | None
) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {
            "name": p,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if p in _INTEGER_PATH_PARAMETERS else "string"},
        }
        for p in route.path.replace("}", "{").split("{")[1::2]
    ]
    params += [
        {"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
        for h in route.headers
    ]
    ok: dict[str, Any] = {"description": "OK"}
    if answer is not None:
        ok["content"] = {"application/json": {"schema": answer}}
    operation: dict[str, Any] = {
        "summary": route.summary,
        "operationId": route.handler.__name__,
        "parameters": params,
        "responses": {"200": ok, "default": _problem()},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    elif route.body_media is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {route.body_media: {"schema": {"type": "string"}}},
        }
    if route.roles is None:
        operation["security"] = []  # public
    return operation


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built from the one route table and its types."""
    answered = [r for r in API if r.response is not None]
    with_body = [r for r in API if r.body is not None]
    schemas, components = msgspec.json.schema_components(
        [*(r.response for r in answered), *(r.body for r in with_body), Problem],
        ref_template="#/components/schemas/{name}",
    )
    answers = dict(zip((r.key for r in answered), schemas, strict=False))
    bodies = dict(zip((r.key for r in with_body), schemas[len(answered) :], strict=False))
    paths: dict[str, Any] = {}
    for route in API:
        operation = _operation(route, answers.get(route.key), bodies.get(route.key))
        paths.setdefault(route.path, {})[route.method.lower()] = operation
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


API: list[Route] = [
    *ROUTES,
    Route(
        method="GET",
        path="/api/v1/openapi.json",
        handler=openapi,
        summary="This document",
        roles=None,
    ),
]


def add_routes(app: web.Application, pages: list[Route]) -> None:
    """Mount the API and `pages` on `app`, with the access rules of both."""
    table = [*API, *pages]
    app[POLICY] = policy(table)
    for route in table:
        app.router.add_route(route.method, route.path, route.handler)

"""Devices: the fleet's devices, their supplies, sensors, events and flags, and quarantine."""

from __future__ import annotations

from aiohttp import web

from cloud.api import fleet, queries
from cloud.api.access import PRINCIPAL
from cloud.api.context import services
from cloud.api.errors import ApiError, decode_body, query_of, respond
from cloud.api.schemas import (
    DeviceOut,
    EventOut,
    FlagOut,
    LevelOut,
    QuarantineIn,
    SensorOut,
    SupplyOut,
)
from cloud.api.table import DEVICE, OPS, STAFF_DEVICES, Route
from cloud.identity import registry
from cloud.identity.provisioning import refresh_broker
from cloud.identity.users import Principal, Role
from cloud.needs.estimators import pace_per_day
from cloud.store.models import (
    Device,
    DeviceEvent,
    Flag,
    Need,
    SensorSample,
    Supply,
    SupplyLevel,
)
from cloud.terms import Topic
from common.clock import utc


async def list_devices(request: web.Request) -> web.Response:
    """Devices, a page at a time (?q=, ?health=, ?sort=, ?limit=, ?offset=); X-Total-Count."""
    query = Device.all()
    principal = request.get(PRINCIPAL)
    if isinstance(principal, Principal) and principal.role is Role.INSTALLER:
        query = query.filter(site_id__in=sorted(principal.sites))  # their sites only
    q = query_of(request, queries.Devices)
    found = fleet.query(query, text=q.q.strip(), health=q.health, sort=q.sort)
    total = await found.count()
    page = await found.offset(q.offset).limit(q.limit).prefetch_related("site")
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
    rate = None if need is None else pace_per_day(need)
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
    if device_id := query_of(request, queries.OfDevice).device_id:
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
    limit = query_of(request, queries.History).limit
    rows = await SupplyLevel.filter(supply_id=supply.id).order_by("-at").limit(limit)
    return respond([LevelOut(r.at, r.level, r.level_state) for r in reversed(rows)])


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
    if device_id := query_of(request, queries.OfDevice).device_id:
        query = query.filter(device_id=device_id)
    latest: dict[tuple[str, str], SensorSample] = {}
    for sample in await query.limit(2000):
        latest.setdefault((sample.device_id, sample.sensor), sample)
    return respond([_sensor_out(s) for _, s in sorted(latest.items())])


async def sensor_readings(request: web.Request) -> web.Response:
    """One sensor's readings, oldest first (the last ?limit=)."""
    m = request.match_info
    limit = query_of(request, queries.History).limit
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
    q = query_of(request, queries.Events)
    if q.device_id:
        query = query.filter(device_id=q.device_id)
    limit = q.limit
    return respond(
        [
            EventOut(e.id, e.device_id, e.kind, e.sensor, e.name, e.severity, e.detail, e.at)
            for e in await query.limit(limit)
        ]
    )


async def _device_account_changed(request: web.Request, device: Device) -> web.Response:
    s = services(request)
    s.ingest.directory.forget(device.id)
    await refresh_broker(s.config.broker)  # the broker's ACL follows, where the cloud manages it
    await s.feed.publish(Topic.DEVICES, device.id)
    await device.fetch_related("site")
    return respond(await _device_out(device))


async def quarantine_device(request: web.Request) -> web.Response:
    """Set a device aside: {"reason": "..."}; nothing it sends is taken until released."""
    body = decode_body(await request.read(), QuarantineIn, 'quarantine (expected {"reason": TEXT})')
    now = utc(services(request).clock.now())
    device = await registry.quarantine(request.match_info["device_id"], reason=body.reason, at=now)
    return await _device_account_changed(request, device)


async def release_device(request: web.Request) -> web.Response:
    """Release a quarantined device; what it kept back arrives as it resends."""
    device = await registry.release(request.match_info["device_id"])
    return await _device_account_changed(request, device)


ROUTES: list[Route] = [
    Route(
        method="GET",
        path="/api/v1/devices",
        handler=list_devices,
        query=queries.Devices,
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
        query=queries.OfDevice,
        summary="List supplies with forecasts",
        roles=OPS,
        response=list[SupplyOut],
    ),
    Route(
        method="GET",
        path="/api/v1/devices/{device_id}/supplies/{sensor}/{index}/levels",
        handler=supply_levels,
        query=queries.History,
        summary="Level history of one supply",
        roles=DEVICE,
        response=list[LevelOut],
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
        query=queries.OfDevice,
        summary="Latest reading of each scale and wearable",
        roles=OPS,
        response=list[SensorOut],
    ),
    Route(
        method="GET",
        path="/api/v1/devices/{device_id}/sensors/{sensor}/readings",
        handler=sensor_readings,
        query=queries.History,
        summary="Readings of one scale or wearable",
        roles=DEVICE,
        response=list[SensorOut],
    ),
    Route(
        method="GET",
        path="/api/v1/events",
        handler=list_events,
        query=queries.Events,
        summary="Device events, faults and alerts",
        roles=OPS,
        response=list[EventOut],
    ),
]

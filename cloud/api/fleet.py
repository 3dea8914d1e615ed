"""The fleet as operators see it: each device's health in words, searched, filtered, paged.

Health is decided here once, for the API and the dashboard alike. Searching, filtering,
sorting and paging run in the database, and a page's printers, supplies and gaps are read
in one query each, so a page costs the same at 10 devices as at 10,000.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from tortoise.expressions import Q, Subquery
from tortoise.functions import Coalesce, Count
from tortoise.queryset import QuerySet

from cloud.api.queries import Sort
from cloud.api.schemas import DeviceOut, PrinterOut
from cloud.store.models import Device, PrinterInfo, SequenceGap, Supply
from cloud.terms import Health
from common.messages import PrinterState

NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EMPTY_PCT = 2  # a consumable at or below this is empty
FULL_PCT = 98  # a waste receptacle at or above this is full
BAD_PRINTER = (PrinterState.STOPPED, PrinterState.UNREACHABLE, PrinterState.MALFORMED)
SORTS: dict[Sort, tuple[str, ...]] = {
    "id": ("id",),
    "-id": ("-id",),
    "site": ("site_id", "id"),
    "-site": ("-site_id", "id"),
    "last_seen": ("seen", "id"),  # never seen sorts as the oldest
    "-last_seen": ("-seen", "id"),
}


def _printer_trouble() -> QuerySet[PrinterInfo]:
    return PrinterInfo.filter(state__in=[s.value for s in BAD_PRINTER])


def _supply_trouble() -> QuerySet[Supply]:
    consumable = Q(level__lte=EMPTY_PCT) & ~Q(kind__istartswith="waste")
    waste = Q(level__gte=FULL_PCT) & Q(kind__istartswith="waste")
    return Supply.filter(consumable | waste)


def _attention() -> Q:
    return (
        Q(sensors_ok=False)
        | Q(outbox_dropped__gt=0)
        | Q(shed__gt=0)
        | Q(id__in=Subquery(_printer_trouble().values("device_id")))
        | Q(id__in=Subquery(_supply_trouble().values("device_id")))
        | Q(id__in=Subquery(SequenceGap.all().values("device_id")))
    )


def _health_filter(health: Health) -> Q:
    quarantined = Q(quarantined_at__isnull=False) | Q(revoked=True)  # set aside, either way
    seen = Q(last_seen__isnull=False)
    match health:
        case Health.REVOKED:
            return Q(revoked=True)
        case Health.NEVER_SEEN:
            return Q(last_seen__isnull=True) & ~quarantined
        case Health.OFFLINE:
            return seen & Q(online=False) & ~quarantined
        case Health.QUARANTINED:
            return Q(quarantined_at__isnull=False) & Q(revoked=False)
        case Health.ATTENTION:
            return seen & Q(online=True) & ~quarantined & _attention()
        case Health.OK:
            return seen & Q(online=True) & ~quarantined & ~_attention()


def query(
    base: QuerySet[Device], *, text: str, health: Health | None, sort: Sort
) -> QuerySet[Device]:
    """`base` searched by id, site or customer, filtered by health word, in `sort` order."""
    found = base
    if text:
        found = found.filter(
            Q(id__icontains=text)
            | Q(site_id__icontains=text)
            | Q(site__customer_id__icontains=text)
        )
    if health is not None:
        found = found.filter(_health_filter(health))
    if "seen" in SORTS[sort][0]:
        found = found.annotate(seen=Coalesce("last_seen", NEVER))
    return found.order_by(*SORTS[sort])


async def devices_out(devices: Iterable[Device]) -> list[DeviceOut]:
    """Each device as the API shows it, its printers, supplies and gaps read in bulk."""
    page = list(devices)
    ids = [d.id for d in page]
    printers: defaultdict[str, list[PrinterInfo]] = defaultdict(list)
    for p in await PrinterInfo.filter(device_id__in=ids).order_by("sensor"):
        printers[p.device_id].append(p)
    supplies: defaultdict[str, list[Supply]] = defaultdict(list)
    for s in await _supply_trouble().filter(device_id__in=ids).order_by("sensor", "index"):
        supplies[s.device_id].append(s)
    gap_rows = (
        await SequenceGap.filter(device_id__in=ids)
        .annotate(n=Count("id"))
        .group_by("device_id")
        .values_list("device_id", "n")
    )
    gaps = {str(device_id): int(n) for device_id, n in gap_rows}
    return [_out(d, printers[d.id], supplies[d.id], gaps.get(d.id, 0)) for d in page]


def _problems(
    device: Device, printers: list[PrinterInfo], supplies: list[Supply], gaps: int
) -> list[str]:
    said: list[str] = []
    if not device.sensors_ok:
        said.append(
            f"sensor fault: {device.sensors_detail}" if device.sensors_detail else "sensor fault"
        )
    said += [
        f"printer {p.sensor} {p.state}" + (f": {p.detail}" if p.detail else "")
        for p in printers
        if p.state in BAD_PRINTER
    ]
    said += [
        f"{s.sensor}: {s.name} {'full' if s.kind.lower().startswith('waste') else 'empty'}"
        f" ({s.level} %)"
        for s in supplies
    ]
    if device.outbox_dropped:
        said.append(f"the agent dropped {device.outbox_dropped} readings (its outbox was full)")
    if device.shed:
        said.append(f"ingest shed {device.shed} messages (it sent faster than its share)")
    if gaps:
        said.append(f"{gaps} sequence gap(s): readings that never arrived")
    return said


def _health(device: Device, problems: list[str]) -> Health:
    if device.revoked:
        return Health.REVOKED
    if device.quarantined_at is not None:
        return Health.QUARANTINED
    if device.last_seen is None:
        return Health.NEVER_SEEN
    if not device.online:
        return Health.OFFLINE
    return Health.ATTENTION if problems else Health.OK


def _out(
    device: Device, printers: list[PrinterInfo], supplies: list[Supply], gaps: int
) -> DeviceOut:
    problems = _problems(device, printers, supplies, gaps)
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
        shed=device.shed,
        quarantined_at=device.quarantined_at,
        quarantine_reason=device.quarantine_reason,
        health=_health(device, problems).value,
        problems=problems,
    )

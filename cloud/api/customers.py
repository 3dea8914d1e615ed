"""A household: its preferences, its calendar of absences, its reminders and timeline."""

from __future__ import annotations

import msgspec
from aiohttp import web

from cloud.api import queries
from cloud.api.context import services
from cloud.api.errors import decode_body, query_of, respond
from cloud.api.paths import customer_of
from cloud.api.schemas_household import (
    AbsenceOut,
    CustomerOut,
    CustomerSettings,
    ReminderOut,
    TimelineEntry,
)
from cloud.api.table import OPS, OWN, Route
from cloud.needs.preferences import Preferences, set_preferences
from cloud.store.models import (
    Customer,
    DecisionRecord,
    Device,
    DeviceEvent,
    Incident,
    Need,
    Order,
    Reminder,
    SensorSample,
)


async def all_reminders(request: web.Request) -> web.Response:
    """Recent reminders and questions to every customer (operations), newest first."""
    limit = query_of(request, queries.Recent).limit
    rows = await Reminder.all().order_by("-at", "id").limit(limit)
    return respond([_reminder_out(r) for r in rows])


def _reminder_out(r: Reminder) -> ReminderOut:
    return ReminderOut(
        r.id,
        r.need_id,
        r.topic,
        r.recipient,
        r.message,
        r.at,
        r.followed_at,
        r.order_id,
        r.sent_via,
    )


def _customer_out(c: Customer) -> CustomerOut:
    return CustomerOut(
        c.id,
        c.name,
        c.spend_cap_cents,
        c.quiet_start,
        c.quiet_end,
        c.utc_offset_min,
        c.address,
        bool(c.payment_token),
        c.person_name,
        c.access_notes,
    )


async def get_customer(request: web.Request) -> web.Response:
    """A customer's preferences."""
    return respond(_customer_out(await customer_of(request)))


async def update_customer(request: web.Request) -> web.Response:
    """Change spend cap, quiet hours, time zone, address, payment token or alert details."""
    customer = await customer_of(request)
    change = decode_body(await request.read(), CustomerSettings, "settings")
    await set_preferences(customer, Preferences(**msgspec.structs.asdict(change)))
    return respond(_customer_out(customer))


async def put_calendar(request: web.Request) -> web.Response:
    """Replace the household's absences with an iCalendar feed (text/calendar body)."""
    customer = await customer_of(request)
    all_events = query_of(request, queries.Calendar).all_events
    raw = await request.read()
    rows = await services(request).needs.calendar.set_calendar(
        customer.id, raw, all_events=all_events
    )
    return respond([AbsenceOut(a.starts_at, a.ends_at, a.summary) for a in rows])


async def list_reminders(request: web.Request) -> web.Response:
    """A customer's reminders and questions, newest first, and whether each was followed."""
    customer = await customer_of(request)
    limit = query_of(request, queries.Recent).limit
    rows = await Reminder.filter(need__customer_id=customer.id).order_by("-at", "id").limit(limit)
    return respond([_reminder_out(r) for r in rows])


async def timeline(request: web.Request) -> web.Response:
    """One customer across devices, channels and episodes, newest first."""
    customer = await customer_of(request)
    limit = query_of(request, queries.Timeline).limit
    devices = [
        str(d)
        for d in await Device.filter(site__customer_id=customer.id).values_list("id", flat=True)
    ]
    needs = {n.id: n for n in await Need.filter(customer_id=customer.id)}
    ids = list(needs)
    samples = await SensorSample.filter(device_id__in=devices).order_by("-at").limit(limit)
    decisions = await DecisionRecord.filter(need_id__in=ids).order_by("-at").limit(limit)
    orders = await Order.filter(device_id__in=devices).order_by("-created_at").limit(limit)
    reminders = await Reminder.filter(need_id__in=ids).order_by("-at").limit(limit)
    alerts = await Incident.filter(device_id__in=devices).order_by("-raised_at").limit(limit)
    events = (
        await DeviceEvent.filter(device_id__in=devices, kind="event").order_by("-at").limit(limit)
    )
    entries = [
        *(
            TimelineEntry(
                s.at,
                "reading",
                f"{s.device_id}/{s.sensor}",
                f"{s.grams:.0f} g" if s.grams is not None else s.state,
            )
            for s in samples
        ),
        *(TimelineEntry(d.at, "decision", needs[d.need_id].label, d.note) for d in decisions),
        *(
            TimelineEntry(
                o.created_at,
                "order",
                o.supply_name,
                f"{o.quantity} x {o.product} ({o.source}, {o.status})",
            )
            for o in orders
        ),
        *(
            TimelineEntry(
                r.at,
                "reminder",
                needs[r.need_id].label,
                r.message + (" (followed)" if r.followed_at else ""),
            )
            for r in reminders
        ),
        *(TimelineEntry(i.raised_at, "alert", f"{i.device_id}/{i.sensor}", i.kind) for i in alerts),
        *(TimelineEntry(e.at, "event", f"{e.device_id}/{e.sensor}", e.name) for e in events),
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return respond(entries[:limit])


CALENDAR_PATH = "/api/v1/customers/{customer_id}/calendar"


ROUTES: list[Route] = [
    Route(
        method="PUT",
        path=CALENDAR_PATH,
        handler=put_calendar,
        query=queries.Calendar,
        summary="Replace the household's absences with an iCalendar feed",
        roles=OWN,
        body_media="text/calendar",
    ),
    Route(
        method="GET",
        path="/api/v1/reminders",
        handler=all_reminders,
        query=queries.Recent,
        summary="Recent reminders (operations)",
        roles=OPS,
        response=list[ReminderOut],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}",
        handler=get_customer,
        summary="A customer's preferences",
        roles=OWN,
        response=CustomerOut,
    ),
    Route(
        method="PATCH",
        path="/api/v1/customers/{customer_id}",
        handler=update_customer,
        summary="Change a customer's preferences",
        roles=OWN,
        response=CustomerOut,
        body=CustomerSettings,
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/reminders",
        handler=list_reminders,
        query=queries.Recent,
        summary="Reminders and whether they were followed",
        roles=OWN,
        response=list[ReminderOut],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/timeline",
        handler=timeline,
        query=queries.Timeline,
        summary="The customer's single timeline",
        roles=OWN,
        response=list[TimelineEntry],
    ),
]

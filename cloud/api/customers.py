"""A household: its preferences, its calendar of absences, its reminders and timeline."""

from __future__ import annotations

from aiohttp import web

from cloud.api.errors import ApiError, decode_body, int_query, respond
from cloud.api.needs import NEEDS
from cloud.api.paths import customer_of
from cloud.api.schemas import (
    AbsenceOut,
    CustomerOut,
    CustomerSettings,
    ReminderOut,
    TimelineEntry,
)
from cloud.api.table import OPS, OWN, Route
from cloud.needs.calendar_feed import CalendarError
from cloud.needs.errors import NeedError
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
    limit = int_query(request, "limit", 100, low=1, high=5000)
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
    s = decode_body(await request.read(), CustomerSettings, "settings")
    for name in ("name", "address", "payment_token", "person_name", "access_notes"):
        if (value := getattr(s, name)) is not None:
            setattr(customer, name, value)
    if s.clear_spend_cap:
        customer.spend_cap_cents = None
    elif s.spend_cap_cents is not None:
        customer.spend_cap_cents = s.spend_cap_cents
    if (s.quiet_start is None) != (s.quiet_end is None):
        raise ApiError(400, "Bad request", "quiet_start and quiet_end go together")
    if s.quiet_start is not None:
        customer.quiet_start, customer.quiet_end = s.quiet_start, s.quiet_end
    if s.utc_offset_min is not None:
        customer.utc_offset_min = s.utc_offset_min
    await customer.save()
    return respond(_customer_out(customer))


async def put_calendar(request: web.Request) -> web.Response:
    """Replace the household's absences with an iCalendar feed (text/calendar body)."""
    customer = await customer_of(request)
    all_events = request.query.get("all_events", "false").lower() in {"1", "true", "yes"}
    raw = await request.read()
    try:
        rows = await request.app[NEEDS].calendar.set_calendar(
            customer.id, raw, all_events=all_events
        )
    except CalendarError as exc:
        raise ApiError(400, "Bad calendar", str(exc)) from exc
    except NeedError as exc:
        raise ApiError(exc.status, "Cannot use the calendar", str(exc)) from exc
    return respond([AbsenceOut(a.starts_at, a.ends_at, a.summary) for a in rows])


async def list_reminders(request: web.Request) -> web.Response:
    """A customer's reminders and questions, newest first, and whether each was followed."""
    customer = await customer_of(request)
    limit = int_query(request, "limit", 100, low=1, high=5000)
    rows = await Reminder.filter(need__customer_id=customer.id).order_by("-at", "id").limit(limit)
    return respond([_reminder_out(r) for r in rows])


async def timeline(request: web.Request) -> web.Response:
    """One customer across devices, channels and episodes, newest first."""
    customer = await customer_of(request)
    limit = int_query(request, "limit", 200, low=1, high=5000)
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
        summary="Replace the household's absences with an iCalendar feed",
        roles=OWN,
        body_media="text/calendar",
    ),
    Route(
        method="GET",
        path="/api/v1/reminders",
        handler=all_reminders,
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
        summary="Reminders and whether they were followed",
        roles=OWN,
        response=list[ReminderOut],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/timeline",
        handler=timeline,
        summary="The customer's single timeline",
        roles=OWN,
        response=list[TimelineEntry],
    ),
]

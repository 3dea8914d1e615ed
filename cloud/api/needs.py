"""The API of the four connected experiences: needs, orders on request, menus, undo, timeline."""

from __future__ import annotations

import uuid

import msgspec
from aiohttp import web

from cloud.api import access
from cloud.api.errors import ApiError, decode_body, int_query, respond
from cloud.api.schemas import (
    AbsenceOut,
    CancelIn,
    CustomerOut,
    CustomerSettings,
    DecisionOut,
    InsightsOut,
    NeedIn,
    NeedOut,
    NeedUpdate,
    OptionOut,
    OrderIn,
    OrderOut,
    ReminderOut,
    TimelineEntry,
)
from cloud.api.table import OPS, OWN, Route
from cloud.decide.reasons import from_json
from cloud.needs.calendar_feed import CalendarError
from cloud.needs.errors import NeedError
from cloud.needs.estimators import learner_of
from cloud.needs.pieces import Needs
from cloud.needs.products import offers_for
from cloud.needs.snapshot import utc
from cloud.orders.catalog import Catalog
from cloud.store.models import (
    Customer,
    DecisionRecord,
    Device,
    DeviceEvent,
    Incident,
    Need,
    Order,
    PrinterInfo,
    Reminder,
    SensorSample,
    Supply,
)
from cloud.terms import Experience

NEEDS = web.AppKey("needs", Needs)
CATALOG = web.AppKey("catalog", Catalog)
IDEMPOTENCY_HEADER = "Idempotency-Key"


async def _customer(request: web.Request) -> Customer:
    customer = await Customer.get_or_none(id=request.match_info["customer_id"])
    if customer is None:
        raise ApiError(404, "Not found", f"no customer {request.match_info['customer_id']!r}")
    return customer


async def _need(request: web.Request) -> Need:
    need = await Need.get_or_none(id=request.match_info["need_id"])
    if need is None:
        raise ApiError(404, "Not found", f"no need {request.match_info['need_id']!r}")
    return need


def _decision_out(d: DecisionRecord) -> DecisionOut:
    return DecisionOut(d.at, d.action, d.note, from_json(d.reason))


def need_rate(need: Need) -> float | None:
    """A need's learned pace per day (None before any is learned): the one source."""
    rate = learner_of(need).estimate()
    return round(rate.mean, 3) if rate.known else None


async def need_out(need: Need) -> NeedOut:
    """A need as the API shows it."""
    last = await DecisionRecord.filter(need_id=need.id).order_by("-at", "-id").first()
    rate = need_rate(need)
    return NeedOut(
        id=need.id,
        customer_id=need.customer_id,
        device_id=need.device_id,
        kind=need.kind,
        label=need.label,
        sensor=need.sensor,
        supply_index=need.supply_index,
        button=need.button,
        sku=need.sku,
        product=need.product,
        quantity=need.quantity,
        experience=need.experience,
        authorized=need.authorized,
        level=need.level,
        level_at=need.level_at,
        rate_per_day=rate,
        runout_at=need.runout_at,
        runout_early_at=need.runout_early_at,
        act_at=need.act_at,
        note=need.note,
        dose_times=list(need.dose_times or []),
        last_decision=None if last is None else _decision_out(last),
        nudges_sent=await Reminder.filter(need_id=need.id).count(),
        nudges_followed=await Reminder.filter(need_id=need.id, followed_at__isnull=False).count(),
    )


async def list_needs(request: web.Request) -> web.Response:
    """A customer's needs."""
    customer = await _customer(request)
    needs = await Need.filter(customer_id=customer.id).order_by("created_at", "id")
    return respond([await need_out(n) for n in needs])


async def all_needs(request: web.Request) -> web.Response:
    """Every need of every customer (operations), optionally of one customer (?customer_id=)."""
    query = Need.all().order_by("customer_id", "created_at", "id")
    if customer := request.query.get("customer_id"):
        query = query.filter(customer_id=customer)
    limit = int_query(request, "limit", 500, low=1, high=5000)
    return respond([await need_out(n) for n in await query.limit(limit)])


async def insights(request: web.Request) -> web.Response:
    """Population learning: priors per kind, demand per product and week, bought together."""
    return respond(msgspec.convert(await request.app[NEEDS].priors.insights(), InsightsOut))


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


async def create_need(request: web.Request) -> web.Response:
    """Keep a weight-based good in stock: a scale, a button, or both."""
    customer = await _customer(request)
    spec = decode_body(await request.read(), NeedIn, "need")
    good = request.app[CATALOG].goods.get(spec.sku)
    if good is None:
        raise ApiError(400, "Bad request", f"no good {spec.sku!r} in the catalog")
    device = await Device.get_or_none(id=spec.device_id).prefetch_related("site")
    if device is None or device.site.customer_id != customer.id:
        raise ApiError(400, "Bad request", f"{spec.device_id!r} is not a device of this customer")
    if spec.dose_times and spec.dose_grams is None:
        raise ApiError(400, "Bad request", "dose_times need dose_grams (what one dose weighs)")
    now = utc(request.app[NEEDS].clock.now())
    need = await Need.create(
        id=uuid.uuid4().hex,
        customer=customer,
        device=device,
        kind=good.kind,
        label=spec.label,
        sensor=spec.sensor,
        button=spec.button,
        sku=good.sku,
        product=good.product,
        pack_units=good.grams,
        price_cents=good.price_cents,
        lead_hours=good.lead_hours,
        quantity=spec.quantity,
        experience=spec.experience,
        authorized=spec.authorized,
        authorized_at=now if spec.authorized else None,
        dose_times=list(spec.dose_times),
        dose_grams=spec.dose_grams,
        created_at=now,
    )
    return respond(await need_out(need), status=201)


async def get_need(request: web.Request) -> web.Response:
    """One need."""
    return respond(await need_out(await _need(request)))


async def update_need(request: web.Request) -> web.Response:
    """Change a need's experience, authorization, usual quantity, button or label."""
    need = await _need(request)
    change = decode_body(await request.read(), NeedUpdate, "change")
    needs = request.app[NEEDS]
    if change.experience is not None:
        need.experience = Experience(change.experience)
    if change.authorized is not None and change.authorized != need.authorized:
        need.authorized = change.authorized
        need.authorized_at = utc(needs.clock.now()) if change.authorized else None
    if change.quantity is not None:
        need.quantity = change.quantity
    if change.button is not None:
        need.button = change.button
    if change.label is not None:
        need.label = change.label
    await need.save(
        update_fields=["experience", "authorized", "authorized_at", "quantity", "button", "label"]
    )
    await needs.requests.record_change(need, change)
    return respond(await need_out(need))


async def need_decisions(request: web.Request) -> web.Response:
    """Every decision about a need, newest first, with its reasons."""
    need = await _need(request)
    limit = int_query(request, "limit", 100, low=1, high=5000)
    rows = await DecisionRecord.filter(need_id=need.id).order_by("-at", "-id").limit(limit)
    return respond([_decision_out(d) for d in rows])


async def need_offer(request: web.Request) -> web.Response:
    """Curated offering: the short menu for this need, and what else is running low."""
    need = await _need(request)
    choices = offers_for(request.app[CATALOG], need, await _printer(need))
    options = await request.app[NEEDS].offers.offer(need, choices)
    return respond(
        [OptionOut(n, o.sku, o.name, o.quantity, o.price_cents, o.why) for n, o in options]
    )


async def order_need(request: web.Request) -> web.Response:
    """Respond to desire (or pick from the menu): exactly this, once per Idempotency-Key."""
    need = await _need(request)
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key or len(key) > 100:  # noqa: PLR2004
        raise ApiError(
            400, "Bad request", f"an {IDEMPOTENCY_HEADER} header (1-100 characters) is required"
        )
    body = await request.read()
    wanted = decode_body(body or b"{}", OrderIn, "order")
    requests = request.app[NEEDS].requests
    sku = wanted.sku
    if sku is not None and sku != need.sku:
        catalog = request.app[CATALOG]
        fits = {p.sku for p in offers_for(catalog, need, await _printer(need))}
        if sku not in fits:
            raise ApiError(400, "Bad request", f"{sku!r} does not fit this need")
    try:
        order, created = await requests.request(
            need.id, quantity=wanted.quantity, key=key, source="api", sku=sku
        )
    except NeedError as exc:
        raise ApiError(exc.status, "Cannot order", str(exc)) from exc
    return respond(order_out(order), status=201 if created else 200)


async def _printer(need: Need) -> tuple[str | None, str | None, str] | None:
    if need.kind != "cartridge":
        return None
    info = await PrinterInfo.get_or_none(device_id=need.device_id, sensor=need.sensor)
    supply = await Supply.get_or_none(
        device_id=need.device_id, sensor=need.sensor, index=need.supply_index
    )
    return None if info is None or supply is None else (info.make, info.model, supply.color)


def order_out(o: Order) -> OrderOut:
    """An order as the API shows it, with why it was placed."""
    return OrderOut(
        id=o.id,
        device_id=o.device_id,
        sensor=o.sensor,
        supply=o.supply_name,
        supply_index=o.supply_index,
        sku=o.sku,
        product=o.product,
        quantity=o.quantity,
        price_cents=o.price_cents,
        status=o.status,
        reason=from_json(o.reason),
        created_at=o.created_at,
        updated_at=o.updated_at,
        eta=o.eta,
        need_id=o.need_id,
        experience=o.experience,
        source=o.source,
        cancel_until=o.cancel_until,
        deliver_after=o.deliver_after,
    )


async def cancel_order(request: web.Request) -> web.Response:
    """Undo a held order (automatic, or placed on request) inside its cancel window."""
    who = decode_body(await request.read(), CancelIn, "cancellation")
    try:
        order = await request.app[NEEDS].held.cancel(
            request.match_info["order_id"], by=access.actor(request, who.by)
        )
    except NeedError as exc:
        raise ApiError(exc.status, "Cannot cancel", str(exc)) from exc
    return respond(order_out(order))


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
    return respond(_customer_out(await _customer(request)))


async def update_customer(request: web.Request) -> web.Response:
    """Change spend cap, quiet hours, time zone, address, payment token or alert details."""
    customer = await _customer(request)
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
    customer = await _customer(request)
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


async def customer_orders(request: web.Request) -> web.Response:
    """A household's orders, newest first, with why each was placed."""
    customer = await _customer(request)
    limit = int_query(request, "limit", 200, low=1, high=5000)
    rows = (
        await Order.filter(device__site__customer_id=customer.id)
        .order_by("-created_at")
        .limit(limit)
    )
    return respond([order_out(o) for o in rows])


async def list_reminders(request: web.Request) -> web.Response:
    """A customer's reminders and questions, newest first, and whether each was followed."""
    customer = await _customer(request)
    limit = int_query(request, "limit", 100, low=1, high=5000)
    rows = await Reminder.filter(need__customer_id=customer.id).order_by("-at", "id").limit(limit)
    return respond([_reminder_out(r) for r in rows])


async def timeline(request: web.Request) -> web.Response:
    """One customer across devices, channels and episodes, newest first."""
    customer = await _customer(request)
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
        path="/api/v1/customers/{customer_id}/orders",
        handler=customer_orders,
        summary="A household's orders",
        roles=OWN,
        response=list[OrderOut],
    ),
    Route(
        method="GET",
        path="/api/v1/needs",
        handler=all_needs,
        summary="Every need (operations)",
        roles=OPS,
        response=list[NeedOut],
    ),
    Route(
        method="GET",
        path="/api/v1/insights",
        handler=insights,
        summary="Learning across the population",
        roles=OPS,
        response=InsightsOut,
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
        path="/api/v1/customers/{customer_id}/needs",
        handler=list_needs,
        summary="A customer's needs",
        roles=OWN,
        response=list[NeedOut],
    ),
    Route(
        method="POST",
        path="/api/v1/customers/{customer_id}/needs",
        handler=create_need,
        summary="Keep a weight-based good in stock",
        roles=OWN,
        response=NeedOut,
        body=NeedIn,
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
    Route(
        method="GET",
        path="/api/v1/needs/{need_id}",
        handler=get_need,
        summary="One need",
        roles=OWN,
        response=NeedOut,
    ),
    Route(
        method="PATCH",
        path="/api/v1/needs/{need_id}",
        handler=update_need,
        summary="Change a need's experience or authorization",
        roles=OWN,
        response=NeedOut,
        body=NeedUpdate,
    ),
    Route(
        method="GET",
        path="/api/v1/needs/{need_id}/decisions",
        handler=need_decisions,
        summary="Decisions about a need, with reasons",
        roles=OWN,
        response=list[DecisionOut],
    ),
    Route(
        method="GET",
        path="/api/v1/needs/{need_id}/offer",
        handler=need_offer,
        summary="The curated menu for a need",
        roles=OWN,
        response=list[OptionOut],
    ),
    Route(
        method="POST",
        path="/api/v1/needs/{need_id}/orders",
        handler=order_need,
        summary="Order now (respond to desire, or a menu pick)",
        roles=OWN,
        response=OrderOut,
        body=OrderIn,
        headers=(IDEMPOTENCY_HEADER,),
    ),
    Route(
        method="POST",
        path="/api/v1/orders/{order_id}/cancel",
        handler=cancel_order,
        summary="Undo a held order (automatic, or on request) in its cancel window",
        roles=OWN,
        response=OrderOut,
        body=CancelIn,
    ),
]

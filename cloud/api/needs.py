"""Needs: what each household keeps in stock, its decisions and its curated menu."""

from __future__ import annotations

import uuid

import msgspec
from aiohttp import web

from cloud.api.errors import ApiError, decode_body, int_query, respond
from cloud.api.paths import customer_of, need_of
from cloud.api.schemas import (
    DecisionOut,
    InsightsOut,
    NeedIn,
    NeedOut,
    NeedUpdate,
    OptionOut,
)
from cloud.api.table import OPS, OWN, Route
from cloud.decide.reasons import from_json
from cloud.needs.estimators import learner_of
from cloud.needs.pieces import Needs
from cloud.needs.products import offers_for
from cloud.needs.snapshot import utc
from cloud.orders.catalog import Catalog
from cloud.store.models import (
    DecisionRecord,
    Device,
    Need,
    PrinterInfo,
    Reminder,
    Supply,
)
from cloud.terms import Experience

NEEDS = web.AppKey("needs", Needs)
CATALOG = web.AppKey("catalog", Catalog)


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
    customer = await customer_of(request)
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


async def create_need(request: web.Request) -> web.Response:
    """Keep a weight-based good in stock: a scale, a button, or both."""
    customer = await customer_of(request)
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
    return respond(await need_out(await need_of(request)))


async def update_need(request: web.Request) -> web.Response:
    """Change a need's experience, authorization, usual quantity, button or label."""
    need = await need_of(request)
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
    need = await need_of(request)
    limit = int_query(request, "limit", 100, low=1, high=5000)
    rows = await DecisionRecord.filter(need_id=need.id).order_by("-at", "-id").limit(limit)
    return respond([_decision_out(d) for d in rows])


async def need_offer(request: web.Request) -> web.Response:
    """Curated offering: the short menu for this need, and what else is running low."""
    need = await need_of(request)
    choices = offers_for(request.app[CATALOG], need, await printer_of(need))
    options = await request.app[NEEDS].offers.offer(need, choices)
    return respond(
        [OptionOut(n, o.sku, o.name, o.quantity, o.price_cents, o.why) for n, o in options]
    )


async def printer_of(need: Need) -> tuple[str | None, str | None, str] | None:
    """A cartridge need's printer (make, model) and supply colour: what fits it."""
    if need.kind != "cartridge":
        return None
    info = await PrinterInfo.get_or_none(device_id=need.device_id, sensor=need.sensor)
    supply = await Supply.get_or_none(
        device_id=need.device_id, sensor=need.sensor, index=need.supply_index
    )
    return None if info is None or supply is None else (info.make, info.model, supply.color)


ROUTES: list[Route] = [
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
]

"""Needs: what each household keeps in stock, its decisions and its curated menu."""

from __future__ import annotations

import msgspec
from aiohttp import web

from cloud.api import queries
from cloud.api.context import services
from cloud.api.errors import decode_body, query_of, respond
from cloud.api.paths import customer_of, need_of
from cloud.api.schemas_household import (
    DecisionOut,
    InsightsOut,
    NeedIn,
    NeedOut,
    NeedUpdate,
    OptionOut,
)
from cloud.api.table import OPS, OWN, Route
from cloud.decide.reasons import from_json
from cloud.needs.estimators import pace_per_day
from cloud.needs.products import fitting
from cloud.needs.requests import NeedChange, NewNeed
from cloud.store.models import (
    DecisionRecord,
    Need,
    Reminder,
)


def _decision_out(d: DecisionRecord) -> DecisionOut:
    return DecisionOut(d.at, d.action, d.note, from_json(d.reason))


async def need_out(need: Need) -> NeedOut:
    """A need as the API shows it."""
    last = await DecisionRecord.filter(need_id=need.id).order_by("-at", "-id").first()
    rate = pace_per_day(need)
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
    q = query_of(request, queries.Needs)
    if q.customer_id:
        query = query.filter(customer_id=q.customer_id)
    return respond([await need_out(n) for n in await query.limit(q.limit)])


async def insights(request: web.Request) -> web.Response:
    """Population learning: priors per kind, demand per product and week, bought together."""
    return respond(msgspec.convert(await services(request).needs.priors.insights(), InsightsOut))


async def create_need(request: web.Request) -> web.Response:
    """Keep a weight-based good in stock: a scale, a button, or both."""
    customer = await customer_of(request)
    spec = decode_body(await request.read(), NeedIn, "need")
    new = NewNeed(**msgspec.structs.asdict(spec))
    need = await services(request).needs.requests.add(customer, new)
    return respond(await need_out(need), status=201)


async def get_need(request: web.Request) -> web.Response:
    """One need."""
    return respond(await need_out(await need_of(request)))


async def update_need(request: web.Request) -> web.Response:
    """Change a need's experience, authorization, usual quantity, button or label."""
    need = await need_of(request)
    change = decode_body(await request.read(), NeedUpdate, "change")
    await services(request).needs.requests.change(
        need, NeedChange(**msgspec.structs.asdict(change))
    )
    return respond(await need_out(need))


async def need_decisions(request: web.Request) -> web.Response:
    """Every decision about a need, newest first, with its reasons."""
    need = await need_of(request)
    limit = query_of(request, queries.Recent).limit
    rows = await DecisionRecord.filter(need_id=need.id).order_by("-at", "-id").limit(limit)
    return respond([_decision_out(d) for d in rows])


async def need_offer(request: web.Request) -> web.Response:
    """Curated offering: the short menu for this need, and what else is running low."""
    need = await need_of(request)
    choices = await fitting(services(request).catalog, need)
    options = await services(request).needs.offers.offer(need, choices)
    return respond(
        [OptionOut(n, o.sku, o.name, o.quantity, o.price_cents, o.why) for n, o in options]
    )


ROUTES: list[Route] = [
    Route(
        method="GET",
        path="/api/v1/needs",
        handler=all_needs,
        query=queries.Needs,
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
        query=queries.Recent,
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

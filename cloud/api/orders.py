"""Orders: on request (idempotent), listed, and undone inside their window."""

from __future__ import annotations

from aiohttp import web

from cloud.api import access, queries
from cloud.api.context import services
from cloud.api.errors import ApiError, decode_body, query_of, respond
from cloud.api.paths import customer_of, need_of
from cloud.api.schemas import OrderOut
from cloud.api.schemas_household import CancelIn, OrderIn
from cloud.api.table import OPS, OWN, Route
from cloud.decide.reasons import from_json
from cloud.needs.products import fitting
from cloud.store.models import (
    Order,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"


async def order_need(request: web.Request) -> web.Response:
    """Respond to desire (or pick from the menu): exactly this, once per Idempotency-Key."""
    need = await need_of(request)
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key or len(key) > 100:  # noqa: PLR2004
        raise ApiError(
            400, "Bad request", f"an {IDEMPOTENCY_HEADER} header (1-100 characters) is required"
        )
    body = await request.read()
    wanted = decode_body(body or b"{}", OrderIn, "order")
    requests = services(request).needs.requests
    sku = wanted.sku
    if sku is not None and sku != need.sku:
        catalog = services(request).catalog
        fits = {p.sku for p in await fitting(catalog, need)}
        if sku not in fits:
            raise ApiError(400, "Bad request", f"{sku!r} does not fit this need")
    order, created = await requests.request(
        need.id, quantity=wanted.quantity, key=key, source="api", sku=sku
    )
    return respond(order_out(order), status=201 if created else 200)


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
    order = await services(request).needs.held.cancel(
        request.match_info["order_id"], by=access.actor(request, who.by)
    )
    return respond(order_out(order))


async def customer_orders(request: web.Request) -> web.Response:
    """A household's orders, newest first, with why each was placed."""
    customer = await customer_of(request)
    limit = query_of(request, queries.CustomerOrders).limit
    rows = (
        await Order.filter(device__site__customer_id=customer.id)
        .order_by("-created_at")
        .limit(limit)
    )
    return respond([order_out(o) for o in rows])


async def list_orders(request: web.Request) -> web.Response:
    """Orders, newest first (?status=, ?device_id=, ?limit=)."""
    query = Order.all().order_by("-created_at")
    q = query_of(request, queries.Orders)
    if q.status:
        query = query.filter(status=q.status)
    if q.device_id:
        query = query.filter(device_id=q.device_id)
    return respond([order_out(o) for o in await query.limit(q.limit)])


ROUTES: list[Route] = [
    Route(
        method="GET",
        path="/api/v1/orders",
        handler=list_orders,
        query=queries.Orders,
        summary="List orders with their reasons",
        roles=OPS,
        response=list[OrderOut],
    ),
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/orders",
        handler=customer_orders,
        query=queries.CustomerOrders,
        summary="A household's orders",
        roles=OWN,
        response=list[OrderOut],
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

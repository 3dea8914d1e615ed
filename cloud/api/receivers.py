"""A household's receivers (its escalation ladder) and the notices delivered to them.

Receivers' targets are masked for everyone but operators; a webhook's signing secret is shown
once, when it is made or rotated. Operators see every delivery with its detail, and retry
what failed.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from cloud.alerts.receivers import StepOut, StepSpec, ladder, rotate_secret, set_ladder, shown
from cloud.api import queries
from cloud.api.alerts import customer_in_path, delivery_out, staff_asks
from cloud.api.context import services
from cloud.api.errors import ApiError, decode_body, query_of, respond
from cloud.api.schemas import DeliveryOut
from cloud.api.table import OPS, OWN, Route
from cloud.store.models import Delivery
from common.clock import utc

LADDER_BYTES = 64 * 1024  # a ladder of 10 receivers is a few hundred bytes


async def get_ladder(request: web.Request) -> web.Response:
    """A household's receivers (targets masked but for operators; secrets never)."""
    customer = await customer_in_path(request)
    staff = staff_asks(request)
    return respond([shown(s, staff=staff) for s in await ladder(customer)])


async def put_ladder(request: web.Request) -> web.Response:
    """Replace a household's receivers; a new webhook's signing secret is shown this once.

    A customer's webhooks must be https and reach only public addresses; operators may set
    any target.
    """
    customer = await customer_in_path(request)
    raw = await request.read()
    if len(raw) > LADDER_BYTES:
        raise ApiError(413, "Too large", f"a ladder is at most {LADDER_BYTES} bytes")
    steps = await asyncio.to_thread(decode_body, raw, list[StepSpec], "escalation ladder")
    api = services(request)
    out = await set_ladder(
        customer, steps, trusted=staff_asks(request), max_steps=api.config.alerts.max_ladder_steps
    )
    return respond(out)


async def rotate(request: web.Request) -> web.Response:
    """A new signing secret for one webhook receiver; the old one works for the overlap."""
    customer = await customer_in_path(request)
    try:
        position = int(request.match_info["position"])
    except ValueError:
        raise ApiError(400, "Bad path", "position must be an integer") from None
    if not 0 <= position < 2**31:
        raise ApiError(404, "Not found", f"no webhook receiver at position {position}")
    api = services(request)
    out = await rotate_secret(
        customer,
        position,
        now=utc(api.clock.now()),
        overlap_s=api.config.notify.secret_overlap_s,
        staff=staff_asks(request),
    )
    return respond(out)


async def list_deliveries(request: web.Request) -> web.Response:
    """Deliveries, newest first (?state=, ?incident_id=, ?customer_id=), a page at a time."""
    query = Delivery.all()
    q = query_of(request, queries.Deliveries)
    if q.state:
        query = query.filter(state=q.state)
    if q.incident_id:
        query = query.filter(incident_id=q.incident_id)
    if q.customer_id:
        query = query.filter(customer_id=q.customer_id)
    total = await query.count()
    page = await query.order_by("-created_at", "id").offset(q.offset).limit(q.limit)
    response = respond([delivery_out(d, staff=True) for d in page])
    response.headers["X-Total-Count"] = str(total)
    return response


async def retry_delivery(request: web.Request) -> web.Response:
    """Try a failed, gone or cancelled delivery again now, with a fresh lifetime."""
    api = services(request)
    delivery = await api.deliveries.retry(request.match_info["delivery_id"])
    if delivery is None:
        raise ApiError(409, "Conflict", "no failed delivery with that id")
    return respond(delivery_out(delivery, staff=True))


ROUTES = [
    Route(
        method="GET",
        path="/api/v1/customers/{customer_id}/escalation",
        handler=get_ladder,
        summary="A household's receivers: who is told of what, how and when",
        roles=OWN,
        response=list[StepOut],
    ),
    Route(
        method="PUT",
        path="/api/v1/customers/{customer_id}/escalation",
        handler=put_ladder,
        summary="Replace a household's receivers (new webhook secrets shown once)",
        roles=OWN,
        response=list[StepOut],
        body=list[StepSpec],
    ),
    Route(
        method="POST",
        path="/api/v1/customers/{customer_id}/escalation/{position}/rotate-secret",
        handler=rotate,
        summary="Rotate a webhook receiver's signing secret (the old one works for an overlap)",
        roles=OWN,
        response=StepOut,
    ),
    Route(
        method="GET",
        path="/api/v1/deliveries",
        handler=list_deliveries,
        query=queries.Deliveries,
        summary="Notice deliveries (?state=failed: what did not arrive), paged",
        roles=OPS,
        response=list[DeliveryOut],
    ),
    Route(
        method="POST",
        path="/api/v1/deliveries/{delivery_id}/retry",
        handler=retry_delivery,
        summary="Try a failed delivery again",
        roles=OPS,
        response=DeliveryOut,
    ),
]

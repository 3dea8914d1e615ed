"""The resource a path names, or a 404 that says which."""

from __future__ import annotations

from aiohttp import web

from cloud.api.errors import ApiError
from cloud.store.models import (
    Customer,
    Need,
)


async def customer_of(request: web.Request) -> Customer:
    """The household the path's {customer_id} names."""
    customer = await Customer.get_or_none(id=request.match_info["customer_id"])
    if customer is None:
        raise ApiError(404, "Not found", f"no customer {request.match_info['customer_id']!r}")
    return customer


async def need_of(request: web.Request) -> Need:
    """The need the path's {need_id} names."""
    need = await Need.get_or_none(id=request.match_info["need_id"])
    if need is None:
        raise ApiError(404, "Not found", f"no need {request.match_info['need_id']!r}")
    return need

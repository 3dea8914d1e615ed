"""The one route table: every resource module's routes, the OpenAPI document, the router.

Each resource has its module (devices, orders, needs, customers, alerts, receivers, privacy
and rights, sessions, provisioning, the stream, metrics), each listing its `Route`s; the
router, the access rules and the OpenAPI document are all built from the one list here.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec
from aiohttp import web

from cloud.api import access
from cloud.api import alerts as api_alerts
from cloud.api import customers as api_customers
from cloud.api import devices as api_devices
from cloud.api import metrics as api_metrics
from cloud.api import needs as api_needs
from cloud.api import orders as api_orders
from cloud.api import provision as api_provision
from cloud.api import receivers as api_receivers
from cloud.api import rights as api_rights
from cloud.api import sessions as api_auth
from cloud.api import stream as api_stream
from cloud.api.errors import QUERY, Handler, decode_query
from cloud.api.schemas import Problem
from cloud.api.table import POLICY, Route, policy

_INTEGER_PATH_PARAMETERS = frozenset({"index", "position"})


def _problem() -> dict[str, Any]:
    return {
        "description": "Problem",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _query_parameters(route: Route, components: dict[str, Any]) -> list[dict[str, Any]]:
    """A route's query parameters, from the fields of its query Struct's schema."""
    if route.query is None:
        return []
    schema = components[route.query.__name__]
    return [
        {"name": name, "in": "query", "required": False, "schema": field}
        for name, field in schema.get("properties", {}).items()
    ]


def _operation(
    route: Route,
    answer: dict[str, Any] | None,
    body: dict[str, Any] | None,
    query: list[dict[str, Any]],
) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {
            "name": p,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if p in _INTEGER_PATH_PARAMETERS else "string"},
        }
        for p in route.path.replace("}", "{").split("{")[1::2]
    ]
    params += [
        {"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
        for h in route.headers
    ]
    params += query
    ok: dict[str, Any] = {"description": "OK"}
    if answer is not None:
        ok["content"] = {"application/json": {"schema": answer}}
    operation: dict[str, Any] = {
        "summary": route.summary,
        "operationId": route.handler.__name__,
        "parameters": params,
        "responses": {"200": ok, "default": _problem()},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    elif route.body_media is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {route.body_media: {"schema": {"type": "string"}}},
        }
    if route.roles is None:
        operation["security"] = []  # public
    return operation


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built from the one route table and its types."""
    answered = [r for r in API if r.response is not None]
    with_body = [r for r in API if r.body is not None]
    queries = {r.query for r in API if r.query is not None}
    schemas, components = msgspec.json.schema_components(
        [*(r.response for r in answered), *(r.body for r in with_body), Problem, *queries],
        ref_template="#/components/schemas/{name}",
    )
    answers = dict(zip((r.key for r in answered), schemas, strict=False))
    bodies = dict(zip((r.key for r in with_body), schemas[len(answered) :], strict=False))
    paths: dict[str, Any] = {}
    for route in API:
        query = _query_parameters(route, components)
        operation = _operation(route, answers.get(route.key), bodies.get(route.key), query)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": access.SESSION_COOKIE},
    }
    for kind in queries:  # each parameter is documented where it is taken, not as a schema
        components.pop(kind.__name__)
    return {
        "openapi": "3.1.0",
        "security": [{"bearer": []}, {"session": []}],
        "info": {"title": "Continuo API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }


async def openapi(_request: web.Request) -> web.Response:
    """Serve the OpenAPI document."""
    return web.json_response(openapi_document())


API: list[Route] = [
    *api_devices.ROUTES,
    *api_orders.ROUTES,
    *api_needs.ROUTES,
    *api_customers.ROUTES,
    *api_alerts.ROUTES,
    *api_receivers.ROUTES,
    *api_stream.ROUTES,
    *api_provision.ROUTES,
    *api_metrics.ROUTES,
    *api_auth.ROUTES,
    *api_rights.ROUTES,
    Route(
        method="GET",
        path="/api/v1/openapi.json",
        handler=openapi,
        summary="This document",
        roles=None,
    ),
]


def add_routes(app: web.Application, pages: list[Route]) -> None:
    """Mount the API and `pages` on `app`, with the access rules of both."""
    table = [*API, *pages]
    app[POLICY] = policy(table)
    for route in table:
        app.router.add_route(route.method, route.path, _checked(route))


def _checked(route: Route) -> Handler:
    """The route's handler, given its query parameters decoded and checked (a 400 if not)."""
    if route.query is None:
        return route.handler
    kind, handler = route.query, route.handler

    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        request[QUERY] = decode_query(request, kind)
        return await handler(request)

    return checked

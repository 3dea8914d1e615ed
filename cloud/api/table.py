"""The one route table's row: a route's handler, who may call it, what it takes and gives.

Every module of the API lists its routes as `Route`s; the router, the access rules and the
OpenAPI document are all built from that one list, so no route can be served without a rule
or documented with a body it does not take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from cloud.api.errors import Handler
from cloud.identity.users import Role

OPS = frozenset({Role.OPERATOR})
OWN = frozenset({Role.OPERATOR, Role.CUSTOMER})
DEVICE = frozenset({Role.OPERATOR, Role.INSTALLER, Role.CUSTOMER})
ALERT = frozenset({Role.OPERATOR, Role.CUSTOMER, Role.CAREGIVER})
STAFF_DEVICES = frozenset({Role.OPERATOR, Role.INSTALLER})  # an installer sees their sites
ANYONE = frozenset(Role)

Key = tuple[str, str]  # (method, canonical path)
POLICY = web.AppKey("route_policy", dict[Key, frozenset[Role] | None])


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """One route: method, path, handler, summary, who may call it, what it takes and gives."""

    method: str
    path: str
    handler: Handler
    summary: str
    roles: frozenset[Role] | None  # None: public, no login
    response: Any = None  # the JSON answer's type (OpenAPI); None: not JSON
    body: Any = None  # the JSON request body's type
    body_media: str | None = None  # a request body that is not JSON (text/calendar)
    query: Any = None  # the query parameters' Struct: decoded and checked before the handler
    headers: tuple[str, ...] = ()  # required request headers

    @property
    def key(self) -> Key:
        """(method, path), as the access rules look a request up."""
        return self.method, self.path


def policy(routes: list[Route]) -> dict[Key, frozenset[Role] | None]:
    """Who may call each route of `routes`."""
    return {route.key: route.roles for route in routes}

"""Who may call what: one table of routes and roles, and ownership checked on every call.

Every route carries the roles that may call it (`cloud.api.table.Route`, in the one route
table); a route without a rule is refused to everyone (deny by default). For anyone but an
operator, the resource the path names (a customer, need, order, alert or device) must be
theirs: a customer's or caregiver's own household, an installer's assigned sites. A resource that is
missing or someone else's is refused the same way, so a refusal tells nothing about what
exists.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from aiohttp import web
from tortoise.exceptions import ValidationError

from cloud.api.context import services
from cloud.api.errors import header_text, problem
from cloud.api.table import POLICY
from cloud.identity.users import Principal, Role
from cloud.privacy.data_rights import audit
from cloud.store.models import Device, Incident, Need, Order
from common.clock import utc

log = logging.getLogger(__name__)
PRINCIPAL = web.RequestKey("principal", Principal)
SESSION_COOKIE: Final = "continuo_session"
CSRF_HEADER: Final = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REASON_HEADER: Final = "X-Access-Reason"  # why staff look: kept in the audit log
STAFF = frozenset({Role.OPERATOR, Role.INSTALLER})


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose a resource is."""

    customer_id: str
    site_id: str | None


async def _owner(match: dict[str, str]) -> Owner | None:
    """The customer (and site) of the resource a path names; None if there is none."""
    if "customer_id" in match:
        return Owner(match["customer_id"], None)
    if "need_id" in match:
        need = await Need.get_or_none(id=match["need_id"]).prefetch_related("device")
        return None if need is None else Owner(need.customer_id, need.device.site_id)
    device_id: str | None = match.get("device_id")
    if "order_id" in match:
        order = await Order.get_or_none(id=match["order_id"])
        device_id = None if order is None else order.device_id
    if "incident_id" in match:
        incident = await Incident.get_or_none(id=match["incident_id"])
        device_id = None if incident is None else incident.device_id
    if device_id is None:
        return None
    device = await Device.get_or_none(id=device_id).prefetch_related("site")
    return None if device is None else Owner(device.site.customer_id, device.site_id)


def allowed(principal: Principal, owner: Owner | None) -> bool:
    """Whether a non-operator may reach a resource owned by `owner`."""
    if principal.role is Role.OPERATOR:
        return True
    if owner is None:
        return False
    if principal.role is Role.INSTALLER:
        return owner.site_id is not None and owner.site_id in principal.sites
    return owner.customer_id == principal.customer_id


def bearer_or_cookie(request: web.Request) -> tuple[str | None, bool]:
    """The token a request carries, and whether it came in the session cookie."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None, False
    cookie = request.cookies.get(SESSION_COOKIE)
    return cookie or None, cookie is not None


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _refuse(status: int, detail: str) -> web.Response:
    response = problem(status, "Unauthorized" if status == 401 else "Forbidden", detail)  # noqa: PLR2004
    if status == 401:  # noqa: PLR2004
        response.headers["WWW-Authenticate"] = 'Bearer realm="continuo"'
    return response


@web.middleware
async def access_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate, check CSRF, the route's roles and the resource's owner."""
    route = request.match_info.route
    resource = route.resource
    if resource is None or route.method == "*":  # no route matched: 404/405 as usual
        return await handler(request)
    key = (request.method if request.method != "HEAD" else "GET", resource.canonical)
    rules = request.app[POLICY]
    if key in rules and rules[key] is None:
        return await handler(request)
    principal, refusal = await _check(request, key)
    if principal is None:
        return refusal or _refuse(401, "log in")
    request[PRINCIPAL] = principal
    return await handler(request)


async def _check(
    request: web.Request, key: tuple[str, str]
) -> tuple[Principal | None, web.Response | None]:
    token, from_cookie = bearer_or_cookie(request)
    principal = None if token is None else await services(request).authenticator.principal(token)
    if principal is None:
        return None, _refuse(401, "log in, or send an API token (Authorization: Bearer ...)")
    if (
        from_cookie
        and request.method not in SAFE_METHODS
        and request.headers.get(CSRF_HEADER) != principal.csrf
    ):
        return None, _refuse(403, f"a request from the dashboard must carry its {CSRF_HEADER}")
    roles = request.app[POLICY].get(key)
    if roles is None or principal.role not in roles:
        log.warning("refused %s %s to %s (%s)", *key, principal.username, principal.role)
        return None, _refuse(403, f"a {principal.role.value} may not {key[0]} {key[1]}")
    try:
        owner = await _owner(dict(request.match_info)) if request.match_info else None
    except ValidationError:  # an id no row can have
        owner = None
    if principal.role is not Role.OPERATOR and request.match_info and not allowed(principal, owner):
        log.warning(
            "refused %s %s to %s: not theirs", request.method, request.path, principal.username
        )
        return None, _refuse(403, "this is not yours")
    if principal.role in STAFF:  # staff reading or changing customers' data is audited
        await audit(
            at=utc(services(request).clock.now()),
            actor=principal.username,
            role=principal.role.value,
            action=f"{key[0]} {key[1]}",
            customer_id=owner.customer_id if owner else "*",
            detail=request.path_qs[:512],
            why=header_text(request, REASON_HEADER),
        )
    return principal, None


def actor(request: web.Request, named: str) -> str:
    """Who acted: the logged-in user, never a name they type; `named` is whom they act for."""
    principal = request.get(PRINCIPAL)
    if not isinstance(principal, Principal):
        return named or "anonymous"
    if not named or named == principal.username:
        return principal.username
    return f"{principal.username} (for {named})"[:128]

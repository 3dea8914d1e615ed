"""Log in, log out, and who am I: the session half of access control."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import msgspec
from aiohttp import web

from cloud.api import queries
from cloud.api.access import PRINCIPAL, SESSION_COOKIE
from cloud.api.context import services
from cloud.api.errors import ApiError, decode_body, query_of, respond
from cloud.api.schemas import LoginIn, LoginOut, MeOut
from cloud.api.table import ANYONE, OPS, Route
from cloud.identity.throttle import Throttle, client_address, is_trusted
from cloud.identity.users import Principal
from common.clock import utc

DEVICE_COOKIE = "continuo_device"  # a browser that logged in (the throttle lets it through)


def _me(p: Principal) -> MeOut:
    return MeOut(p.username, p.role.value, p.customer_id, sorted(p.sites), p.csrf)


def _own_origins(request: web.Request) -> set[str]:
    """The origins the dashboard is served from: this request's host, and the public URL."""
    origins = {f"{request.scheme}://{request.host}"}
    if public := services(request).config.http.public_url:
        parts = urllib.parse.urlsplit(public)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def _check_login_origin(request: web.Request) -> None:
    """A login comes as JSON, from the dashboard's own origin or from no browser at all.

    A cross-site page cannot log a victim into the attacker's account (login CSRF): a
    browser sends `Origin` with every cross-site POST, and a form can send only text/plain
    or form encodings, never JSON without a preflight this server does not answer.
    """
    if request.content_type != "application/json":
        raise ApiError(415, "Unsupported media type", "a login is JSON (application/json)")
    origin = request.headers.get("Origin")
    cross_site = request.headers.get("Sec-Fetch-Site") == "cross-site"
    if cross_site or (origin is not None and origin not in _own_origins(request)):
        raise ApiError(403, "Forbidden", "a login comes only from the dashboard's own origin")


async def login(request: web.Request) -> web.StreamResponse:
    """Exchange a user name and password for a session (cookie and token)."""
    _check_login_origin(request)
    body = decode_body(await request.read(), LoginIn, "login (a user name and password)")
    auth = services(request).authenticator
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and not is_trusted(request.remote, auth.trusted_proxies):
        auth.counters["forwarded_for_ignored"] += 1  # anyone may write it: not a proxy's
    address = client_address(request.remote, forwarded, auth.trusted_proxies)
    device = request.cookies.get(DEVICE_COOKIE)
    logged_in = await auth.login(body.username, body.password, address=address, device=device)
    token, session = logged_in.token, logged_in.session
    principal = await auth.principal(token)
    if principal is None:  # pragma: no cover - just created
        raise ApiError(500, "Server error", "the new session is not readable")
    response = respond(LoginOut(token, session.csrf, session.expires_at, _me(principal)))
    response.set_cookie(  # lets this browser in past strangers' failures (cloud.identity.throttle)
        DEVICE_COOKIE,
        logged_in.device,
        max_age=int(auth.throttle.policy.known_s) if auth.throttle else None,
        httponly=True,
        samesite="Strict",
        secure=request.secure,
        path="/api/v1/login",
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(auth.session_s),
        httponly=True,
        samesite="Strict",
        secure=request.secure,
        path="/",
    )
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    """End this session."""
    principal: Principal = request[PRINCIPAL]
    await services(request).authenticator.logout(principal.session_id)
    response = respond(_me(principal))
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def me(request: web.Request) -> web.Response:
    """The logged-in user."""
    return respond(_me(request[PRINCIPAL]))


class LockoutOut(msgspec.Struct, frozen=True):
    """A login throttle counter: what it counts, how many failures, until when it holds."""

    id: int
    kind: str  # pair (an account at an address), account, address (trying many accounts)
    account: str
    address: str
    failures: int
    accounts_tried: int  # for an address: how many accounts failed from it
    last_failure_at: dt.datetime
    locked_until: dt.datetime | None
    locked: bool


class ClearedOut(msgspec.Struct, frozen=True):
    """How many throttle counters were cleared."""

    cleared: int


def _throttle(request: web.Request) -> Throttle:
    throttle = services(request).authenticator.throttle
    if throttle is None:  # pragma: no cover - every Authenticator makes one
        raise ApiError(500, "Server error", "no login throttle")
    return throttle


async def list_lockouts(request: web.Request) -> web.Response:
    """Failed-login counters not yet forgotten, and which of them hold logins back now."""
    throttle = _throttle(request)
    now = utc(throttle.clock.now())
    return respond(
        [
            LockoutOut(
                id=row.id,
                kind=row.kind,
                account=row.account,
                address=row.address,
                failures=row.failures,
                accounts_tried=len(row.accounts),
                last_failure_at=row.last_at,
                locked_until=row.locked_until,
                locked=row.locked_until is not None and row.locked_until > now,
            )
            for row in await throttle.current()
        ]
    )


async def clear_lockouts(request: web.Request) -> web.Response:
    """Clear counters: ?id= (repeatable), every one of ?account= or ?address=, or all."""
    q = query_of(request, queries.Lockouts)
    cleared = await _throttle(request).clear(ids=q.id, account=q.account, address=q.address)
    return respond(ClearedOut(cleared))


ROUTES: list[Route] = [
    Route(
        method="POST",
        path="/api/v1/login",
        handler=login,
        summary="Log in (a session cookie and token)",
        roles=None,
        response=LoginOut,
        body=LoginIn,
    ),
    Route(
        method="POST",
        path="/api/v1/logout",
        handler=logout,
        summary="Log out (answers who was logged out)",
        roles=ANYONE,
        response=MeOut,
    ),
    Route(
        method="GET",
        path="/api/v1/me",
        handler=me,
        summary="Who is logged in",
        roles=ANYONE,
        response=MeOut,
    ),
    Route(
        method="GET",
        path="/api/v1/lockouts",
        handler=list_lockouts,
        summary="Failed-login counters",
        roles=OPS,
        response=list[LockoutOut],
    ),
    Route(
        method="DELETE",
        path="/api/v1/lockouts",
        handler=clear_lockouts,
        query=queries.Lockouts,
        summary="Clear failed-login counters",
        roles=OPS,
        response=ClearedOut,
    ),
]

"""Log in, log out, and who am I: the session half of access control."""

from __future__ import annotations

import msgspec
from aiohttp import web

from cloud.api.access import AUTHENTICATOR, PRINCIPAL, SESSION_COOKIE
from cloud.api.errors import ApiError, Handler, problem, respond
from cloud.api.schemas import LoginIn, LoginOut, MeOut
from cloud.identity.users import AuthError, Principal


def _me(p: Principal) -> MeOut:
    return MeOut(p.username, p.role.value, p.customer_id, sorted(p.sites), p.csrf)


async def login(request: web.Request) -> web.StreamResponse:
    """Exchange a user name and password for a session (cookie and token)."""
    try:
        body = msgspec.json.decode(await request.read(), type=LoginIn)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ApiError(400, "Bad request", f"expected a user name and password: {exc}") from exc
    auth = request.app[AUTHENTICATOR]
    address = request.remote or "unknown"
    try:
        token, session = await auth.login(body.username, body.password, address=address)
    except AuthError as exc:
        if exc.retry_after_s is not None:
            response = problem(429, "Too many attempts", str(exc))
            response.headers["Retry-After"] = str(max(1, int(exc.retry_after_s)))
            return response
        raise ApiError(401, "Unauthorized", str(exc)) from exc
    principal = await auth.principal(token)
    if principal is None:  # pragma: no cover - just created
        raise ApiError(500, "Server error", "the new session is not readable")
    response = respond(LoginOut(token, session.csrf, session.expires_at, _me(principal)))
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
    await request.app[AUTHENTICATOR].logout(principal.session_id)
    response = respond(_me(principal))
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def me(request: web.Request) -> web.Response:
    """The logged-in user."""
    return respond(_me(request[PRINCIPAL]))


ROUTES: list[tuple[str, str, Handler, str, type | None]] = [
    ("POST", "/api/v1/login", login, "Log in (a session cookie and token)", LoginOut),
    ("POST", "/api/v1/logout", logout, "Log out (answers who was logged out)", MeOut),
    ("GET", "/api/v1/me", me, "Who is logged in", MeOut),
]
BODIES: dict[tuple[str, str], type] = {("POST", "/api/v1/login"): LoginIn}

"""HTTP basics of the API: problem responses, the error middleware, query parsing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
from aiohttp import web
from tortoise.exceptions import ValidationError

from cloud.api.schemas import Problem
from common.errors import ContinuoError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_encoder = msgspec.json.Encoder()


class ApiError(ContinuoError):
    """A request the API cannot serve, with its HTTP status."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title


def respond(body: object, status: int = 200) -> web.Response:
    """A JSON response from msgspec-encodable values."""
    return web.Response(body=_encoder.encode(body), status=status, content_type="application/json")


def problem(status: int, title: str, detail: str) -> web.Response:
    """An application/problem+json response."""
    return web.Response(
        body=_encoder.encode(Problem(title, status, detail)),
        status=status,
        content_type="application/problem+json",
    )


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Map errors to problem responses; the only place errors become HTTP statuses."""
    try:
        return await handler(request)
    except ApiError as exc:
        return problem(exc.status, exc.title, str(exc))
    except ValidationError:
        # The database refused a lookup value (an id longer than any id): nothing has it.
        return problem(404, "Not found", "no such resource")
    except web.HTTPException as exc:
        if exc.status < 400:  # noqa: PLR2004
            raise
        response = problem(exc.status, exc.reason, exc.text or exc.reason)
        for name, value in exc.headers.items():  # e.g. Allow on a 405 (RFC 9110)
            if name.lower() not in {"content-type", "content-length"}:
                response.headers[name] = value
        return response


def int_query(request: web.Request, name: str, default: int, *, low: int, high: int) -> int:
    """An integer query parameter within [low, high], or a 400."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "Bad query", f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ApiError(400, "Bad query", f"{name} must be between {low} and {high}")
    return value

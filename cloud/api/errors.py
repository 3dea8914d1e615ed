"""HTTP basics of the API: problem responses, the error middleware, query parsing."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

import msgspec
from aiohttp import web
from tortoise.exceptions import ValidationError

from cloud.api.context import services
from cloud.api.schemas import Problem
from common.errors import ContinuoError, Refusal, RefusedError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_encoder = msgspec.json.Encoder()

# What any text the API takes may be: no longer than this, valid UTF-8 without NUL or other
# control characters. Checked once, before any handler, so no database sees the rest (PostgreSQL
# refuses NUL and lone surrogates in text; both used to end in a 500).
MAX_PATH_CHARS: Final = 2048
MAX_QUERY_VALUE_CHARS: Final = 512
MAX_HEADER_CHARS: Final = 4096
MAX_TEXT_CHARS: Final = {"X-Access-Reason": 256, "Idempotency-Key": 100}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
MAX_JSON_DEPTH: Final = 32  # no body the API takes nests deeper than a few levels
_JSON_STRING = re.compile(rb'"(?:\\.|[^"\\])*"')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


# Each kind of "no" the domain gives (common.errors.Refusal) and its one HTTP answer.
ANSWERS: Final = {
    Refusal.INVALID: (400, "Bad request"),
    Refusal.UNAUTHENTICATED: (401, "Unauthorized"),
    Refusal.FORBIDDEN: (403, "Forbidden"),
    Refusal.NOT_FOUND: (404, "Not found"),
    Refusal.CONFLICT: (409, "Conflict"),
    Refusal.TOO_MANY: (429, "Too many attempts"),
}


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


def _bad(what: str, why: str) -> ApiError:
    return ApiError(400, "Bad request", f"{what} {why}")


def _check_text(what: str, text: str, limit: int, *, controls: bool = False) -> None:
    if len(text) > limit:
        raise _bad(what, f"is longer than {limit} characters")
    if "\x00" in text:
        raise _bad(what, "contains a NUL character")
    if not controls and _CONTROL.search(text):
        raise _bad(what, "contains a control character")
    try:
        text.encode()
    except UnicodeEncodeError:  # aiohttp keeps undecodable bytes as lone surrogates
        raise _bad(what, "is not valid UTF-8") from None


def _percent_decoded(what: str, raw: str, limit: int) -> str:
    try:
        text = urllib.parse.unquote_to_bytes(raw).decode()
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise _bad(what, "is not valid UTF-8 once percent-decoded") from None
    _check_text(what, text, limit)
    return text


def header_text(request: web.Request, name: str) -> str:
    """A free-text header (UTF-8, or percent-encoded UTF-8), checked by the middleware."""
    raw = request.headers.get(name, "")
    return urllib.parse.unquote(raw) if "%" in raw else raw


def _check_headers(request: web.Request) -> None:
    for name, value in request.headers.items():
        _check_text(f"header {name}", value, MAX_HEADER_CHARS)
        if name in MAX_TEXT_CHARS:  # free text: UTF-8, raw or percent-encoded
            _percent_decoded(f"header {name}", value, MAX_TEXT_CHARS[name])
        elif not value.isascii():
            raise _bad(f"header {name}", "must be ASCII")


def _nests_deeper(body: bytes, limit: int) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` deep (strings skipped).

    At C speed, whatever the size: brackets outside strings are kept and innermost pairs
    removed `limit` times; any left were deeper (or unbalanced, which the decoder refuses).
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKET)
    for _ in range(limit):
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if not brackets:
            return False
    return True


def _check_json(value: object) -> None:
    if isinstance(value, str):
        _check_text("a text in the body", value, len(value), controls=True)
    elif isinstance(value, list):
        for item in value:
            _check_json(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key)
            _check_json(item)


async def check_request(request: web.Request) -> None:
    """Refuse, with a 400 that says why, text no handler or database should ever see.

    Path and query: valid UTF-8 once percent-decoded, no NUL or control characters, not
    over-long (a path that is not names no resource: a 404 that says why). Headers: ASCII,
    but for free texts such as X-Access-Reason (UTF-8, raw or percent-encoded); none
    invalid UTF-8 or over-long. A body: valid UTF-8 without NUL, and no escaped NUL or lone
    surrogate in a JSON string.
    """
    try:
        _percent_decoded("the path", request.raw_path.partition("?")[0], MAX_PATH_CHARS)
    except ApiError as exc:  # such a name names nothing, as an id longer than any id does
        raise ApiError(404, "Not found", f"no such resource: {exc}") from None
    for raw in filter(None, request.rel_url.raw_query_string.split("&")):
        name, _, value = raw.partition("=")
        name = _percent_decoded("a query parameter name", name.replace("+", " "), 64)
        _percent_decoded(f"query parameter {name}", value.replace("+", " "), MAX_QUERY_VALUE_CHARS)
    _check_headers(request)
    if not request.body_exists:
        return
    try:  # a body sent a byte at a time holds a connection: it has its time
        async with asyncio.timeout(services(request).config.http.body_timeout_s):
            body = await request.read()  # kept by aiohttp: the handler reads it again for free
    except TimeoutError:
        raise ApiError(408, "Request timeout", "the body took too long to arrive") from None
    if b"\x00" in body:
        raise _bad("the body", "contains a NUL byte")
    try:
        body.decode()
    except UnicodeDecodeError:
        raise _bad("the body", "is not valid UTF-8") from None
    if request.content_type != "text/calendar" and _nests_deeper(body, MAX_JSON_DEPTH):
        raise _bad("the body", f"nests deeper than {MAX_JSON_DEPTH} levels")
    if _JSON_SUSPECT.search(body):
        try:  # the standard library keeps lone surrogates that msgspec calls truncated input
            _check_json(json.loads(body))
        except (ValueError, RecursionError):
            return  # not JSON: the handler says what is wrong with it


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Map errors to problem responses; the only place errors become HTTP statuses."""
    try:
        await check_request(request)
        return await handler(request)
    except ApiError as exc:
        return problem(exc.status, exc.title, str(exc))
    except RefusedError as exc:
        status, title = ANSWERS[exc.refusal]
        response = problem(status, title, str(exc))
        if exc.retry_after_s is not None:
            response.headers["Retry-After"] = str(max(1, int(exc.retry_after_s)))
        return response
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


T = TypeVar("T")


def _integral(value: object) -> object:
    """Integral floats as ints, throughout: JSON's 15.0 is the integer 15 (JSON Schema agrees)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


def decode_body(raw: bytes, kind: type[T], what: str) -> T:
    """A JSON request body as `kind`; a 400 that says what is wrong otherwise.

    The one way the API reads a body: 15.0 is taken where an integer is wanted, as the
    OpenAPI document promises, but nothing else is coerced (a "15" stays a string).
    """
    try:
        return msgspec.convert(_integral(msgspec.json.decode(raw)), kind, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ApiError(400, "Bad request", f"invalid {what}: {exc}") from exc
    except RecursionError:  # pragma: no cover - refused by check_request first
        raise ApiError(400, "Bad request", f"invalid {what}: nested too deeply") from None


QUERY = web.RequestKey("query", object)  # the route's query parameters, as its table row types them


def _is_list(kind: object) -> bool:
    return getattr(kind, "__origin__", kind) is list


def decode_query(request: web.Request, kind: type[T]) -> T:
    """The query string as `kind` (a Struct of the route's parameters), or a 400 saying why.

    Each field is a parameter, converted from text as its type says (`?limit=20` is an int,
    `?state=failed` one of an enum's values; an empty text is no filter), a list field takes
    every value given, and parameters the route does not take are ignored.
    """
    data: dict[str, object] = {}
    for field in msgspec.structs.fields(kind):  # type: ignore[arg-type]
        values = request.query.getall(field.encode_name, [])
        if values:
            data[field.encode_name] = values if _is_list(field.type) else values[-1]
    try:
        return msgspec.convert(data, kind, strict=False)
    except msgspec.ValidationError as exc:
        detail = str(exc).replace("`$.", "`").replace("`$[", "`[")
        detail = detail.replace("Invalid RFC3339 encoded datetime", "Expected an ISO 8601 time")
        raise ApiError(400, "Bad query", f"invalid query: {detail}") from exc


def query_of(request: web.Request, kind: type[T]) -> T:
    """The query parameters the router decoded for this route (its table row's `query`)."""
    value = request[QUERY]
    if not isinstance(value, kind):  # pragma: no cover - a route whose row lacks its query
        raise TypeError(f"{request.path} takes no {kind.__name__}")
    return value

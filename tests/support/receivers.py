"""Webhook receivers on loopback that answer as a test scripts them, and record every request.

`/hook/{name}` answers each request with the next status scripted for `name` (then 204),
or never answers at all when `name` is black-holed; `/sms` is an SMS gateway. Every request
is kept in arrival order with its headers and body, so tests assert the order of events,
not times.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(frozen=True, slots=True)
class Request:
    """One request a receiver got."""

    name: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def data(self) -> Any:
        """A webhook's "data" (Standard Webhooks' envelope)."""
        return self.json["data"]


@dataclass
class Receivers:
    """What arrived, and how each receiver answers."""

    base: str = ""
    got: list[Request] = field(default_factory=list)
    scripts: dict[str, list[int | tuple[int, dict[str, str]]]] = field(default_factory=dict)
    black_holes: set[str] = field(default_factory=set)
    holding: list[str] = field(default_factory=list)  # black-holed requests still open

    def url(self, name: str) -> str:
        return f"{self.base}/hook/{name}"

    def script(self, name: str, *answers: int | tuple[int, dict[str, str]]) -> None:
        """Answer the next requests to `name` with these statuses (then 204)."""
        self.scripts[name] = list(answers)

    def of(self, name: str) -> list[Request]:
        return [r for r in self.got if r.name == name]

    def index(self, request: Request) -> int:
        """Its place in the order of arrival."""
        return next(i for i, r in enumerate(self.got) if r is request)


@contextlib.asynccontextmanager
async def receivers() -> AsyncIterator[Receivers]:
    """Run the receivers on a free loopback port."""
    state = Receivers()
    release = asyncio.Event()

    async def hook(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        state.got.append(Request(name, dict(request.headers), await request.read()))
        if name in state.black_holes:
            state.holding.append(name)
            await release.wait()  # never answers while the test runs
        script = state.scripts.get(name)
        answer = script.pop(0) if script else 204
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return web.Response(status=status, headers=headers)

    async def sms(request: web.Request) -> web.Response:
        state.got.append(Request("sms", dict(request.headers), await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook/{name}", hook)
    app.router.add_post("/sms", sms)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield state
    finally:
        release.set()
        await runner.cleanup()

"""Serving the app so that slow and many clients cannot take it down.

aiohttp alone waits for ever on a client that sends its headers a byte a minute, and accepts
connections until the process runs out of files (then logs an error on every accept). Here,
in front of aiohttp's own protocol:

- a connection must have sent a whole request head within `[http] header_timeout_s`, or it
  is closed (slowloris); an idle kept-alive one closes after `keepalive_s`;
- at most `max_connections_per_address` connections per client address and
  `max_connections` in all; one over either is closed at once, so the process keeps files
  for its database, broker and real users (the total is also kept under the file limit,
  which start-up raises to the hard limit where the process may);
- refused connections are counted and logged once a minute with their count, never once
  each. The body's own timeout is the API's (`check_request`).

Behind a reverse proxy, every client shares the proxy's address: raise the per-address cap,
or let the proxy limit (the README's deployment notes say how).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import signal
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from cloud.config import HttpSettings

log = logging.getLogger(__name__)
FILES_KEPT = 128  # files left for the database pool, the broker, logs and exports
HEAD_END = b"\r\n\r\n"
LOG_EVERY_S = 60.0


def raise_file_limit() -> int:
    """Raise this process's open-file limit to its hard limit; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # a container may refuse: keep what was given
            return soft
        return hard
    return soft


@dataclass
class Guard:
    """Connection counts per address and in all, and what was refused (logged once a minute)."""

    per_address: int
    total: int
    open: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # reason -> count since last log
    _logged_at: float = 0.0

    @property
    def connections(self) -> int:
        """Connections open now."""
        return self.open.total()

    def admit(self, address: str) -> bool:
        """Take a connection from `address`, or refuse it (counted)."""
        if self.connections >= self.total:
            self._refuse("the server has its most connections")
            return False
        if self.open[address] >= self.per_address:
            self._refuse("an address has its most connections")
            return False
        self.open[address] += 1
        return True

    def release(self, address: str) -> None:
        """A connection from `address` closed."""
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]

    def _refuse(self, why: str) -> None:
        self.refused[why] += 1
        now = asyncio.get_running_loop().time()
        if now - self._logged_at >= LOG_EVERY_S:
            self._logged_at = now
            said = "; ".join(f"{n} refused: {why}" for why, n in self.refused.items())
            log.warning("connections refused in the last minute or less: %s", said)
            self.refused.clear()

    def slow(self) -> None:
        """A connection closed for sending its request head too slowly."""
        self._refuse("a request head took too long")


def _drop(transport: asyncio.BaseTransport) -> None:
    """Close at once, without waiting to send anything (a refused or too slow client)."""
    if isinstance(transport, asyncio.WriteTransport):
        transport.abort()
    else:
        transport.close()


class _Guarded(asyncio.Protocol):
    """aiohttp's protocol for one connection, admitted by the guard and timed until its head."""

    def __init__(self, inner: Any, guard: Guard, header_timeout_s: float) -> None:
        self._inner = inner
        self._guard = guard
        self._timeout_s = header_timeout_s
        self._address: str | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._tail = b""  # the last bytes seen, to find the end of the head across reads

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
        if not self._guard.admit(address):
            _drop(transport)
            return
        self._address = address
        self._timer = asyncio.get_running_loop().call_later(self._timeout_s, self._late, transport)
        self._inner.connection_made(transport)

    def _late(self, transport: asyncio.BaseTransport) -> None:
        self._timer = None
        self._guard.slow()
        _drop(transport)

    def data_received(self, data: bytes) -> None:
        if self._timer is not None:
            seen = self._tail + data
            if HEAD_END in seen:
                self._timer.cancel()
                self._timer = None
            self._tail = seen[-3:]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()  # type: ignore[no-any-return]

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._address is None:  # refused: aiohttp never saw it
            return
        if self._timer is not None:
            self._timer.cancel()
        self._guard.release(self._address)
        self._address = None
        self._inner.connection_lost(exc)


class GuardedSite(web.TCPSite):
    """A TCP site whose connections pass the guard before aiohttp sees them."""

    def __init__(
        self, runner: web.AppRunner, settings: HttpSettings, *, file_limit: int | None = None
    ) -> None:
        """Listen where `settings` say, with its limits (the total kept under `file_limit`)."""
        super().__init__(runner, settings.host, settings.port)
        limit = file_limit or resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        total = min(settings.max_connections, max(16, limit - FILES_KEPT))
        self.guard = Guard(per_address=settings.max_connections_per_address, total=total)
        self._header_timeout_s = settings.header_timeout_s

    async def start(self) -> None:
        """Listen, wrapping aiohttp's protocol factory (as TCPSite.start does, but that)."""
        await super(web.TCPSite, self).start()  # registered with the runner
        server = self._runner.server
        assert server is not None  # noqa: S101 - the runner is set up first
        guard, timeout_s = self.guard, self._header_timeout_s

        def protocol() -> asyncio.Protocol:
            return _Guarded(server(), guard, timeout_s)

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            protocol,
            self._host,
            self._port,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port


def runner(app: web.Application, settings: HttpSettings) -> web.AppRunner:
    """The app's runner, with aiohttp's own idle limit for kept-alive connections."""
    return web.AppRunner(app, keepalive_timeout=settings.keepalive_s)


async def serve(app: web.Application, settings: HttpSettings, *, started: Any = None) -> None:
    """Serve `app` until SIGINT or SIGTERM; `started()` is called once it listens."""
    file_limit = raise_file_limit()
    app_runner = runner(app, settings)
    await app_runner.setup()
    try:
        await GuardedSite(app_runner, settings, file_limit=file_limit).start()
        if started is not None:
            started()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await app_runner.cleanup()

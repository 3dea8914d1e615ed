"""The aiohttp application: one factory, every resource opened and closed in cleanup_ctx."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import random
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from cloud.api.access import AUTHENTICATOR, access_middleware
from cloud.api.errors import ApiError, error_middleware
from cloud.api.metrics import METRICS, Sources
from cloud.api.needs import CATALOG, NEEDS
from cloud.api.rights import RIGHTS, Rights
from cloud.api.routes import (
    COUNTERS,
    FEED,
    PROVISIONING,
    Counters,
    Provisioning,
    add_routes,
)
from cloud.api.table import Route
from cloud.config import CloudConfig
from cloud.identity.users import Authenticator
from cloud.ingest.consumer import Ingest
from cloud.ingest.record import audit_gaps
from cloud.needs.sweep import Sweeper
from cloud.orders.catalog import Catalog
from cloud.orders.fulfiller import Fulfiller
from cloud.orders.fulfilment import FulfilmentProvider
from cloud.privacy import retention
from cloud.services import build_services
from cloud.store.claims import Periods
from cloud.store.db import close_database, open_database
from cloud.store.models import Device
from common.clock import Clock

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
DASHBOARD = STATIC / "dashboard.html"
NODE_MODULES = Path(__file__).parents[1] / "node_modules"  # `make` installs them (package.json)
ASSETS = {  # what /static/ serves: the dashboard's own files and its pinned npm libraries
    "dashboard.js": STATIC / "dashboard.js",
    "dashboard.css": STATIC / "dashboard.css",
    "uplot.js": NODE_MODULES / "uplot" / "dist" / "uPlot.iife.min.js",
    "uplot.css": NODE_MODULES / "uplot" / "dist" / "uPlot.min.css",
}
PAGE_HEADERS = {  # the page loads only its own files and cannot be framed (clickjacking)
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
INGEST = web.AppKey("ingest", Ingest)
FULFILLER = web.AppKey("fulfiller", Fulfiller)


async def _database_answers(timeout_s: float = 2.0) -> bool:
    """Whether the database answers a trivial query within `timeout_s`."""
    try:
        async with asyncio.timeout(timeout_s):
            await Device.all().limit(1).values_list("id", flat=True)
    except Exception:  # any failure means "not healthy"; the probe must answer
        log.warning("health: the database does not answer", exc_info=True)
        return False
    return True


def _utc(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, tz=dt.UTC)


async def sweep(config: CloudConfig, fulfiller: Fulfiller, sweeper: Sweeper, clock: Clock) -> None:
    """Periodically re-decide every need (data goes stale) and track orders."""
    retained = [0.0]  # when retention last ran
    every = config.replenish.sweep_s
    periods = Periods(config.database_url, "sweep")
    period = 0
    try:
        while True:
            # On the period's boundary, as every worker: each refreshes its own caches, and
            # the one that claims the period does the shared work.
            period = max(math.floor(clock.now() / every) + 1, period + 1)
            await clock.sleep(max(0.0, period * every - clock.now()))
            if await periods.claim(period):
                await _sweep_once(config, fulfiller, sweeper, clock, retained)
                continue
            try:
                await sweeper.refresh()
            except Exception:
                log.exception("refreshing this worker's priors failed; the next period retries")
    finally:
        await periods.close()


async def _sweep_once(
    config: CloudConfig, fulfiller: Fulfiller, sweeper: Sweeper, clock: Clock, retained: list[float]
) -> None:
    """One round of the sweep; a failed round is logged and the next one comes."""
    try:
        await sweeper.sweep()
        await fulfiller.track_orders()
        if clock.now() - retained[0] >= config.retention.sweep_s:
            retained[0] = clock.now()
            await retention.enforce(now=_utc(clock.now()), raw_days=config.retention.raw_days)
        await audit_gaps(since=_utc(clock.now() - 3600))
        stale = clock.now() - config.broker.offline_after_s
        await Device.filter(online=True, last_seen__lt=_utc(stale)).update(online=False)
    except Exception:
        # One failed round (database restart, a bug) must not end the sweeps.
        log.exception("sweep failed; trying again in %.0f s", config.replenish.sweep_s)


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.critical("background task %s died", task.get_name(), exc_info=task.exception())


def create_app(
    config: CloudConfig,
    *,
    clock: Clock | None = None,
    provider: FulfilmentProvider | None = None,
    catalog: Catalog | None = None,
    rng: random.Random | None = None,
) -> web.Application:
    """Build the backend; the database, ingest and sweep start when the app starts."""
    services = build_services(config, clock=clock, provider=provider, catalog=catalog, rng=rng)
    clock, feed, catalog = services.clock, services.feed, services.catalog
    fulfiller, escalator = services.fulfiller, services.escalator
    needs, ingest = services.needs, services.ingest
    app = web.Application(
        middlewares=[error_middleware, access_middleware], client_max_size=1024 * 1024
    )
    app[RIGHTS] = Rights(
        clock=clock,
        broker=config.broker,
        exports_dir=Path(config.exports_dir) if config.exports_dir else None,
        push=ingest.command,
        forget=ingest.consent.forget,
    )
    app[AUTHENTICATOR] = Authenticator(
        clock=clock,
        session_s=config.http.session_hours * 3600,
        trusted_proxies=tuple(config.http.trusted_proxies),
    )
    app[FEED] = feed
    app[INGEST] = ingest
    app[FULFILLER] = fulfiller
    app[NEEDS] = needs
    app[CATALOG] = catalog
    app[PROVISIONING] = Provisioning(
        clock=clock, broker=config.broker, forget=ingest.directory.forget
    )
    app[METRICS] = Sources(
        ingest=ingest,
        decisions=needs.counters,
        notifications=escalator.counters,
        fulfilment=fulfiller.counters,
    )
    app[COUNTERS] = Counters(
        ingest=lambda: dict(ingest.counters),
        replenishment=lambda: dict(fulfiller.counters) | dict(needs.counters),
    )

    async def resources(_app: web.Application) -> AsyncIterator[None]:
        await open_database(config.database_url)
        tasks = [
            asyncio.create_task(ingest.run(), name="mqtt-ingest"),
            asyncio.create_task(sweep(config, fulfiller, needs.sweeper, clock), name="sweep"),
            asyncio.create_task(escalator.run(), name="escalation"),
            asyncio.create_task(feed.listen(), name="change-feed"),
        ]
        for task in tasks:
            task.add_done_callback(_report_crash)
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await close_database()

    async def dashboard(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(DASHBOARD, headers=PAGE_HEADERS)

    async def asset(request: web.Request) -> web.StreamResponse:
        path = ASSETS.get(request.match_info["name"])
        if path is None or not path.is_file():
            raise ApiError(404, "Not found", f"no asset {request.match_info['name']!r}")
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def health(_request: web.Request) -> web.Response:
        """200 when this worker can take messages and store them; 503 says which part is down."""
        broker = ingest.connected.is_set()
        database = await _database_answers()
        ok = broker and database
        return web.json_response(
            {"ok": ok, "broker_connected": broker, "database_ok": database},
            status=200 if ok else 503,
        )

    app.cleanup_ctx.append(resources)
    add_routes(
        app,
        pages=[
            Route(method="GET", path="/", handler=dashboard, summary="The dashboard", roles=None),
            Route(method="GET", path="/healthz", handler=health, summary="Health", roles=None),
            Route(
                method="GET",
                path="/static/{name}",
                handler=asset,
                summary="The dashboard's scripts, styles and chart library",
                roles=None,
            ),
        ],
    )
    return app

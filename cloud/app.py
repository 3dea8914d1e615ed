"""The aiohttp application: one factory, every resource opened and closed in cleanup_ctx."""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from cloud.api.access import access_middleware
from cloud.api.context import SERVICES
from cloud.api.errors import ApiError, error_middleware
from cloud.api.routes import add_routes
from cloud.api.table import Route
from cloud.background import Claims, units
from cloud.config import CloudConfig
from cloud.orders.catalog import Catalog
from cloud.orders.fulfilment import FulfilmentProvider
from cloud.services import build_services
from cloud.store.db import answers, close_database, open_database
from common.clock import Clock, utc

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
    ingest, supervisor = services.ingest, services.supervisor
    app = web.Application(
        middlewares=[error_middleware, access_middleware], client_max_size=1024 * 1024
    )
    app[SERVICES] = services
    claims = Claims(config.database_url, clock=services.clock)
    for spec in units(config, services, claims, supervisor):
        supervisor.add(spec)

    async def resources(_app: web.Application) -> AsyncIterator[None]:
        await open_database(config.database_url)
        supervisor.start()
        yield
        await supervisor.stop()
        await services.deliveries.close()
        await claims.close()
        await close_database()

    async def dashboard(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(DASHBOARD, headers=PAGE_HEADERS)

    async def asset(request: web.Request) -> web.StreamResponse:
        path = ASSETS.get(request.match_info["name"])
        if path is None or not path.is_file():
            raise ApiError(404, "Not found", f"no asset {request.match_info['name']!r}")
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def health(_request: web.Request) -> web.Response:
        """Ready: 200 when every unit works and keeps up; 503 names the ones that do not."""
        broker = ingest.connected.is_set()
        database = await answers()
        units_ok, bad = supervisor.ready()
        ok = broker and database and units_ok
        return web.json_response(
            {
                "ok": ok,
                "broker_connected": broker,
                "database_ok": database,
                "units": [
                    {
                        "unit": r.name,
                        "state": r.state.value,
                        "since": utc(r.since).isoformat(),
                        "error": r.error,
                        "failures": r.failures,
                        "restarts": r.restarts,
                        **({"lag_s": r.lag_s} if r.lag_s is not None else {}),
                    }
                    for r in bad
                ],
            },
            status=200 if ok else 503,
        )

    async def live(_request: web.Request) -> web.Response:
        """Live: 200 unless restarting this process would help (a unit stuck, none running)."""
        ok, stuck = supervisor.live()
        return web.json_response({"ok": ok, "stuck": stuck}, status=200 if ok else 503)

    app.cleanup_ctx.append(resources)
    add_routes(
        app,
        pages=[
            Route(method="GET", path="/", handler=dashboard, summary="The dashboard", roles=None),
            Route(
                method="GET",
                path="/healthz",
                handler=health,
                summary="Readiness: every unit works and keeps up (503 names those that do not)",
                roles=None,
            ),
            Route(
                method="GET",
                path="/livez",
                handler=live,
                summary="Liveness: the supervisor runs and no unit is stuck",
                roles=None,
            ),
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

"""The aiohttp application: one factory, every resource opened and closed in cleanup_ctx."""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from cloud.api.access import AUTHENTICATOR, access_middleware
from cloud.api.alerts import ALERTS_API, AlertsApi
from cloud.api.errors import ApiError, error_middleware
from cloud.api.metrics import METRICS, Sources
from cloud.api.needs import CATALOG, NEEDS
from cloud.api.provision import PROVISIONING, Provisioning
from cloud.api.rights import RIGHTS, Rights
from cloud.api.routes import add_routes
from cloud.api.stream import COUNTERS, FEED, Counters
from cloud.api.table import Route
from cloud.background import Claims, units
from cloud.config import CloudConfig
from cloud.identity.users import Authenticator
from cloud.ingest.consumer import Ingest
from cloud.orders.catalog import Catalog
from cloud.orders.fulfiller import Fulfiller
from cloud.orders.fulfilment import FulfilmentProvider
from cloud.services import build_services
from cloud.store.db import answers, close_database, open_database
from cloud.supervisor import Supervisor
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
SUPERVISOR = web.AppKey("supervisor", Supervisor)


def _utc(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, tz=dt.UTC)


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
    supervisor = Supervisor(clock=clock, rng=rng)
    claims = Claims(config.database_url, clock)
    for spec in units(config, services, claims, supervisor):
        supervisor.add(spec)
    app[SUPERVISOR] = supervisor
    app[ALERTS_API] = AlertsApi(
        deliveries=services.deliveries,
        feed=feed,
        clock=clock,
        alerts=config.alerts,
        notify=config.notify,
    )
    app[METRICS] = Sources(
        ingest=ingest,
        decisions=needs.counters,
        notifications=escalator.counters,
        deliveries=services.deliveries.counters,
        fulfilment=fulfiller.counters,
        supervisor=supervisor,
    )
    app[COUNTERS] = Counters(
        ingest=lambda: dict(ingest.counters),
        replenishment=lambda: dict(fulfiller.counters) | dict(needs.counters),
    )

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
                        "since": _utc(r.since).isoformat(),
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

"""The aiohttp application: one factory, every resource opened and closed in cleanup_ctx."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from cloud.alerts.escalation import Escalator
from cloud.alerts.notify import channels as notify_channels
from cloud.api.access import AUTHENTICATOR, access_middleware
from cloud.api.errors import error_middleware
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
from cloud.config import CloudConfig
from cloud.decide import engine
from cloud.decide.cartridge_line import DAY, ForecastPolicy
from cloud.decide.replenish import ReplenishPolicy
from cloud.identity.users import Authenticator
from cloud.ingest.consumer import Ingest
from cloud.needs.keeper import NeedKeeper
from cloud.orders.catalog import Catalog
from cloud.orders.executor import Replenisher
from cloud.orders.fulfilment import FulfilmentProvider, SimulatedProvider
from cloud.privacy import retention
from cloud.store.changes import ChangeFeed
from cloud.store.db import close_database, open_database
from cloud.store.models import Device
from common.clock import Clock, SystemClock

log = logging.getLogger(__name__)
DASHBOARD = Path(__file__).parent / "static" / "dashboard.html"
INGEST = web.AppKey("ingest", Ingest)
REPLENISHER = web.AppKey("replenisher", Replenisher)


def _utc(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, tz=dt.UTC)


def replenish_policy(config: CloudConfig) -> ReplenishPolicy:
    """The engine's policy from the config file."""
    r = config.replenish
    return ReplenishPolicy(
        lead_time_s=r.lead_time_days * DAY,
        safety_s=r.safety_days * DAY,
        forecast=ForecastPolicy(
            min_points=r.min_points,
            min_span_s=r.min_span_hours * 3600,
            stale_after_s=r.stale_after_hours * 3600,
        ),
    )


def engine_policy(config: CloudConfig) -> engine.Policy:
    """The decision engine's policy from the config file."""
    r = config.replenish
    return engine.Policy(
        service_z=r.service_z,
        stale_after_s=r.stale_after_hours * 3600,
        reminder_period_s=r.reminder_period_hours * 3600,
        cancel_window_s=r.cancel_window_s,
    )


async def sweep(
    config: CloudConfig, replenisher: Replenisher, needs: NeedKeeper, clock: Clock
) -> None:
    """Periodically re-evaluate every device and need (data goes stale) and track orders."""
    retained = [0.0]  # when retention last ran
    while True:
        await clock.sleep(config.replenish.sweep_s)
        try:
            for device_id in await Device.filter(revoked=False).values_list("id", flat=True):
                await replenisher.evaluate_device(str(device_id))
            await needs.sweep()
            await replenisher.track_orders()
            if clock.now() - retained[0] >= config.retention.sweep_s:
                retained[0] = clock.now()
                await retention.enforce(now=_utc(clock.now()), raw_days=config.retention.raw_days)
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
    clock = clock or SystemClock()
    provider = provider or SimulatedProvider(
        clock=clock,
        ship_after_s=config.fulfilment.ship_after_s,
        deliver_after_s=config.fulfilment.deliver_after_s,
    )
    feed = ChangeFeed()
    catalog = catalog or Catalog.load()
    replenisher = Replenisher(
        catalog=catalog,
        policy=replenish_policy(config),
        provider=provider,
        clock=clock,
        feed=feed,
    )
    channels = notify_channels(config.notify)
    escalator = Escalator(
        channels=channels,
        clock=clock,
        feed=feed,
        tick_s=config.notify.escalation_tick_s,
    )
    needs = NeedKeeper(
        catalog=catalog,
        policy=engine_policy(config),
        replenisher=replenisher,
        clock=clock,
        feed=feed,
        channels=channels,
        printer_lead_hours=config.replenish.lead_time_days * 24,
    )
    ingest = Ingest(
        settings=config.broker,
        clock=clock,
        replenisher=replenisher,
        feed=feed,
        rng=rng,
        escalator=escalator,
        needs=needs,
    )
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
    app[AUTHENTICATOR] = Authenticator(clock=clock, session_s=config.http.session_hours * 3600)
    app[FEED] = feed
    app[INGEST] = ingest
    app[REPLENISHER] = replenisher
    app[NEEDS] = needs
    app[CATALOG] = catalog
    app[PROVISIONING] = Provisioning(clock=clock, broker=config.broker)
    app[COUNTERS] = Counters(
        ingest=lambda: dict(ingest.counters),
        replenishment=lambda: dict(replenisher.counters) | dict(needs.counters),
    )

    async def resources(_app: web.Application) -> AsyncIterator[None]:
        await open_database(config.database_url)
        tasks = [
            asyncio.create_task(ingest.run(), name="mqtt-ingest"),
            asyncio.create_task(sweep(config, replenisher, needs, clock), name="sweep"),
            asyncio.create_task(escalator.run(), name="escalation"),
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
        return web.FileResponse(DASHBOARD)

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "broker_connected": ingest.connected.is_set()})

    app.cleanup_ctx.append(resources)
    app.router.add_get("/", dashboard)
    app.router.add_get("/healthz", health)
    add_routes(app)
    return app

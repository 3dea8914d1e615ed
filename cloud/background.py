"""The table of one worker's background units, run by its one supervisor.

Every piece of background work is a row here, so nothing runs unsupervised: ingest's lanes
and writers, liveness and decisions, the escalation, the delivery engine, the site watchdog,
and the periodic shared work that used to be one sweep: deciding needs, tracking orders,
retention, the gap audit and offline marking are separate units, so one's error never skips
another's work. Shared periodic work is claimed per period (`cloud.store.claims`): one
worker does it; every worker refreshes its own in-memory priors.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

from cloud.config import CloudConfig
from cloud.ingest.record import audit_gaps
from cloud.privacy import retention
from cloud.services import Services
from cloud.store.claims import Periods
from cloud.store.db import dialect
from cloud.store.models import Device
from cloud.supervisor import Supervisor, Unit, UnitSpec
from common.clock import Clock, utc

ROUND_STUCK_S = 600.0  # a shared round running longer makes the worker not live


class Claims:
    """One `Periods` per kind of shared work, closed together when the worker stops."""

    def __init__(self, database_url: str, clock: Clock) -> None:
        """Claims on the database at `database_url`."""
        self._url = database_url
        self._clock = clock
        self._periods: list[Periods] = []

    def shared(
        self,
        name: str,
        every_s: float,
        work: Callable[[], Awaitable[object]],
        otherwise: Callable[[], Awaitable[object]] | None = None,
    ) -> UnitSpec:
        """A periodic unit whose work one worker does per period (`otherwise` on the rest)."""
        periods = Periods(self._url, name)
        self._periods.append(periods)

        async def run(unit: Unit) -> None:
            del unit
            if await periods.claim(math.floor(self._clock.now() / every_s)):
                await work()
            elif otherwise is not None:
                await otherwise()

        return UnitSpec(
            name=name,
            run=run,
            every_s=every_s,
            align=True,
            stuck_after_s=max(ROUND_STUCK_S, 10 * every_s),
        )

    async def close(self) -> None:
        """Give up every claim held."""
        for periods in self._periods:
            await periods.close()


INGEST_UNITS = (
    "ingest-urgent",
    "ingest-bulk",
    "ingest-urgent-writer",
    "ingest-bulk-writer",
    "liveness",
)


def units(
    config: CloudConfig, services: Services, claims: Claims, supervisor: Supervisor
) -> list[UnitSpec]:
    """Every background unit of one worker."""
    clock = services.clock
    sweep_s = config.replenish.sweep_s
    needs, ingest = services.needs, services.ingest
    tick = config.notify.escalation_tick_s

    async def offline() -> None:
        stale = utc(clock.now() - config.broker.offline_after_s)
        await Device.filter(online=True, last_seen__lt=stale).update(online=False)

    async def retain() -> None:
        await retention.enforce(now=utc(clock.now()), raw_days=config.retention.raw_days)

    async def gaps() -> None:
        await audit_gaps(since=utc(clock.now() - 3600))

    async def watch() -> None:
        await services.watchdog.round(listening_since=supervisor.ok_since(INGEST_UNITS))

    table = [
        *ingest.units(),
        UnitSpec(
            name="escalation",
            run=services.escalator.round,
            every_s=tick,
            wake=services.escalator.wake_event,
            stuck_after_s=60.0,
        ),
        UnitSpec(
            name="deliveries",
            run=services.deliveries.round,
            every_s=1.0,
            wake=services.deliveries.wake,
            stuck_after_s=60.0,
        ),
        claims.shared("needs-sweep", sweep_s, needs.sweeper.sweep, needs.sweeper.refresh),
        claims.shared("orders", sweep_s, services.fulfiller.track_orders),
        claims.shared("gap-audit", sweep_s, gaps),
        claims.shared("offline", sweep_s, offline),
        claims.shared("retention", config.retention.sweep_s, retain),
        claims.shared("site-watchdog", config.alerts.watchdog_s, watch),
    ]
    if dialect(config.database_url) == "postgres":  # other workers' changes, for dashboards
        table.append(UnitSpec(name="change-feed", run=_listen(services), ready=False))
    return table


def _listen(services: Services) -> Callable[[Unit], Awaitable[None]]:
    async def run(unit: Unit) -> None:
        del unit
        await services.feed.listen()

    return run

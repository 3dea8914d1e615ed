"""The one time-driven loop body: what time alone changes for every need."""

from __future__ import annotations

import logging
from collections import Counter

from cloud.needs.apply import Executor
from cloud.needs.doses import Doses
from cloud.needs.held import HeldOrders
from cloud.needs.observe import Observer
from cloud.needs.population import Priors
from cloud.store.models import Need
from common.errors import ContinuoError

log = logging.getLogger(__name__)


class Sweeper:
    """Releases held orders, refreshes priors, then learns, decides and checks doses per need."""

    def __init__(
        self,
        *,
        held: HeldOrders,
        priors: Priors,
        observer: Observer,
        executor: Executor,
        doses: Doses,
        counters: Counter[str],
    ) -> None:
        self._held = held
        self._priors = priors
        self._observer = observer
        self._executor = executor
        self._doses = doses
        self._counters = counters

    async def refresh(self) -> None:
        """Refresh what this worker holds in memory (the population's priors)."""
        await self._priors.refresh()

    async def sweep(self) -> None:
        """Time-driven work: release held orders, learn what became final, decide, check doses.

        Shared work, done by the one worker that claimed the period (it refreshes first;
        the other workers only `refresh`).
        """
        await self._held.release()
        await self.refresh()
        for need in await Need.all():
            try:
                await self._observer.learn(need)  # readings that became final (a scale's lifts)
                await self._executor.evaluate(need)
                await self._doses.check(need)
            except (ContinuoError, ValueError):
                self._counters["sweep_errors"] += 1
                log.exception("deciding need %s failed", need.id)

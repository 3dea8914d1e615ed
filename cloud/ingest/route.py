"""Routing: what a stored message may change, once it has committed.

Readings change needs, and a need is decided from everything stored so far, so decisions
are coalesced per (device, sensor): the readings that arrive while earlier decisions run
(and for `debounce_s` more, when set) are decided once, off the hot path. A backlog of
2,000 printer readings is decided a few times, not 2,000 times. Alerts, false alarms and
reorder presses act at once: a person is waiting on each. Nothing is sent from here: an
alert wakes the escalation, whose notices leave through the delivery engine's own workers,
so no household's receiver can hold this lane.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Iterable

import asyncpg
from tortoise.exceptions import BaseORMException

from cloud.alerts.escalation import Escalator
from cloud.ingest.admit import Admitted
from cloud.needs.pieces import Needs
from cloud.store.models import Need
from common.clock import Clock
from common.messages import Alert, Event, PrinterReading, ScaleReading, Telemetry

log = logging.getLogger(__name__)


class Router:
    """Hands stored messages to the needs layer and the alert ladder."""

    def __init__(
        self,
        *,
        clock: Clock,
        counters: Counter[str],
        needs: Needs | None = None,
        escalator: Escalator | None = None,
        debounce_s: float = 0.0,
    ) -> None:
        """`debounce_s`: how long new readings gather before their needs are decided.

        0 (the default) decides as soon as the router is free: under load readings gather
        while it works, and a lone reading is decided at once.
        """
        self._clock = clock
        self._counters = counters
        self._needs = needs
        self._escalator = escalator
        self._debounce_s = debounce_s
        self._pending: dict[tuple[str, str], bool] = {}  # (device, sensor) -> a printer's
        self._wake = asyncio.Event()

    @property
    def pending(self) -> int:
        """Sensors whose needs wait to be decided."""
        return len(self._pending)

    async def stored(self, new: Iterable[Admitted]) -> None:
        """Act on a batch's newly stored messages: urgent ones now, readings debounced."""
        kick = False
        for item in new:
            message, device_id = item.message, item.sender.device_id
            if isinstance(message, Telemetry):
                if self._needs is not None and isinstance(
                    message.reading, PrinterReading | ScaleReading
                ):
                    key = (device_id, message.sensor)
                    printer = isinstance(message.reading, PrinterReading)
                    self._pending[key] = self._pending.get(key, False) or printer
                    self._wake.set()
            elif isinstance(message, Alert):
                kick = True
            elif isinstance(message, Event):
                await self._event(device_id, message, item.at)
        if kick and self._escalator is not None:
            self._escalator.wake()  # its unit queues the first notice now; nothing sent here

    async def _event(self, device_id: str, event: Event, at: float) -> None:
        if self._escalator is not None:
            await self._guard("event", self._escalator.on_event(device_id, event))
        if self._needs is not None and event.name.startswith("press."):
            when = min(at, self._clock.now())
            await self._guard("press", self._needs.requests.press(device_id, event.sensor, when))

    async def settle(self) -> None:
        """Decide every pending need now (one query finds which sensors have needs)."""
        pending, self._pending = self._pending, {}
        self._wake.clear()
        needs = self._needs
        if needs is None or not pending:
            return
        for device_id in sorted({d for (d, _), printer in pending.items() if printer}):
            await self._guard("decide", needs.printers.ensure(device_id))  # a new supply's
        read = await self._guard_value(
            Need.filter(device_id__in={d for d, _ in pending}, sensor__isnull=False).values_list(
                "device_id", "sensor"
            )
        )
        for device_id, sensor in sorted({(str(d), str(s)) for d, s in read or []} & set(pending)):
            if await self._guard("decide", needs.observer.observe(device_id, sensor)):
                self._counters["decided"] += 1

    async def run(self) -> None:
        """Decide pending needs as readings arrive, a debounce interval at a time."""
        while True:
            await self._wake.wait()
            await self._clock.sleep(self._debounce_s)
            await self.settle()

    async def _guard_value(
        self, work: Awaitable[list[tuple[object, object]]]
    ) -> list[tuple[object, object]] | None:
        try:
            return await work
        except (BaseORMException, OSError, asyncpg.PostgresError):
            self._counters["decide_failed"] += 1
            log.exception("could not find the needs of new readings")
            return None

    async def _guard(self, what: str, work: Awaitable[object]) -> bool:
        """Run one unit of routing; a failure is counted and logged, never raised.

        The message is stored and acknowledged already: the sweep decides its need again.
        """
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            self._counters[f"{what}_failed"] += 1
            log.exception("%s after a stored message failed", what)
            return False
        return True

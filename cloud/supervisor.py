"""One supervisor for every background unit of a backend worker.

Each unit is a row of a table (`UnitSpec`): a long-lived loop (an ingest lane, the delivery
dispatcher) or a round of periodic work (order tracking, retention, the site watchdog). The
supervisor runs each unit in its own task and keeps it running: a unit that raises is
logged, counted and restarted after a capped, jittered backoff (Erlang's one-for-one
supervisor), and one unit's error never skips another's work (Home Assistant's coordinator
raising `UpdateFailed` per unit). A unit that handles its own errors (a lane that keeps a
batch it could not store) says so through its `Unit` handle (`failed`, `ok`), so health
tells the truth either way.

Health has two questions (Kubernetes' probes): *ready* (every unit works and keeps up:
false while a dependency is down, and restarting the process would not help) and *live*
(the supervisor itself runs and no unit is stuck inside one round: what a process restart
fixes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from common.clock import Backoff, Clock

log = logging.getLogger(__name__)
BEHIND_MARGIN_S = 30.0  # a periodic unit with no round done in 3 periods and this: behind
RECOVERED_AFTER_S = 10.0  # a restarted unit that has run this long without failing is OK


class UnitState(StrEnum):
    """Where a unit is."""

    WAITING = "waiting"  # for a dependency it cannot work without (a lane, the broker)
    OK = "ok"
    FAILING = "failing"  # its last round raised or it reported a failure
    BEHIND = "behind"  # works, but has not caught up (a backlog, no progress for too long)


class Unit:
    """A running unit's handle: what it reports, and what the supervisor knows of it."""

    def __init__(self, name: str, clock: Clock, backoff: Backoff | None = None) -> None:
        """A new unit, starting now; `backoff` spaces its restarts."""
        self.name = name
        self._clock = clock
        self.state = UnitState.OK  # until it says otherwise
        self.since = clock.now()  # when the state began (wall time)
        self.last_ok = clock.monotonic()  # of the last progress (the start, at first)
        self.round_started: float | None = None  # monotonic start of the round running now
        self.error = ""
        self.failures = 0
        self.restarts = 0
        self.rounds = 0  # rounds done (periodic), or progress reported (long-lived)
        self.backoff = backoff or Backoff()

    def ok(self) -> None:
        """Progress: a round done, a batch stored."""
        self.rounds += 1
        self.last_ok = self._clock.monotonic()
        if self.state is not UnitState.OK:
            self._move(UnitState.OK)
            self.error = ""
        self.backoff.reset()

    def waiting(self, why: str) -> None:
        """Not working yet, for a reason that is not a failure (connecting, say)."""
        self.error = why[:300]
        if self.state is not UnitState.WAITING:
            self._move(UnitState.WAITING)

    def failed(self, error: BaseException | str) -> None:
        """A failure the unit survived (or the supervisor caught): failing since the first."""
        self.failures += 1
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.error = text[:300]
        if self.state is not UnitState.FAILING:
            self._move(UnitState.FAILING)

    def _move(self, state: UnitState) -> None:
        self.state = state
        self.since = self._clock.now()


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitSpec:
    """One unit of background work, as a row of the supervisor's table.

    Attributes:
        name: Unique; what health and metrics call it.
        run: The unit's work. Long-lived (`every_s` None): runs forever, given its handle.
            Periodic: one round, called every `every_s`.
        every_s: The period of a periodic unit (rounds start on wall-clock multiples of it
            when `align`, so every worker asks for the same period).
        wake: Set to start a periodic unit's next round at once (new work has come).
        stuck_after_s: A round running longer is stuck: the worker is no longer live, so an
            orchestrator restarts it. Rounds are never cancelled from here: a round cancelled
            inside tortoise's own transactions (get_or_create, a BEGIN) could keep the
            database's lock for ever; database calls carry their own timeouts.
        behind_after_s: A periodic unit that made no progress for this long (default three
            periods and `BEHIND_MARGIN_S`), or a unit whose `lag` exceeds it, is BEHIND.
        lag: Seconds the unit is behind its work now (a lane's oldest waiting message).
        ready: Whether this unit counts for readiness.
    """

    name: str
    run: Callable[[Unit], Awaitable[None]]
    every_s: float | None = None
    align: bool = False
    wake: asyncio.Event | None = None
    stuck_after_s: float | None = None
    behind_after_s: float | None = None
    lag: Callable[[], float] | None = None
    ready: bool = True


@dataclass(frozen=True, slots=True)
class UnitReport:
    """How one unit stands, as `/healthz` shows it."""

    name: str
    state: UnitState
    since: float
    error: str
    failures: int
    restarts: int
    lag_s: float | None = None


@dataclass(slots=True)
class _Running:
    spec: UnitSpec
    unit: Unit
    task: asyncio.Task[None] | None = None


class Supervisor:
    """Runs a table of units, restarts what fails, and reports how each stands."""

    def __init__(
        self,
        *,
        clock: Clock,
        rng: random.Random | None = None,
        base_s: float = 0.5,
        cap_s: float = 30.0,
    ) -> None:
        """Restart a failed unit after base_s, doubling up to cap_s, with full jitter."""
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not security)
        self._base = base_s
        self._cap = cap_s
        self._units: dict[str, _Running] = {}
        self.started = False

    def add(self, spec: UnitSpec) -> Unit:
        """Add a unit to the table (before or after `start`)."""
        if spec.name in self._units:
            msg = f"unit {spec.name!r} is in the table already"
            raise ValueError(msg)
        unit = Unit(
            spec.name, self._clock, Backoff(base_s=self._base, cap_s=self._cap, rng=self._rng)
        )
        running = _Running(spec, unit)
        self._units[spec.name] = running
        if self.started:
            self._spawn(running)
        return unit

    def unit(self, name: str) -> Unit:
        """A unit's handle by name."""
        return self._units[name].unit

    def start(self) -> None:
        """Start every unit in its own task."""
        self.started = True
        for running in self._units.values():
            self._spawn(running)

    def _spawn(self, running: _Running) -> None:
        running.task = asyncio.create_task(self._keep(running), name=f"unit-{running.spec.name}")

    async def stop(self) -> None:
        """Cancel every unit and wait for each to end."""
        tasks = [r.task for r in self._units.values() if r.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.started = False

    async def _keep(self, running: _Running) -> None:
        """Run a unit forever: restarted after a failure, never given up on."""
        spec, unit = running.spec, running.unit
        while True:
            try:
                if spec.every_s is None:
                    await self._long_lived(running)
                else:
                    await self._periodic(running)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the one place a unit's unexpected failure is caught
                unit.failed(exc)
                unit.restarts += 1
                delay = unit.backoff.next_delay()
                log.exception("unit %s failed; restarting it in %.1f s", spec.name, delay)
                await self._clock.sleep(delay)

    async def _long_lived(self, running: _Running) -> None:
        """Run a long-lived unit until it fails.

        Once it has run `RECOVERED_AFTER_S` after a restart without a failure of its own, it
        is OK again: not every unit reports its own progress.
        """
        spec, unit = running.spec, running.unit
        failures = unit.failures
        task = asyncio.ensure_future(spec.run(unit))
        try:
            if unit.state is UnitState.FAILING and unit.restarts:
                recovered = asyncio.ensure_future(self._clock.sleep(RECOVERED_AFTER_S))
                try:
                    await asyncio.wait({task, recovered}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    recovered.cancel()
                if (
                    not task.done()
                    and unit.failures == failures
                    and unit.state is UnitState.FAILING  # not waiting on a dependency
                ):
                    unit.ok()
            await task
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        msg = "returned"  # a long-lived unit must not end
        raise RuntimeError(msg)

    async def _periodic(self, running: _Running) -> None:
        spec, unit = running.spec, running.unit
        every = spec.every_s
        assert every is not None  # noqa: S101
        while True:
            await self._pause(spec, every)
            while True:
                unit.round_started = self._clock.monotonic()
                try:
                    await spec.run(unit)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # one round failed: retry soon, never skip others
                    unit.failed(exc)
                    delay = min(unit.backoff.next_delay(), every)
                    log.exception("unit %s: a round failed; again in %.1f s", spec.name, delay)
                    await self._clock.sleep(delay)
                    continue
                finally:
                    unit.round_started = None
                unit.ok()
                break

    async def _pause(self, spec: UnitSpec, every: float) -> None:
        """Until the next round: its period, or sooner when woken."""
        delay = every - self._clock.now() % every if spec.align else every
        if spec.wake is None:
            await self._clock.sleep(delay)
            return
        if spec.wake.is_set():
            await asyncio.sleep(0)
            return
        waits = {
            asyncio.ensure_future(self._clock.sleep(delay)),
            asyncio.ensure_future(spec.wake.wait()),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    def reports(self) -> list[UnitReport]:
        """Every unit's state now (a lagging or silent unit shows as BEHIND)."""
        now = self._clock.monotonic()
        out: list[UnitReport] = []
        for running in self._units.values():
            spec, unit = running.spec, running.unit
            state = unit.state
            lag = spec.lag() if spec.lag is not None else None
            limit = spec.behind_after_s
            if limit is None and spec.every_s is not None:
                limit = 3 * spec.every_s + BEHIND_MARGIN_S
            if state is UnitState.OK and limit is not None:
                silent = spec.every_s is not None and now - unit.last_ok > limit
                if silent or (lag is not None and lag > limit):
                    state = UnitState.BEHIND
            out.append(
                UnitReport(
                    spec.name,
                    state,
                    unit.since,
                    unit.error,
                    unit.failures,
                    unit.restarts,
                    None if lag is None else round(lag, 3),
                )
            )
        return out

    def ready(self) -> tuple[bool, list[UnitReport]]:
        """Whether every unit that counts is OK, and the ones that are not."""
        bad = [
            r
            for r in self.reports()
            if r.state is not UnitState.OK and self._units[r.name].spec.ready
        ]
        return not bad, bad

    def ok_since(self, names: tuple[str, ...]) -> float | None:
        """Since when (wall time) every named unit has been OK; None if one is not OK now."""
        reports = {r.name: r for r in self.reports()}
        chosen = [reports[n] for n in names if n in reports]
        if not chosen or any(r.state is not UnitState.OK for r in chosen):
            return None
        return max(r.since for r in chosen)

    def live(self) -> tuple[bool, list[str]]:
        """Whether the supervisor runs and no round is stuck (past its `stuck_after_s`)."""
        now = self._clock.monotonic()
        stuck: list[str] = []
        for running in self._units.values():
            if running.task is None or running.task.done():
                stuck.append(f"{running.spec.name}: not running")
                continue
            started, limit = running.unit.round_started, running.spec.stuck_after_s
            if started is not None and limit is not None and now - started > limit:
                stuck.append(f"{running.spec.name}: one round for {now - started:.0f} s")
        return self.started and not stuck, stuck

    def collect(self) -> Iterator[Metric]:
        """Prometheus: each unit's failures, restarts and whether it is up."""
        failures = CounterMetricFamily(
            "continuo_unit_failures", "Failures of a background unit", labels=["unit"]
        )
        restarts = CounterMetricFamily(
            "continuo_unit_restarts", "Restarts of a background unit", labels=["unit"]
        )
        up = GaugeMetricFamily(
            "continuo_unit_up", "1 if a background unit works and keeps up", labels=["unit"]
        )
        for report in self.reports():
            failures.add_metric([report.name], report.failures)
            restarts.add_metric([report.name], report.restarts)
            up.add_metric([report.name], 1.0 if report.state is UnitState.OK else 0.0)
        yield failures
        yield restarts
        yield up

"""The one supervisor: a failing unit is restarted with backoff and counted, the rest work on."""

from __future__ import annotations

import asyncio
import itertools
import random

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.registry import Collector

from cloud.supervisor import Supervisor, Unit, UnitSpec, UnitState
from common.clock import FakeClock


async def run_for(clock: FakeClock, seconds: float, step: float = 0.1) -> None:
    """Move fake time on in small steps, letting every task run between them."""
    for _ in range(round(seconds / step)):
        clock.advance(step)
        for _ in range(5):
            await asyncio.sleep(0)


class _Metrics(Collector):
    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor

    def collect(self):
        yield from self.supervisor.collect()


async def test_a_unit_that_always_raises_is_restarted_with_backoff_while_the_others_work() -> None:
    clock = FakeClock()
    supervisor = Supervisor(clock=clock, rng=random.Random(1), base_s=0.5, cap_s=8.0)
    starts: list[float] = []
    rounds: list[float] = []

    async def broken(unit: Unit) -> None:
        del unit
        starts.append(clock.monotonic())
        raise RuntimeError("the database is gone")

    async def sweep(unit: Unit) -> None:
        del unit
        rounds.append(clock.monotonic())

    supervisor.add(UnitSpec(name="broken", run=broken))
    supervisor.add(UnitSpec(name="sweep", run=sweep, every_s=1.0))
    supervisor.start()
    try:
        await run_for(clock, 60)
    finally:
        await supervisor.stop()

    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(starts) >= 6
    assert gaps[3] > gaps[0]  # the restarts back off
    assert max(gaps) <= 8.0 + 0.2  # up to the cap, never given up
    assert len(rounds) >= 55  # the other unit kept its period throughout
    report = {r.name: r for r in supervisor.reports()}
    assert report["broken"].state is UnitState.FAILING
    assert report["broken"].restarts == len(starts)
    assert "RuntimeError: the database is gone" in report["broken"].error
    assert report["sweep"].state is UnitState.OK
    ready, bad = supervisor.ready()
    assert not ready
    assert [r.name for r in bad] == ["broken"]
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Metrics(supervisor))
    text = generate_latest(registry).decode()
    assert f'continuo_unit_restarts_total{{unit="broken"}} {float(len(starts))}' in text
    assert 'continuo_unit_up{unit="sweep"} 1.0' in text
    assert 'continuo_unit_up{unit="broken"} 0.0' in text


async def test_a_round_that_fails_is_retried_before_its_next_period_and_recovers() -> None:
    clock = FakeClock()
    supervisor = Supervisor(clock=clock, rng=random.Random(2), base_s=0.5, cap_s=30.0)
    outcomes = iter([RuntimeError("once"), RuntimeError("twice"), None, None, None])
    done: list[float] = []

    async def hourly(unit: Unit) -> None:
        del unit
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome
        done.append(clock.monotonic())

    supervisor.add(UnitSpec(name="retention", run=hourly, every_s=3600.0))
    supervisor.start()
    try:
        await run_for(clock, 3600 + 5, step=0.5)
        assert done, "the failed round was not retried within seconds"
        assert done[0] < 3600 + 5
        (report,) = supervisor.reports()
        assert (report.state, report.failures, report.restarts) == (UnitState.OK, 2, 0)
    finally:
        await supervisor.stop()


async def test_a_unit_that_reports_failure_itself_and_one_behind_are_not_ready() -> None:
    clock = FakeClock()
    supervisor = Supervisor(clock=clock)
    backlog = [0.0]
    handles: dict[str, Unit] = {}

    async def writer(unit: Unit) -> None:
        handles["writer"] = unit
        await asyncio.Event().wait()

    supervisor.add(UnitSpec(name="writer", run=writer, lag=lambda: backlog[0], behind_after_s=30.0))
    supervisor.start()
    try:
        await run_for(clock, 1)
        assert supervisor.ready()[0]
        backlog[0] = 45.0
        (report,) = supervisor.reports()
        assert (report.state, report.lag_s) == (UnitState.BEHIND, 45.0)
        backlog[0] = 0.0
        handles["writer"].failed("could not store 3 of 3 messages; not acknowledged")
        ready, (bad,) = supervisor.ready()
        assert not ready
        assert (bad.state, bad.error) == (
            UnitState.FAILING,
            "could not store 3 of 3 messages; not acknowledged",
        )
        handles["writer"].ok()
        assert supervisor.ready() == (True, [])
        assert supervisor.live() == (True, [])
    finally:
        await supervisor.stop()


async def test_a_round_that_hangs_is_not_cancelled_but_makes_the_worker_not_live() -> None:
    clock = FakeClock()
    supervisor = Supervisor(clock=clock)
    hang = asyncio.Event()

    async def stuck(unit: Unit) -> None:
        del unit
        await hang.wait()  # a query that never returns

    supervisor.add(UnitSpec(name="orders", run=stuck, every_s=1.0, stuck_after_s=60.0))
    supervisor.start()
    try:
        await run_for(clock, 30)
        assert supervisor.live() == (True, [])
        await run_for(clock, 40)
        live, stuck_units = supervisor.live()
        assert not live
        assert stuck_units == ["orders: one round for 69 s"]
        (report,) = supervisor.reports()
        assert report.state is UnitState.BEHIND  # and not ready either
        hang.set()  # it was never cancelled: it ends on its own, and the unit works again
        await run_for(clock, 2)
        assert supervisor.live() == (True, [])
        assert supervisor.ready()[0]
    finally:
        await supervisor.stop()

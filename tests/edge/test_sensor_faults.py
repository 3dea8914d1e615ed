"""Sensor loops turn implausible signals into fault events, seen in the agent's real outbox."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any

import pytest

from common.clock import FakeClock
from common.messages import Event, ScaleReading, Telemetry, WearableReading, decode_uplink
from edge.agent import Agent
from edge.config import AgentConfig, MqttSettings
from edge.sensors import load_cell_loop, wearable_loop
from firmware_sim.gpio import SimHX711, SimPins
from firmware_sim.wearable import SimWearable
from hardware.hx711 import HX711, Calibration
from hardware.wearable import Wearable


@pytest.fixture
def agent(tmp_path: Path) -> Agent:
    config = AgentConfig(
        site="home-1",
        device_id="pi-1",
        state_dir=str(tmp_path),
        mqtt=MqttSettings(port=9, username="pi-1", password="x"),
    )
    return Agent(config, clock=FakeClock(), rng=random.Random(0))


def queued(agent: Agent) -> list[Telemetry | Event]:
    items = agent.outbox.pending(window=100_000, now=0.0, resend_after_s=1)
    return [
        m for m in (decode_uplink(p.payload) for p in items) if isinstance(m, Telemetry | Event)
    ]


@contextlib.asynccontextmanager
async def running(coro: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    task = asyncio.create_task(coro)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def advance(clock: FakeClock, seconds: float, step: float = 0.01) -> None:
    for _ in range(int(seconds / step)):
        clock.advance(step)
        await asyncio.sleep(0)


async def test_a_frozen_load_cell_is_reported_stuck_once(agent: Agent) -> None:
    clock = FakeClock()
    sim = SimHX711(
        dout=5, sck=6, clock=clock, rng=random.Random(1), grams=lambda: 700.0, noise_counts=0.0
    )  # frozen: no noise at all
    cell = HX711(
        pins=SimPins(sim), dout=5, sck=6, clock=clock, calibration=Calibration(84_000, 420.0)
    )
    async with running(
        load_cell_loop("petfood", cell, poll_s=5, stuck_after_s=60, clock=clock, reporter=agent)
    ):
        await advance(clock, 90)
    messages = queued(agent)
    faults = [m for m in messages if isinstance(m, Event) and m.name == "fault"]
    assert len(faults) == 1
    assert "stuck" in faults[0].detail
    readings = [m.reading for m in messages if isinstance(m, Telemetry)]
    assert all(isinstance(r, ScaleReading) and r.grams == 700.0 for r in readings)
    assert agent.status().sensors[0].ok is False


async def test_a_silent_wearable_and_a_saturated_accelerometer_are_faults(agent: Agent) -> None:
    clock = FakeClock()
    saturated = SimWearable(
        address="C0:FF:EE:00:00:01",
        clock=clock,
        motion=itertools.repeat((16.0, -16.0, 16.0)),
        samples_per_frame=10,
    )
    wearable = Wearable(
        address=saturated.address, clock=clock, connect=saturated.connect_as_central
    )
    async with running(
        wearable_loop(
            "wearable", wearable, silence_s=3.0, report_s=1.0, clock=clock, reporter=agent
        )
    ):
        await advance(clock, 6)
        saturated.connected = False  # it stops sending without saying goodbye
        await advance(clock, 5)
    events = [m for m in queued(agent) if isinstance(m, Event)]
    details = [e.detail for e in events if e.name == "fault"]
    assert any("saturated" in d for d in details), details
    assert any("no data for 3 s" in d for d in details), details
    link = [m.reading for m in queued(agent) if isinstance(m, Telemetry)]
    assert any(isinstance(r, WearableReading) and r.connected and r.battery_pct == 87 for r in link)

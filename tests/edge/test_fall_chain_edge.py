"""On the edge: a detected fall sounds an alarm, can be cancelled, else becomes an alert."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.clock import FakeClock
from common.messages import Alert, Event, decode_uplink
from edge.agent import Agent
from edge.config import AgentConfig, ButtonSettings, MqttSettings, WearableSettings
from edge.sensors import wearable_loop
from firmware_sim.wearable import SimWearable, sisfall_motion
from hardware.wearable import Wearable


def agent_with_wearable(tmp_path: Path, clock: FakeClock, **wearable: object) -> Agent:
    settings = {"cancel_s": 30, "silence_s": 20, **wearable}
    config = AgentConfig(
        site="home-1",
        device_id="pi-1",
        state_dir=str(tmp_path),
        mqtt=MqttSettings(port=9, username="pi-1", password="x"),
        wearables=[WearableSettings(address="C0:FF:EE:00:00:01", **settings)],  # type: ignore[arg-type]
        buttons=[ButtonSettings(name="reorder", pin=17)],
    )
    return Agent(config, clock=clock, rng=random.Random(0))


def outbox(agent: Agent) -> list[Alert | Event]:
    items = agent.outbox.pending(window=100_000, now=0.0, resend_after_s=1)
    return [m for m in (decode_uplink(p.payload) for p in items) if isinstance(m, Alert | Event)]


def motion(recording: Path) -> Iterator[tuple[float, float, float]]:
    samples = sisfall_motion(recording, 50)
    return itertools.chain(samples, itertools.cycle(samples[-50:]))  # lying on, still alive


async def run_for(
    agent: Agent,
    sim: SimWearable,
    clock: FakeClock,
    seconds: float,
    during: dict[float, object] | None = None,
) -> None:
    wearable = Wearable(address=sim.address, clock=clock, connect=sim.connect_as_central)
    settings = agent.config.wearables[0]
    task = asyncio.create_task(
        wearable_loop(
            settings.name,
            wearable,
            silence_s=settings.silence_s,
            report_s=min(60.0, settings.report_s),
            clock=clock,
            reporter=agent,
            monitor=agent.fall_monitors[settings.name],
            battery_low_pct=settings.battery_low_pct,
        )
    )
    try:
        elapsed = 0.0
        actions = dict(during or {})
        while elapsed < seconds:
            for at in [t for t in actions if t <= elapsed]:
                action = actions.pop(at)
                action()  # type: ignore[operator]
            clock.advance(0.02)
            elapsed += 0.02
            await asyncio.sleep(0)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_an_uncancelled_real_fall_becomes_an_alert_with_its_trace(
    tmp_path: Path, fall_recording: Path
) -> None:
    clock = FakeClock()
    agent = agent_with_wearable(tmp_path, clock)
    sim = SimWearable(address="C0:FF:EE:00:00:01", clock=clock, motion=motion(fall_recording))
    await run_for(agent, sim, clock, 25)
    messages = outbox(agent)
    assert [m.name for m in messages if isinstance(m, Event)] == ["fall.suspected"]
    assert not [m for m in messages if isinstance(m, Alert)]  # still inside the cancel window
    assert sim.alarm is True  # the wearable buzzes while the wearer can still cancel
    await run_for(agent, sim, clock, 25)
    assert sim.alarm is False
    (alert,) = [m for m in outbox(agent) if isinstance(m, Alert)]
    assert (alert.name, alert.severity.value, alert.rate_hz) == ("fall", "critical", 50)
    assert 200 <= len(alert.samples) <= 300  # about 4 s before and 2 s after the detection
    assert alert.impact_index is not None
    impact = alert.samples[alert.impact_index]
    peak = max(max(abs(v) for v in s) for s in alert.samples)
    assert max(abs(v) for v in impact) > 0.4 * peak  # the trace shows the impact where it says


@pytest.mark.parametrize("how", ["button", "im_ok"])
async def test_cancelling_within_the_window_sends_no_alert(
    tmp_path: Path, fall_recording: Path, how: str
) -> None:
    clock = FakeClock()
    agent = agent_with_wearable(tmp_path, clock)
    sim = SimWearable(address="C0:FF:EE:00:00:01", clock=clock, motion=motion(fall_recording))

    def cancel() -> None:
        if how == "button":
            agent.event("reorder", "press.short", "held 0.20 s")
        else:
            sim.im_ok_on_frame = sim._seq + 1

    await run_for(agent, sim, clock, 60, during={20.0: cancel})
    names = [m.name for m in outbox(agent)]
    assert sim.alarm is False
    assert "fall.suspected" in names
    assert "fall.cancelled" in names
    assert not [m for m in outbox(agent) if isinstance(m, Alert)]
    assert "press.short" not in names  # the press that cancelled the alarm orders nothing
    agent.event("reorder", "press.short", "held 0.20 s")  # no alarm now: a reorder press
    assert [m.name for m in outbox(agent)][-1] == "press.short"


async def test_silence_and_low_battery_raise_alerts(tmp_path: Path) -> None:
    clock = FakeClock()
    agent = agent_with_wearable(tmp_path, clock)
    rng = random.Random(1)
    alive = iter(lambda: (rng.gauss(0, 0.02), -1 + rng.gauss(0, 0.02), rng.gauss(0, 0.02)), None)
    sim = SimWearable(address="C0:FF:EE:00:00:01", clock=clock, motion=alive, battery_pct=12)

    def goes_quiet() -> None:
        sim.connected = False  # broken in a fall: no goodbye, just no more frames

    await run_for(agent, sim, clock, 30, during={3.0: goes_quiet})
    alerts = [(a.name, a.severity.value) for a in outbox(agent) if isinstance(a, Alert)]
    assert alerts == [("battery_low", "warning"), ("monitoring_lost", "critical")]


async def test_the_agent_says_when_the_wearable_is_not_worn_and_before_its_battery_dies(
    tmp_path: Path,
) -> None:
    """Both alarms on by the agent's config: a wearable left on a table, its battery draining."""
    clock = FakeClock()
    agent = agent_with_wearable(
        tmp_path, clock, not_worn_min=1.0, report_s=5.0, battery_warn_hours=1.0
    )
    rng = random.Random(2)
    still = iter(lambda: (rng.gauss(0, 0.002), -1 + rng.gauss(0, 0.002), 0.0), None)
    sim = SimWearable(address="C0:FF:EE:00:00:01", clock=clock, motion=still, battery_pct=40)

    def drain() -> None:
        sim.battery_pct -= 1  # 1 % every 5 s: empty in minutes, well inside the warning

    await run_for(agent, sim, clock, 70, during={5.0 * i + 2.5: drain for i in range(14)})
    alerts = [(a.name, a.severity.value) for a in outbox(agent) if isinstance(a, Alert)]
    assert ("battery_dying", "warning") in alerts
    assert ("not_worn", "warning") in alerts
    dying = next(a for a in outbox(agent) if isinstance(a, Alert) and a.name == "battery_dying")
    assert "empty in about" in dying.detail


async def test_the_not_worn_alarm_is_off_when_the_config_says_zero(tmp_path: Path) -> None:
    clock = FakeClock()
    agent = agent_with_wearable(tmp_path, clock, not_worn_min=0.0)
    rng = random.Random(3)
    still = iter(lambda: (rng.gauss(0, 0.002), -1 + rng.gauss(0, 0.002), 0.0), None)
    sim = SimWearable(address="C0:FF:EE:00:00:01", clock=clock, motion=still)
    await run_for(agent, sim, clock, 90)
    assert not [a for a in outbox(agent) if isinstance(a, Alert) and a.name == "not_worn"]

"""The wearer's "I'm OK" after help was called: one "fall.false_alarm" event from the edge,
and through the cloud a false-alarm notice to the rungs already told."""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from cloud.alerts.receivers import StepSpec, set_ladder
from cloud.config import BrokerSettings, CloudConfig
from cloud.delivery.channels import WebhookChannel
from cloud.identity.registry import add_device
from cloud.services import build_services
from cloud.store.models import Incident
from common import topics
from common.clock import FakeClock
from common.messages import Alert, Event, Severity, Uplink, decode_uplink, encode, kind_of
from edge.agent import Agent
from edge.config import AgentConfig, MqttSettings, WearableSettings
from edge.fall.monitor import FallMonitor
from firmware_sim.wearable import synthetic_motion
from hardware.wearable import AccelFrame, decode_frame
from tests.support.backend import CATALOG, Acks, notify
from tests.support.paths import FIXTURES

T0 = 1_800_000_000.0
# The wearable's own bytes for a press of "I'm OK" (a 200 Hz frame of one sample).
IM_OK = decode_frame((FIXTURES / "wearable_frame_im_ok.bin").read_bytes())


class Sink:
    """What a monitor reports, by name, in order."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def event(self, sensor: str, name: str, detail: str = "") -> None:
        del sensor, detail
        self.names.append(name)

    def alert(self, sensor: str, name: str, severity: Severity, detail: str, **_: Any) -> None:
        del sensor, severity, detail
        self.names.append(name)


def frames(seed: int = 3) -> Iterator[AccelFrame]:
    """A wearer at 50 Hz who falls once after about 20 s, then lies still on the side."""
    rng = random.Random(seed)
    lying = iter(lambda: (-1.0 + rng.gauss(0, 0.01), rng.gauss(0, 0.01), rng.gauss(0, 0.01)), None)
    falls = synthetic_motion(rng, 50, fall_every_s=20)
    motion = itertools.chain(itertools.islice(falls, 24 * 50), lying)  # impact at 20.9 s
    for seq in range(1_000_000):
        yield AccelFrame(seq, 50, 16, False, True, tuple(next(motion) for _ in range(10)))


def run_until(
    monitor: FallMonitor, clock: FakeClock, feed: Iterator[AccelFrame], done: list[str], name: str
) -> None:
    """Feed 0.2 s frames on the fake clock until `name` is reported (at most 5 minutes)."""
    for _ in range(1500):
        if name in done:
            return
        monitor.on_frame(next(feed))
        clock.advance(0.2)
        monitor.tick()
    pytest.fail(f"no {name} within 5 minutes")


def test_im_ok_after_help_was_called_says_false_alarm_once() -> None:
    clock, sink = FakeClock(T0), Sink()
    monitor = FallMonitor(sensor="wearable", clock=clock, sink=sink, cancel_s=30)
    run_until(monitor, clock, frames(), sink.names, "fall")
    monitor.on_frame(IM_OK)
    monitor.on_frame(IM_OK)  # the button held over two frames
    assert sink.names == ["fall.suspected", "fall", "fall.false_alarm"]
    assert not monitor.false_alarm("a second press")


def test_im_ok_inside_the_cancel_window_cancels_and_is_no_false_alarm() -> None:
    clock, sink = FakeClock(T0), Sink()
    monitor = FallMonitor(sensor="wearable", clock=clock, sink=sink, cancel_s=30)
    feed = frames()
    run_until(monitor, clock, feed, sink.names, "fall.suspected")
    monitor.on_frame(IM_OK)
    for _ in range(200):  # 40 s: past the window, nothing more happens
        monitor.on_frame(next(feed))
        clock.advance(0.2)
        monitor.tick()
    monitor.on_frame(IM_OK)
    assert sink.names == ["fall.suspected", "fall.cancelled"]


def test_im_ok_with_no_fall_says_nothing() -> None:
    sink = Sink()
    monitor = FallMonitor(sensor="wearable", clock=FakeClock(T0), sink=sink)
    monitor.on_frame(IM_OK)
    assert sink.names == []


def agent_with_wearable(tmp_path: Path, clock: FakeClock) -> Agent:
    config = AgentConfig(
        site="home-1",
        device_id="pi-1",
        state_dir=str(tmp_path),
        mqtt=MqttSettings(port=9, username="pi-1", password="x"),
        wearables=[WearableSettings(address="C0:FF:EE:00:00:01", cancel_s=30, silence_s=20)],
    )
    return Agent(config, clock=clock, rng=random.Random(0))


def queued(agent: Agent) -> list[Uplink]:
    """The agent's outbox, as the cloud will receive it, oldest first."""
    items = agent.outbox.pending(window=100_000, now=0.0, resend_after_s=1)
    return [decode_uplink(p.payload) for p in items]


@pytest.fixture
async def webhook() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A local webhook receiver: its URL and what it received."""
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((await request.json())["data"])
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received
    finally:
        await runner.cleanup()


async def test_from_the_wearables_im_ok_to_the_notice_of_everyone_told(
    db: str, tmp_path: Path, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    del db
    url, received = webhook
    clock = FakeClock(T0)
    agent = agent_with_wearable(tmp_path, clock)
    (monitor,) = agent.fall_monitors.values()
    feed = frames()
    while not any(isinstance(m, Alert) for m in queued(agent)):
        monitor.on_frame(next(feed))
        clock.advance(0.2)
        monitor.tick()
        assert clock.now() < T0 + 300, "no alert within 5 minutes"
    monitor.on_frame(IM_OK)

    await add_device(site="home-1", device_id="pi-1")
    await set_ladder(
        "home-1",
        [StepSpec(0, "webhook", url), StepSpec(600, "webhook", url + "?late")],
        trusted=True,
    )
    config = CloudConfig(database_url="sqlite://:memory:", broker=BrokerSettings(password="x"))
    services = build_services(
        config, clock=clock, catalog=CATALOG, channels={"webhook": WebhookChannel()}
    )
    messages = [m for m in queued(agent) if isinstance(m, Alert | Event)]
    assert [m.name for m in messages] == ["fall.suspected", "fall", "fall.false_alarm"]
    for message in messages:
        topic = topics.uplink("home-1", "pi-1", kind_of(message))
        await services.ingest.handle(topic, encode(message), Acks())
        await notify(services)

    assert [r["purpose"] for r in received] == ["alert", "false_alarm"]
    incident = await Incident.get()
    assert incident.state == "resolved"
    assert incident.resolved_by == f"false alarm: the wearer ({monitor.sensor})"
    clock.advance(900)
    await notify(services)
    assert len(received) == 2  # the second rung was never told, and is not now

"""The agent outlives its environment: a killed broker, a full disk, a slow cloud, a backlog.

Each test runs the real agent against a real Mosquitto on a loopback port, and a stand-in
cloud that stores what arrives and acknowledges it (after a delay, or not at all, as told).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import aiomqtt
import pytest

from common import topics
from common.clock import SystemClock
from common.messages import (
    DURABLE_KINDS,
    Alert,
    Command,
    DeliveryAck,
    PrinterReading,
    PrinterState,
    Severity,
    Status,
    Uplink,
    decode_uplink,
    encode,
    kind_of,
    new_id,
)
from continuo.stack import free_port
from edge.agent import Agent
from edge.config import AgentConfig, MqttSettings, OutboxSettings
from edge.link import Flow
from edge.outbox import Delivered, Pending

SITE, DEVICE = "home-1", "pi-1"


class Mosquitto:
    """A bare broker on a fixed loopback port, so it can be killed and started again."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.conf = workdir / "mosquitto.conf"
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        )
        self.log = workdir / "mosquitto.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [exe, "-c", str(self.conf)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "mosquitto did not start listening"
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    broker = Mosquitto(tmp_path)
    broker.start()
    yield broker
    broker.stop(signal.SIGKILL)


class Cloud:
    """Stores every durable message it receives and acknowledges it `ack_delay_s` later.

    It reconnects by itself when the broker comes back; `acking = False` holds the acks.
    """

    def __init__(self, port: int, *, ack_delay_s: float = 0.0) -> None:
        self.port = port
        self.ack_delay_s = ack_delay_s
        self.acking = True
        self.refused: set[int] = set()  # sequence numbers it fails to store, every time
        self.refusals = 0
        self.deliveries: list[Uplink] = []
        self._due: list[tuple[float, str]] = []  # (when to ack, message id)
        self._client: aiomqtt.Client | None = None

    @property
    def stored(self) -> dict[int, Uplink]:
        return {m.seq: m for m in self.deliveries}

    async def run(self) -> None:
        while True:
            try:
                async with aiomqtt.Client(
                    "127.0.0.1",
                    self.port,
                    identifier=f"cloud-{uuid.uuid4().hex[:8]}",
                    protocol=aiomqtt.ProtocolVersion.V5,
                ) as client:
                    await client.subscribe(topics.uplink_filter(), qos=1)
                    self._client = client
                    async with asyncio.TaskGroup() as group:
                        group.create_task(self._ack_loop(client))
                        await self._receive(client)
            except* aiomqtt.MqttError:
                self._client = None
            await asyncio.sleep(0.1)

    async def _receive(self, client: aiomqtt.Client) -> None:
        async for raw in client.messages:
            assert isinstance(raw.payload, bytes)
            message = decode_uplink(raw.payload)
            if message.seq in self.refused:
                self.refusals += 1
            elif kind_of(message) in DURABLE_KINDS:
                self.deliveries.append(message)
                self._due.append((time.monotonic() + self.ack_delay_s, message.id))

    async def _ack_loop(self, client: aiomqtt.Client) -> None:
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            if not self.acking or not self._due or self._due[0][0] > now:
                continue
            ids = [i for when, i in self._due if when <= now][:1000]
            self._due = self._due[len(ids) :]
            ack = DeliveryAck(id=new_id(), sent_at=time.time(), ids=ids)
            await client.publish(topics.downlink(SITE, DEVICE), encode(ack), qos=1)

    async def command(self, name: str) -> None:
        assert self._client is not None
        command = Command(id=new_id(), sent_at=time.time(), name=name)
        await self._client.publish(topics.downlink(SITE, DEVICE), encode(command), qos=1)


def agent_config(port: int, state_dir: Path, **outbox: float) -> AgentConfig:
    settings: dict[str, int | float] = {
        "window": 50,
        "resend_s": 0.5,
        "resend_min_s": 0.2,
        "resend_max_s": 5.0,
        **outbox,
    }
    return AgentConfig(
        site=SITE,
        device_id=DEVICE,
        state_dir=str(state_dir),
        mqtt=MqttSettings(port=port, username=DEVICE, password="unused", keepalive_s=5),
        outbox=OutboxSettings(**settings),  # type: ignore[arg-type]
        heartbeat_s=1.0,
        status_s=3600.0,
    )


@contextlib.asynccontextmanager
async def running(
    cloud: Cloud, config: AgentConfig, *, connected: bool = True
) -> AsyncIterator[tuple[Agent, asyncio.Task[None]]]:
    """The cloud and the agent, running; the agent's task is checked for a crash on exit."""
    agent = Agent(config, clock=SystemClock(), rng=random.Random(7))
    cloud_task = asyncio.create_task(cloud.run(), name="cloud")
    agent_task = asyncio.create_task(agent.run(), name="agent")
    try:
        if connected:
            await until(agent.link.connected.is_set, "the agent connected")
        yield agent, agent_task
        assert not agent_task.done(), "the agent stopped"
    finally:
        for task in (agent_task, cloud_task):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        agent.close()


async def until(condition: Callable[[], bool], what: str, timeout_s: float = 15.0) -> None:
    """Wait for `condition` to hold (polling), failing with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.02)


READING = PrinterReading(state=PrinterState.IDLE)


def every_seq_stored(agent: Agent, cloud: Cloud) -> bool:
    return set(cloud.stored) == set(range(1, agent.outbox.high_water() + 1))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill", "term"])
async def test_agent_outlives_a_broker_killed_and_restarted_then_delivers_everything(
    mosquitto: Mosquitto, tmp_path: Path, sig: signal.Signals
) -> None:
    cloud = Cloud(mosquitto.port)
    async with running(cloud, agent_config(mosquitto.port, tmp_path)) as (agent, task):
        for _ in range(20):
            agent.telemetry("printer", READING)
        await until(lambda: len(agent.outbox) == 0, "the first readings were acknowledged")
        mosquitto.stop(sig)
        await until(lambda: not agent.link.connected.is_set(), "the agent saw the broker go")
        for _ in range(20):
            agent.telemetry("printer", READING)
        agent.alert("wearable", "fall", Severity.CRITICAL, "fell")
        await asyncio.sleep(0)
        assert not task.done()
        mosquitto.start()
        await until(lambda: every_seq_stored(agent, cloud), "every reading was stored")
        await until(lambda: len(agent.outbox) == 0, "the outbox emptied")
        assert agent.link.counters["disconnects"] >= 1


async def test_a_full_disk_drops_oldest_telemetry_keeps_alerts_reports_and_recovers(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    cloud = Cloud(mosquitto.port)
    cloud.acking = False  # the cloud is away: everything stays in the outbox
    config = agent_config(mosquitto.port, tmp_path, max_bytes=65_536, memory_capacity=50)
    async with running(cloud, config) as (agent, _):
        alerts = 3
        for _ in range(alerts):
            agent.alert("wearable", "fall", Severity.CRITICAL, "fell")
        for _ in range(600):
            agent.telemetry("printer", READING)  # far more than 64 KiB of readings
        assert agent.outbox.dropped > 0
        assert agent.outbox.in_memory == 0  # room was made by dropping telemetry
        while not agent.outbox.in_memory:  # a disk full of alerts takes nothing more
            agent.alert("wearable", "fall", Severity.CRITICAL, "fell")
            alerts += 1
        for _ in range(100):
            agent.telemetry("printer", READING)  # the sensors keep reading
        assert 0 < agent.outbox.in_memory <= 50
        cloud.acking = True  # space returns as the cloud acknowledges
        await until(lambda: len(agent.outbox) == 0, "the outbox emptied")
        assert agent.outbox.in_memory == 0
        stored = cloud.stored
        assert sum(1 for m in stored.values() if isinstance(m, Alert)) == alerts
        missing = set(range(1, agent.outbox.high_water() + 1)) - set(stored)
        assert len(missing) <= agent.outbox.dropped  # only dropped telemetry is missing
        before = agent.outbox.high_water()
        await cloud.command("status")  # answered by a status report, then the command's ack
        await until(lambda: before + 2 in cloud.stored, "the status report came")
        report = cloud.stored[before + 1]
        assert isinstance(report, Status)
        assert report.outbox_dropped == agent.outbox.dropped


async def test_resend_timeout_grows_when_acks_are_slow_and_resends_stay_few(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    cloud = Cloud(mosquitto.port)
    config = agent_config(mosquitto.port, tmp_path, resend_s=0.2, resend_min_s=0.1, window=10)
    async with running(cloud, config) as (agent, _):

        async def send(count: int) -> int:
            """Readings as sensors make them; returns how many arrived more than once."""
            deliveries = len(cloud.deliveries)
            for _ in range(count):
                agent.telemetry("printer", READING)
                await asyncio.sleep(0.02)
            await until(lambda: len(agent.outbox) == 0, "every reading was acknowledged")
            return len(cloud.deliveries) - deliveries - count

        await send(10)
        fast_rto = agent.link.flow.rto
        cloud.ack_delay_s = 0.6  # the cloud slows down
        adapting = await send(40)
        assert agent.link.flow.rto > max(0.5, fast_rto)  # from the measured round trips
        adapted = await send(40)
        # a fixed timer of the first timeout (0.2 s) would send each reading three times
        assert adapting < 20, adapting
        assert adapted < 8, adapted  # 0 unless the machine stalls past the margin
        assert every_seq_stored(agent, cloud)


async def test_a_message_the_cloud_keeps_refusing_does_not_hold_up_the_rest(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    cloud = Cloud(mosquitto.port)
    cloud.refused = {5}
    config = agent_config(mosquitto.port, tmp_path, resend_s=0.2, resend_min_s=0.1, window=5)
    async with running(cloud, config) as (agent, _):
        for _ in range(60):
            agent.telemetry("printer", READING)
        await until(lambda: len(agent.outbox) == 1, "all but the refused one were acknowledged")
        assert set(cloud.stored) == set(range(1, agent.outbox.high_water() + 1)) - {5}
        assert [p.seq for p in agent.outbox.head(10)] == [5]  # still held...
        await until(lambda: cloud.refusals >= 3, "the refused message was resent")  # ...and sent


async def test_a_backlog_drains_a_window_at_a_time(mosquitto: Mosquitto, tmp_path: Path) -> None:
    cloud = Cloud(mosquitto.port)
    config = agent_config(mosquitto.port, tmp_path, window=200)
    async with running(cloud, config, connected=False) as (agent, _):
        for _ in range(1500):  # a day of readings every minute
            agent.telemetry("printer", READING)
        await until(agent.link.connected.is_set, "the agent connected")
        started = time.monotonic()
        await until(lambda: len(agent.outbox) == 0, "the backlog drained")
        took = time.monotonic() - started
        assert every_seq_stored(agent, cloud)
        assert took < 10, f"1500 messages took {took:.1f} s"  # about 2 s when unloaded


def delivered(seq: int, sent_at: float, sends: int = 1) -> list[Delivered]:
    return [Delivered(seq, sent_at, sends)]


def test_flow_times_out_after_measured_round_trips_backs_off_and_reopens() -> None:
    flow = Flow(window=8, initial_s=1.0, min_s=0.1, max_s=4.0)
    flow.acked(delivered(1, sent_at=0.0), now=0.5)
    assert flow.rto == pytest.approx(0.5 + 4 * 0.25)  # srtt + 4 * rttvar after one sample
    assert [flow.timeout(sends) for sends in (1, 2, 3)] == [1.5, 3.0, 4.0]  # capped
    flow.timed_out(now=0.0)
    assert flow.rto == pytest.approx(3.0)
    assert flow.window == 1
    flow.timed_out(now=0.0)
    assert (flow.rto, flow.window) == (4.0, 1)
    flow.acked(delivered(2, sent_at=0.0, sends=2), now=9.0)  # a resent message: not measured
    assert (flow.rto, flow.window) == (4.0, 2)  # slow start up to half the last window...
    for seq in range(3, 40):
        flow.acked(delivered(seq, sent_at=seq), now=seq + 0.05)
    assert flow.rto == pytest.approx(0.1, abs=0.05)
    assert flow.window == 8  # ...then one more per window acknowledged, up to the limit
    flow.timed_out(now=0.0)
    flow.timed_out(now=0.0)
    flow.restart()  # a new connection: the measured timeout again, the window reopening
    assert flow.rto == pytest.approx(0.1, abs=0.05)
    assert flow.window == 1
    flow.acked(delivered(40, sent_at=40.0) * 7, now=40.05)
    assert flow.window == 8


def message(seq: int, sent_at: float | None = None, sends: int = 0) -> Pending:
    return Pending(seq, new_id(), "telemetry", b"{}", sent_at, sends)


def test_flow_sends_a_window_resends_the_overdue_and_lets_stragglers_not_block() -> None:
    flow = Flow(window=3, initial_s=1.0, min_s=0.1, max_s=60.0)
    held = [message(seq) for seq in range(1, 6)]
    assert [m.seq for m in flow.due(held, now=0.0)] == [1, 2, 3]
    held = [message(1, 0.0, 1), message(2, 0.0, 1), message(3, 0.0, 1), message(4)]
    assert flow.due(held, now=0.5) == []  # the window is full
    assert [m.seq for m in flow.due(held, now=1.0)] == [1]  # overdue: only the oldest again
    assert (flow.rto, flow.window) == (2.0, 1)
    held = [message(1, 1.0, 2), message(2, 0.0, 1), message(3, 0.0, 1), message(4)]
    assert flow.due(held, now=2.5) == []  # 2 and 3 overdue too, but the same loss: no backoff
    assert flow.rto == 2.0
    # a message the cloud refused three times waits on its own, out of the window
    held = [message(1, 10.0, 3), message(4)]
    assert [m.seq for m in flow.due(held, now=10.5)] == [4]
    assert [m.seq for m in flow.due(held, now=10.0 + 4 * flow.rto)] == [1, 4]

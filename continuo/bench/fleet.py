"""`continuo sim fleet`: many devices from one process, each over its own MQTT connection.

Every simulated device logs in with its own account (client id = username), publishes a
retained presence, a heartbeat every `heartbeat_s`, telemetry (printer or scale readings),
events and an occasional alert, and keeps each durable message until the cloud's
DeliveryAck names it, as the agent does.

What to send and when to resend is the agent's own code, so the fleet's figures are those
of the product's flow control: `edge.link.Flow` (a window of messages in flight, resends
after a timeout from measured ack round trips, backing off on a loss) over
`edge.outbox.resend.SendLog` (each message's sends in this connection). Only the queue
differs: each device keeps its messages in memory, not in a SQLite outbox, so that one
process can hold thousands. The messages themselves are built from the wire contract
(`common/`). Only `register_fleet` touches the backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
import random
import resource
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import aiomqtt

from common import topics
from common.clock import Backoff, Clock
from common.errors import ContinuoError, InvalidMessageError
from common.messages import (
    Alert,
    DeliveryAck,
    Event,
    Heartbeat,
    LevelState,
    Presence,
    PrinterReading,
    PrinterState,
    ScaleReading,
    ScaleState,
    Severity,
    Telemetry,
    Uplink,
    decode_downlink,
    encode,
    kind_of,
    new_id,
)
from common.messages import Supply as SupplyReading
from continuo.bench.stats import percentile
from edge.link import Flow
from edge.outbox import Pending
from edge.outbox.resend import SendLog

CONNECT_GRACE_S = 30.0  # no device connected this long: the credentials or the broker are wrong
CONNECT_AT_ONCE = 50  # connection attempts in flight: a fleet ramps up, it does not stampede


class FleetError(ContinuoError):
    """The fleet cannot be set up (a bad devices file, no broker)."""


class AckMode(StrEnum):
    """When a durable message counts as delivered."""

    CLOUD = "cloud"  # the cloud's DeliveryAck on the downlink, as the agent waits for
    PUBACK = "puback"  # the broker's PUBACK (QoS 1): raw broker throughput, no backend


@dataclass(frozen=True, slots=True)
class DeviceCredentials:
    """One device's broker account (its username is its device id)."""

    site: str
    device_id: str
    password: str


@dataclass(frozen=True, slots=True)
class FleetFile:
    """Where the broker is and who the devices are; written 0600 (it holds passwords)."""

    host: str
    port: int
    devices: list[DeviceCredentials]

    def save(self, path: Path) -> None:
        """Write the file, readable by its owner only."""
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> FleetFile:
        """Read a fleet file.

        Raises:
            FleetError: The file is missing or not a fleet file.
        """
        try:
            raw = json.loads(path.read_text())
            devices = [DeviceCredentials(**d) for d in raw["devices"]]
            fleet = cls(host=str(raw["host"]), port=int(raw["port"]), devices=devices)
            for d in devices:
                topics.check_id(d.site, what="site")
                topics.check_id(d.device_id, what="device")
        except OSError as exc:
            raise FleetError(f"cannot read fleet file {path}: {exc.strerror}") from exc
        except (ValueError, KeyError, TypeError, InvalidMessageError) as exc:
            raise FleetError(f"{path} is not a fleet file: {exc}") from exc
        if not devices:
            raise FleetError(f"{path} lists no devices")
        return fleet


async def register_fleet(count: int, *, prefix: str = "fleet") -> list[DeviceCredentials]:
    """Register `count` devices (one site each) in the open database; ids are stable.

    The caller opens the database (`cloud.store.db.database`) and rewrites the broker's
    accounts afterwards (`write_broker_config` or `refresh_broker`).
    """
    from cloud.identity.registry import add_device  # noqa: PLC0415 (only registering needs it)

    width = max(4, len(str(count)))
    made = []
    for i in range(1, count + 1):
        name = f"{prefix}-{i:0{width}d}"
        new = await add_device(site=f"{name}-site", device_id=name)
        made.append(DeviceCredentials(new.site, new.device_id, new.password))
    return made


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """What each device sends, and how it waits for acknowledgements.

    Attributes:
        burst: Durable messages per device, all queued at the start and sent as fast as the
            window allows (scale readings; a benchmark). None: send at the rates below.
        duration_s: With rates, how long devices produce before they drain and stop.
        timeout_s: The most the whole run may take, draining included.
        heartbeat_s: Between heartbeats (never queued, never acked).
        telemetry_s: Mean time between readings of one device (exponential gaps).
        event_s: Mean time between events of one device.
        alert_s: Mean time between alerts of one device.
        window: Most durable messages sent and not yet acknowledged, per device.
        resend_s: The first resend timeout, before any ack was timed.
        ack: What counts as delivered.
    """

    burst: int | None = None
    duration_s: float = 60.0
    timeout_s: float = 600.0
    heartbeat_s: float = 30.0
    telemetry_s: float = 180.0
    event_s: float = 3600.0
    alert_s: float = 86_400.0
    window: int = 100
    resend_s: float = 10.0
    resend_min_s: float = 1.0
    resend_max_s: float = 60.0
    ack: AckMode = AckMode.CLOUD


@dataclass(slots=True)
class _Stats:
    counters: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    first_publish: float | None = None  # wall clock
    last_ack: float | None = None  # wall clock


class _Device:
    """One simulated device: its outbox in memory, its schedule, its connection."""

    def __init__(
        self, creds: DeviceCredentials, *, host: str, port: int, profile: Profile, clock: Clock
    ) -> None:
        self.creds = creds
        self._host, self._port = host, port
        self._p = profile
        self._clock = clock
        self._flow = Flow(
            window=profile.window,
            initial_s=profile.resend_s,
            min_s=profile.resend_min_s,
            max_s=profile.resend_max_s,
        )
        self._pending: dict[str, Pending] = {}  # by id, oldest first
        self._sends = SendLog()
        self._first_sent: dict[int, float] = {}  # seq -> first publish, for the latency
        self._topics: dict[str, str] = {}  # by kind
        self._seq = 0
        self._wake = asyncio.Event()
        self._started = clock.monotonic()
        self.produced = 0
        self.connected_once = False
        self.online = False  # a session is up right now
        self.printer = False  # what its telemetry reads: a printer, else a scale
        self.go = asyncio.Event()  # shared: a burst starts when the whole fleet is connected

    def _topic(self, kind: str) -> str:
        """The uplink topic of a kind of message (each built once: it is checked)."""
        topic = self._topics.get(kind)
        if topic is None:
            c = self.creds
            topic = topics.uplink(c.site, c.device_id, topics.UplinkKind(kind))
            self._topics[kind] = topic
        return topic

    def base(self) -> dict[str, Any]:
        return {"id": new_id(), "device_id": self.creds.device_id, "sent_at": self._clock.now()}

    def add(self, message: Uplink) -> None:
        """Queue a durable message (it took the next sequence number)."""
        kind = kind_of(message).value
        self._pending[message.id] = Pending(message.seq, message.id, kind, encode(message))
        self.produced += 1
        self._wake.set()

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @property
    def seq(self) -> int:
        """The highest sequence number this device has used."""
        return self._seq

    def pending(self) -> list[Pending]:
        """Its durable messages not yet acknowledged, oldest first."""
        return list(self._pending.values())

    def scale_reading(self, rng: random.Random) -> Telemetry:
        grams = round(rng.uniform(50, 2500), 1)
        reading = ScaleReading(state=ScaleState.STABLE, grams=grams)
        return Telemetry(**self.base(), seq=self.next_seq(), sensor="scale", reading=reading)

    def printer_reading(self, rng: random.Random) -> Telemetry:
        level = rng.randint(0, 100)
        supply = SupplyReading(
            index=0,
            name="Black Cartridge HP 952",
            kind="inkCartridge",
            color="black",
            consumed=True,
            level=level,
            level_state=LevelState.KNOWN,
        )
        reading = PrinterReading(state=PrinterState.IDLE, supplies=[supply])
        return Telemetry(**self.base(), seq=self.next_seq(), sensor="printer", reading=reading)

    @property
    def done(self) -> bool:
        return not self._pending

    def _client(self) -> aiomqtt.Client:
        c = self.creds
        will = Presence(
            id=new_id(),
            device_id=c.device_id,
            seq=self._seq,
            sent_at=self._clock.now(),
            online=False,
        )
        return aiomqtt.Client(
            self._host,
            self._port,
            username=c.device_id,
            password=c.password,
            identifier=c.device_id,
            protocol=aiomqtt.ProtocolVersion.V5,
            keepalive=60,
            timeout=10,
            will=aiomqtt.Will(
                topics.uplink(c.site, c.device_id, topics.UplinkKind.PRESENCE),
                encode(will),
                qos=1,
                retain=True,
            ),
        )

    async def session(self, stats: _Stats, gate: asyncio.Semaphore, stop: asyncio.Event) -> None:
        """One connection: presence, heartbeats, sending and acks, until `stop`."""
        async with contextlib.AsyncExitStack() as stack:
            async with gate:  # only the connecting is gated, not the session
                client = await stack.enter_async_context(self._client())
            try:
                await self._serve(client, stats, stop)
            finally:
                self.online = False

    async def _serve(self, client: aiomqtt.Client, stats: _Stats, stop: asyncio.Event) -> None:
        client.pending_calls_threshold = self._p.window + 10
        c = self.creds
        if self._p.ack is AckMode.CLOUD:
            await client.subscribe(topics.downlink(c.site, c.device_id), qos=1)
        birth = Presence(**self.base(), seq=self._seq, online=True)
        await client.publish(self._topic(kind_of(birth)), encode(birth), qos=1, retain=True)
        self._sends.reset()  # a new connection sends everything again, as the agent's does
        self._flow.restart()
        stats.counters["connections"] += 1
        self.connected_once = self.online = True
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(self._send_loop(client, stats, stop)),
                group.create_task(self._heartbeats(client, stop)),
            ]
            if self._p.ack is AckMode.CLOUD:
                tasks.append(group.create_task(self._receive(client, stats)))
            await stop.wait()
            for task in tasks:
                task.cancel()

    async def _send_loop(self, client: aiomqtt.Client, stats: _Stats, stop: asyncio.Event) -> None:
        await self.go.wait()
        while not stop.is_set():
            self._wake.clear()
            now = self._clock.monotonic()
            head = list(itertools.islice(self._pending.values(), self._flow.lookahead))
            due = self._flow.due(self._sends.annotate(head), now=now)
            if due:
                stats.counters["resent"] += sum(1 for item in due if item.sends)
                if stats.first_publish is None:
                    stats.first_publish = self._clock.now()
                self._sends.mark([item.seq for item in due], now=now)
                for item in due:
                    self._first_sent.setdefault(item.seq, now)
                publishes = [client.publish(self._topic(i.kind), i.payload, qos=1) for i in due]
                if self._p.ack is AckMode.PUBACK:
                    await asyncio.gather(
                        *(self._puback(p, i, stats) for p, i in zip(publishes, due, strict=True))
                    )
                else:
                    await asyncio.gather(*publishes)
                stats.counters["published"] += len(due)
            if not self._pending:  # idle: nothing to resend, so wait for a new message
                await self._wake.wait()
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.02, min(1.0, self._flow.rto / 4))):
                    await self._wake.wait()

    async def _puback(self, publish: Any, item: Pending, stats: _Stats) -> None:
        await publish
        self._delivered([item.id], stats)

    def _delivered(self, ids: list[str], stats: _Stats) -> None:
        """Forget acknowledged messages and tell the flow control, as the agent's link does."""
        now = self._clock.monotonic()
        seqs = []
        for message_id in ids:
            item = self._pending.pop(message_id, None)
            if item is None:
                stats.counters["duplicate_acks"] += 1
                continue
            seqs.append(item.seq)
            first_sent = self._first_sent.pop(item.seq, None)
            if first_sent is not None:
                stats.latencies.append(now - first_sent)
        self._flow.acked(self._sends.delivered(seqs), now=now)
        stats.counters["acked"] += len(seqs)
        stats.last_ack = self._clock.now()
        self._wake.set()

    async def _receive(self, client: aiomqtt.Client, stats: _Stats) -> None:
        async for raw in client.messages:
            stats.counters["downlinks"] += 1
            payload = raw.payload if isinstance(raw.payload, bytes) else str(raw.payload).encode()
            try:
                message = decode_downlink(payload)
            except InvalidMessageError:
                stats.counters["bad_downlink"] += 1
                continue
            if isinstance(message, DeliveryAck):
                self._delivered(message.ids, stats)
            else:
                stats.counters["commands"] += 1

    async def _heartbeats(self, client: aiomqtt.Client, stop: asyncio.Event) -> None:
        topic = topics.uplink(self.creds.site, self.creds.device_id, topics.UplinkKind.HEARTBEAT)
        while not stop.is_set():
            beat = Heartbeat(
                **self.base(),
                seq=self._seq,
                uptime_s=max(0.0, self._clock.monotonic() - self._started),
            )
            await client.publish(topic, encode(beat), qos=1)
            await self._clock.sleep(self._p.heartbeat_s)


class FleetWatch:
    """A running fleet seen from outside: what each device made, what still waits for its ack.

    Hand one to `run_fleet`; `stop` ends production (the fleet then drains and returns).
    """

    def __init__(self) -> None:
        self.stop = asyncio.Event()
        self._devices: list[_Device] = []
        self._stats: _Stats | None = None

    def attach(self, devices: list[_Device], stats: _Stats) -> None:
        """Watch these devices (`run_fleet` calls this)."""
        self._devices, self._stats = devices, stats

    def online(self) -> int:
        """Devices connected right now."""
        return sum(1 for d in self._devices if d.online)

    def ack_times(self) -> list[float]:
        """Every acknowledged message's publish-to-ack time so far, in seconds, in ack order."""
        return list(self._stats.latencies) if self._stats else []

    def made(self) -> dict[str, int]:
        """Each device's highest sequence number so far."""
        return {d.creds.device_id: d.seq for d in self._devices}

    def waiting(self, upto: dict[str, int]) -> int:
        """Durable messages not yet acknowledged among those numbered up to `upto`'s."""
        return sum(
            1
            for d in self._devices
            for item in d.pending()
            if item.seq <= upto.get(d.creds.device_id, 0)
        )


@dataclass(frozen=True, slots=True)
class FleetResult:
    """What a fleet run measured (times in seconds, latencies in milliseconds)."""

    devices: int
    connected: int
    produced: int
    acked: int
    unacked: int
    resent: int
    duplicate_acks: int
    downlinks: int  # messages the devices received (acks and commands)
    disconnects: int
    started_at: float  # wall clock of the first publish
    last_ack_at: float  # wall clock of the last acknowledgement
    seconds: float
    msgs_per_s: float
    p50_ms: float | None
    p99_ms: float | None
    max_rss_mb: float
    timed_out: bool

    def as_json(self) -> str:
        """The result as one JSON object."""
        return json.dumps(asdict(self), indent=2)


def _next_message(device: _Device, kind: str, rng: random.Random) -> Uplink:
    if kind == "telemetry":
        return device.printer_reading(rng) if device.printer else device.scale_reading(rng)
    base = device.base()
    if kind == "event":
        return Event(**base, seq=device.next_seq(), sensor="button", name="press.refill")
    return Alert(
        **base,
        seq=device.next_seq(),
        sensor="wearable",
        name="fall",
        severity=Severity.CRITICAL,
        detail="simulated",
    )


async def _produce(
    devices: list[_Device], profile: Profile, rng: random.Random, clock: Clock
) -> None:
    """Readings, events and alerts at the profile's rates (exponential gaps), until cancelled."""
    means = {"telemetry": profile.telemetry_s, "event": profile.event_s, "alert": profile.alert_s}
    start = clock.monotonic()
    due = [
        (start + rng.expovariate(1 / mean), i, kind)
        for i in range(len(devices))
        for kind, mean in means.items()
    ]
    heapq.heapify(due)
    while due:
        at, i, kind = heapq.heappop(due)
        await clock.sleep(max(0.0, at - clock.monotonic()))
        devices[i].add(_next_message(devices[i], kind, rng))
        heapq.heappush(due, (at + rng.expovariate(1 / means[kind]), i, kind))


def _devices(
    fleet: FleetFile,
    profile: Profile,
    *,
    clock: Clock,
    rng: random.Random,
) -> list[_Device]:
    """Half the devices read a printer, half a scale; a burst is queued up front."""
    devices = [
        _Device(c, host=fleet.host, port=fleet.port, profile=profile, clock=clock)
        for c in fleet.devices
    ]
    for i, device in enumerate(devices):
        device.printer = i % 2 == 1
        for _ in range(profile.burst or 0):
            device.add(device.scale_reading(rng))
    return devices


async def run_fleet(
    fleet: FleetFile,
    profile: Profile,
    *,
    clock: Clock,
    rng: random.Random,
    watch: FleetWatch | None = None,
) -> FleetResult:
    """Connect every device, send at the profile's rates or its burst, return the measures.

    With rates, devices produce for `profile.duration_s` or until `watch.stop` is set.

    Raises:
        FleetError: Not one device could connect.
    """
    stats = _Stats()
    devices = _devices(fleet, profile, clock=clock, rng=rng)
    watch = watch or FleetWatch()
    watch.attach(devices, stats)
    stop, go = asyncio.Event(), asyncio.Event()
    for device in devices:
        device.go = go
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    deadline = clock.monotonic() + profile.timeout_s

    async def keep_connected(device: _Device) -> None:
        backoff = Backoff(base_s=0.5, cap_s=15.0, rng=rng)
        while not stop.is_set() and clock.monotonic() < deadline:
            try:
                await device.session(stats, gate, stop)
            except* (aiomqtt.MqttError, OSError) as group:
                stats.counters["disconnects"] += 1
                del group  # reconnected below; the count is reported
            if not stop.is_set():
                await clock.sleep(backoff.next_delay())

    async with asyncio.TaskGroup() as group:
        for device in devices:
            group.create_task(keep_connected(device))
        start = clock.monotonic()
        if profile.burst is not None:  # measured from when all are connected, not ramping up
            await _until(
                lambda: (
                    all(d.connected_once for d in devices)
                    or clock.monotonic() > start + CONNECT_GRACE_S
                ),
                clock,
                deadline,
            )
        go.set()
        if profile.burst is None:
            producer = group.create_task(_produce(devices, profile, rng, clock))
            await _until(
                watch.stop.is_set,
                clock,
                min(deadline, clock.monotonic() + profile.duration_s),
            )
            producer.cancel()
        start = clock.monotonic()
        await _until(
            lambda: (
                all(d.done for d in devices)
                or (
                    clock.monotonic() > start + CONNECT_GRACE_S
                    and not any(d.connected_once for d in devices)
                )
            ),
            clock,
            deadline,
        )
        stop.set()
    if not any(d.connected_once for d in devices):
        raise FleetError(f"no device could connect to {fleet.host}:{fleet.port}")
    return _summary(devices, stats, clock)


async def _until(done: Callable[[], bool], clock: Clock, deadline: float) -> None:
    """Wait until `done()` or the deadline, looking every 50 ms."""
    while not done() and clock.monotonic() < deadline:
        await clock.sleep(min(0.05, max(0.0, deadline - clock.monotonic())))


def _summary(devices: list[_Device], stats: _Stats, clock: Clock) -> FleetResult:
    produced = sum(d.produced for d in devices)
    acked = stats.counters["acked"]
    started = stats.first_publish or clock.now()
    last = stats.last_ack or started
    seconds = max(last - started, 1e-6)
    lat = [x * 1000 for x in stats.latencies]
    return FleetResult(
        devices=len(devices),
        connected=sum(1 for d in devices if d.connected_once),
        produced=produced,
        acked=acked,
        unacked=produced - acked,
        resent=stats.counters["resent"],
        duplicate_acks=stats.counters["duplicate_acks"],
        downlinks=stats.counters["downlinks"],
        disconnects=stats.counters["disconnects"],
        started_at=started,
        last_ack_at=last,
        seconds=round(seconds, 3),
        msgs_per_s=round(acked / seconds, 1) if acked else 0.0,
        p50_ms=round(statistics.median(lat), 1) if lat else None,
        p99_ms=round(percentile(lat, 99), 1) if lat else None,
        max_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        timed_out=produced > acked,
    )


def simulate(fleet: FleetFile, profile: Profile, *, seed: int) -> FleetResult:
    """Run a fleet to the end in a fresh event loop."""
    from common.clock import SystemClock  # noqa: PLC0415

    rng = random.Random(seed)  # noqa: S311 (simulated behaviour, not security)
    return asyncio.run(run_fleet(fleet, profile, clock=SystemClock(), rng=rng))

"""`continuo bench chaos`: faults injected into a running stack; nothing lost, nothing doubled.

One stack runs the whole time, every part of it real: Mosquitto with the project's broker
config, `continuo cloud serve` workers (two on PostgreSQL by default, one on SQLite), the
edge agent (`continuo edge run`, its own process) reading a simulated IPP printer every
second at a home with automatic execution, and a fleet of simulated devices (`continuo sim
fleet`'s code: an MQTT connection and account each) sending readings, events and alerts and
resending until the cloud's DeliveryAck names them. Devices reach the broker through TCP
relays in this process (one for the agent, one for the fleet), so a link can be cut.

While everything flows, one fault after another:

- broker-kill: Mosquitto SIGKILLed, started again after the outage;
- worker-kill: a worker SIGKILLed while batches flow, started again after the outage
  (the other worker, if any, carries on meanwhile);
- db-lock: the tables ingest writes (device, ingestedmessage) locked by another
  transaction for the outage;
- disk-full: the agent's state directory, a 2 MB tmpfs, filled to the last byte while its
  link is down (so its outbox must grow), then freed and the link restored (needs root to
  mount the tmpfs; skipped, and said so, otherwise);
- link-cut: every device's connection dropped and refused for the outage.

After each fault the run waits (on conditions, never a fixed sleep) until everything made
before the fault ended is acknowledged: the fleet's messages acknowledged, the agent's
stored in the database; that wait is the catch-up time. At the end the devices stop, the
run drains, and the database is counted: every durable message stored once (the agent's
telemetry dropped for a full disk, and reported by it, excepted), no open sequence gap on
the fleet, one incident occurrence per alert message, at most one order per need, and the
agent never exited.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import random
import resource
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

import aiohttp
import aiomqtt
import asyncpg
from aiohttp import web

from cloud.config import ReplenishSettings
from cloud.identity.broker_config import BrokerLimits
from cloud.identity.registry import add_device, device_accounts
from cloud.identity.users import Authenticator, Role, create_user
from cloud.store.db import database
from common import topics
from common.clock import SystemClock
from common.messages import Alert, Severity, encode, new_id
from continuo.bench.alerts import hook_receiver
from continuo.bench.fleet import (
    FleetFile,
    FleetResult,
    FleetWatch,
    Profile,
    register_fleet,
    run_fleet,
)
from continuo.bench.stats import own_peak_rss_mb, peak_rss_mb, percentile
from continuo.stack import (
    POSTGRES_ADMIN_URL,
    Backend,
    Broker,
    Processes,
    StackError,
    Workers,
    find_mosquitto,
    postgres_database,
    small_disk,
    start_workers,
    stoppable,
    until,
)
from edge.config import (
    AgentConfig,
    MqttSettings,
    OutboxSettings,
    PrinterSettings,
    dump_config,
)

SECTION = "chaos"
HOLD_SECTION = "fleet-hold"
AGENT_SITE, AGENT_ID = "chaos-home", "chaos-pi"
WEARER_SITE, WEARER_ID = "chaos-wearer-home", "chaos-wearer"  # the alert probe
TINY_DISK = "2m"  # the agent's state directory in the disk-full fault
START_S = 120.0  # the agent's first reading stored, on a loaded machine
JUNK_CHUNK = 64 * 1024
FLEET_STOP_S = 30.0  # for a cancelled fleet's connections to close


class Fault(StrEnum):
    """What goes wrong."""

    BROKER_KILL = "broker-kill"
    WORKER_KILL = "worker-kill"
    DB_LOCK = "db-lock"
    DISK_FULL = "disk-full"
    LINK_CUT = "link-cut"


OUTAGE_S = {  # each fault's length in the full run (--outage overrides every one)
    Fault.BROKER_KILL: 30.0,
    Fault.WORKER_KILL: 30.0,
    Fault.DB_LOCK: 20.0,
    Fault.DISK_FULL: 60.0,
    Fault.LINK_CUT: 180.0,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """What one chaos run does."""

    faults: tuple[Fault, ...] = tuple(Fault)
    outage_s: float | None = None  # None: each fault's own (OUTAGE_S)
    dialect: str = "postgres"  # or "sqlite"
    workers: int = 2
    devices: int = 20
    telemetry_s: float = 1.0  # mean gap between one simulated device's readings
    alert_s: float = 120.0  # mean gap between one simulated device's alerts
    event_s: float = 60.0
    heartbeat_s: float = 30.0
    hold_s: float = 0.0  # before the faults: this long at full flow, measured (`bench fleet`)
    probe_alert_s: float = 2.0  # while holding: an alert from a probe device this often
    postgres_url: str = POSTGRES_ADMIN_URL
    catch_up_timeout_s: float = 600.0
    workdir: Path | None = None
    seed: int = 1


@dataclass(frozen=True, slots=True)
class FaultResult:
    """One fault: how long it lasted, how long catching up took, the API meanwhile."""

    fault: str
    outage_s: float
    catch_up_s: float | None  # None: skipped
    made_before_end: int  # durable messages made until the fault ended (fleet and agent)
    api_requests: int
    api_failed: int
    api_p99_ms: float | None
    api_max_ms: float | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class HoldResult:
    """The stack held at full flow: the fleet, the API and alerts meanwhile, memory."""

    seconds: float
    connected: int  # devices connected when the hold ended
    acked: int  # the fleet's durable messages acknowledged during the hold
    ack_p50_ms: float | None  # the fleet's publish to DeliveryAck, during the hold
    ack_p99_ms: float | None
    api_requests: int
    api_failed: int
    api_p50_ms: float | None
    api_p99_ms: float | None
    alerts: int
    channel_p50_ms: float | None  # an alert's publish to its webhook (the first rung)
    channel_p99_ms: float | None
    dashboard_p50_ms: float | None  # publish to the change event + the alerts API showing it
    dashboard_p99_ms: float | None
    loop_lag_p50_ms: float | None  # this process's event loop, late by this much
    loop_lag_p99_ms: float | None
    rss_mb: dict[str, float]  # each process's peak resident memory


@dataclass(slots=True)
class ChaosResult:
    """The whole run: each fault, then the counts over everything made."""

    dialect: str
    workers: int
    devices: int
    faults: list[FaultResult] = field(default_factory=list)
    hold: HoldResult | None = None
    made: int = 0  # durable messages made by the fleet, the agent and the alert probe
    lost: int = 0  # made, and neither stored, nor still on the agent, nor a drop it reported
    stored: int = 0  # rows in the dedupe table
    stored_distinct: int = 0  # distinct (device, seq) among them
    samples_doubled: int = 0  # scale samples beyond the telemetry stored
    agent_dropped: int = 0  # telemetry the agent dropped (full disk) and reported
    agent_reported_dropped: int = 0  # what the cloud has from its status reports
    agent_exited: bool = False
    agent_left: int = 0  # in its outbox, not stored, when it stopped (sent when it starts)
    fleet_unacked: int = 0
    fleet_gaps: int = 0  # open sequence gaps of the fleet's devices
    alert_messages: int = 0
    incident_occurrences: int = 0
    orders: int = 0
    needs_ordered_twice: int = 0
    resent: int = 0
    fleet: FleetResult | None = None

    @property
    def doubled(self) -> int:
        """Messages stored twice (dedupe rows, or scale samples)."""
        return self.stored - self.stored_distinct + self.samples_doubled

    @property
    def passed(self) -> bool:
        """Nothing lost, nothing doubled, no duplicate alert or order, the agent alive."""
        return (
            self.lost == 0
            and self.doubled == 0
            and self.fleet_unacked == 0
            and self.fleet_gaps == 0
            and self.alert_messages == self.incident_occurrences
            and self.needs_ordered_twice == 0
            and not self.agent_exited
            and self.agent_reported_dropped == self.agent_dropped
            and all(f.catch_up_s is not None or f.note for f in self.faults)
        )

    def as_json(self) -> str:
        """The result as JSON, with the derived counts."""
        data = asdict(self)
        data |= {"doubled": self.doubled, "passed": self.passed}
        return json.dumps(data, indent=2)


class Link:
    """A TCP relay to the broker that can be cut: open connections dropped, new ones refused."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._up = True
        self._open: set[asyncio.StreamWriter] = set()
        self._relays: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        """Listen on a free loopback port (`port`)."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    def cut(self) -> None:
        """Drop every connection; refuse new ones until `restore`."""
        self._up = False
        for writer in list(self._open):
            writer.transport.abort()

    def restore(self) -> None:
        """Take connections again."""
        self._up = True

    async def close(self) -> None:
        """Stop listening and drop every connection."""
        self.cut()
        if self._server is not None:
            self._server.close()
        for task in self._relays:
            task.cancel()
        await asyncio.gather(*self._relays, return_exceptions=True)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._up:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self._target)
        except OSError:  # the broker is down: as a device sees it, the connection fails
            writer.transport.abort()
            return
        if not self._up:  # cut while it was connecting
            writer.transport.abort()
            up_writer.transport.abort()
            return
        self._open |= {writer, up_writer}
        task = asyncio.current_task()
        if task is not None:
            self._relays.add(task)
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            for w in (writer, up_writer):
                self._open.discard(w)
                w.transport.abort()
            if task is not None:
                self._relays.discard(task)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, ConnectionError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    writer.transport.abort()  # one side gone: the other goes too, as a broken link does


# ---- the database, counted from outside -----------------------------------------------


class _Db:
    """The run's own look at the database: one connection, opened when first needed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._pg: asyncpg.Connection | None = None

    async def rows(self, sql: str) -> list[tuple[object, ...]]:
        if self.url.startswith("sqlite://"):
            path = self.url.removeprefix("sqlite://")
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as db:
                return [tuple(r) for r in db.execute(sql).fetchall()]
        if self._pg is None or self._pg.is_closed():
            self._pg = await asyncpg.connect(self.url)
        return [tuple(r) for r in await self._pg.fetch(sql)]

    async def scalar(self, sql: str) -> int:
        rows = await self.rows(sql)
        return int(str(rows[0][0] or 0)) if rows else 0

    async def close(self) -> None:
        if self._pg is not None:
            await self._pg.close()
            self._pg = None


def _agent_seqs_sql(upto: int) -> str:
    where = f"device_id = '{AGENT_ID}' AND seq <= {int(upto)}"
    return "SELECT count(DISTINCT seq) FROM ingestedmessage WHERE " + where  # noqa: S608


def _outbox_meta(path: Path) -> tuple[int, int] | None:
    """The agent's (high water, dropped), read without touching its outbox; None if busy."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    return int(meta.get("next_seq", 1)) - 1, int(meta.get("dropped", 0))


async def _agent_meta(path: Path) -> tuple[int, int]:
    """The agent's (high water, dropped), waiting for a moment its outbox can be read."""
    seen: list[tuple[int, int]] = []

    def readable() -> bool:
        meta = _outbox_meta(path)
        if meta is not None:
            seen.append(meta)
        return meta is not None

    await until("the agent's outbox to be readable", readable, 30)
    return seen[-1]


# ---- the stack ----------------------------------------------------------------------


@dataclass(slots=True)
class _Stack:
    options: Options
    workdir: Path
    procs: Processes
    url: str
    backend: Backend
    workers: Workers
    agent: subprocess.Popen[bytes]
    agent_dir: Path
    agent_link: Link
    fleet_link: Link
    token: str
    no_tiny_disk: str | None  # why the agent's disk cannot be filled (None: it can)
    wearer_password: str
    db: _Db = field(init=False)
    watch: FleetWatch = field(default_factory=FleetWatch)
    probe_alerts: int = 0  # alerts the probe device sent (counted as made)
    restarts: int = 0
    agent_exited: bool = False

    def __post_init__(self) -> None:
        self.db = _Db(self.url)

    def api(self) -> str:
        """The API of the last worker (the one a worker-kill spares)."""
        return f"http://127.0.0.1:{self.workers.http_ports[-1]}/api/v1"

    @property
    def outbox(self) -> Path:
        return self.agent_dir / "outbox.sqlite3"

    def check_agent(self) -> None:
        if self.agent.poll() is not None:
            self.agent_exited = True

    @property
    def broker(self) -> Broker:
        return self.backend.broker

    async def restart_worker(self, index: int) -> None:
        self.restarts += 1
        again = await asyncio.to_thread(
            start_workers,
            self.procs,
            self.workdir,
            self.backend,
            count=1,
            label=f"restart-{self.restarts}",
        )
        # The same worker id as the one it replaces (bench-1): its broker session resumes.
        self.workers.procs[index] = again.procs[0]
        self.workers.http_ports[index] = again.http_ports[0]
        self.workers.logs.append(again.logs[0])

    async def agent_stored(self, upto: int) -> int:
        return await self.db.scalar(_agent_seqs_sql(upto))

    async def caught_up(self, fleet_upto: dict[str, int], agent_upto: int) -> bool:
        """Everything numbered up to the marks is acknowledged (fleet) or stored (agent)."""
        self.check_agent()
        if self.watch.waiting(fleet_upto):
            return False
        meta = _outbox_meta(self.outbox)
        if meta is None:  # the agent is writing it: look again
            return False
        return await self.agent_stored(agent_upto) + meta[1] >= agent_upto


def _agent_config(path: Path, *, state_dir: Path, port: int, password: str, uri: str) -> None:
    config = AgentConfig(
        site=AGENT_SITE,
        device_id=AGENT_ID,
        state_dir=str(state_dir),
        mqtt=MqttSettings(port=port, username=AGENT_ID, password=password, keepalive_s=5),
        printers=[PrinterSettings(name="printer", uri=uri, poll_s=1.0)],
        outbox=OutboxSettings(resend_s=2.0, window=50),
        heartbeat_s=5.0,
        status_s=5.0,  # drops reach the cloud soon after the link returns
    )
    path.write_bytes(dump_config(config))
    path.chmod(0o600)


CHAOS_REPLENISH = ReplenishSettings(
    lead_time_days=3.0, min_history_hours=1 / 3600, stale_after_hours=1.0, sweep_s=1.0
)


async def _with_stack(options: Options, workdir: Path, procs: Processes, url: str) -> ChaosResult:
    from firmware_sim.printer import SimulatedPrinter, create_printer_app  # noqa: PLC0415

    async with database(url):
        fleet_devices = await register_fleet(options.devices)
        agent_device = await add_device(site=AGENT_SITE, device_id=AGENT_ID, auto_replenish=True)
        wearer = await add_device(site=WEARER_SITE, device_id=WEARER_ID)
        accounts = await device_accounts()
        operator = await create_user("chaos", secrets.token_urlsafe(16), role=Role.OPERATOR)
        token, _ = await Authenticator(clock=SystemClock()).issue(
            operator, kind="api", seconds=86_400
        )
    # Faults: needs re-decided every second, so the agent's printer orders within the run.
    # A hold: the production defaults (every need re-decided once a minute).
    replenish = CHAOS_REPLENISH if options.faults else ReplenishSettings()
    broker = Broker(
        workdir / "broker",
        cloud_password=secrets.token_hex(16),
        # sized for this fleet, as its operator would (the agent and the probe are two more)
        limits=BrokerLimits(max_device_connections=max(10_000, len(accounts) + 64)),
        processes=procs,
        log=workdir / "mosquitto.log",
    )
    broker.configure(accounts)
    await asyncio.to_thread(broker.start)
    backend = Backend(url, broker, replenish)
    workers = await asyncio.to_thread(
        start_workers, procs, workdir, backend, count=options.workers, label="chaos"
    )
    agent_link, fleet_link = Link(broker.port), Link(broker.port)
    await agent_link.start()
    await fleet_link.start()

    rng = random.Random(options.seed)  # noqa: S311 (a simulated printer)
    sim = SimulatedPrinter(clock=SystemClock(), rng=rng, pages_per_minute=300)
    runner = web.AppRunner(create_printer_app(sim))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    printer = asyncio.create_task(sim.run())
    uri = f"ipp://127.0.0.1:{runner.addresses[0][1]}/ipp/print"
    agent_dir = workdir / "edge"
    try:
        with small_disk(agent_dir, TINY_DISK) as no_tiny_disk:
            config = workdir / "agent.toml"
            _agent_config(
                config,
                state_dir=agent_dir,
                port=agent_link.port,
                password=agent_device.password,
                uri=uri,
            )
            command = [sys.executable, "-m", "continuo", "edge", "run", "--config", str(config)]
            agent = procs.start(command, workdir / "agent.log")
            stack = _Stack(
                options,
                workdir,
                procs,
                url,
                backend,
                workers,
                agent,
                agent_dir,
                agent_link,
                fleet_link,
                token,
                no_tiny_disk,
                wearer.password,
            )
            try:
                # Through the relay only when the link is to be cut (a relay costs descriptors).
                port = fleet_link.port if Fault.LINK_CUT in options.faults else broker.port
                return await _faults(stack, FleetFile("127.0.0.1", port, fleet_devices))
            finally:
                procs.stop([stack.agent])
    finally:
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer
        await runner.cleanup()
        await agent_link.close()
        await fleet_link.close()


async def _faults(stack: _Stack, fleet_file: FleetFile) -> ChaosResult:
    o = stack.options
    profile = Profile(
        duration_s=86_400.0,  # until the watch says stop
        timeout_s=86_400.0,
        heartbeat_s=o.heartbeat_s,
        telemetry_s=o.telemetry_s,
        event_s=o.event_s,
        alert_s=o.alert_s,
        window=100,
    )
    rng = random.Random(o.seed)  # noqa: S311 (simulated readings)
    fleet = asyncio.create_task(
        run_fleet(fleet_file, profile, clock=SystemClock(), rng=rng, watch=stack.watch)
    )
    result = ChaosResult(o.dialect, o.workers, o.devices)
    try:

        async def flowing() -> bool:
            stack.check_agent()
            if stack.agent_exited:
                raise StackError("the agent exited before any fault (see agent.log)")
            online = stack.watch.online() >= o.devices
            return online and await stack.agent_stored(3) >= 3  # noqa: PLR2004

        ramp = START_S + o.devices / 50  # a fleet connects 50 at a time
        await until("the fleet online and the agent's readings stored", flowing, ramp)
        # Thousands of connections' objects, kept for the whole run: out of the collector's
        # way, or its full collections stall this loop (and every simulated device) for seconds.
        gc.collect()
        gc.freeze()
        if o.hold_s:
            result.hold = await _hold(stack, o.hold_s)
        for fault in o.faults:
            result.faults.append(await _one(stack, fault))
        stack.watch.stop.set()
        result.fleet = await asyncio.wait_for(fleet, o.catch_up_timeout_s)
    finally:
        gc.unfreeze()
        stack.watch.stop.set()
        if not fleet.done():  # a failed run: its devices go, within bounds
            fleet.cancel()
            await asyncio.wait([fleet], timeout=FLEET_STOP_S)
    high, _ = await _agent_meta(stack.outbox)
    with contextlib.suppress(StackError):
        await until(
            "the agent's last readings",
            lambda: stack.caught_up({}, high),
            o.catch_up_timeout_s,
        )
    stack.check_agent()
    result.agent_exited = stack.agent_exited
    stack.procs.stop([stack.agent])
    try:
        await _count(stack, result)
    finally:
        await stack.db.close()
    return result


def _ms_stats(
    seconds: list[float], at: tuple[float, float] = (50, 99)
) -> tuple[float | None, float | None]:
    """Two percentiles (p50 and p99 unless told) in milliseconds; None for no values."""
    if not seconds:
        return None, None
    ms = [x * 1000 for x in seconds]
    return round(percentile(ms, at[0]), 1), round(percentile(ms, at[1]), 1)


async def _hold(stack: _Stack, seconds: float) -> HoldResult:
    """The stack at full flow for `seconds`, an API read and an alert probe timed meanwhile.

    The probes run in a process of their own, so what they time is the backend, not this
    process's event loop, busy with thousands of simulated devices (its lateness is
    measured and reported beside them).
    """
    targets = ProbeTargets(
        api=stack.api(),
        token=stack.token,
        device_port=stack.broker.port,
        wearer_password=stack.wearer_password,
        alert_every_s=stack.options.probe_alert_s,
        seconds=seconds,
    )
    lag = _LoopLag()
    acked_before = len(stack.watch.ack_times())
    with (stack.workdir / "probe.log").open("ab") as log:
        probe = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "continuo.bench.chaos",
            json.dumps(asdict(targets)),
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
    lagging = asyncio.create_task(lag.run())
    try:
        out, _ = await asyncio.wait_for(probe.communicate(), seconds + PROBE_GRACE_S)
        connected = stack.watch.online()
    finally:
        if probe.returncode is None:
            probe.kill()
            await probe.wait()
        lag.stop.set()
        await lagging
    if probe.returncode != 0:
        raise StackError(f"the probe process failed ({probe.returncode}); see probe.log")
    seen = ProbeResult(**json.loads(out))
    stack.probe_alerts += seen.published
    acks = stack.watch.ack_times()[acked_before:]
    rss = {"broker": peak_rss_mb(stack.broker.pid), "agent": peak_rss_mb(stack.agent.pid)}
    for i, proc in enumerate(stack.workers.procs, 1):
        rss[f"worker {i}"] = peak_rss_mb(proc.pid)
    rss["fleet simulator (this process)"] = own_peak_rss_mb()
    return HoldResult(
        round(seconds, 1),
        connected,
        len(acks),
        *_ms_stats(acks),
        len(seen.api),
        seen.api_failed,
        *_ms_stats(seen.api),
        seen.published,
        *_ms_stats(seen.channel),
        *_ms_stats(seen.dashboard),
        *_ms_stats(lag.lags),
        rss,
    )


PROBE_GRACE_S = 60.0  # after the hold, for the probe's last alerts to arrive and it to exit


@dataclass(frozen=True, slots=True)
class ProbeTargets:
    """What the probe process reads and sends to (it shares no memory with the stack)."""

    api: str  # a worker's API base URL
    token: str  # an operator's
    device_port: int
    wearer_password: str
    alert_every_s: float
    seconds: float


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What the probe timed, in seconds."""

    api: list[float]
    api_failed: int
    published: int
    channel: list[float]  # alert publish to its webhook
    dashboard: list[float]  # alert publish to the change event and the alerts API listing it


async def _probes(t: ProbeTargets) -> ProbeResult:
    """The probe process's work: API reads and alerts for `t.seconds`, then their timings."""
    hook_runner, hook_url, hooks = await hook_receiver()
    try:
        # The probe device's first rung is this process's webhook, set as an operator would.
        async with (
            aiohttp.ClientSession(headers={"Authorization": f"Bearer {t.token}"}) as http,
            http.put(
                f"{t.api}/customers/{WEARER_SITE}/escalation",
                json=[{"after_s": 0, "channel": "webhook", "target": hook_url}],
            ) as r,
        ):
            if r.status != 200:  # noqa: PLR2004
                raise StackError(f"cannot set the probe's ladder: {r.status} {await r.text()}")
        api = _Probe(t.token, lambda: t.api)
        alerts = _AlertProbe(t)
        tasks = [asyncio.create_task(api.run()), asyncio.create_task(alerts.run())]
        await asyncio.sleep(t.seconds)  # the hold's length, not a wait for something
        api.stop.set()
        alerts.stop.set()
        await asyncio.gather(*tasks)
    finally:
        await hook_runner.cleanup()
    channel = [
        hooks[i] - alerts.published[sensor]
        for i, sensor in alerts.incidents.items()
        if i in hooks and sensor in alerts.published
    ]
    shown = [alerts.shown[s] - at for s, at in alerts.published.items() if s in alerts.shown]
    return ProbeResult(api.latencies, api.failed, len(alerts.published), channel, shown)


class _LoopLag:
    """How late this process's event loop wakes (the simulator and the probes share it)."""

    def __init__(self) -> None:
        self.stop = asyncio.Event()
        self.lags: list[float] = []

    async def run(self) -> None:
        while not self.stop.is_set():
            asked = time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), 0.1)
            self.lags.append(max(0.0, time.monotonic() - asked - 0.1))


class _AlertProbe:
    """A wearer's alerts, one every `alert_every_s`, each a new incident, timed to two ends.

    To the first rung (the ladder's webhook, received in the probe process) and to the
    dashboard (the operators' change stream announces alerts, then the alerts API lists it).
    """

    def __init__(self, targets: ProbeTargets) -> None:
        self._t = targets
        self.stop = asyncio.Event()
        self.published: dict[str, float] = {}  # sensor -> time.monotonic() at publish
        self.shown: dict[str, float] = {}  # sensor -> when the alerts API first listed it
        self.incidents: dict[str, str] = {}  # incident id -> sensor

    async def run(self) -> None:
        t = self._t
        headers = {"Authorization": f"Bearer {t.token}"}
        async with (
            aiohttp.ClientSession(headers=headers) as http,
            aiomqtt.Client(
                "127.0.0.1",
                t.device_port,
                username=WEARER_ID,
                password=t.wearer_password,
                identifier=WEARER_ID,
                protocol=aiomqtt.ProtocolVersion.V5,
            ) as client,
        ):
            stream = await http.get(f"{t.api}/stream", timeout=aiohttp.ClientTimeout(None))
            watcher = asyncio.create_task(self._watch(http, stream))
            try:
                await self._send(client)
                with contextlib.suppress(StackError):  # the missing ones are reported as such
                    await until(
                        "the probe's alerts",
                        lambda: len(self.shown) >= len(self.published),
                        PROBE_GRACE_S / 2,
                    )
            finally:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)
                stream.close()
            async with http.get(f"{t.api}/alerts?limit=1000") as r:
                for a in await r.json():
                    self.incidents[str(a["id"])] = str(a["sensor"])

    async def _send(self, client: aiomqtt.Client) -> None:
        topic = topics.uplink(WEARER_SITE, WEARER_ID, topics.UplinkKind.ALERT)
        seq = 0
        while not self.stop.is_set():
            seq += 1
            sensor = f"probe-{seq}"
            alert = Alert(
                id=new_id(),
                device_id=WEARER_ID,
                seq=seq,
                sent_at=SystemClock().now(),
                sensor=sensor,
                name="fall",
                severity=Severity.CRITICAL,
                detail="probe",
            )
            at = time.monotonic()
            await client.publish(topic, encode(alert), qos=1)
            self.published[sensor] = at
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), self._t.alert_every_s)

    async def _watch(self, http: aiohttp.ClientSession, stream: aiohttp.ClientResponse) -> None:
        async for line in stream.content:
            if line.startswith(b"data:") and b'"alerts"' in line:
                async with http.get(f"{self._t.api}/alerts?limit=1000") as r:
                    for a in await r.json():
                        self.shown.setdefault(str(a["sensor"]), time.monotonic())


async def _one(stack: _Stack, fault: Fault) -> FaultResult:
    """Inject `fault`, end it, wait for the catch-up; the API is probed all the while."""
    outage = stack.options.outage_s or OUTAGE_S[fault]
    if fault is Fault.DISK_FULL and stack.no_tiny_disk is not None:
        note = f"skipped: {stack.no_tiny_disk}"
        return FaultResult(fault.value, 0.0, None, 0, 0, 0, None, None, note)
    probe = _Probe(stack.token, stack.api)
    probing = asyncio.create_task(probe.run())
    try:
        await _inject(stack, fault, outage)
        ended = time.monotonic()
        fleet_mark = stack.watch.made()
        agent_mark, _ = await _agent_meta(stack.outbox)
        await until(
            f"catching up after {fault.value}",
            lambda: stack.caught_up(fleet_mark, agent_mark),
            stack.options.catch_up_timeout_s,
        )
        catch_up = time.monotonic() - ended
    finally:
        probe.stop.set()
        await probing
    p99, worst = _ms_stats(probe.latencies, (99, 100))
    return FaultResult(
        fault=fault.value,
        outage_s=outage,
        catch_up_s=round(catch_up, 1),
        made_before_end=sum(fleet_mark.values()) + agent_mark,
        api_requests=len(probe.latencies),
        api_failed=probe.failed,
        api_p99_ms=p99,
        api_max_ms=worst,
    )


async def _inject(stack: _Stack, fault: Fault, outage: float) -> None:
    """The fault itself, held for `outage` seconds (the fault's length, not a wait)."""
    if fault is Fault.BROKER_KILL:
        stack.broker.stop(signal.SIGKILL)
        await asyncio.sleep(outage)
        await asyncio.to_thread(stack.broker.start)
    elif fault is Fault.WORKER_KILL:
        stack.procs.stop([stack.workers.procs[0]], signal.SIGKILL)
        await asyncio.sleep(outage)
        await stack.restart_worker(0)
    elif fault is Fault.DB_LOCK:
        await _locked(stack.url, outage)
    elif fault is Fault.DISK_FULL:
        stack.agent_link.cut()
        junk = stack.agent_dir / "junk"
        filling = asyncio.create_task(asyncio.to_thread(_fill, junk, outage))
        await asyncio.sleep(outage)
        await filling
        junk.unlink(missing_ok=True)
        stack.agent_link.restore()
    else:
        stack.agent_link.cut()
        stack.fleet_link.cut()
        await asyncio.sleep(outage)
        stack.agent_link.restore()
        stack.fleet_link.restore()


def _fill(path: Path, seconds: float) -> None:
    """Take every byte the disk has, and keep taking what the agent frees, for `seconds`."""
    end = time.monotonic() + seconds
    with path.open("ab", buffering=0) as f:
        while time.monotonic() < end:
            try:
                f.write(bytes(JUNK_CHUNK))
            except OSError:
                time.sleep(0.05)


async def _locked(url: str, seconds: float) -> None:
    """Hold an exclusive lock on the tables ingest writes for `seconds`."""
    if url.startswith("sqlite://"):
        db = sqlite3.connect(
            url.removeprefix("sqlite://"), timeout=60, isolation_level=None, check_same_thread=False
        )
        try:
            await asyncio.to_thread(db.execute, "BEGIN EXCLUSIVE")
            await asyncio.sleep(seconds)
            db.execute("ROLLBACK")
        finally:
            db.close()
        return
    conn = await asyncpg.connect(url)
    try:
        for attempt in range(10):  # a writer holding one table and wanting the other: deadlock
            try:
                async with conn.transaction():
                    await conn.execute(
                        "LOCK TABLE device, ingestedmessage IN ACCESS EXCLUSIVE MODE"
                    )
                    await asyncio.sleep(seconds)
                    return
            except asyncpg.DeadlockDetectedError:
                if attempt == 9:  # noqa: PLR2004
                    raise
    finally:
        await conn.close()


class _Probe:
    """An operator's API read (the fleet page's devices) every 200 ms, timed."""

    def __init__(self, token: str, api: Callable[[], str]) -> None:
        self._token, self._api = token, api  # the API's base URL, asked before each read
        self.stop = asyncio.Event()
        self.latencies: list[float] = []
        self.failed = 0

    async def run(self) -> None:
        headers = {"Authorization": f"Bearer {self._token}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    async with http.get(
                        f"{self._api()}/devices?limit=50",
                        timeout=aiohttp.ClientTimeout(60),
                    ) as r:
                        await r.read()
                        ok = r.status == 200  # noqa: PLR2004
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                self.latencies.append(time.monotonic() - started)
                self.failed += not ok
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), 0.2)


async def _count(stack: _Stack, result: ChaosResult) -> None:
    """Everything made, against everything stored, per source (fleet, agent, probe)."""
    from edge.outbox import Outbox  # noqa: PLC0415

    outbox = Outbox(stack.outbox, capacity=10**6)
    try:
        agent_made, dropped = outbox.high_water(), outbox.dropped
        waiting = {item.seq for item in outbox.head(10**6)}
    finally:
        outbox.close()
    db, fleet = stack.db, result.fleet
    agent = f"device_id = '{AGENT_ID}'"
    probe = f"device_id = '{WEARER_ID}'"
    rows = "FROM ingestedmessage WHERE "
    stored_agent = {int(str(r[0])) for r in await db.rows("SELECT seq " + rows + agent)}
    fleet_stored = await db.scalar(
        "SELECT count(DISTINCT device_id || ':' || seq) " + rows + f"NOT ({agent} OR {probe})"
    )
    probe_stored = await db.scalar("SELECT count(DISTINCT seq) " + rows + probe)
    # The agent's: each number is stored, or still in its outbox (delivered when it starts
    # again), or one of the oldest telemetry it dropped and reported (which may also have
    # been stored before the drop: the overlap only means fewer missing).
    missing = set(range(1, agent_made + 1)) - stored_agent - waiting
    fleet_made = fleet.produced if fleet else 0
    result.lost = (
        max(0, fleet_made - fleet_stored)
        + max(0, len(missing) - dropped)
        + max(0, stack.probe_alerts - probe_stored)
    )
    result.made = fleet_made + agent_made + stack.probe_alerts
    result.agent_left = len(waiting - stored_agent)
    result.fleet_unacked = fleet.unacked if fleet else 0
    result.resent = fleet.resent if fleet else 0
    result.agent_dropped = dropped
    result.stored = await db.scalar("SELECT count(*) FROM ingestedmessage")
    result.stored_distinct = await db.scalar(
        "SELECT count(DISTINCT device_id || ':' || seq) FROM ingestedmessage"
    )
    # Scale readings are the telemetry that makes samples: one each, never two.
    result.samples_doubled = max(
        0,
        await db.scalar("SELECT count(*) FROM sensorsample")
        - await db.scalar(
            "SELECT count(DISTINCT device_id || ':' || seq) FROM ingestedmessage"
            " WHERE kind = 'telemetry' AND device_id IN (SELECT device_id FROM sensorsample)"
        ),
    )
    result.agent_reported_dropped = await db.scalar(
        f"SELECT outbox_dropped FROM device WHERE id = '{AGENT_ID}'"  # noqa: S608
    )
    result.fleet_gaps = await db.scalar(
        f"SELECT count(*) FROM sequencegap WHERE NOT ({agent} OR {probe})"  # noqa: S608
    )
    result.alert_messages = await db.scalar(
        "SELECT count(*) FROM ingestedmessage WHERE kind = 'alert'"
    )
    result.incident_occurrences = await db.scalar(
        "SELECT coalesce(sum(occurrences), 0) FROM incident"
    )
    result.orders = await db.scalar('SELECT count(*) FROM "order"')
    result.needs_ordered_twice = await db.scalar(
        'SELECT count(*) FROM (SELECT need_id FROM "order" WHERE need_id IS NOT NULL'
        " GROUP BY need_id HAVING count(*) > 1) AS twice"
    )


# ---- running it ---------------------------------------------------------------------


async def run(options: Options) -> ChaosResult:
    """The whole run; everything it starts is stopped before it returns or raises."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:  # a connection per simulated device, in this one process
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    async with contextlib.AsyncExitStack() as scratch:
        workdir = options.workdir or Path(
            scratch.enter_context(tempfile.TemporaryDirectory(prefix="continuo-chaos-"))
        )
        workdir.mkdir(parents=True, exist_ok=True)
        if options.dialect == "sqlite":
            url = f"sqlite://{workdir / 'chaos.sqlite3'}"
        else:
            keep = options.workdir is not None
            url = await scratch.enter_async_context(
                postgres_database(options.postgres_url, keep=keep, prefix="continuo_bench")
            )
        # Entered last, so stopped first: before the database and the directory go.
        procs = scratch.enter_context(Processes())
        return await _with_stack(options, workdir, procs, url)


def markdown(result: ChaosResult) -> str:
    """The run as a table per fault and a table of counts."""
    db = "PostgreSQL" if result.dialect == "postgres" else "SQLite"
    lines = [
        (
            f"One stack: Mosquitto, {result.workers} worker(s) on {db}, the real agent (a"
            f" printer read every second) and {result.devices} simulated devices; the faults"
            " in turn."
        ),
        "",
        "| fault | outage | catch-up | API reads (devices page) | failed | API p99 | API max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in result.faults:
        if f.catch_up_s is None:
            lines.append(f"| {f.fault} | - | - | - | - | - | {f.note} |")
            continue
        lines.append(
            f"| {f.fault} | {f.outage_s:g} s | {f.catch_up_s:g} s | {f.api_requests} |"
            f" {f.api_failed} | {_ms(f.api_p99_ms)} | {_ms(f.api_max_ms)} |"
        )
    lines += _counts(result)
    return "\n".join(lines)


def _counts(result: ChaosResult) -> list[str]:
    """The counts over everything made, and the verdict."""
    return [
        "",
        "| count | value |",
        "| --- | ---: |",
        f"| durable messages made (fleet and agent) | {result.made:,} |",
        f"| stored (distinct device and sequence number) | {result.stored_distinct:,} |",
        f"| lost (made, not stored, not a reported drop) | {result.lost} |",
        f"| stored twice | {result.doubled} |",
        (
            "| telemetry the agent dropped for a full disk / reported to the cloud |"
            f" {result.agent_dropped} / {result.agent_reported_dropped} |"
        ),
        f"| open sequence gaps on the fleet | {result.fleet_gaps} |",
        (
            f"| alert messages / incident occurrences | {result.alert_messages} /"
            f" {result.incident_occurrences} |"
        ),
        f"| orders / needs ordered twice | {result.orders} / {result.needs_ordered_twice} |",
        f"| resends by the fleet | {result.resent:,} |",
        f"| the agent exited | {'yes' if result.agent_exited else 'no'} |",
        "",
        f"**{'Passed' if result.passed else 'FAILED'}**: "
        + (
            "nothing lost, nothing stored twice, no duplicate alert or order, the agent alive."
            if result.passed
            else "see the counts above."
        ),
    ]


GOALS_MS = {"ack": 1000.0, "api": 300.0, "alert": 250.0}  # p99 goals of the fleet issue


def hold_markdown(result: ChaosResult) -> str:
    """The fleet held at full flow: a table of measures against their goals, then counts."""
    h = result.hold
    if h is None:
        return markdown(result)
    db = "PostgreSQL" if result.dialect == "postgres" else "SQLite"

    def pair(p50: float | None, p99: float | None) -> str:
        return f"{_ms(p50)} / {_ms(p99)}"

    def verdict(p99: float | None, goal: float) -> str:
        met = p99 is not None and p99 < goal
        return f"p99 under {goal:,.0f} ms: {'met' if met else '**not met**'}"

    rate = h.acked / h.seconds if h.seconds else 0.0
    memory = ", ".join(f"{name} {mb:,.0f} MB" for name, mb in h.rss_mb.items())
    lines = [
        (
            f"{result.devices:,} simulated devices (one MQTT connection and account each) and"
            f" the real agent, through Mosquitto to {result.workers} worker(s) on {db},"
            f" held {h.seconds:g} s at full flow."
        ),
        "",
        "| measure | p50 / p99 or value | goal |",
        "| --- | ---: | --- |",
        (
            f"| devices connected at the end of the hold | {h.connected:,} of {result.devices:,} |"
            " all |"
        ),
        f"| durable messages acknowledged during the hold | {h.acked:,} ({rate:,.0f}/s) | |",
        (
            f"| publish to DeliveryAck | {pair(h.ack_p50_ms, h.ack_p99_ms)} |"
            f" {verdict(h.ack_p99_ms, GOALS_MS['ack'])} |"
        ),
        (
            f"| operator API read (devices page), {h.api_requests} reads, {h.api_failed} failed |"
            f" {pair(h.api_p50_ms, h.api_p99_ms)} | {verdict(h.api_p99_ms, GOALS_MS['api'])} |"
        ),
        (
            f"| alert to first channel (webhook), {h.alerts} alerts |"
            f" {pair(h.channel_p50_ms, h.channel_p99_ms)} |"
            f" {verdict(h.channel_p99_ms, GOALS_MS['alert'])} |"
        ),
        (
            f"| alert to dashboard (change event, then the alerts API) |"
            f" {pair(h.dashboard_p50_ms, h.dashboard_p99_ms)} |"
            f" {verdict(h.dashboard_p99_ms, GOALS_MS['alert'])} |"
        ),
        f"| peak memory (VmHWM) | {memory} | |",
        (
            "| the simulator's event loop late (its acks above include this) |"
            f" {pair(h.loop_lag_p50_ms, h.loop_lag_p99_ms)} | |"
        ),
        "",
        *_counts(result),
    ]
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def bench(options: Options) -> ChaosResult:
    """Run in a fresh event loop (Ctrl-C or SIGTERM stops everything it started).

    Raises:
        StackError: Something it needs is missing, or a process it started failed.
    """
    find_mosquitto()
    quiet_mqtt()
    return asyncio.run(stoppable(run(options)))


def quiet_mqtt() -> None:
    """Devices' dropped connections are the point here: their reports stay unprinted.

    paho's (the "mqtt" logger) and the event loop's ("asyncio": a socket closed under a
    simulated device's pending write); the run's counts, not these lines, say what was lost.
    """
    for name in ("mqtt", "asyncio"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False


if __name__ == "__main__":  # the probe process of `_hold`
    quiet_mqtt()
    result = asyncio.run(_probes(ProbeTargets(**json.loads(sys.argv[1]))))
    sys.stdout.write(json.dumps(asdict(result)))

"""`continuo bench ingest`: raw Mosquitto against persisted-and-acknowledged, in one run.

One Mosquitto (the project's broker config, a free loopback port) serves the whole run.
First the simulated devices publish their messages at QoS 1 to a plain subscriber
(`mosquitto_sub`); then, for SQLite with one worker and PostgreSQL with one, two and three,
the same devices publish the same number of messages again and wait for the backend's
DeliveryAck, as the agent does. Every worker is a real `continuo cloud serve` process with
its own client id; each row gets a fresh database, counted afterwards: every message sent
must be stored exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiomqtt
import asyncpg

from cloud.identity.registry import device_accounts
from cloud.store.db import database
from common import topics
from common.clock import SystemClock
from common.topics import UplinkKind
from continuo.bench.fleet import (
    AckMode,
    FleetError,
    FleetFile,
    FleetResult,
    Profile,
    register_fleet,
    run_fleet,
)
from continuo.bench.stats import cpu_seconds, machine_busy, own_peak_rss_mb, peak_rss_mb
from continuo.stack import (
    CLOUD_USER,
    POSTGRES_ADMIN_URL,
    Backend,
    Broker,
    Processes,
    StackError,
    check_postgres,
    find_mosquitto,
    postgres_database,
    start_workers,
    stoppable,
    until,
)

GOAL = 0.5  # persisted and acknowledged, as a share of raw Mosquitto in the same run
SECTION = "ingest-bench"
TITLE = "## Ingest: persisted and acknowledged against raw Mosquitto"


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """What one benchmark run does."""

    devices: int = 20
    messages: int = 250
    window: int = 100
    sqlite: bool = True
    pg_workers: tuple[int, ...] = (1, 2, 3)
    postgres_url: str = POSTGRES_ADMIN_URL
    phase_timeout_s: float = 240.0
    workdir: Path | None = None  # kept, with its databases, when given
    seed: int = 1


@dataclass(frozen=True, slots=True)
class RawResult:
    """Raw broker throughput: the same publishers, a plain QoS 1 subscriber."""

    sent: int
    received: int
    seconds: float
    msgs_per_s: float
    subscriber_rss_mb: float
    fleet: FleetResult


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """One database and worker count, persisted and acknowledged."""

    dialect: str
    workers: int
    database_url: str
    fleet: FleetResult
    stored: int  # telemetry rows in the dedupe table
    stored_distinct: int  # distinct (device, seq) among them
    samples: int  # scale readings stored
    worker_rss_mb: list[float]
    worker_errors: int  # ERROR or CRITICAL lines in the workers' logs
    worker_cpu_s: float = 0.0  # all workers' CPU time while the fleet ran
    machine_busy: float = 0.0  # the share of the machine's CPU in use meanwhile

    @property
    def cpu_ms_per_1000(self) -> float:
        """The workers' CPU time per 1,000 messages acknowledged."""
        return 1e6 * self.worker_cpu_s / max(self.fleet.acked, 1)

    @property
    def doubled(self) -> int:
        """Readings stored more than once (dedupe rows or scale samples)."""
        return self.stored - self.stored_distinct + max(0, self.samples - self.stored_distinct)

    @property
    def lost(self) -> int:
        """Readings acknowledged to a device yet not in the database."""
        return max(0, self.fleet.acked - self.stored_distinct)

    @property
    def stored_once(self) -> bool:
        """Every message sent is stored, none twice."""
        return self.doubled == 0 and self.stored_distinct == self.fleet.produced


@dataclass(slots=True)
class BenchResult:
    """Everything one run measured."""

    devices: int
    messages: int
    window: int
    payload_bytes: int
    cores: int
    load_before: float
    raw: RawResult | None = None
    phases: list[PhaseResult] = field(default_factory=list)
    broker_rss_mb: float = 0.0
    bench_rss_mb: float = 0.0

    def as_json(self) -> str:
        """The result as JSON."""
        return json.dumps(asdict(self), indent=2)


# ---- databases ----------------------------------------------------------------------


_COUNT = (
    "SELECT (SELECT count(*) FROM ingestedmessage WHERE kind = 'telemetry'),"
    " (SELECT count(DISTINCT device_id || ':' || seq) FROM ingestedmessage"
    "  WHERE kind = 'telemetry'),"
    " (SELECT count(*) FROM sensorsample)"
)


async def stored_counts(url: str) -> tuple[int, int, int]:
    """Telemetry rows stored, distinct (device, seq) among them, and scale samples."""
    if url.startswith("sqlite://"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite://"))) as db:
            row = db.execute(_COUNT).fetchone()
        return int(row[0]), int(row[1]), int(row[2])
    conn = await asyncpg.connect(url)
    try:
        record = await conn.fetchrow(_COUNT)
    finally:
        await conn.close()
    assert record is not None  # noqa: S101 (a SELECT of scalars has one row)
    return int(record[0]), int(record[1]), int(record[2])


# ---- the phases ---------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    options: Options
    workdir: Path
    procs: Processes
    fleet: FleetFile
    broker: Broker
    rng: random.Random

    def profile(self, ack: AckMode) -> Profile:
        o = self.options
        return Profile(burst=o.messages, ack=ack, window=o.window, timeout_s=o.phase_timeout_s)

    async def raw(self) -> RawResult:
        """The same publishers at QoS 1, counted by a plain `mosquitto_sub`."""
        total = self.options.devices * self.options.messages
        log = self.workdir / "mosquitto_sub.log"
        sub = self.procs.start(
            [
                # Line-buffered, so its SUBACK shows before it exits.
                *([stdbuf, "-oL"] if (stdbuf := shutil.which("stdbuf")) else []),
                shutil.which("mosquitto_sub") or "mosquitto_sub",
                *("-h", "127.0.0.1", "-p", str(self.broker.cloud_port), "-V", "mqttv5"),
                *("-q", "1", "-u", CLOUD_USER, "-P", self.broker.cloud_password),
                *("-i", "bench-raw-subscriber"),
                *("-t", f"{topics.PREFIX}/+/+/up/{UplinkKind.TELEMETRY.value}"),
                *("-C", str(total), "-d", "-F", "T@s.@N"),
            ],
            log,
        )
        await until("mosquitto_sub's subscription", lambda: b"SUBACK" in log.read_bytes(), 30)
        rss = [0.0]

        def finished() -> bool:  # its peak is read while it runs: -C ends it on the last one
            rss[0] = max(rss[0], peak_rss_mb(sub.pid))
            return sub.poll() is not None

        watch = asyncio.create_task(until("the subscriber", finished, self.options.phase_timeout_s))
        try:
            fleet = await run_fleet(
                self.fleet, self.profile(AckMode.PUBACK), clock=SystemClock(), rng=self.rng
            )
            with contextlib.suppress(StackError):
                await watch
        finally:
            watch.cancel()
            self.procs.stop([sub])
        stamps = [float(m) for m in re.findall(rb"^T(\d+\.\d+)$", log.read_bytes(), re.MULTILINE)]
        seconds = max((max(stamps) if stamps else SystemClock().now()) - fleet.started_at, 1e-6)
        return RawResult(
            sent=fleet.acked,
            received=len(stamps),
            seconds=round(seconds, 3),
            msgs_per_s=round(len(stamps) / seconds, 1),
            subscriber_rss_mb=rss[0],
            fleet=fleet,
        )

    async def persisted(self, dialect: str, workers: int) -> PhaseResult:
        """Fresh database, `workers` backends, the fleet waits for every DeliveryAck."""
        label = f"{dialect}-{workers}"
        async with self._fresh_database(dialect, label) as url:
            async with database(url):
                # The same ids as the broker's accounts (their passwords stay as the broker
                # has them: ingest checks who a device is, not its password).
                await register_fleet(self.options.devices)
            started = await asyncio.to_thread(
                start_workers,
                self.procs,
                self.workdir,
                Backend(url, self.broker),
                count=workers,
                label=label,
            )
            procs = started.procs
            try:
                cpu_before = sum(cpu_seconds(p.pid) for p in procs)
                busy_before = machine_busy()
                fleet = await run_fleet(
                    self.fleet, self.profile(AckMode.CLOUD), clock=SystemClock(), rng=self.rng
                )
                cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu_before
                busy_after = machine_busy()
                spent = busy_after[1] - busy_before[1]
                busy = (busy_after[0] - busy_before[0]) / spent if spent else 0.0
                rss = [peak_rss_mb(p.pid) for p in procs]
            finally:
                self.procs.stop(procs)
                # What a stopped worker left queued (a row that timed out) must not reach
                # the next row's database: end its broker sessions.
                await self._end_sessions(started.client_ids)
            stored = await stored_counts(url)
        errors = sum(
            len(re.findall(r" (ERROR|CRITICAL) ", log.read_text(errors="replace")))
            for log in started.logs
        )
        return PhaseResult(dialect, workers, url, fleet, *stored, rss, errors, cpu, busy)

    @contextlib.asynccontextmanager
    async def _fresh_database(self, dialect: str, label: str) -> AsyncIterator[str]:
        """A new, empty database; a PostgreSQL one is dropped after unless --workdir keeps it."""
        if dialect == "sqlite":
            yield f"sqlite://{self.workdir / f'{label}.sqlite3'}"
            return
        keep = self.options.workdir is not None
        async with postgres_database(
            self.options.postgres_url, keep=keep, prefix="continuo_bench"
        ) as url:
            yield url

    async def _end_sessions(self, client_ids: list[str]) -> None:
        """Log in as each client id with a clean start and no expiry: its session is gone."""
        for client_id in client_ids:
            with contextlib.suppress(aiomqtt.MqttError):
                async with aiomqtt.Client(
                    "127.0.0.1",
                    self.broker.cloud_port,
                    username=CLOUD_USER,
                    password=self.broker.cloud_password,
                    identifier=client_id,
                    protocol=aiomqtt.ProtocolVersion.V5,
                    clean_start=True,
                    timeout=10,
                ):
                    pass


async def run(options: Options) -> BenchResult:
    """The whole benchmark; everything it starts is stopped before it returns or raises."""
    with contextlib.ExitStack() as scratch:
        workdir = options.workdir or Path(
            scratch.enter_context(tempfile.TemporaryDirectory(prefix="continuo-bench-"))
        )
        workdir.mkdir(parents=True, exist_ok=True)
        procs = scratch.enter_context(Processes())  # stopped before their directory goes
        return await _run(options, workdir, procs)


async def _run(options: Options, workdir: Path, procs: Processes) -> BenchResult:
    from common.messages import ScaleReading, ScaleState, Telemetry, encode, new_id  # noqa: PLC0415

    sample = Telemetry(
        id=new_id(),
        device_id=f"fleet-{options.devices:04d}",
        seq=options.messages,
        sent_at=SystemClock().now(),
        sensor="scale",
        reading=ScaleReading(state=ScaleState.STABLE, grams=1234.5),
    )
    result = BenchResult(
        devices=options.devices,
        messages=options.messages,
        window=options.window,
        payload_bytes=len(encode(sample)),
        cores=os.cpu_count() or 1,
        load_before=os.getloadavg()[0],
    )
    if options.pg_workers:  # fail before anything starts
        await check_postgres(options.postgres_url)
    async with database(f"sqlite://{workdir / 'accounts.sqlite3'}"):
        devices = await register_fleet(options.devices)
        accounts = await device_accounts()
    broker = Broker(
        workdir / "broker",
        cloud_password=secrets.token_hex(16),
        processes=procs,
        log=workdir / "mosquitto.log",
    )
    broker.configure(accounts)
    await asyncio.to_thread(broker.start)
    run = _Run(
        options,
        workdir,
        procs,
        FleetFile("127.0.0.1", broker.port, devices),
        broker,
        random.Random(options.seed),  # noqa: S311 (simulated readings)
    )
    try:
        result.raw = await run.raw()
        rows = [("sqlite", 1)] if options.sqlite else []
        rows += [("postgres", n) for n in options.pg_workers]
        for dialect, workers in rows:
            result.phases.append(await run.persisted(dialect, workers))
    except FleetError as exc:
        raise StackError(str(exc)) from exc
    result.broker_rss_mb = peak_rss_mb(broker.pid)
    result.bench_rss_mb = own_peak_rss_mb()
    return result


def bench(options: Options) -> BenchResult:
    """Run in a fresh event loop (Ctrl-C or SIGTERM stops everything it started).

    Raises:
        StackError: Something it needs is missing, or a process it started failed.
    """
    find_mosquitto()
    if shutil.which("mosquitto_sub") is None:
        raise StackError("mosquitto_sub is needed (apt-get install mosquitto-clients)")
    return asyncio.run(stoppable(run(options)))


# ---- reporting ----------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def _label(phase: PhaseResult) -> str:
    name = "SQLite" if phase.dialect == "sqlite" else "PostgreSQL"
    words = {1: "one worker", 2: "two workers", 3: "three workers"}
    return f"persisted and acked, {name}, {words.get(phase.workers, f'{phase.workers} workers')}"


def markdown(result: BenchResult) -> str:
    """The table, the method and the goal, for the terminal and BENCHMARKS.md."""
    raw = result.raw
    raw_rate = raw.msgs_per_s if raw else 0.0
    lines = [
        (
            f"{result.devices} devices x {result.messages} scale readings of "
            f"{result.payload_bytes} bytes, QoS 1, window {result.window}; {result.cores} "
            f"cores, load average {result.load_before:.1f} at the start."
        ),
        "",
        (
            "| path | msgs/s | of raw | p50 to ack | p99 to ack | stored once / sent | resent "
            "| worker CPU per 1,000 | machine busy | peak RSS |"
        ),
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    if raw:
        lines.append(
            f"| raw Mosquitto QoS 1, same broker and publishers, plain subscriber "
            f"| {raw.msgs_per_s:,.0f} | 100% | - | - | {raw.received:,} received / "
            f"{raw.sent:,} | {raw.fleet.resent:,} | - | - | broker {result.broker_rss_mb:.0f} MB, "
            f"subscriber {raw.subscriber_rss_mb:.0f} MB |"
        )
    for p in result.phases:
        f = p.fleet
        share = f"{f.msgs_per_s / raw_rate:.1%}" if raw_rate else "-"
        once = f"{p.stored_distinct:,} / {f.produced:,}"
        if p.doubled:
            once += f", {p.doubled:,} stored twice"
        if p.lost:
            once += f", {p.lost:,} acked but not stored"
        if f.timed_out:
            once += f", {f.unacked:,} unacked at the timeout"
        if p.worker_errors:
            once += f", {p.worker_errors} error lines logged"
        rss = ", ".join(f"{r:.0f}" for r in p.worker_rss_mb)
        lines.append(
            f"| {_label(p)} | {f.msgs_per_s:,.0f} | {share} | {_ms(f.p50_ms)} | {_ms(f.p99_ms)} "
            f"| {once} | {f.resent:,} | {p.cpu_ms_per_1000:,.0f} ms | {p.machine_busy:.0%} "
            f"| worker{'s' if p.workers > 1 else ''} {rss} MB |"
        )
    lines += [
        "",
        f"The benchmark process (the simulated fleet) peaked at {result.bench_rss_mb:.0f} MB.",
    ]
    best = max(result.phases, key=lambda p: p.fleet.msgs_per_s, default=None)
    if best is not None and raw_rate:
        best_share = best.fleet.msgs_per_s / raw_rate
        verdict = (
            "met"
            if all(p.fleet.msgs_per_s >= GOAL * raw_rate for p in result.phases)
            else "not met"
        )
        lines += [
            "",
            (
                f"**Goal** (every persisted-and-acknowledged row at least {GOAL:.0%} of raw "
                f"Mosquitto in the same run): **{verdict}**; the best row reaches {best_share:.1%} "
                f"({_label(best)})."
            ),
        ]
    return "\n".join(lines)


METHOD = (
    "Method: one Mosquitto with the project's broker config (devices and the cloud on "
    "listeners of their own) on loopback. The simulated devices (`continuo sim fleet`'s code: "
    "one MQTT v5 connection and account per device, client id = username) queue their "
    "readings and send them at QoS 1 with a window of unacknowledged messages, resending "
    "on a timeout from measured round trips as the agent does. Raw: those publishers, "
    "counted by a plain `mosquitto_sub -q 1`, from the first publish to the last message "
    "received. Persisted: a message counts when the device receives the DeliveryAck that "
    "names it; p50/p99 from a message's first publish to its ack. Workers are "
    "`continuo cloud serve` processes with distinct client ids on one fresh database per "
    "row (PostgreSQL on 127.0.0.1:5432); afterwards the database is counted: every reading "
    "sent stored once. Worker CPU is the workers' user and system time while the fleet ran, "
    "per 1,000 messages acknowledged; machine busy is the share of all cores in use then "
    "(the fleet, the broker, PostgreSQL and the workers share them). Peak RSS is each "
    "process's VmHWM."
)


def report(result: BenchResult) -> str:
    """The BENCHMARKS.md section: the table, then the method."""
    return f"{markdown(result)}\n\n{METHOD}"

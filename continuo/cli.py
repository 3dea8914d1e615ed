"""`continuo`: one command with a sub-command per user."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cloud.cli import app as cloud_app
from edge.cli import app as edge_app
from edge.fall.cli import app as fall_app
from firmware_sim.cli import app as sim_app

if TYPE_CHECKING:
    from collections.abc import Callable

    from continuo.bench.chaos import ChaosResult, Options
    from continuo.bench.fleet import FleetFile

app = typer.Typer(
    help="Continuo: edge agents and the cloud fulfilment backend.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # help and errors are plain text: no markup or emoji in user text
    epilog=(
        "Examples:\n\n\b\n  continuo demo\n  continuo cloud init --out cloud.toml\n"
        "  continuo edge probe-printer ipp://192.168.1.20:631/ipp/print --json\n\n"
        "Exit codes: 0 done, 1 the operation failed, 2 bad usage or configuration. "
        "CONTINUO_DEBUG=1 shows the traceback of an unexpected error."
    ),
)
app.add_typer(edge_app, name="edge", help="The agent on the Pi, and the installer's tools.")
app.add_typer(cloud_app, name="cloud", help="The backend, and operating it.")
app.add_typer(sim_app, name="sim", help="Simulated devices.")
app.add_typer(fall_app, name="fall", help="The fall detector: evaluation and benchmarks.")


def _check_recording(path: Path | None) -> None:
    """A fall recording to replay must be a file: else one line and exit 2, before starting."""
    if path is not None and not path.is_file():
        print(f"error: {path} is not a SisFall recording file", file=sys.stderr)
        raise typer.Exit(2)


@app.command()
def demo(
    printer_uri: Annotated[
        str | None,
        typer.Option(
            help="Use this real printer (ipp://host:port/path) instead of the simulated one."
        ),
    ] = None,
    workdir: Annotated[Path, typer.Option(help="Where the demo keeps its files.")] = Path(".demo"),
    http_port: Annotated[int, typer.Option(min=0, max=65535)] = 8080,
    duration: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    pages_per_minute: Annotated[float, typer.Option(min=1, max=10_000)] = 60.0,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the last run's data: its database, device, login.")
    ] = False,
    fall_after: Annotated[
        float, typer.Option(min=5, max=86_400, help="The wearer falls this many seconds in.")
    ] = 60.0,
    fall_recording: Annotated[
        Path | None, typer.Option(help="Replay this SisFall recording as the fall.")
    ] = None,
) -> None:
    """Run broker, cloud and a customer's home (printer, scale, button, wearable); print the URL."""
    from continuo.demo import DemoOptions, run_demo  # noqa: PLC0415

    _check_recording(fall_recording)
    raise typer.Exit(
        run_demo(
            DemoOptions(
                printer_uri=printer_uri,
                workdir=workdir,
                http_port=http_port,
                duration_s=duration,
                pages_per_minute=pages_per_minute,
                keep=keep,
                fall_after_s=fall_after,
                fall_recording=fall_recording,
            )
        )
    )


EXIT_FAILURE = 1  # README: 1 the operation failed, 2 bad usage or configuration
MAX_WORKERS = 16  # backend processes one `bench ingest` row may start

bench_app = typer.Typer(
    help="End-to-end benchmarks of the running system.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(bench_app, name="bench")


@bench_app.command("alerts")
def bench_alerts(
    alerts: Annotated[int, typer.Option(min=1, max=1000)] = 40,
    devices: Annotated[int, typer.Option(min=0, max=500, help="Background devices.")] = 20,
    rate: Annotated[float, typer.Option(min=0.1, max=100, help="Messages/s per device.")] = 5.0,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Latency from the edge's fall decision to the dashboard and the first channel."""
    from continuo.bench import alerts as b  # noqa: PLC0415
    from edge.report import write_section  # noqa: PLC0415

    result = b.bench(alerts=alerts, devices=devices, rate=rate)
    print(b.as_json(result) if as_json else b.markdown(result))
    if update is not None:
        write_section(update, "alert-latency", b.markdown(result))


@bench_app.command("agent")
def bench_agent(
    seconds: Annotated[
        float, typer.Option(min=1, max=3600, help="How long the agent runs before memory is read.")
    ] = 20.0,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The edge agent's resident memory and cold start, with a printer, a scale and a wearable."""
    from continuo.bench import agent as b  # noqa: PLC0415
    from continuo.stack import StackError  # noqa: PLC0415
    from edge.report import write_section  # noqa: PLC0415

    try:
        result = b.measure(seconds)
    except StackError as exc:
        print(f"error: {exc}")
        raise typer.Exit(2) from exc
    print(b.as_json(result) if as_json else b.markdown(result))
    if update is not None:
        write_section(update, b.SECTION, b.markdown(result))


@sim_app.command("site")
def sim_site(
    config_path: Annotated[Path, typer.Option("--config", "-c", help="Agent config (TOML).")],
    fall_after: Annotated[
        float, typer.Option(min=5, max=86_400, help="The wearer falls this many seconds in.")
    ] = 60.0,
    fall_recording: Annotated[
        Path | None,
        typer.Option(
            help="Replay this SisFall recording (SUBJECT/Fxx_SUBJECT_Rnn.txt) as the fall."
        ),
    ] = None,
    press_after: Annotated[
        float | None, typer.Option(min=0, help="Press each reorder button this many seconds in.")
    ] = 30.0,
    seed: int = 1,
) -> None:
    """The real edge agent, with its wearables (BLE) and buttons (GPIO) simulated."""
    from continuo import site  # noqa: PLC0415
    from edge.config import ConfigError, load_config  # noqa: PLC0415

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(2) from exc
    _check_recording(fall_recording)
    options = site.SiteOptions(
        fall_after_s=fall_after, recording=fall_recording, press_after_s=press_after, seed=seed
    )
    with contextlib.suppress(KeyboardInterrupt):
        site.main(config, options)


@sim_app.command("population")
def sim_population(
    customers: Annotated[int, typer.Option(min=1, max=1_000_000)] = 1000,
    days: Annotated[int, typer.Option(min=7, max=3650)] = 365,
    seed: Annotated[int, typer.Option()] = 1,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes.")] = 2,
    service_z: Annotated[
        float, typer.Option(min=0, max=5, help="The engine's safety against running out.")
    ] = 2.3,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A simulated population through the real decision engine, against two baselines."""
    import json  # noqa: PLC0415
    import time  # noqa: PLC0415

    from continuo.bench import population  # noqa: PLC0415
    from edge.report import write_section  # noqa: PLC0415

    started = time.perf_counter()
    figures = population.metrics(
        population.simulate(
            customers=customers, days=days, seed=seed, workers=workers, service_z=service_z
        )
    )
    took = time.perf_counter() - started
    header = (
        f"{customers} households, {days} days, seed {seed}, service z {service_z}: "
        f"{took:.0f} s on {workers} process(es)."
    )
    table = population.markdown(figures, header=header)
    print(
        json.dumps(
            {
                "customers": customers,
                "days": days,
                "seed": seed,
                "seconds": round(took, 1),
                "strategies": figures,
            },
            indent=2,
        )
        if as_json
        else table
    )
    if update is not None:
        write_section(update, "population", table)


@sim_app.command("fleet")
def sim_fleet(
    devices_file: Annotated[
        Path,
        typer.Option(
            "--devices",
            help="Fleet file (JSON, mode 0600): the broker's host and port, each device's site, id and password. Written by --register.",
        ),
    ],
    register: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=100_000,
            help="First register this many devices (fleet-0001, ...) in the database of --config, rewrite the broker's accounts and SIGHUP it (needs [broker] config_dir), and write --devices.",
        ),
    ] = None,
    config_path: Annotated[
        Path | None, typer.Option("--config", "-c", help="Backend config (for --register).")
    ] = None,
    messages: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1_000_000,
            help="Benchmark: this many scale readings per device, queued at once, sent as fast as the window allows; the run ends when all are acked.",
        ),
    ] = None,
    duration: Annotated[
        float, typer.Option(min=1, max=86_400, help="Without --messages: produce this long.")
    ] = 60.0,
    heartbeat_s: Annotated[float, typer.Option(min=1, max=3600)] = 30.0,
    telemetry_s: Annotated[
        float, typer.Option(min=0.01, max=86_400, help="Mean seconds between readings.")
    ] = 180.0,
    event_s: Annotated[float, typer.Option(min=0.01, max=10**7)] = 3600.0,
    alert_s: Annotated[float, typer.Option(min=0.01, max=10**8)] = 86_400.0,
    window: Annotated[
        int, typer.Option(min=1, max=10_000, help="Unacked messages in flight per device.")
    ] = 100,
    ack: Annotated[
        str, typer.Option(help="cloud: wait for DeliveryAcks; puback: the broker's PUBACK only.")
    ] = "cloud",
    timeout: Annotated[
        float, typer.Option(min=1, max=7 * 86_400, help="The most the run may take.")
    ] = 600.0,
    seed: Annotated[int, typer.Option()] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Simulated devices from one process, each on its own MQTT connection and account.

    Heartbeats, printer or scale readings, events and an occasional alert; each durable
    message is resent until the cloud's DeliveryAck names it, as the agent does.

    Devices come from an existing deployment's fleet file (--devices), or --register adds
    them to the backend of --config first and reloads its broker. `continuo bench ingest`
    needs neither: it registers its devices and writes its own broker's config itself.
    """
    import asyncio  # noqa: PLC0415

    from common.errors import ContinuoError  # noqa: PLC0415
    from continuo.bench import fleet as f  # noqa: PLC0415

    try:
        mode = f.AckMode(ack)
    except ValueError:
        print(f"error: --ack must be one of {', '.join(m.value for m in f.AckMode)}")
        raise typer.Exit(2) from None
    profile = f.Profile(
        burst=messages,
        duration_s=duration,
        timeout_s=timeout,
        heartbeat_s=heartbeat_s,
        telemetry_s=telemetry_s,
        event_s=event_s,
        alert_s=alert_s,
        window=window,
        ack=mode,
    )
    try:
        if register is not None:
            fleet, reloaded = asyncio.run(_register_fleet(register, config_path))
            fleet.save(devices_file)  # first: the passwords are shown nowhere else
            if not reloaded:
                print(
                    f"error: registered {register} devices into {devices_file}, but the broker "
                    "was not reloaded (set [broker] config_dir, or run `continuo cloud "
                    "broker-config` and SIGHUP mosquitto); then run again with --devices only"
                )
                raise typer.Exit(2)
        result = f.simulate(f.FleetFile.load(devices_file), profile, seed=seed)
    except ContinuoError as exc:
        print(f"error: {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        print(result.as_json())
        return
    print(
        f"{result.connected}/{result.devices} devices connected; {result.acked}/{result.produced} "
        f"messages acknowledged in {result.seconds:.1f} s ({result.msgs_per_s:,.0f} msgs/s), "
        f"p50 {result.p50_ms} ms, p99 {result.p99_ms} ms to ack; {result.resent} resent, "
        f"{result.duplicate_acks} duplicate acks, {result.disconnects} disconnects; "
        f"peak RSS {result.max_rss_mb:.0f} MB"
    )
    if result.timed_out:
        raise typer.Exit(1)


async def _register_fleet(count: int, config_path: Path | None) -> tuple[FleetFile, bool]:
    from cloud.config import ConfigError, load_config  # noqa: PLC0415
    from cloud.identity.provisioning import refresh_broker  # noqa: PLC0415
    from cloud.identity.registry import RegistryError  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415
    from continuo.bench.fleet import FleetError, FleetFile, register_fleet  # noqa: PLC0415

    if config_path is None:
        raise FleetError("--register needs --config (the backend's config file)")
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise FleetError(str(exc)) from exc
    try:
        async with database(config.database_url):
            devices = await register_fleet(count)
            reloaded = await refresh_broker(config.broker)
    except RegistryError as exc:
        raise FleetError(str(exc)) from exc
    host = config.broker.public_host or config.broker.host
    return FleetFile(host=host, port=config.broker.devices_port, devices=devices), reloaded


@bench_app.command("ingest")
def bench_ingest(
    devices: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    messages: Annotated[int, typer.Option(min=1, max=1_000_000, help="Per device.")] = 250,
    window: Annotated[
        int, typer.Option(min=1, max=10_000, help="Unacked messages in flight per device.")
    ] = 100,
    pg_workers: Annotated[
        str, typer.Option(help="PostgreSQL rows: worker counts, comma-separated ('' for none).")
    ] = "1,2,3",
    sqlite: Annotated[bool, typer.Option(help="The SQLite row (one worker).")] = True,
    postgres_url: Annotated[
        str, typer.Option(help="An admin URL; a fresh database is made per row, then dropped.")
    ] = "postgres://postgres@127.0.0.1:5432/postgres",
    phase_timeout: Annotated[
        float, typer.Option(min=5, max=86_400, help="The most one row may take, in seconds.")
    ] = 240.0,
    workdir: Annotated[
        Path | None,
        typer.Option(help="Keep the broker files, logs and databases here (not dropped)."),
    ] = None,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Raw Mosquitto QoS 1 against persisted-and-acknowledged ingest, SQLite and PostgreSQL.

    Starts its own Mosquitto on a free loopback port with the project's broker config,
    simulated devices (as `continuo sim fleet`) and real `continuo cloud serve` workers;
    stops them all at the end. Defaults take a few minutes.
    """
    import shlex  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from continuo.bench import ingest as b  # noqa: PLC0415
    from continuo.stack import StackError  # noqa: PLC0415
    from edge.report import write_section  # noqa: PLC0415

    try:
        workers = tuple(int(w) for w in pg_workers.split(",") if w.strip())
    except ValueError:
        print(f"error: --pg-workers takes worker counts like 1,2,3, not {pg_workers!r}")
        raise typer.Exit(2) from None
    if any(not 1 <= w <= MAX_WORKERS for w in workers):
        print(f"error: --pg-workers: each count must be 1 to {MAX_WORKERS}")
        raise typer.Exit(2)
    if update is not None and not update.parent.is_dir():
        print(f"error: --update: no directory {update.parent}")
        raise typer.Exit(2)
    options = b.Options(
        devices=devices,
        messages=messages,
        window=window,
        sqlite=sqlite,
        pg_workers=workers,
        postgres_url=postgres_url,
        phase_timeout_s=phase_timeout,
        workdir=workdir,
    )
    try:
        result = b.bench(options)
    except StackError as exc:
        print(f"error: {exc}")
        raise typer.Exit(2) from exc
    except KeyboardInterrupt:
        print("interrupted: everything the benchmark started is stopped")
        raise typer.Exit(130) from None
    print(result.as_json() if as_json else b.markdown(result))
    if update is not None:
        args = [a for a in sys.argv[1:] if a != "--json"]
        command = f"    continuo {shlex.join(args)}"  # indented: a code block
        write_section(update, b.SECTION, b.report(result), heading=f"{b.TITLE}\n\n{command}")


def _check_stack(database: str, update: Path | None) -> None:
    """The checks `bench chaos` and `bench fleet` make before starting anything."""
    if database not in {"postgres", "sqlite"}:
        print(f"error: --database takes postgres or sqlite, not {database!r}", file=sys.stderr)
        raise typer.Exit(2)
    if update is not None and not update.parent.is_dir():
        print(f"error: --update: no directory {update.parent}", file=sys.stderr)
        raise typer.Exit(2)


def _run_stack(
    options: Options,
    render: Callable[[ChaosResult], str],
    section: str,
    update: Path | None,
    *,
    as_json: bool,
) -> None:
    """Run a chaos or fleet stack, print (and write) its table; exit 1 if it did not pass."""
    from continuo.bench import chaos  # noqa: PLC0415
    from continuo.stack import StackError  # noqa: PLC0415
    from edge.report import write_section  # noqa: PLC0415

    try:
        result = chaos.bench(options)
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(2) from exc
    except KeyboardInterrupt:
        print("interrupted: everything the run started is stopped")
        raise typer.Exit(130) from None
    print(result.as_json() if as_json else render(result))
    if update is not None:
        write_section(update, section, render(result))
    if not result.passed:
        raise typer.Exit(1)


@bench_app.command("chaos")
def bench_chaos(
    fault: Annotated[
        list[str] | None,
        typer.Option(
            help="broker-kill, worker-kill, db-lock, disk-full or link-cut (repeat; default all)."
        ),
    ] = None,
    outage: Annotated[
        float | None,
        typer.Option(
            min=1, max=3600, help="Every fault's length in seconds (default: each its own)."
        ),
    ] = None,
    database: Annotated[str, typer.Option(help="postgres or sqlite.")] = "postgres",
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=MAX_WORKERS, help="Default: 2 on PostgreSQL, 1 on SQLite."),
    ] = None,
    devices: Annotated[int, typer.Option(min=1, max=10_000, help="Simulated devices.")] = 20,
    postgres_url: Annotated[
        str, typer.Option(help="An admin URL; a fresh database is made, then dropped.")
    ] = "postgres://postgres@127.0.0.1:5432/postgres",
    workdir: Annotated[
        Path | None, typer.Option(help="Keep the logs and the database here.")
    ] = None,
    update: Annotated[
        Path | None, typer.Option(help="Write the tables into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Faults injected into a running stack: nothing lost, nothing doubled, catch-up timed.

    Runs Mosquitto, real workers, the real agent and simulated devices, then kills the
    broker, kills a worker, locks the database, fills the agent's disk and cuts the link,
    one after another; exits 1 if anything was lost or doubled.
    """
    from continuo.bench import chaos as c  # noqa: PLC0415

    try:
        faults = tuple(c.Fault(f) for f in fault) if fault else tuple(c.Fault)
    except ValueError:
        print(f"error: --fault takes {', '.join(f.value for f in c.Fault)}", file=sys.stderr)
        raise typer.Exit(2) from None
    _check_stack(database, update)
    options = c.Options(
        faults=faults,
        outage_s=outage,
        dialect=database,
        workers=workers or (1 if database == "sqlite" else 2),
        devices=devices,
        postgres_url=postgres_url,
        workdir=workdir,
    )
    _run_stack(options, c.markdown, c.SECTION, update, as_json=as_json)


@bench_app.command("fleet")
def bench_fleet(
    devices: Annotated[int, typer.Option(min=1, max=20_000, help="Simulated devices.")] = 10_000,
    hold: Annotated[
        float, typer.Option(min=10, max=86_400, help="Seconds held at full flow, measured.")
    ] = 180.0,
    heartbeat_s: Annotated[float, typer.Option(min=1, max=3600)] = 30.0,
    telemetry_s: Annotated[
        float, typer.Option(min=0.01, max=86_400, help="Mean seconds between a device's readings.")
    ] = 180.0,
    database: Annotated[str, typer.Option(help="postgres or sqlite.")] = "postgres",
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=MAX_WORKERS, help="Default: 2 on PostgreSQL, 1 on SQLite."),
    ] = None,
    postgres_url: Annotated[
        str, typer.Option(help="An admin URL; a fresh database is made, then dropped.")
    ] = "postgres://postgres@127.0.0.1:5432/postgres",
    workdir: Annotated[
        Path | None, typer.Option(help="Keep the logs and the database here.")
    ] = None,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A fleet held at realistic rates: ack, API and alert latency, memory; nothing lost.

    The chaos run's stack without the faults: Mosquitto, real workers, the real agent and
    N simulated devices (each its own connection and account) with heartbeats, readings,
    events and rare alerts; an operator's API read and a probe device's alert (to its
    webhook and to the dashboard's data) are timed all the while. Exits 1 if anything was
    lost or doubled.
    """
    from continuo.bench import chaos as c  # noqa: PLC0415

    _check_stack(database, update)
    options = c.Options(
        faults=(),
        hold_s=hold,
        dialect=database,
        workers=workers or (1 if database == "sqlite" else 2),
        devices=devices,
        heartbeat_s=heartbeat_s,
        telemetry_s=telemetry_s,
        event_s=3600.0,
        alert_s=86_400.0,
        postgres_url=postgres_url,
        workdir=workdir,
    )
    _run_stack(options, c.hold_markdown, c.HOLD_SECTION, update, as_json=as_json)


def main() -> None:
    """Console entry point: the one place where errors become a message and an exit code.

    Usage errors exit 2 (typer reports them); a command's own errors are reported by the
    command with 1 or 2. Whatever else escapes becomes one line on stderr and exit 1: a
    `ContinuoError` or `OSError` as itself, anything else as a bug. `CONTINUO_DEBUG=1` lets
    every exception through with its traceback.
    """
    import os  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from common.errors import ContinuoError  # noqa: PLC0415

    if os.environ.get("CONTINUO_DEBUG") == "1":
        app()
        return
    try:
        app()
    except ContinuoError as exc:
        message = str(exc)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        message = f"{where}{exc.strerror or exc}"
    except Exception as exc:  # noqa: BLE001 (the outermost layer: a bug, told in one line)
        message = f"unexpected {type(exc).__name__}: {exc} (run with CONTINUO_DEBUG=1 for details)"
    else:
        return
    sys.stderr.write("error: " + " ".join(message.split()) + "\n")
    raise SystemExit(EXIT_FAILURE)

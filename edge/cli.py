"""`continuo edge ...`: the agent and the installer's commands on the Pi."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape

from common.clock import SystemClock, utc

if TYPE_CHECKING:
    from edge.config import AgentConfig
    from edge.discovery import ScanResult
    from edge.installer import Check, SetupReport

app = typer.Typer(
    help="The edge agent and the installer's tools.", no_args_is_help=True, rich_markup_mode=None
)
# the values of hardware.serial_scale.ScaleProtocol, named here so that `--help` need not
# import the serial driver (tests/continuo/test_cli.py checks they agree)
ScaleProtocolName = Literal["mt-sics", "continuous"]
err = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)
out = Console(soft_wrap=True, emoji=False)
EXIT_FAILURE = 1
EXIT_USAGE = 2


@app.command()
def run(
    config_path: Annotated[Path, typer.Option("--config", "-c", help="Agent config (TOML).")],
    verbose: bool = False,
) -> None:
    """Run the agent: poll every configured sensor and stream to the cloud."""
    import asyncio  # noqa: PLC0415
    import logging  # noqa: PLC0415
    import random  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from edge.agent import Agent  # noqa: PLC0415
    from edge.config import ConfigError, load_config  # noqa: PLC0415

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    agent = Agent(config, clock=SystemClock(), rng=random.Random())  # noqa: S311
    try:
        asyncio.run(agent.run())
    except KeyboardInterrupt:
        pass
    finally:
        agent.close()


@app.command("probe-printer")
def probe_printer(
    uri: Annotated[str, typer.Argument(help="Printer URI, e.g. ipp://192.168.1.20:631/ipp/print")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    timeout_s: Annotated[float, typer.Option("--timeout", min=0.5, max=120)] = 8.0,
) -> None:
    """Read a printer once: make, model, supplies and levels."""
    import asyncio  # noqa: PLC0415
    from urllib.parse import urlsplit  # noqa: PLC0415

    import msgspec  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from hardware.errors import DeviceError, DeviceUnreachableError  # noqa: PLC0415
    from hardware.ipp_printer import IppPrinter  # noqa: PLC0415

    try:
        _ = urlsplit(uri).port  # an impossible port fails here, not inside the HTTP client
        printer = IppPrinter(uri=uri, timeout_s=timeout_s)
    except ValueError as exc:
        err.print(f"[red]error:[/red] not a printer URI: {escape(uri)} ({escape(str(exc))})")
        raise typer.Exit(EXIT_USAGE) from exc
    try:
        with err.status(f"asking {escape(uri)} for its supplies…"):
            reading = asyncio.run(printer.read())
    except DeviceUnreachableError as exc:
        err.print(
            f"[red]printer unreachable:[/red] {escape(str(exc))}\n"
            "Check that it is on, awake and on this network, and the URI's host and port."
        )
        raise typer.Exit(EXIT_FAILURE) from exc
    except DeviceError as exc:
        err.print(
            f"[red]printer answered with something that is not a valid reply:[/red] {escape(str(exc))}"
        )
        raise typer.Exit(EXIT_FAILURE) from exc
    if as_json:
        print(msgspec.json.encode(reading).decode())
        return
    table = Table(title=f"{reading.make or '?'} {reading.model or '?'} ({reading.state.value})")
    for column in ("#", "supply", "kind", "colour", "level"):
        table.add_column(column)
    for s in reading.supplies:
        level = f"{s.level}%" if s.level is not None else s.level_state.value
        table.add_row(str(s.index), s.name, s.kind, s.color, level)
    out.print(table)


ConfigPath = Annotated[Path, typer.Option("--config", "-c", help="Agent config (TOML).")]
# what `provision` and `setup` both take to register a device
CloudUrl = Annotated[str, typer.Option("--cloud", help="The backend, e.g. https://cloud.example")]
EnrollToken = Annotated[str, typer.Option(help="The one-time installer token from the operator.")]
OutPath = Annotated[Path, typer.Option("--out", help="Where to write the agent config.")]
StateDir = Annotated[Path, typer.Option(help="Where the agent keeps its outbox.")]
DeviceId = Annotated[str | None, typer.Option("--id", help="Device id (generated if absent).")]
DEFAULT_STATE_DIR = Path("/var/lib/continuo")


def _load_or_exit(path: Path) -> AgentConfig:
    from edge.config import ConfigError, load_config  # noqa: PLC0415

    try:
        return load_config(path)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc


@app.command("probe-scale")
def probe_scale(
    port: Annotated[
        str, typer.Option(help="Serial port: /dev/ttyUSB0, a pty, or socket://host:port.")
    ],
    protocol: Annotated[ScaleProtocolName, typer.Option(help="What the scale speaks.")] = "mt-sics",
    baudrate: Annotated[int, typer.Option(min=300, max=921_600)] = 9600,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Read one stable weight, with its unit, and the serial number when the scale tells it."""
    import asyncio  # noqa: PLC0415
    import contextlib  # noqa: PLC0415

    from hardware.errors import DeviceError, DeviceUnreachableError  # noqa: PLC0415
    from hardware.serial_scale import ScaleProtocol, SerialScale  # noqa: PLC0415

    chosen = ScaleProtocol(protocol)

    async def probe() -> dict[str, object]:
        async with SerialScale(url=port, protocol=chosen, baudrate=baudrate) as scale:
            weight = await scale.stable_weight()
            serial_number = None
            if chosen is ScaleProtocol.MT_SICS:
                with contextlib.suppress(DeviceError):
                    serial_number = await scale.serial_number()
        return {
            "port": port,
            "protocol": chosen.value,
            "state": weight.state.value,
            "value": weight.value,
            "unit": weight.unit,
            "grams": weight.grams,
            "serial_number": serial_number,
        }

    try:
        with err.status(f"waiting for a stable weight on {port}…"):
            result = asyncio.run(probe())
    except DeviceUnreachableError as exc:
        err.print(
            f"[red]scale unreachable:[/red] {escape(str(exc))}\n"
            "Check the cable, the port name, the baud rate and that the scale is on."
        )
        raise typer.Exit(EXIT_FAILURE) from exc
    except DeviceError as exc:
        err.print(
            f"[red]the scale did not give a usable reading:[/red] {escape(str(exc))}\n"
            "Check the protocol (--protocol) and the baud rate."
        )
        raise typer.Exit(EXIT_FAILURE) from exc
    if as_json:
        print(json.dumps(result))
        return
    weight = "overload" if result["value"] is None else f"{result['value']} {result['unit']}"
    out.print(
        f"[bold]{weight}[/bold] ({result['state']}) on {port}"
        + (f", serial number {result['serial_number']}" if result["serial_number"] else "")
    )


@app.command("self-test")
def self_test(
    config_path: ConfigPath,
    timeout_s: Annotated[float, typer.Option("--timeout", min=1, max=120)] = 10.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Read every configured sensor, check the broker, print pass/fail; exit 1 if any fails."""
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from edge import installer  # noqa: PLC0415
    from edge.agent import Hardware  # noqa: PLC0415

    config = _load_or_exit(config_path)
    with err.status("testing every sensor and the broker…"):
        checks = asyncio.run(
            installer.self_test(
                config, hardware=Hardware(), clock=SystemClock(), timeout_s=timeout_s
            )
        )
    failed = [c for c in checks if not c.ok]
    if as_json:
        print(json.dumps([{"check": c.name, "ok": c.ok, "detail": c.detail} for c in checks]))
    else:
        table = Table("check", "result", "detail", title=f"self-test of {config.device_id}")
        for c in checks:
            table.add_row(c.name, "[green]PASS[/green]" if c.ok else "[red]FAIL[/red]", c.detail)
        out.print(table)
        out.print(
            "[green]all checks passed[/green]"
            if not failed
            else f"[red]{len(failed)} of {len(checks)} checks failed[/red]"
        )
    if failed:
        raise typer.Exit(EXIT_FAILURE)


@app.command("calibrate-scale")
def calibrate_scale(
    config_path: ConfigPath,
    name: Annotated[str, typer.Option(help="The scale or load cell's name in the config.")],
    known_grams: Annotated[
        float | None, typer.Option(min=1, help="Mass of the reference weight.")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not wait for Enter between steps.")
    ] = False,
) -> None:
    """Guided tare and known-weight calibration; the result is stored in the config."""
    import asyncio  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from edge import installer  # noqa: PLC0415
    from edge.agent import Hardware  # noqa: PLC0415
    from edge.config import LoadCellSettings, ScaleSettings  # noqa: PLC0415
    from hardware.errors import DeviceError  # noqa: PLC0415

    config = _load_or_exit(config_path)
    scale = next((s for s in config.scales if s.name == name), None)
    cell = next((c for c in config.load_cells if c.name == name), None)
    if scale is None and cell is None:
        err.print(f"[red]error:[/red] no scale or load cell named {name!r} in {config_path}")
        raise typer.Exit(EXIT_USAGE)

    async def step(text: str) -> None:
        out.print(f"[bold]{text}[/bold]")
        if not yes:
            await asyncio.to_thread(
                typer.prompt, "Press Enter when ready", default="", show_default=False
            )

    if known_grams is None:
        known_grams = typer.prompt("Mass of your reference weight in grams", type=float)
    updated: LoadCellSettings | ScaleSettings
    try:
        if cell is not None:
            updated = asyncio.run(
                installer.calibrate_cell(
                    cell, known_grams, step, hardware=Hardware(), clock=SystemClock()
                )
            )
        else:
            assert scale is not None  # noqa: S101 (one of them was found above)
            updated = asyncio.run(installer.calibrate_serial(scale, known_grams, step))
    except DeviceError as exc:
        err.print(f"[red]calibration failed:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc
    installer.save_config(installer.replace_sensor(config, updated), config_path)
    out.print(f"[green]saved the calibration of {name} to {config_path}[/green]")


@app.command("pair-wearable")
def pair_wearable(
    config_path: ConfigPath,
    address: Annotated[str | None, typer.Option(help="Pair this address without scanning.")] = None,
    name: Annotated[str, typer.Option(help="Sensor name in the config.")] = "wearable",
    scan_s: Annotated[float, typer.Option(min=1, max=60)] = 8.0,
) -> None:
    """Find Continuo wearables nearby, pick one, and store it in the config."""
    import asyncio  # noqa: PLC0415

    import msgspec  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from edge import discovery, installer  # noqa: PLC0415
    from edge.config import WearableSettings  # noqa: PLC0415
    from hardware.errors import DeviceError  # noqa: PLC0415

    config = _load_or_exit(config_path)
    if address is None:
        try:
            with err.status(f"looking for wearables for {scan_s:g} s…"):
                found = asyncio.run(discovery.wearables(scan_s))
        except DeviceError as exc:
            err.print(f"[red]cannot scan:[/red] {escape(str(exc))}")
            raise typer.Exit(EXIT_FAILURE) from exc
        if not found:
            err.print(
                "[red]no wearable found[/red]: is it charged, close by and not paired "
                "with another hub?"
            )
            raise typer.Exit(EXIT_FAILURE)
        table = Table("#", "name", "address", "RSSI")
        for i, w in enumerate(found, 1):
            table.add_row(str(i), w.name, w.address, f"{w.rssi} dBm")
        out.print(table)
        choice = typer.prompt("Which one", type=int, default=1)
        if not 1 <= choice <= len(found):
            err.print(f"[red]error:[/red] pick a number from 1 to {len(found)}")
            raise typer.Exit(EXIT_USAGE)
        address = found[choice - 1].address
    try:
        settings = WearableSettings(name=name, address=address)
    except (msgspec.ValidationError, TypeError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    installer.save_config(installer.replace_sensor(config, settings), config_path)
    out.print(f"[green]paired {address} as {name!r}[/green]")


@app.command()
def scan(
    seconds: Annotated[float, typer.Option(min=1, max=60, help="How long to listen.")] = 5.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List serial ports, BLE wearables in range, and IPP printers on the LAN."""
    import asyncio  # noqa: PLC0415

    import msgspec  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from edge import discovery  # noqa: PLC0415

    with err.status(f"scanning for {seconds:g} s…"):
        found = asyncio.run(discovery.scan(seconds))
    if as_json:
        print(msgspec.json.encode(found).decode())
        return
    table = Table("kind", "what", "where", "detail", title="found at this site")
    for p in found.serial_ports:
        table.add_row("serial port", p.description, p.device, p.hwid)
    for w in found.wearables:
        table.add_row("wearable", w.name, w.address, f"{w.rssi} dBm")
    for pr in found.printers:
        table.add_row("printer", pr.name, pr.uri, pr.make_and_model)
    out.print(table)
    for problem in found.problems:
        err.print(f"[yellow]note:[/yellow] {escape(problem)}")


def _refuse_existing(out_path: Path, again: str) -> None:
    if out_path.exists():
        err.print(f"[red]error:[/red] {out_path} exists; move it away to {again}")
        raise typer.Exit(EXIT_USAGE)


def _register(
    cloud_url: str,
    token: str,
    *,
    device_id: str | None,
    state_dir: Path,
    printers: list[str],
    scales: list[str],
    failed: str,
) -> AgentConfig:
    """Redeem the token with the cloud: the agent's config, or one line and exit 1."""
    import asyncio  # noqa: PLC0415

    from edge import installer  # noqa: PLC0415

    try:
        with err.status("registering with the cloud…"):
            return asyncio.run(
                installer.provision(
                    cloud_url,
                    token,
                    device_id=device_id,
                    state_dir=state_dir,
                    printers=printers,
                    scales=scales,
                )
            )
    except installer.ProvisioningError as exc:
        err.print(f"[red]{failed}:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc


@app.command()
def provision(
    cloud_url: CloudUrl,
    token: EnrollToken,
    out_path: OutPath,
    state_dir: StateDir = DEFAULT_STATE_DIR,
    device_id: DeviceId = None,
    printer_uri: Annotated[
        list[str] | None, typer.Option("--printer", help="A printer URI to read (repeatable).")
    ] = None,
    scale_port: Annotated[
        list[str] | None, typer.Option("--scale", help="A serial scale port (repeatable).")
    ] = None,
) -> None:
    """Register this device with the cloud and write the agent's config file."""
    from edge import installer  # noqa: PLC0415

    _refuse_existing(out_path, "provision again")
    config = _register(
        cloud_url,
        token,
        device_id=device_id,
        state_dir=state_dir,
        printers=printer_uri or [],
        scales=scale_port or [],
        failed="provisioning failed",
    )
    installer.save_config(config, out_path)
    out.print(
        f"[green]device {config.device_id} at site {config.site} is registered[/green]; "
        f"config written to {out_path}. Next: continuo edge self-test --config {out_path}"
    )


class _Answers:
    """The installer's answers: asked at the prompt, or taken as given with --yes."""

    def __init__(self, *, yes: bool) -> None:
        self.yes = yes

    def confirm(self, question: str, *, default: bool) -> bool:
        return default if self.yes else bool(typer.confirm(question, default=default))

    async def step(self, text: str) -> None:
        import asyncio  # noqa: PLC0415

        out.print(f"  {text}")
        if not self.yes:
            await asyncio.to_thread(
                typer.prompt, "Press Enter when ready", default="", show_default=False
            )


def _setup_choose(
    found: ScanResult,
    answers: _Answers,
    *,
    printers: list[str] | None,
    scales: list[str] | None,
    wearable: str | None,
) -> tuple[list[str], list[str], str | None]:
    """Which printers, serial scales and wearable to configure."""
    named = list({p.name: p for p in reversed(found.printers)}.values())[::-1]  # one per name
    chosen_printers = printers or [
        p.uri for p in named if answers.confirm(f"Read {p.name} ({p.uri})?", default=True)
    ]
    chosen_scales = scales or [
        s.device
        for s in found.serial_ports
        if answers.confirm(f"Is there a scale on {s.device} ({s.description})?", default=False)
    ]
    if wearable is None and found.wearables and not answers.yes:
        for i, w in enumerate(found.wearables, 1):
            out.print(f"  {i}. {escape(w.name)} {w.address} ({w.rssi} dBm)")
        pick = typer.prompt("Pair which wearable (0 for none)", type=int, default=0)
        if 1 <= pick <= len(found.wearables):
            wearable = found.wearables[pick - 1].address
    return chosen_printers, chosen_scales, wearable


def _setup_calibrate(
    config: AgentConfig, answers: _Answers, known_grams: float | None
) -> tuple[AgentConfig, list[str], list[Check]]:
    """Calibrate each serial scale against a reference weight.

    What happened, one line each, and a failed check for each calibration that failed (a
    reference weight that reads nothing fails the setup, not only its report's body).
    """
    import asyncio  # noqa: PLC0415

    from edge import installer  # noqa: PLC0415
    from hardware.errors import DeviceError  # noqa: PLC0415

    said: list[str] = []
    failed: list[Check] = []
    for scale in config.scales:
        if answers.yes:  # calibrating needs someone to put the reference weight on
            said.append(
                f"scale {scale.name}: not calibrated (no one to place the reference weight); "
                f"run continuo edge calibrate-scale --name {scale.name}"
            )
            continue
        grams = known_grams
        if grams is None and answers.confirm(f"Calibrate {scale.name} now?", default=False):
            grams = typer.prompt("Mass of your reference weight in grams", type=float)
        if grams is None:
            said.append(f"scale {scale.name}: not calibrated (container 0 g assumed)")
            continue
        try:
            updated = asyncio.run(installer.calibrate_serial(scale, grams, answers.step))
        except DeviceError as exc:
            said.append(f"scale {scale.name}: failed: {exc}")
            failed.append(
                installer.Check(f"calibration of {scale.name}", ok=False, detail=str(exc))
            )
            continue
        config = installer.replace_sensor(config, updated)
        said.append(
            f"scale {scale.name}: container {updated.container_g:g} g, "
            f"the {grams:g} g reference read within 5 %"
        )
    return config, said, failed


def _found_lines(found: ScanResult) -> list[str]:
    return [
        *(f"printer {p.name} ({p.make_and_model}) at {p.uri}" for p in found.printers),
        *(f"serial port {s.device} ({s.description})" for s in found.serial_ports),
        *(f"wearable {w.name} {w.address} ({w.rssi} dBm)" for w in found.wearables),
        *(f"could not search: {problem}" for problem in found.problems),
    ]


def _setup_report(
    config: AgentConfig,
    found: ScanResult,
    checks: list[Check],
    calibrations: list[str],
    *,
    cloud: str,
    config_path: Path,
    to: Path | None,
) -> tuple[SetupReport, Path]:
    """The hand-over report, written next to the config unless `to` says where."""
    from edge import installer  # noqa: PLC0415

    passed = all(c.ok for c in checks)
    report = installer.SetupReport(
        at=utc(SystemClock().now()).isoformat(timespec="seconds"),
        device_id=config.device_id,
        site=config.site,
        cloud=cloud,
        config_path=str(config_path),
        found=_found_lines(found),
        configured=installer.describe_sensors(config),
        calibrations=calibrations,
        checks=checks,
        notes=[
            f"start the agent: continuo edge run --config {config_path}",
            "the operator sees the device on the dashboard's fleet page once it runs",
        ]
        + ([] if passed else [f"fix what failed, then: continuo edge self-test -c {config_path}"]),
    )
    path = to or config_path.with_name(f"setup-report-{config.device_id}.md")
    try:
        path.write_text(report.markdown())
    except OSError as exc:
        err.print(f"[red]cannot write the report to {path}:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc
    return report, path


@app.command()
def setup(
    cloud_url: CloudUrl,
    token: EnrollToken,
    out_path: OutPath,
    state_dir: StateDir = DEFAULT_STATE_DIR,
    device_id: DeviceId = None,
    printer_uri: Annotated[
        list[str] | None,
        typer.Option(
            "--printer", help="Read this printer (repeatable); default: ask, or all found."
        ),
    ] = None,
    scale_port: Annotated[
        list[str] | None,
        typer.Option("--scale", help="A serial scale on this port (repeatable); default: ask."),
    ] = None,
    wearable: Annotated[
        str | None, typer.Option(help="Pair this wearable's address; default: ask.")
    ] = None,
    known_grams: Annotated[
        float | None,
        typer.Option(min=1, help="The reference weight's mass, for calibrating each scale."),
    ] = None,
    scan_seconds: Annotated[float, typer.Option(min=1, max=60)] = 5.0,
    report_path: Annotated[
        Path | None,
        typer.Option("--report", help="Where to write the hand-over report (Markdown)."),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", help="No questions: every printer found, only the sensors named."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Also print the report as JSON.")] = False,
) -> None:
    """Guided installation: scan, choose, register, calibrate, self-test, hand-over report.

    Example: continuo edge setup --cloud https://cloud.example --token enr_... --out agent.toml
    """
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from edge import discovery, installer  # noqa: PLC0415
    from edge.agent import Hardware  # noqa: PLC0415
    from edge.config import WearableSettings  # noqa: PLC0415

    _refuse_existing(out_path, "set up again")
    answers = _Answers(yes=yes)
    out.print("[bold]1/5 Looking around[/bold]")
    with err.status(f"scanning for {scan_seconds:g} s…"):
        found = asyncio.run(discovery.scan(scan_seconds))
    for line in _found_lines(found):
        out.print(f"  {escape(line)}")
    out.print("[bold]2/5 Choosing what to read[/bold]")
    printers, scales, wearable = _setup_choose(
        found, answers, printers=printer_uri, scales=scale_port, wearable=wearable
    )
    out.print("[bold]3/5 Registering with the cloud[/bold]")
    config = _register(
        cloud_url,
        token,
        device_id=device_id,
        state_dir=state_dir,
        printers=printers,
        scales=scales,
        failed="registering failed",
    )
    try:
        if wearable is not None:
            config = installer.replace_sensor(config, WearableSettings(address=wearable))
    except (ValueError, TypeError) as exc:  # a wearable address the config refuses
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    out.print(f"  device {config.device_id} at site {config.site}")
    out.print("[bold]4/5 Calibrating[/bold]")
    config, calibrations, miscalibrated = _setup_calibrate(config, answers, known_grams)
    installer.save_config(config, out_path)
    out.print("[bold]5/5 Self-test[/bold]")
    with err.status("reading every sensor and logging in to the broker…"):
        checks = asyncio.run(
            installer.self_test_after_provisioning(config, hardware=Hardware(), clock=SystemClock())
        )
    checks = [*miscalibrated, *checks]
    table = Table("check", "result", "detail")
    for c in checks:
        table.add_row(c.name, "[green]PASS[/green]" if c.ok else "[red]FAIL[/red]", c.detail)
    out.print(table)
    report, written = _setup_report(
        config, found, checks, calibrations, cloud=cloud_url, config_path=out_path, to=report_path
    )
    passed = report.passed
    if as_json:
        print(report.as_json())
    verdict = "[green]every check passed[/green]" if passed else "[red]some checks failed[/red]"
    out.print(f"{verdict}; the report to hand over is {written}")
    if not passed:
        raise typer.Exit(EXIT_FAILURE)

"""`continuo demo`: the whole stack on one machine, each part its own process.

Mosquitto with the cloud-written config, the backend, a simulated printer (or a real one)
and an edge agent, on free loopback ports. When the simulated provider delivers an order,
the demo plays the customer and installs the new cartridge, so a full cycle runs in about
a minute.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from cloud.config import (
    BrokerSettings,
    CloudConfig,
    FulfilmentSettings,
    HttpSettings,
    ReplenishSettings,
)
from cloud.config import dump_config as dump_cloud_config
from edge.config import AgentConfig, MqttSettings, OutboxSettings, PrinterSettings
from edge.config import dump_config as dump_agent_config

console = Console(soft_wrap=True)
DAY_S = 86_400
DEMO_LEAD_S = 15.0
DEMO_START_LEVEL = 45


@dataclass(frozen=True)
class DemoOptions:
    """What the user asked for."""

    printer_uri: str | None
    workdir: Path
    http_port: int
    duration_s: float | None
    pages_per_minute: float


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """True when nothing listens on `port` on loopback."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _continuo(*args: str) -> list[str]:
    return [sys.executable, "-m", "continuo", *args]


def _wait_for_port(
    port: int, proc: subprocess.Popen[bytes], what: str, timeout_s: float = 30
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"{what} exited with code {proc.returncode}"
            raise RuntimeError(msg)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    msg = f"{what} did not open port {port} within {timeout_s:.0f} s"
    raise RuntimeError(msg)


def _get_json(url: str, token: str) -> object:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback URL we built)
        return json.load(response)


class Stack:
    """The demo's processes, stopped together."""

    def __init__(self, workdir: Path) -> None:
        """Log each process to a file under `workdir`/logs."""
        self._logs = workdir / "logs"
        self._logs.mkdir(parents=True, exist_ok=True)
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops what was started, as Ctrl-C does

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        """Start one process with its output in logs/NAME.log."""
        log = (self._logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        self.procs.append((name, proc))
        return proc

    def stop(self) -> None:
        """Terminate every process, newest first."""
        for _, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc in reversed(self.procs):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _write_configs(opts: DemoOptions, broker_port: int, http_port: int) -> Path:
    cloud = CloudConfig(
        database_url=f"sqlite://{(opts.workdir / 'cloud.sqlite3').resolve()}",
        broker=BrokerSettings(port=broker_port, password=os.urandom(18).hex()),
        http=HttpSettings(port=http_port),
        # Demo time runs fast: a cartridge drains in minutes, so delivery takes 15 s instead
        # of 3 days, and the engine trusts 10 s of history instead of 2 days.
        replenish=ReplenishSettings(
            lead_time_days=DEMO_LEAD_S / DAY_S,
            min_history_hours=10 / 3600,
            stale_after_hours=0.05,
            sweep_s=2,
            cancel_window_s=10,  # an automatic order can be undone for 10 s, then it goes out
            request_undo_s=20,  # an "order now" can be undone for 20 s
        ),
        fulfilment=FulfilmentSettings(ship_after_s=5, deliver_after_s=DEMO_LEAD_S),
    )
    path = opts.workdir / "cloud.toml"
    path.write_bytes(dump_cloud_config(cloud))
    return path


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_demo(opts: DemoOptions) -> int:
    """Run until Ctrl-C (or `duration_s`); returns the exit code."""
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(mosquitto).exists():
        console.print("[red]mosquitto is not installed[/red]: run `make demo`, which installs it")
        return 1
    if opts.workdir.exists():
        shutil.rmtree(opts.workdir)
    opts.workdir.mkdir(parents=True)
    broker_port = free_port()
    http_port = opts.http_port if opts.http_port and port_is_free(opts.http_port) else free_port()
    if opts.http_port and http_port != opts.http_port:
        console.print(f"port {opts.http_port} is taken; the dashboard will use {http_port}")
    cloud_toml = _write_configs(opts, broker_port, http_port)
    stack = Stack(opts.workdir)
    try:
        with console.status("registering the demo device…"):
            added = subprocess.run(  # noqa: S603
                _continuo(
                    "cloud",
                    "device",
                    "add",
                    "--config",
                    str(cloud_toml),
                    "--site",
                    "demo-home",
                    "--id",
                    "pi-demo",
                    "--auto-replenish",
                    "--json",
                ),
                check=True,
                capture_output=True,
            )
            device = json.loads(added.stdout)
            subprocess.run(  # noqa: S603 (our own command line)
                _continuo(
                    "cloud",
                    "broker-config",
                    "--config",
                    str(cloud_toml),
                    "--out",
                    str(opts.workdir / "broker"),
                ),
                check=True,
                capture_output=True,
            )
        password = secrets.token_urlsafe(12)
        subprocess.run(  # noqa: S603 (our own command line)
            _continuo(
                "cloud",
                "user",
                "add",
                "--config",
                str(cloud_toml),
                "--username",
                "operator",
                "--role",
                "operator",
            ),
            check=True,
            capture_output=True,
            env={**os.environ, "CONTINUO_PASSWORD": password},
        )
        token = subprocess.run(  # noqa: S603 (our own command line)
            _continuo(
                "cloud", "user", "token", "--config", str(cloud_toml), "--username", "operator"
            ),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        broker = stack.start(
            "mosquitto", [mosquitto, "-c", str(opts.workdir / "broker" / "mosquitto.conf")]
        )
        _wait_for_port(broker_port, broker, "mosquitto")
        printer_uri = opts.printer_uri
        sim_port = None
        if printer_uri is None:
            sim_port = free_port()
            sim = stack.start(
                "printer",
                _continuo(
                    "sim",
                    "printer",
                    "--port",
                    str(sim_port),
                    "--pages-per-minute",
                    str(opts.pages_per_minute),
                ),
            )
            _wait_for_port(sim_port, sim, "simulated printer")
            urllib.request.urlopen(
                f"http://127.0.0.1:{sim_port}/supplies?supply1={DEMO_START_LEVEL}", timeout=5
            ).close()
            printer_uri = f"ipp://127.0.0.1:{sim_port}/ipp/print"
        cloud = stack.start("cloud", _continuo("cloud", "serve", "--config", str(cloud_toml)))
        _wait_for_port(http_port, cloud, "cloud backend", timeout_s=60)
        agent_toml = opts.workdir / "agent.toml"
        agent_toml.write_bytes(
            dump_agent_config(
                AgentConfig(
                    site="demo-home",
                    device_id=device["device_id"],
                    state_dir=str(opts.workdir / "edge"),
                    mqtt=MqttSettings(
                        port=broker_port,
                        username=device["mqtt_username"],
                        password=device["mqtt_password"],
                        keepalive_s=10,
                    ),
                    printers=[PrinterSettings(name="printer", uri=printer_uri, poll_s=2.0)],
                    outbox=OutboxSettings(resend_s=5.0),
                    heartbeat_s=5.0,
                    status_s=30.0,
                )
            )
        )
        stack.start("edge", _continuo("edge", "run", "--config", str(agent_toml)))
        url = f"http://127.0.0.1:{http_port}/"
        console.print(
            f"\n[bold green]Continuo demo is running.[/bold green] Dashboard: [bold]{url}[/bold]"
        )
        console.print(f"log in as [bold]operator[/bold] with password [bold]{password}[/bold]")
        console.print(
            f"printer: {printer_uri}   broker: 127.0.0.1:{broker_port}   "
            f"logs: {opts.workdir / 'logs'}   Ctrl-C stops it.\n"
        )
        _watch(stack, http_port, sim_port, opts.duration_s, token)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        console.print(f"[red]demo failed:[/red] {exc} {detail.decode(errors='replace')}")
        return 1
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        stack.stop()
    return 0


def _install_cartridge(sim_port: int, order: dict[str, object]) -> None:
    """Play the customer: put the delivered cartridge into the simulated printer."""
    try:
        urllib.request.urlopen(
            f"http://127.0.0.1:{sim_port}/supplies?supply{int(str(order['supply_index']))}=100",
            timeout=5,
        ).close()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        console.print(f"  could not install the delivered cartridge: {exc}", highlight=False)
        return
    console.print("  the customer installed the new cartridge")


def _watch(
    stack: Stack, http_port: int, sim_port: int | None, duration_s: float | None, token: str
) -> None:
    """Report orders as they appear; install delivered cartridges in the simulated printer."""
    api = f"http://127.0.0.1:{http_port}/api/v1"
    seen: dict[str, str] = {}
    started = time.monotonic()
    while duration_s is None or time.monotonic() - started < duration_s:
        for name, proc in stack.procs:
            if proc.poll() is not None:
                msg = f"{name} stopped with code {proc.returncode}; see its log"
                raise RuntimeError(msg)
        try:
            orders = _get_json(f"{api}/orders", token)
        except (urllib.error.URLError, OSError, ValueError):
            orders = []
        for order in orders if isinstance(orders, list) else []:
            status = order["status"]
            if seen.get(order["id"]) == status:
                continue
            seen[order["id"]] = status
            console.print(
                f"order {order['id'][:8]} {order['sku']} for {order['supply']}: "
                f"[bold]{status}[/bold]"
            )
            if status == "held":
                console.print(f"  why: {order['reason'].get('summary', '')}", highlight=False)
                console.print("  it can be undone on the dashboard until it goes out")
            if status == "delivered" and sim_port is not None and order.get("sensor") == "printer":
                _install_cartridge(sim_port, order)
        time.sleep(1.0)

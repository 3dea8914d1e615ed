"""`continuo demo`: the whole stack on one machine, each part its own process.

Mosquitto with the cloud-written config, the backend, a simulated printer (or a real one)
and an edge agent, on free loopback ports. When the simulated provider delivers an order,
the demo plays the customer and installs the new cartridge, so a full cycle runs in about
a minute.
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from cloud.config import (
    BrokerSettings,
    CloudConfig,
    FulfilmentSettings,
    HttpSettings,
    NotifySettings,
    ReplenishSettings,
)
from cloud.config import dump_config as dump_cloud_config
from continuo.stack import (
    Broker,
    Processes,
    StackError,
    find_mosquitto,
    free_port,
    port_is_free,
    start_worker,
    wait_for_port,
    wait_ingesting,
)
from edge.config import (
    AgentConfig,
    ButtonSettings,
    MqttSettings,
    OutboxSettings,
    PrinterSettings,
    ScaleSettings,
    WearableSettings,
)
from edge.config import dump_config as dump_agent_config

console = Console(soft_wrap=True)
DAY_S = 86_400
DEMO_LEAD_S = 15.0
DEMO_START_LEVEL = 45
SCALE_ARGS = ("--consumable", "milk", "--speed", "720")  # a day of milk every two minutes
BUTTON_PIN = 17
WEARABLE = "C0:FF:EE:00:00:01"
LADDER_STEP_S = 10.0  # the alarm centre at once, the caregiver's phone 10 s later
CAREGIVER_PHONE = "+15550100"
CARTRIDGE_EXPERIENCES = {  # one cartridge per experience, the black one automatic
    "Black": "automatic_execution",
    "Cyan": "curated_offering",
    "Magenta": "coach_behavior",
    "Yellow": "respond_to_desire",
}


@dataclass(frozen=True)
class DemoOptions:
    """What the user asked for."""

    printer_uri: str | None
    workdir: Path
    http_port: int
    duration_s: float | None
    pages_per_minute: float
    keep: bool = False  # keep the data of the last run (its database, device and password)
    fall_after_s: float = 60.0  # the wearer falls this long after the site starts
    fall_recording: Path | None = None  # a SisFall recording to replay as the fall


def _continuo(*args: str) -> list[str]:
    return [sys.executable, "-m", "continuo", *args]


def _send(method: str, url: str, token: str, body: object) -> object:
    """One JSON request as the operator; a refusal is printed, not raised."""
    request = urllib.request.Request(  # noqa: S310 (loopback URL we built)
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": secrets.token_hex(8),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as exc:
        console.print(f"  the cloud refused {method} {url}: {exc.code}", highlight=False)
        return None


class Sink:
    """The alarm centre's webhook and the SMS gateway, on loopback: they answer 200."""

    def __init__(self) -> None:
        """Listen on a free port in a thread."""

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop listening."""
        self._server.shutdown()
        self._server.server_close()


def _get_json(url: str, token: str) -> object:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback URL we built)
        return json.load(response)


def _write_configs(opts: DemoOptions, broker: BrokerSettings, http_port: int, sink: str) -> Path:
    cloud = CloudConfig(
        database_url=f"sqlite://{(opts.workdir / 'cloud.sqlite3').resolve()}",
        broker=broker,
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
        notify=NotifySettings(sms_gateway_url=f"{sink}/sms"),
    )
    path = opts.workdir / "cloud.toml"
    path.write_bytes(dump_cloud_config(cloud))
    return path


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, check=True, capture_output=True, env=env)  # noqa: S603 (ours)


def _accounts(opts: DemoOptions, cloud_toml: Path) -> tuple[dict[str, str], str]:
    """The demo device's credentials and the operator's password, kept across --keep runs."""
    saved = opts.workdir / "accounts.json"
    if saved.exists():
        kept = json.loads(saved.read_text())
        return kept["device"], kept["password"]
    device = json.loads(
        _run(
            _continuo(
                *("cloud", "device", "add", "--config", str(cloud_toml)),
                *("--site", "demo-home", "--id", "pi-demo", "--auto-replenish", "--json"),
            )
        ).stdout
    )
    password = secrets.token_urlsafe(12)
    _run(
        _continuo(
            *("cloud", "user", "add", "--config", str(cloud_toml)),
            *("--username", "operator", "--role", "operator"),
        ),
        env={**os.environ, "CONTINUO_PASSWORD": password},
    )
    saved.write_text(json.dumps({"device": device, "password": password}))
    saved.chmod(0o600)
    return device, password


def run_demo(opts: DemoOptions) -> int:
    """Run until Ctrl-C (or `duration_s`); returns the exit code."""
    try:
        find_mosquitto()
    except StackError:
        console.print("[red]mosquitto is not installed[/red]: run `make demo`, which installs it")
        return 1
    if opts.workdir.exists() and not opts.keep:
        shutil.rmtree(opts.workdir)
    logs = opts.workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops what was started, as Ctrl-C does
    procs = Processes()
    # Its config is written by `continuo cloud broker-config`, as an operator would.
    broker = Broker(
        opts.workdir / "broker",
        cloud_password=secrets.token_hex(18),
        processes=procs,
        log=logs / "mosquitto.log",
    )
    http_port = opts.http_port if opts.http_port and port_is_free(opts.http_port) else free_port()
    if opts.http_port and http_port != opts.http_port:
        console.print(f"port {opts.http_port} is taken; the dashboard will use {http_port}")
    sink = Sink()
    cloud_toml = _write_configs(opts, broker.cloud_settings(), http_port, sink.url)
    try:
        with console.status("registering the demo household…"):
            device, password = _accounts(opts, cloud_toml)
            _run(
                _continuo(
                    *("cloud", "broker-config", "--config", str(cloud_toml)),
                    *("--out", str(opts.workdir / "broker")),
                )
            )
            token = (
                _run(
                    _continuo(
                        *("cloud", "user", "token", "--config", str(cloud_toml)),
                        *("--username", "operator"),
                    ),
                )
                .stdout.decode()
                .strip()
            )
        broker.start()
        printer_uri, sim_port = _printer(opts, procs)
        _, scale_port = procs.start_printing(
            _continuo("sim", "scale", *SCALE_ARGS), logs / "scale.log", timeout_s=20
        )
        cloud = start_worker(procs, cloud_toml, logs / "cloud.log")
        wait_ingesting(cloud, http_port, logs / "cloud.log")
        api = f"http://127.0.0.1:{http_port}/api/v1"
        _household(api, token, sink)
        agent_toml = _write_agent(opts, device, broker.port, printer_uri, scale_port)
        site_args = ["--config", str(agent_toml), "--fall-after", str(opts.fall_after_s)]
        if opts.fall_recording is not None:
            site_args += ["--fall-recording", str(opts.fall_recording)]
        procs.start(_continuo("sim", "site", *site_args), logs / "edge.log")
        console.print(
            f"\n[bold green]Continuo demo is running.[/bold green] "
            f"Dashboard: [bold]http://127.0.0.1:{http_port}/[/bold]"
        )
        console.print(f"log in as [bold]operator[/bold] with password [bold]{password}[/bold]")
        console.print(
            f"printer: {printer_uri}   scale: {scale_port}   broker: 127.0.0.1:{broker.port}   "
            f"logs: {logs}   Ctrl-C stops it.\n"
        )
        _watch(procs, api, sim_port, opts.duration_s, token)
    except (StackError, subprocess.CalledProcessError, urllib.error.URLError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        console.print(f"[red]demo failed:[/red] {exc} {text}")
        return 1
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        procs.stop_all()
        sink.close()
    console.print(
        f"stopped everything it started; its data is in {opts.workdir} (--keep reuses it)"
    )
    return 0


def _printer(opts: DemoOptions, procs: Processes) -> tuple[str, int | None]:
    """The real printer asked for, or a simulated one starting at DEMO_START_LEVEL."""
    if opts.printer_uri is not None:
        return opts.printer_uri, None
    sim_port = free_port()
    sim = procs.start(
        _continuo(
            *("sim", "printer", "--port", str(sim_port)),
            *("--pages-per-minute", str(opts.pages_per_minute)),
        ),
        opts.workdir / "logs" / "printer.log",
    )
    wait_for_port(sim_port, 30, sim)
    if not opts.keep or not (opts.workdir / "agent.toml").exists():
        urllib.request.urlopen(
            f"http://127.0.0.1:{sim_port}/supplies?supply1={DEMO_START_LEVEL}", timeout=5
        ).close()
    return f"ipp://127.0.0.1:{sim_port}/ipp/print", sim_port


def _write_agent(
    opts: DemoOptions, device: dict[str, str], broker_port: int, printer_uri: str, scale: str
) -> Path:
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
                scales=[ScaleSettings(name="fridge", url=scale, poll_s=2.0)],
                buttons=[ButtonSettings(name="reorder", pin=BUTTON_PIN)],
                wearables=[
                    WearableSettings(
                        name="wrist", address=WEARABLE, cancel_s=5.0, not_worn_min=0, report_s=30
                    )
                ],
                outbox=OutboxSettings(resend_s=5.0),
                heartbeat_s=5.0,
                status_s=30.0,
            )
        )
    )
    return agent_toml


def _household(api: str, token: str, sink: Sink) -> None:
    """Milk on a scale (coaching), pet food on a button (order on request), the alert ladder."""
    needs = _get_json(f"{api}/customers/demo-home/needs", token)
    have = {n["label"] for n in needs} if isinstance(needs, list) else set()
    for need in (
        {"sku": "MILK-1G", "label": "Milk", "sensor": "fridge", "experience": "coach_behavior"},
        {"sku": "PET-7KG", "label": "Pet food", "button": "reorder"},
    ):
        if need["label"] not in have:
            _send(
                "POST", f"{api}/customers/demo-home/needs", token, {"device_id": "pi-demo", **need}
            )
    _send(
        "PATCH",
        f"{api}/customers/demo-home",
        token,
        {
            "person_name": "Maria Demo",
            "address": "1 Demo Street, Lisbon",
            "access_notes": "key safe by the door, code 4711; neighbour at no. 3 has a key",
        },
    )
    _send(  # who gets what: emergencies climb, warnings and reminders go to the household
        "PUT",
        f"{api}/customers/demo-home/escalation",
        token,
        [
            {
                "after_s": 0,
                "channel": "webhook",
                "target": f"{sink.url}/alarm-centre",
                "who": "alarm_centre",
            },
            {
                "after_s": 0,
                "channel": "webhook",
                "target": f"{sink.url}/household-app",
                "who": "customer",
                "gets": ["warning", "reminder"],
            },
            {
                "after_s": LADDER_STEP_S,
                "channel": "sms",
                "target": CAREGIVER_PHONE,
                "who": "caregiver",
            },
        ],
    )


def _experiences(api: str, token: str, done: set[str]) -> None:
    """Give the four cartridges the four experiences, once each is a need."""
    try:
        needs = _get_json(f"{api}/customers/demo-home/needs", token)
    except (urllib.error.URLError, OSError, ValueError):
        return
    for need in needs if isinstance(needs, list) else []:
        wanted = CARTRIDGE_EXPERIENCES.get(str(need.get("label", "")).split(" ")[0])
        if wanted is None or need["id"] in done:
            continue
        if need["experience"] != wanted:
            _send("PATCH", f"{api}/needs/{need['id']}", token, {"experience": wanted})
        done.add(need["id"])
        console.print(f"{need['label']}: [bold]{wanted.replace('_', ' ')}[/bold]")


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
    procs: Processes, api: str, sim_port: int | None, duration_s: float | None, token: str
) -> None:
    """Tell what happens; play the customer and the caregiver where the story needs them."""
    story = Story(api, token, sim_port)
    story.catch_up()
    started = time.monotonic()
    while duration_s is None or time.monotonic() - started < duration_s:
        procs.check()
        story.step()
        time.sleep(1.0)


class Story:
    """What the demo prints, and what it does as the household (install, undo, acknowledge)."""

    def __init__(self, api: str, token: str, sim_port: int | None) -> None:
        """Follow the API at `api` as the operator whose token is `token`."""
        self.api, self.token, self.sim_port = api, token, sim_port
        self.orders: dict[str, str] = {}
        self.alerts: dict[str, tuple[str, int]] = {}
        self.reminders: set[str] = set()
        self.experienced: set[str] = set()
        self.undone = False

    def _get(self, path: str) -> list[dict[str, Any]]:
        try:
            found = _get_json(self.api + path, self.token)
        except (urllib.error.URLError, OSError, ValueError):
            return []
        return found if isinstance(found, list) else []

    def catch_up(self) -> None:
        """What a kept run already holds is history: told in one line, not acted on again."""
        orders, alerts = self._get("/orders"), self._get("/alerts?limit=10")
        reminders = self._get("/reminders?limit=20")
        self.orders = {o["id"]: o["status"] for o in orders}
        self.alerts = {a["id"]: (a["state"], len(a["notifications"])) for a in alerts}
        self.reminders = {r["id"] for r in reminders}
        if orders or alerts or reminders:
            console.print(
                f"kept from the last run: {len(orders)} orders, {len(alerts)} alerts, "
                f"{len(reminders)} reminders (all on the dashboard)"
            )

    def step(self) -> None:
        """One look at orders, reminders and alerts."""
        _experiences(self.api, self.token, self.experienced)
        for order in reversed(self._get("/orders")):
            self._order(order)
        for reminder in reversed(self._get("/reminders?limit=20")):
            if reminder["id"] not in self.reminders:
                self.reminders.add(reminder["id"])
                console.print(f"reminder to the {reminder['recipient']}: {reminder['message']}")
        for alert in self._get("/alerts?limit=10"):
            self._alert(alert)

    def _order(self, order: dict[str, Any]) -> None:
        status = order["status"]
        if self.orders.get(order["id"]) == status:
            return
        self.orders[order["id"]] = status
        console.print(
            f"order {order['id'][:8]} {order['sku']} for {order['supply']}: [bold]{status}[/bold]"
        )
        if status == "held":
            console.print(f"  why: {order['reason'].get('summary', '')}", highlight=False)
            console.print("  it can be undone on the dashboard until it goes out")
            if order.get("source") == "button" and not self.undone:
                self.undone = True  # the customer pressed by mistake: undo, once
                _send(
                    "POST",
                    f"{self.api}/orders/{order['id']}/cancel",
                    self.token,
                    {"by": "customer"},
                )
                console.print("  the customer pressed the button by mistake and undid the order")
        if status == "delivered" and self.sim_port is not None and order.get("sensor") == "printer":
            _install_cartridge(self.sim_port, order)

    def _alert(self, alert: dict[str, Any]) -> None:
        told = [n for n in alert["notifications"] if n["state"] in {"delivered", "failed", "gone"}]
        if self.alerts.get(alert["id"]) == (alert["state"], len(told)):
            return
        printed = self.alerts.get(alert["id"], ("", -1))[1]  # notices already printed
        if printed < 0:
            console.print(f"[bold red]alert: {alert['kind']}[/bold red] {alert['detail']}")
        self.alerts[alert["id"]] = (alert["state"], len(told))
        for n in told[max(printed, 0) :]:
            console.print(
                f"  told the {n['who'].replace('_', ' ')} by {n['channel']} "
                f"({n['state']}, {n['attempts']} attempt{'s' if n['attempts'] != 1 else ''})"
            )
        rungs = {n["position"] for n in told if n["purpose"] == "alert"}
        if alert["state"] == "active" and len(rungs) >= 2:  # noqa: PLR2004 - the caregiver's rung
            _send(
                "POST",
                f"{self.api}/alerts/{alert['id']}/acknowledge",
                self.token,
                {"by": "caregiver Ana"},
            )
            console.print("  the caregiver acknowledged it: the ladder stops")

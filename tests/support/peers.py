"""Real peers for tests: Mosquitto and PostgreSQL from continuo/stack.py, ippeveprinter, the cloud."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from cloud import serve as serving
from cloud.api.context import SERVICES
from cloud.app import create_app
from cloud.config import (
    BrokerSettings,
    CloudConfig,
    FulfilmentSettings,
    HttpSettings,
    ReplenishSettings,
)
from cloud.identity.broker_config import DeviceAccount
from cloud.identity.registry import NewDevice, add_device, device_accounts
from cloud.store.db import database
from continuo import stack
from continuo.stack import StackError, postgres_database
from edge.config import AgentConfig, MqttSettings, OutboxSettings, PrinterSettings

POSTGRES_ADMIN_URL = os.environ.get(
    "CONTINUO_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
)
CLOUD_PASSWORD = "cloud-test-password"
PASSWORD = "correct horse battery"  # every test user's


ROOT = Path(__file__).parents[2]

# The harness's, re-exported: tests take their peers from this module.
free_port = stack.free_port
wait_for_port = stack.wait_for_port


def continuo(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the `continuo` command as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "continuo", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


async def get_json(url: str, token: str | None = None) -> object:
    """GET a URL that must answer 200 with JSON (as the cloud's operator, unless `token`)."""
    token = token or next((t for base, t in _TOKENS.items() if url.startswith(base)), None)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession(headers=headers) as session, session.get(url) as response:
        assert response.status == 200, await response.text()
        return await response.json()


@contextlib.asynccontextmanager
async def database_url(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of `kind` ('sqlite' or 'postgres')."""
    if kind == "sqlite":
        yield f"sqlite://{tmp_path / 'cloud.sqlite3'}"
        return
    async with postgres_database(POSTGRES_ADMIN_URL, prefix="continuo_test") as url:
        yield url


_BROKERS: weakref.WeakSet[Broker] = weakref.WeakSet()  # to find a device port's cloud port


class Broker(stack.Broker):
    """The harness's Mosquitto as production runs it: devices on `port`, each bound to its
    own client id, and the cloud on a listener of its own; the tests' cloud password.
    """

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, cloud_password=CLOUD_PASSWORD)
        _BROKERS.add(self)


def cloud_config(
    db_url: str, broker_port: int, *, http_port: int = 0, **replenish: float
) -> CloudConfig:
    settings = {
        "lead_time_days": 3.0,
        "min_history_hours": 1 / 3600,
        "stale_after_hours": 1.0,
        "sweep_s": 1.0,
        "request_undo_s": 0.0,  # orders on request go out at once unless a test undoes them
        **replenish,
    }
    cloud_port = next((b.cloud_port for b in _BROKERS if b.port == broker_port), None)
    return CloudConfig(
        database_url=db_url,
        broker=BrokerSettings(
            port=broker_port if cloud_port is None else cloud_port,
            device_port=None if cloud_port is None else broker_port,
            password=CLOUD_PASSWORD,
            client_id=f"cloud-{uuid.uuid4().hex[:6]}",
            offline_after_s=30.0,
        ),
        http=HttpSettings(port=http_port),
        replenish=ReplenishSettings(**settings),
        fulfilment=FulfilmentSettings(ship_after_s=3600, deliver_after_s=7200),
    )


async def register(db_url: str, *specs: tuple[str, str, bool]) -> list[NewDevice]:
    """Register (site, device, auto_replenish) devices, then close the database again."""
    async with database(db_url):
        return [
            await add_device(site=site, device_id=device, auto_replenish=auto)
            for site, device, auto in specs
        ]


async def accounts(db_url: str) -> list[DeviceAccount]:
    async with database(db_url):
        return await device_accounts()


class RunningCloud:
    """The real backend app on a real port, with an operator logged in."""

    def __init__(
        self, config: CloudConfig, app: web.Application, runner: web.AppRunner, token: str
    ) -> None:
        self.config = config
        self.app = app
        self.runner = runner
        self.token = token  # an operator's API token

    @property
    def url(self) -> str:
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def http(self, token: str | None = None) -> aiohttp.ClientSession:
        """A client that sends an API token (the operator's unless another is given)."""
        return aiohttp.ClientSession(headers={"Authorization": f"Bearer {token or self.token}"})

    async def login_browser(self, page: Any) -> None:
        """Put an operator's session cookie into a Playwright page's browser context."""
        from cloud.api.access import SESSION_COOKIE  # noqa: PLC0415
        from cloud.store.models import User  # noqa: PLC0415

        user = await User.get(username="ops")
        token, _ = await self.app[SERVICES].authenticator.issue(user, kind="session", seconds=3600)
        await page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": self.url}])

    async def log_in_form(self, page: Any, username: str) -> None:
        """Log in through the dashboard's own form as `username` (made by `user`)."""
        await page.goto(self.url + "/")
        await page.fill("#login-user", username)
        await page.fill("#login-password", PASSWORD)
        await page.click("#login button")

    async def user(
        self,
        username: str,
        role: str,
        *,
        customer: str | None = None,
        sites: list[str] | None = None,
    ) -> str:
        """Add a user and return an API token for them."""
        from cloud.identity.users import Role, create_user  # noqa: PLC0415

        user = await create_user(
            username, PASSWORD, role=Role(role), customer_id=customer, sites=sites
        )
        token, _ = await self.app[SERVICES].authenticator.issue(user, kind="api", seconds=3600)
        return token


_TOKENS: dict[str, str] = {}  # base URL -> the operator token of the cloud serving it


@contextlib.asynccontextmanager
async def running_cloud(config: CloudConfig, **kwargs: object) -> AsyncIterator[RunningCloud]:
    app = create_app(config, **kwargs)  # type: ignore[arg-type]
    runner = serving.runner(app, config.http)  # served as `continuo cloud serve` does
    await runner.setup()
    await serving.GuardedSite(runner, config.http).start()
    try:
        from cloud.identity.users import Role, create_user  # noqa: PLC0415

        async with asyncio.timeout(15):
            await app[SERVICES].ingest.connected.wait()
        operator = await create_user("ops", PASSWORD, role=Role.OPERATOR)
        token, _ = await app[SERVICES].authenticator.issue(operator, kind="api", seconds=3600)
        cloud = RunningCloud(config, app, runner, token)
        _TOKENS[cloud.url] = token
        yield cloud
    finally:
        await runner.cleanup()


def agent_config(
    device: NewDevice, broker_port: int, state_dir: Path, printer_uri: str | None = None
) -> AgentConfig:
    printers = [PrinterSettings(name="printer", uri=printer_uri, poll_s=0.3)] if printer_uri else []
    return AgentConfig(
        site=device.site,
        device_id=device.device_id,
        state_dir=str(state_dir),
        mqtt=MqttSettings(
            port=broker_port, username=device.username, password=device.password, keepalive_s=5
        ),
        printers=printers,
        outbox=OutboxSettings(resend_s=2.0, window=50),
        heartbeat_s=1.0,
        status_s=30.0,
    )


def _system_bus_up() -> bool:
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect("/run/dbus/system_bus_socket")
        except OSError:
            return False
    return True


def _avahi_up() -> bool:
    check = subprocess.run(["avahi-daemon", "--check"], check=False, capture_output=True)
    return check.returncode == 0


def _start_daemon(up: Callable[[], bool], pid_file: Path, command: list[str]) -> None:
    """Start a system daemon unless it answers; a pid file left by a dead one is removed."""
    if up():
        return
    pid_file.unlink(missing_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(command, check=False, capture_output=True)
    deadline = time.monotonic() + 10.0
    while not up():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{command[0]} did not come up")
        time.sleep(0.1)


def ensure_system_bus() -> None:
    """ippeveprinter needs a D-Bus system bus, even when it announces nothing."""
    _start_daemon(_system_bus_up, Path("/run/dbus/pid"), ["dbus-daemon", "--system", "--fork"])


def ensure_avahi() -> None:
    """To announce itself over DNS-SD, ippeveprinter needs avahi-daemon on the system bus."""
    ensure_system_bus()
    _start_daemon(_avahi_up, Path("/run/avahi-daemon/pid"), ["avahi-daemon", "-D"])


class Ippeveprinter:
    """CUPS's IPP Everywhere reference printer, as a HP OfficeJet Pro 8710.

    It announces itself over DNS-SD only when `announce` is set (the LAN scan's test); the
    others need just the system bus, one moving part fewer.
    """

    def __init__(
        self,
        workdir: Path,
        make: str = "HP",
        model: str = "OfficeJet Pro 8710",
        *,
        announce: bool = False,
    ) -> None:
        if announce:
            ensure_avahi()
        else:
            ensure_system_bus()
        exe = shutil.which("ippeveprinter") or "/usr/sbin/ippeveprinter"
        self.log_path = workdir / f"ippeveprinter-{uuid.uuid4().hex[:6]}.log"
        self.log = self.log_path.open("wb")
        self.port = free_port()
        command = [exe, "-p", str(self.port), "-M", make, "-m", model]
        if not announce:
            command += ["-r", "off"]
        self.proc = subprocess.Popen(
            [*command, f"Test {uuid.uuid4().hex[:6]}"], stdout=self.log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(self.port, process=self.proc)
        except StackError as exc:
            self.stop()
            raise StackError(f"{exc}; ippeveprinter said: {self.log_path.read_text()!r}") from exc
        self.uri = f"ipp://127.0.0.1:{self.port}/ipp/print"

    def set_levels(self, waste: int, black: int) -> None:
        import urllib.request  # noqa: PLC0415

        url = f"http://127.0.0.1:{self.port}/supplies?supply0={waste}&supply1={black}"
        with urllib.request.urlopen(url, timeout=5) as response:
            response.read()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


@contextlib.asynccontextmanager
async def printer_site(
    tmp_path: Path,
    db_url: str,
    broker: Broker,
    *,
    level: int,
    pages_per_minute: float,
    seed: int,
    auto_replenish: bool,
    others: tuple[tuple[str, str, bool], ...] = (),
    request_undo_s: float = 0.0,
) -> AsyncIterator[RunningCloud]:
    """The cloud, and home-1 whose real agent (pi-1) reads a draining simulated printer.

    `others` are more (site, device, auto) registrations that never connect.
    """
    import random  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from edge.agent import Agent  # noqa: PLC0415
    from firmware_sim.printer import SimulatedPrinter, create_printer_app  # noqa: PLC0415

    sim = SimulatedPrinter(
        clock=SystemClock(), rng=random.Random(seed), pages_per_minute=pages_per_minute
    )
    sim.set_level(1, level)
    runner = web.AppRunner(create_printer_app(sim))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    uri = f"ipp://127.0.0.1:{runner.addresses[0][1]}/ipp/print"
    (device,) = await register(db_url, ("home-1", "pi-1", auto_replenish))
    if others:
        await register(db_url, *others)
    broker.configure(await accounts(db_url))
    broker.start()
    agent = Agent(
        agent_config(device, broker.port, tmp_path / "edge", uri),
        clock=SystemClock(),
        rng=random.Random(1),
    )
    tasks = [asyncio.create_task(sim.run()), asyncio.create_task(agent.run())]
    try:
        config = cloud_config(db_url, broker.port, request_undo_s=request_undo_s)
        async with running_cloud(config) as cloud:
            yield cloud
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        agent.close()
        await runner.cleanup()


class PrivatePostgres:
    """A PostgreSQL cluster of this test's own (initdb as postgres, a free port), to stop.

    The shared server on 5432 must never be stopped; this one may be, as often as a test
    likes. Skips when the PostgreSQL binaries or root (to run them as postgres) are missing.
    """

    def __init__(self) -> None:
        import pytest  # noqa: PLC0415

        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not versions or os.geteuid() != 0:
            pytest.skip("a private PostgreSQL cluster needs its binaries and root")
        self._bin = versions[-1].parent
        import tempfile  # noqa: PLC0415

        # Outside pytest's tmp_path, which only root may enter.
        self.root = Path(tempfile.mkdtemp(prefix="continuo-pg-"))
        shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self.port = free_port()
        self._as_postgres(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self._bin / tool), *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.root,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        log = str(self.root / "postgres.log")  # the server must not hold our pipes open
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: every connection is cut, as in a restart or a failover."""
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def small_disk(where: Path, size: str = "4m") -> Iterator[None]:
    """A tmpfs of `size` at `where` (skips without root and mount)."""
    import pytest  # noqa: PLC0415

    with stack.small_disk(where, size) as cannot:
        if cannot is not None:
            pytest.skip(cannot)
        yield


def fill(disk: Path) -> Path:
    """Fill a disk to its last byte with one file; delete the file to free it again."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (65536, 1):
            with contextlib.suppress(OSError):
                while out.write(b"\0" * size):
                    pass
    return filler

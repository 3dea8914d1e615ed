"""The one harness that starts a real stack on loopback, for the demo, benchmarks and tests.

It owns the parts every one of them needs: a free port, our own Mosquitto on the config
the cloud's one writer makes (`cloud.identity.broker_config`), `continuo cloud serve`
worker processes, a fresh PostgreSQL database (the server on 127.0.0.1:5432, trust auth)
and a small disk to fill. Every process it starts is registered in a `Processes`, which
stops them all, newest first. Start-ups wait on conditions (a process listening, a worker
connected to the broker), never for a fixed time; the waits are synchronous, so async
callers run them in a thread (`asyncio.to_thread`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self, TypeVar

import asyncpg

from cloud.config import (
    AlertSettings,
    BrokerSettings,
    CloudConfig,
    HttpSettings,
    ReplenishSettings,
    dump_config,
)
from cloud.identity.broker_config import (
    BrokerFiles,
    BrokerLimits,
    DeviceAccount,
    write_broker_config,
)
from common.errors import ContinuoError

CLOUD_USER = "continuo-cloud"
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BROKER_START_S = 15.0
WORKER_START_S = 120.0  # imports, migrations and the broker, on a loaded machine
STOP_S = 15.0  # after SIGTERM, then SIGKILL
_T = TypeVar("_T")


class StackError(ContinuoError):
    """Part of the stack cannot run: a missing binary, no PostgreSQL, a process that died."""


# ---- ports and waiting --------------------------------------------------------------


def free_port() -> int:
    """A loopback TCP port nobody listens on right now (only until someone binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether nothing listens on `port` on loopback."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def listens(pid: int, port: int) -> bool:
    """Whether process `pid` itself holds the listening socket of `port` (Linux /proc).

    Stricter than a connection succeeding: that would also find whoever took the port.
    """
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # LISTEN
                    inodes.add(f"socket:[{fields[9]}]")
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if str(fd.readlink()) in inodes:
                    return True
    return False


def wait_for(what: str, check: Callable[[], bool], timeout_s: float) -> None:
    """Return once `check()` is true, looking every 50 ms; StackError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.05)


async def until(what: str, done: Callable[[], bool | Awaitable[bool]], timeout_s: float) -> None:
    """`wait_for` in an event loop: `done()` may be a coroutine."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = done()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


def wait_for_port(
    port: int, timeout_s: float = 15.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Return once `port` takes connections; StackError if `process` (its server) exits."""

    def open_() -> bool:
        if process is not None and process.poll() is not None:
            raise StackError(f"the process for port {port} exited ({process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        return False

    wait_for(f"something to listen on port {port}", open_, timeout_s)


# ---- processes ------------------------------------------------------------------------


def tail(log: Path, lines: int = 5) -> str:
    """The last `lines` lines of a log, on one line."""
    with contextlib.suppress(OSError):
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:])
    return ""


class Processes:
    """Every process a stack starts, each logging to its own file; stopped together.

    As a context manager, everything still running is stopped on the way out.
    """

    def __init__(self) -> None:
        self._running: dict[subprocess.Popen[bytes], Path] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop_all()

    def start(
        self, command: list[str], log: Path, *, env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """Start `command`, its output appended to `log`."""
        return self._spawn(command, log, env, pipe=False)

    def start_printing(
        self,
        command: list[str],
        log: Path,
        *,
        timeout_s: float = 60.0,
        env: Mapping[str, str] | None = None,
    ) -> tuple[subprocess.Popen[bytes], str]:
        """Start a process that prints one line when ready (where it listens); that line.

        Its later output goes to `log` with its stderr, so its pipe never fills.
        """
        proc = self._spawn(command, log, env, pipe=True)
        first: queue.Queue[bytes] = queue.Queue()

        def read(out: IO[bytes]) -> None:
            first.put(out.readline())
            with log.open("ab") as kept:
                for line in out:
                    kept.write(line)

        assert proc.stdout is not None  # noqa: S101 (we asked for a pipe)
        threading.Thread(target=read, args=(proc.stdout,), daemon=True).start()
        name = log.stem
        try:
            line = first.get(timeout=timeout_s).decode(errors="replace").strip()
        except queue.Empty:
            raise StackError(f"{name} was not ready within {timeout_s:g} s") from None
        if not line:  # its output ended: it exited, or is about to
            raise StackError(f"{name} printed nothing; its log ends: {tail(log)}")
        return proc, line

    def check(self) -> None:
        """StackError if a process exited that nobody stopped."""
        for proc, log in self._running.items():
            if proc.poll() is not None:
                raise StackError(
                    f"{log.stem} exited with status {proc.returncode}; its log ends: {tail(log)}"
                )

    def stop(self, procs: list[subprocess.Popen[bytes]], sig: int = signal.SIGTERM) -> None:
        """Send `sig` to each, then SIGKILL any still running after STOP_S; each waited for."""
        ours = [proc for proc in procs if self._running.pop(proc, None) is not None]
        for proc in ours:
            if proc.poll() is None:
                proc.send_signal(sig)
        for proc in ours:
            try:
                proc.wait(timeout=STOP_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_S)

    def stop_all(self) -> None:
        """Stop every process still registered, newest first."""
        self.stop(list(reversed(self._running)))

    def _spawn(
        self, command: list[str], log: Path, env: Mapping[str, str] | None, *, pipe: bool
    ) -> subprocess.Popen[bytes]:
        try:
            with log.open("ab") as out:  # the child keeps its own copy open
                proc = subprocess.Popen(  # noqa: S603 (our own commands)
                    command, stdout=subprocess.PIPE if pipe else out, stderr=out, env=env
                )
        except OSError as exc:
            raise StackError(f"cannot start {command[0]}: {exc.strerror}") from exc
        self._running[proc] = log
        return proc


# ---- the broker -----------------------------------------------------------------------


def find_mosquitto() -> str:
    """The Mosquitto binary; StackError where it is not installed."""
    found = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(found).exists():
        raise StackError("mosquitto is not installed (apt-get install mosquitto)")
    return found


class Broker:
    """Our own Mosquitto on loopback, on the config the cloud's one writer makes.

    Devices connect on `port`, each bound to its own client id, and the cloud has a
    listener of its own on `cloud_port`: as `continuo cloud init` writes it, everywhere.
    `configure` writes the config into `workdir`; `start` runs Mosquitto on
    `workdir`/mosquitto.conf, whoever wrote it (the demo's `continuo cloud broker-config`,
    a test's own variant).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        cloud_password: str,
        limits: BrokerLimits | None = None,
        processes: Processes | None = None,
        log: Path | None = None,
    ) -> None:
        self.workdir = workdir
        self.cloud_password = cloud_password
        self.port = free_port()
        self.cloud_port = free_port()
        self.log = log or workdir / "mosquitto.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._limits = limits or BrokerLimits()
        self._procs = processes or Processes()
        self._devices: list[DeviceAccount] | None = None
        self._ran = False

    @property
    def ports(self) -> tuple[int, ...]:
        """Every port it listens on."""
        return (self.port, self.cloud_port)

    @property
    def pid(self) -> int:
        """The running Mosquitto's process id."""
        if self.proc is None:
            raise StackError("mosquitto is not running")
        return self.proc.pid

    def cloud_settings(
        self, *, client_id: str = "continuo-cloud-1", worker: str | None = None
    ) -> BrokerSettings:
        """How the cloud reaches this broker, with its own account."""
        return BrokerSettings(
            port=self.cloud_port,
            device_port=self.port,
            username=CLOUD_USER,
            password=self.cloud_password,
            client_id=client_id,
            worker=worker,
        )

    def configure(self, devices: list[DeviceAccount]) -> BrokerFiles:
        """Write the config, with an account and an ACL for each of `devices`."""
        self._devices = list(devices)
        self.workdir.mkdir(parents=True, exist_ok=True)
        return write_broker_config(
            self.workdir,
            port=self.port,
            cloud_port=self.cloud_port,
            cloud_user=CLOUD_USER,
            cloud_password=self.cloud_password,
            devices=devices,
            limits=self._limits,
        )

    def start(self) -> None:
        """Start Mosquitto; return once it listens on each of its ports itself.

        A free port is only free until someone binds it: on the first start of a config
        written by `configure`, ports taken meanwhile are swapped for others. After that,
        clients know the ports: they cannot change.
        """
        for _ in range(5):
            if self._spawn():
                self._ran = True
                return
            if self._ran or self._devices is None:
                break
            self.port = free_port()
            self.cloud_port = free_port()
            self.configure(self._devices)
        raise StackError(f"mosquitto did not start; its log ends: {tail(self.log)}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop it with `sig` (SIGKILL: a crash) and wait for it."""
        if self.proc is not None:
            self._procs.stop([self.proc], sig)
        self.proc = None

    def reload(self) -> None:
        """SIGHUP: Mosquitto rereads its password files and ACL without dropping clients."""
        if self.proc is None:
            raise StackError("mosquitto is not running")
        self.proc.send_signal(signal.SIGHUP)

    def _spawn(self) -> bool:
        """Run Mosquitto until it listens on every port (True) or exits (False)."""
        proc = self._procs.start(
            [find_mosquitto(), "-c", str(self.workdir / "mosquitto.conf")], self.log
        )
        self.proc = proc

        def up() -> bool:
            return proc.poll() is not None or all(listens(proc.pid, p) for p in self.ports)

        try:
            wait_for("mosquitto to listen", up, BROKER_START_S)
        except StackError as exc:
            self.stop()
            raise StackError(f"{exc}; its log ends: {tail(self.log)}") from exc
        if proc.poll() is None:
            return True
        self.stop()  # it exited: no longer running, and not to be reported as a crash
        return False


# ---- cloud workers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Backend:
    """What every worker of one stack is started with: its database and the broker."""

    database_url: str
    broker: Broker
    replenish: ReplenishSettings = field(default_factory=ReplenishSettings)


@dataclass(slots=True)
class Workers:
    """Running `continuo cloud serve` processes, one entry each."""

    procs: list[subprocess.Popen[bytes]]
    logs: list[Path]
    http_ports: list[int]
    client_ids: list[str]  # two MQTT client ids each (ingest, alert lane)


def start_worker(procs: Processes, config: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start `continuo cloud serve` on the config file `config`; see `wait_ingesting`."""
    return procs.start([sys.executable, "-m", "continuo", "cloud", "serve", "-c", str(config)], log)


def wait_ingesting(
    proc: subprocess.Popen[bytes], http_port: int, log: Path, timeout_s: float = WORKER_START_S
) -> None:
    """Return once the worker's /healthz says it is connected to the broker."""

    def connected() -> bool:
        if proc.poll() is not None:
            raise StackError(f"worker {log.stem} exited with status {proc.returncode}")
        url = f"http://127.0.0.1:{http_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:  # 503 while a unit is not ready: still JSON
            body = exc.read()
        except (urllib.error.URLError, OSError):
            return False
        try:
            return bool(json.loads(body).get("broker_connected"))
        except (ValueError, AttributeError):
            return False

    try:
        wait_for(f"worker {log.stem}", connected, timeout_s)
    except StackError as exc:
        raise StackError(f"{exc}; its log ends: {tail(log)}") from exc


def _worker(
    procs: Processes, workdir: Path, backend: Backend, i: int, label: str
) -> tuple[subprocess.Popen[bytes], int, Path, str]:
    """Write worker i's config on a free HTTP port and start it: (process, port, log, id)."""
    http_port = free_port()
    config = CloudConfig(
        database_url=backend.database_url,
        broker=backend.broker.cloud_settings(client_id="continuo-bench", worker=f"bench-{i}"),
        http=HttpSettings(port=http_port),
        replenish=backend.replenish,
        # Every alert is counted as its own incident: no device's fold into one.
        alerts=AlertSettings(max_open_per_device=10_000),
    )
    path = workdir / f"{label}-worker-{i}.toml"
    path.touch(mode=0o600)  # it holds the cloud's password: never readable by others
    path.chmod(0o600)
    path.write_bytes(dump_config(config))
    log = workdir / f"{label}-worker-{i}.log"
    return start_worker(procs, path, log), http_port, log, config.broker.client_id


def start_workers(
    procs: Processes, workdir: Path, backend: Backend, *, count: int, label: str
) -> Workers:
    """Start `count` workers on the one database; return once each one's ingest is up.

    Worker i has its own HTTP port and worker id (`bench-i`, so its own MQTT client ids,
    the same for a worker started again in its place: it resumes the broker session). A
    worker whose free port was taken before it could listen starts again on another.
    """
    workers = Workers([], [], [], [])
    for i in range(1, count + 1):
        proc, port, log, client_id = _worker(procs, workdir, backend, i, label)
        workers.procs.append(proc)
        workers.logs.append(log)
        workers.http_ports.append(port)
        workers.client_ids += [client_id, f"{client_id}-alerts"]
    try:
        for n in range(count):
            for attempt in range(3):
                try:
                    wait_ingesting(workers.procs[n], workers.http_ports[n], workers.logs[n])
                    break
                except StackError as exc:
                    if attempt == 2 or "Address already in use" not in str(exc):  # noqa: PLR2004
                        raise
                proc, port, log, _ = _worker(procs, workdir, backend, n + 1, label)
                workers.procs[n], workers.http_ports[n], workers.logs[n] = proc, port, log
    except StackError:
        procs.stop(workers.procs)
        raise
    return workers


# ---- PostgreSQL -----------------------------------------------------------------------


async def _admin(url: str, sql: str) -> None:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(url), 10)
    except (
        OSError,
        ValueError,
        TimeoutError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    ) as exc:
        raise StackError(f"cannot reach PostgreSQL at {url}: {exc}") from exc
    try:
        if sql:
            await conn.execute(sql)
    finally:
        await conn.close()


async def check_postgres(admin_url: str = POSTGRES_ADMIN_URL) -> None:
    """StackError unless PostgreSQL takes a connection at `admin_url`."""
    await _admin(admin_url, "")


@contextlib.asynccontextmanager
async def postgres_database(
    admin_url: str = POSTGRES_ADMIN_URL, *, keep: bool = False, prefix: str = "continuo"
) -> AsyncIterator[str]:
    """A new, empty database's URL on the server of `admin_url`; dropped after unless `keep`."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        if not keep:
            await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- a small disk, and stopping a run -------------------------------------------------


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[str | None]:
    """Mount a tmpfs of `size` (as "2m") at `where`; yields None, or why it could not."""
    where.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        yield "mounting a tmpfs needs root and mount(8)"
        return
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        yield f"cannot mount a tmpfs here: {done.stderr.strip()}"
        return
    try:
        yield None
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=False)  # noqa: S603, S607


async def stoppable(work: Coroutine[None, None, _T]) -> _T:
    """SIGTERM stops a run as Ctrl-C does: cleanly, then KeyboardInterrupt."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    terminated = asyncio.Event()

    def stop() -> None:
        terminated.set()
        if task is not None:
            task.cancel()

    loop.add_signal_handler(signal.SIGTERM, stop)
    try:
        return await work
    except asyncio.CancelledError:
        if terminated.is_set():
            raise KeyboardInterrupt from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGTERM)

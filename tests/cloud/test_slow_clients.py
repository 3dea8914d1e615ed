"""Slow and many clients cannot take the API down: `continuo cloud serve` under a file limit."""

from __future__ import annotations

import asyncio
import contextlib
import resource
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import msgspec

from cloud.config import dump_config
from tests.support.peers import ROOT, Broker, accounts, cloud_config, free_port, wait_for_port
from tests.support.wait import wait_until

ATTACKER = "127.0.0.2"  # a loopback address of its own: the probes come from 127.0.0.1
SLOW_SOCKETS = 1100
FILE_LIMIT = 1024  # what systemd gives a service unless told otherwise


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def _open_slowly(port: int) -> list[socket.socket]:
    """Connect many times and send half a request head on each (slowloris)."""
    opened = []
    for _ in range(SLOW_SOCKETS):
        sock = socket.socket()
        sock.settimeout(5)
        opened.append(sock)
        with contextlib.suppress(OSError):  # refused at once, as it should be
            sock.bind((ATTACKER, 0))
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: continuo\r\n")
    return opened


def _closed_by_server(sock: socket.socket) -> bool:
    try:
        sock.settimeout(0.01)
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


@contextlib.contextmanager
def _serving(config_path: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "continuo", "cloud", "serve", "-c", str(config_path)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_limit_files,  # noqa: PLW1509 - only setrlimit, before exec
        )
        try:
            wait_for_port(port, 60.0, serve)
            yield serve
        finally:
            serve.send_signal(signal.SIGINT)
            serve.wait(20)


async def test_1100_slow_sockets_under_a_1024_file_limit_leave_healthz_answering(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    broker.configure(await accounts(db_url))
    broker.start()
    port = free_port()
    config = cloud_config(db_url, broker.port, http_port=port)
    http = msgspec.structs.replace(config.http, header_timeout_s=3.0)
    config_path = tmp_path / "cloud.toml"
    config_path.write_bytes(dump_config(msgspec.structs.replace(config, http=http)))
    log = tmp_path / "serve.log"
    with _serving(config_path, port, log):
        slow = await asyncio.to_thread(_open_slowly, port)
        try:
            statuses = []
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as client:
                for _ in range(10):
                    async with client.get(f"http://127.0.0.1:{port}/healthz") as r:
                        statuses.append(r.status)
            assert len(statuses) == 10
            assert set(statuses) <= {200, 503}  # answered (503 only while ingest connects)
            # The ones let in are cut off once their head is late.
            await wait_until(
                lambda: all(_closed_by_server(s) for s in slow), "every slow socket closed", 30
            )
        finally:
            for sock in slow:
                sock.close()
    text = log.read_text(errors="replace")
    assert "Too many open files" not in text
    assert "out of system resource" not in text
    refusals = text.count("connections refused in the last minute")
    assert 1 <= refusals <= 2  # counted and said once a minute, not once per connection

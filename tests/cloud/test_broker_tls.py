"""MQTT over TLS with the project's own CA: devices trust it, nothing else passes."""

from __future__ import annotations

import asyncio
import random
import subprocess
from pathlib import Path

import msgspec

from cloud.identity.broker_config import DeviceAccount, hash_password, write_broker_config
from cloud.identity.registry import NewDevice
from cloud.identity.tls import ensure_tls
from common.clock import SystemClock
from edge.agent import Agent
from tests.support.peers import Broker, agent_config

PASSWORD = "pi-1-password-123"


def publish(port: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "mosquitto_pub",
            "-V",
            "5",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-u",
            "pi-1",
            "-P",
            PASSWORD,
            "-t",
            "continuo/v1/home-1/pi-1/up/telemetry",
            "-m",
            "x",
            "-q",
            "1",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


async def test_only_clients_that_trust_the_project_ca_get_through(
    broker: Broker, tmp_path: Path
) -> None:
    tls = ensure_tls(broker.workdir / "tls", names=["localhost", "127.0.0.1"])
    again = ensure_tls(broker.workdir / "tls", names=["localhost", "127.0.0.1"])
    assert again.ca_cert.read_bytes() == tls.ca_cert.read_bytes()  # the CA is made once
    assert (tls.server_key.stat().st_mode & 0o777) == 0o600
    write_broker_config(
        broker.workdir,
        port=broker.port,
        cloud_port=broker.cloud_port,
        cloud_user="continuo-cloud",
        cloud_password="cloud-password-123",
        devices=[DeviceAccount("pi-1", "home-1", hash_password(PASSWORD))],
        tls=tls,
    )
    broker.start()
    trusted = publish(broker.port, "--cafile", str(tls.ca_cert))
    assert trusted.returncode == 0, trusted.stderr
    plain = publish(broker.port)
    assert plain.returncode != 0  # no plaintext on a TLS listener
    stranger = ensure_tls(tmp_path / "other", names=["localhost", "127.0.0.1"])
    forged = publish(broker.port, "--cafile", str(stranger.ca_cert))
    assert forged.returncode != 0  # a certificate from another CA is not trusted

    device = NewDevice("pi-1", "home-1", "home-1", "pi-1", PASSWORD)
    config = agent_config(device, broker.port, tmp_path / "edge")
    config = msgspec.structs.replace(
        config, mqtt=msgspec.structs.replace(config.mqtt, tls=True, ca_file=str(tls.ca_cert))
    )
    agent = Agent(config, clock=SystemClock(), rng=random.Random(0))
    link = asyncio.create_task(agent.link.run())
    try:
        async with asyncio.timeout(10):
            await agent.link.connected.wait()
    finally:
        link.cancel()
        await asyncio.gather(link, return_exceptions=True)
        agent.close()

"""A verbose `continuo cloud serve` run logs none of the secrets it handled, at any level."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import aiomqtt
import msgspec

from cloud.config import dump_config
from cloud.identity.provisioning import issue_token
from cloud.identity.registry import add_device
from cloud.identity.users import Role, create_user, token_digest
from cloud.store.db import database
from cloud.store.models import Device, User
from common import topics
from common.clock import SystemClock
from common.messages import Event, encode, new_id
from common.topics import UplinkKind
from tests.support.peers import (
    CLOUD_PASSWORD,
    ROOT,
    Broker,
    accounts,
    cloud_config,
    free_port,
    wait_for_port,
)
from tests.support.wait import wait_until

PASSWORD = "correct horse battery"


def _parts(password_hash: str) -> list[str]:
    """A stored hash and the salt and digest inside it (any of them would be a leak)."""
    return [password_hash, *(p for p in password_hash.split("$") if len(p) >= 16)]


async def _act(url: str, broker_port: int, enrollment: str, secrets: list[str]) -> None:
    """Log in and out, change something with CSRF, provision a device, send a message."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.post(f"{url}/api/v1/login", json={"username": "ops", "password": "x"}):
            pass  # a failed login too
        async with http.post(
            f"{url}/api/v1/login", json={"username": "ana", "password": PASSWORD}
        ) as r:
            assert r.status == 200, await r.text()
            session = await r.json()
        secrets += [session["token"], token_digest(session["token"]), session["csrf"]]
        async with http.patch(
            f"{url}/api/v1/customers/home-1",
            json={"quiet_start": 22, "quiet_end": 7},
            headers={"X-CSRF-Token": session["csrf"]},
        ) as r:
            assert r.status == 200, await r.text()
        async with http.post(f"{url}/api/v1/provision", json={"token": enrollment}) as r:
            assert r.status == 201, await r.text()
            provisioned = await r.json()
        secrets.append(provisioned["mqtt_password"])
        async with http.post(
            f"{url}/api/v1/logout", headers={"X-CSRF-Token": session["csrf"]}
        ) as r:
            assert r.status == 200
    device = provisioned["device_id"]
    client = aiomqtt.Client(
        "127.0.0.1",
        broker_port,
        username=device,
        password=provisioned["mqtt_password"],
        protocol=aiomqtt.ProtocolVersion.V5,
    )

    async def connected() -> bool:
        try:
            await client.__aenter__()
        except aiomqtt.MqttError:
            return False
        return True

    await wait_until(  # the broker reloads its accounts on SIGHUP
        connected, "the new device can connect to the broker", timeout_s=10
    )
    try:
        await client.subscribe(topics.downlink("home-1", device), qos=1)
        event = Event(id=new_id(), device_id=device, seq=1, sent_at=1.0, sensor="b", name="press")
        await client.publish(
            topics.uplink("home-1", device, UplinkKind.EVENT), encode(event), qos=1
        )
        async with asyncio.timeout(15):
            async for _ack in client.messages:  # stored and acknowledged: ingest logged it
                break
    finally:
        await client.__aexit__(None, None, None)


async def test_a_verbose_run_logs_no_secret_it_made(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    clock = SystemClock()
    async with database(db_url):
        device = await add_device(site="home-1", device_id="pi-1")
        await create_user("ana", PASSWORD, role=Role.CUSTOMER, customer_id="home-1")
        await create_user("ops", PASSWORD, role=Role.OPERATOR)
        enrollment = (await issue_token(site="home-1", clock=clock)).token
    broker.configure(await accounts(db_url))
    broker.start()
    port = free_port()
    config_path = tmp_path / "cloud.toml"
    config = cloud_config(db_url, broker.port, http_port=port)
    managed = msgspec.structs.replace(config.broker, config_dir=str(broker.workdir))
    config_path.write_bytes(dump_config(msgspec.structs.replace(config, broker=managed)))
    log_path = tmp_path / "serve.log"
    secrets = [
        PASSWORD,
        CLOUD_PASSWORD,
        device.password,
        enrollment,
        hashlib.sha256(enrollment.encode()).hexdigest(),
        base64.b64encode(CLOUD_PASSWORD.encode()).decode(),
    ]
    with log_path.open("wb") as log:
        serve = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "continuo",
                "cloud",
                "serve",
                "-c",
                str(config_path),
                "--verbose",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            await asyncio.to_thread(wait_for_port, port, 60.0, serve)
            await _act(f"http://127.0.0.1:{port}", broker.port, enrollment, secrets)
        finally:
            serve.send_signal(signal.SIGINT)
            await asyncio.to_thread(serve.wait, 20)
    async with database(db_url):
        for user in await User.all():
            secrets += _parts(user.password_hash)
        for row in await Device.all():
            secrets += _parts(row.password_hash)
    text = log_path.read_text(errors="replace")
    assert " DEBUG " in text  # every level was written
    assert "[values redacted]" in text  # the ORM's statements were logged, without values
    assert "POST /api/v1/provision" in text
    leaked = [s for s in secrets if s in text]
    assert not leaked, f"{len(leaked)} secrets in the log, e.g. {leaked[0][:6]}..."

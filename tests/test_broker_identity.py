"""Per-device identity on a real Mosquitto, configured by the cloud's broker-config."""

from __future__ import annotations

import asyncio
import subprocess

import aiomqtt
import pytest

from cloud.identity.broker_config import DeviceAccount, hash_password, verify_password
from cloud.identity.registry import add_device, device_accounts, revoke, rotate_password
from common import topics
from common.topics import UplinkKind
from tests.peers import CLOUD_PASSWORD, Broker

ALICE = DeviceAccount("pi-alice", "home-alice", hash_password("alice-secret"))
BOB = DeviceAccount("pi-bob", "home-bob", hash_password("bob-secret"))


@pytest.fixture
def fleet_broker(broker: Broker) -> Broker:
    broker.configure([ALICE, BOB])
    broker.start()
    return broker


def sub(
    broker: Broker, user: str, password: str, topic: str, *, count: int = 1, wait_s: float = 2.0
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "mosquitto_sub",
            "-V",
            "5",
            "-h",
            "127.0.0.1",
            "-p",
            str(broker.port),
            "-u",
            user,
            "-P",
            password,
            "-t",
            topic,
            "-C",
            str(count),
            "-W",
            str(wait_s),
            "-q",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def pub(
    broker: Broker, user: str, password: str, topic: str, payload: str = "x"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "mosquitto_pub",
            "-V",
            "5",
            "-h",
            "127.0.0.1",
            "-p",
            str(broker.port),
            "-u",
            user,
            "-P",
            password,
            "-t",
            topic,
            "-m",
            payload,
            "-q",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_password_hashes_use_mosquitto_format_and_verify() -> None:
    stored = hash_password("s3cret")
    assert stored.startswith("$7$101$")
    assert verify_password("s3cret", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("s3cret", "garbage")


def test_wrong_password_and_anonymous_clients_are_refused(fleet_broker: Broker) -> None:
    topic = topics.uplink("home-alice", "pi-alice", UplinkKind.TELEMETRY)
    assert pub(fleet_broker, "pi-alice", "wrong", topic).returncode != 0
    anonymous = subprocess.run(
        [
            "mosquitto_pub",
            "-V",
            "5",
            "-h",
            "127.0.0.1",
            "-p",
            str(fleet_broker.port),
            "-t",
            topic,
            "-m",
            "x",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert anonymous.returncode != 0


async def _collect(broker: Broker, topic: str, seconds: float) -> list[str]:
    got: list[str] = []
    async with aiomqtt.Client(
        "127.0.0.1",
        broker.port,
        username="continuo-cloud",
        password=CLOUD_PASSWORD,
        protocol=aiomqtt.ProtocolVersion.V5,
    ) as cloud:
        await cloud.subscribe(topic, qos=1)
        try:
            async with asyncio.timeout(seconds):
                async for message in cloud.messages:
                    got.append(str(message.topic))
        except TimeoutError:
            pass
    return got


async def test_device_publishes_only_under_its_own_topics(fleet_broker: Broker) -> None:
    own = topics.uplink("home-alice", "pi-alice", UplinkKind.TELEMETRY)
    bobs = topics.uplink("home-bob", "pi-bob", UplinkKind.TELEMETRY)
    listener = asyncio.create_task(_collect(fleet_broker, topics.uplink_filter(), 3.0))
    await asyncio.sleep(0.5)
    assert (
        await asyncio.to_thread(pub, fleet_broker, "pi-alice", "alice-secret", own)
    ).returncode == 0
    await asyncio.to_thread(pub, fleet_broker, "pi-alice", "alice-secret", bobs)
    received = await listener
    assert received == [own]


async def test_denied_publish_is_reported_by_mqtt5_reason_code(fleet_broker: Broker) -> None:
    from collections import Counter  # noqa: PLC0415

    from edge.link import _count_denied_publishes  # noqa: PLC0415

    counters: Counter[str] = Counter()
    async with aiomqtt.Client(
        "127.0.0.1",
        fleet_broker.port,
        username="pi-alice",
        password="alice-secret",
        protocol=aiomqtt.ProtocolVersion.V5,
    ) as client:
        _count_denied_publishes(client, counters)
        await client.publish(topics.uplink("home-bob", "pi-bob", UplinkKind.ALERT), b"x", qos=1)
        await client.publish(topics.uplink("home-alice", "pi-alice", UplinkKind.ALERT), b"x", qos=1)
    assert counters["publish_denied"] == 1


def test_device_cannot_read_other_households_or_the_whole_broker(fleet_broker: Broker) -> None:
    for topic in (
        "#",
        "$SYS/#",
        topics.downlink("home-bob", "pi-bob"),
        topics.uplink_filter("home-bob", "pi-bob"),
    ):
        result = sub(fleet_broker, "pi-alice", "alice-secret", topic, wait_s=1.5)
        pub(fleet_broker, "continuo-cloud", CLOUD_PASSWORD, topics.downlink("home-bob", "pi-bob"))
        assert result.stdout == "", topic


def test_device_receives_its_own_downlink(fleet_broker: Broker) -> None:
    down = topics.downlink("home-alice", "pi-alice")
    proc = subprocess.Popen(
        [
            "mosquitto_sub",
            "-V",
            "5",
            "-h",
            "127.0.0.1",
            "-p",
            str(fleet_broker.port),
            "-u",
            "pi-alice",
            "-P",
            "alice-secret",
            "-t",
            down,
            "-C",
            "1",
            "-W",
            "5",
            "-q",
            "1",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    import time  # noqa: PLC0415

    time.sleep(0.5)
    assert pub(fleet_broker, "continuo-cloud", CLOUD_PASSWORD, down, "hello").returncode == 0
    out, _ = proc.communicate(timeout=10)
    assert out.strip() == "hello"


def test_revoked_device_is_refused_after_a_reload_without_restart(fleet_broker: Broker) -> None:
    topic = topics.uplink("home-bob", "pi-bob", UplinkKind.TELEMETRY)
    assert pub(fleet_broker, "pi-bob", "bob-secret", topic).returncode == 0
    fleet_broker.configure([ALICE])
    fleet_broker.reload()
    import time  # noqa: PLC0415

    time.sleep(0.5)
    assert pub(fleet_broker, "pi-bob", "bob-secret", topic).returncode != 0


async def test_a_rotated_password_replaces_the_old_one_without_a_restart(
    db: str, broker: Broker
) -> None:
    del db
    device = await add_device(site="home-9", device_id="pi-9")
    broker.configure(await device_accounts())
    broker.start()
    topic = topics.uplink("home-9", "pi-9", UplinkKind.TELEMETRY)
    assert pub(broker, "pi-9", device.password, topic).returncode == 0
    fresh = await rotate_password("pi-9")
    broker.configure(await device_accounts())
    broker.reload()
    await asyncio.sleep(0.5)
    assert pub(broker, "pi-9", device.password, topic).returncode != 0  # the old one is dead
    assert pub(broker, "pi-9", fresh, topic).returncode == 0
    await revoke("pi-9")
    broker.configure(await device_accounts())
    broker.reload()
    await asyncio.sleep(0.5)
    assert pub(broker, "pi-9", fresh, topic).returncode != 0

"""Per-device identity on a real Mosquitto, configured by the cloud's broker-config."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from typing import Any

import aiomqtt
import pytest

from cloud.api.context import SERVICES
from cloud.identity.broker_config import DeviceAccount, hash_password, verify_password
from cloud.identity.registry import add_device, device_accounts, revoke, rotate_password
from common import topics
from common.topics import UplinkKind
from tests.support.peers import CLOUD_PASSWORD, Broker
from tests.support.wait import wait_until

ALICE = DeviceAccount("pi-alice", "home-alice", hash_password("alice-secret"))
BOB = DeviceAccount("pi-bob", "home-bob", hash_password("bob-secret"))


@pytest.fixture
def fleet_broker(broker: Broker) -> Broker:
    broker.configure([ALICE, BOB])
    broker.start()
    return broker


def _port_of(broker: Broker, user: str) -> int:
    """The cloud's account has its own listener; devices have theirs."""
    return broker.cloud_port if user == "continuo-cloud" else broker.port


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
            str(_port_of(broker, user)),
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
            str(_port_of(broker, user)),
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


async def _collect(
    broker: Broker, topic: str, seconds: float, subscribed: asyncio.Event
) -> list[str]:
    got: list[str] = []
    async with aiomqtt.Client(
        "127.0.0.1",
        broker.cloud_port,
        username="continuo-cloud",
        password=CLOUD_PASSWORD,
        protocol=aiomqtt.ProtocolVersion.V5,
    ) as cloud:
        await cloud.subscribe(topic, qos=1)  # returns once the broker's SUBACK is in
        subscribed.set()
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
    subscribed = asyncio.Event()
    listener = asyncio.create_task(_collect(fleet_broker, topics.uplink_filter(), 3.0, subscribed))
    await asyncio.wait_for(subscribed.wait(), 10)
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


async def test_device_receives_its_own_downlink(fleet_broker: Broker) -> None:
    down = topics.downlink("home-alice", "pi-alice")
    async with aiomqtt.Client(
        "127.0.0.1",
        fleet_broker.port,
        username="pi-alice",
        password="alice-secret",
        identifier="pi-alice",
        protocol=aiomqtt.ProtocolVersion.V5,
    ) as device:
        await device.subscribe(down, qos=1)  # returns once the broker's SUBACK is in
        sent = await asyncio.to_thread(
            pub, fleet_broker, "continuo-cloud", CLOUD_PASSWORD, down, "hello"
        )
        assert sent.returncode == 0
        async with asyncio.timeout(10):
            message = await anext(aiter(device.messages))
    assert message.payload == b"hello"


async def refused(broker: Broker, user: str, password: str, topic: str) -> bool:
    """Whether the broker refuses this account now (its files are reread on SIGHUP)."""
    return (await asyncio.to_thread(pub, broker, user, password, topic)).returncode != 0


async def test_revoked_device_is_refused_after_a_reload_without_restart(
    fleet_broker: Broker,
) -> None:
    topic = topics.uplink("home-bob", "pi-bob", UplinkKind.TELEMETRY)
    assert not await refused(fleet_broker, "pi-bob", "bob-secret", topic)
    fleet_broker.configure([ALICE])
    fleet_broker.reload()
    await wait_until(
        lambda: refused(fleet_broker, "pi-bob", "bob-secret", topic),
        "the reloaded broker refuses the revoked device",
        timeout_s=10,
    )


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
    await wait_until(
        lambda: refused(broker, "pi-9", device.password, topic), "the old password is dead"
    )
    assert not await refused(broker, "pi-9", fresh, topic)
    await revoke("pi-9")
    broker.configure(await device_accounts())
    broker.reload()
    await wait_until(lambda: refused(broker, "pi-9", fresh, topic), "the revoked device is out")


# --- Identity and limits at the broker (issue 11) -------------------------------------------


def _connack(port: int, user: str | None, password: str | None) -> dict[str, object]:
    """CONNACK's reason and properties for an MQTT v5 client (paho, on its own thread)."""
    import threading  # noqa: PLC0415

    import paho.mqtt.client as mqtt  # noqa: PLC0415
    from paho.mqtt.enums import CallbackAPIVersion  # noqa: PLC0415

    done = threading.Event()
    got: dict[str, object] = {}

    def on_connect(_c: object, _u: object, _f: object, rc: object, props: object) -> None:
        got.update(vars(props) if props is not None else {}, rc=str(rc))
        done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    if user is not None:
        client.username_pw_set(user, password)
    client.on_connect = on_connect
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        assert done.wait(5), "no CONNACK"
    finally:
        client.disconnect()
        client.loop_stop()
    return got


def _two_listeners(broker: Broker, devices: list[DeviceAccount], **limits: int) -> int:
    """The production layout: devices on broker.port, the cloud on a port of its own."""
    from cloud.identity.broker_config import BrokerLimits, write_broker_config  # noqa: PLC0415
    from tests.support.peers import wait_for_port  # noqa: PLC0415

    cloud_port = broker.cloud_port
    write_broker_config(
        broker.workdir,
        port=broker.port,
        cloud_port=cloud_port,
        cloud_user="continuo-cloud",
        cloud_password=CLOUD_PASSWORD,
        devices=devices,
        limits=BrokerLimits(**limits),  # type: ignore[arg-type]
    )
    broker.start()
    wait_for_port(cloud_port)
    return cloud_port


def test_limits_are_sized_from_mosquittos_measured_defaults(broker: Broker, tmp_path: Any) -> None:
    """Bare Mosquitto grants what the written config takes back: packet size and inflight."""
    import shutil  # noqa: PLC0415

    from cloud.identity.broker_config import BrokerLimits  # noqa: PLC0415
    from common.messages import MAX_PAYLOAD_BYTES  # noqa: PLC0415
    from tests.support.peers import free_port, wait_for_port  # noqa: PLC0415

    bare_port = free_port()
    bare_conf = tmp_path / "bare.conf"
    bare_conf.write_text(f"listener {bare_port} 127.0.0.1\nallow_anonymous true\n")
    bare = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(bare_conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(bare_port, process=bare)
        defaults = _connack(bare_port, None, None)
    finally:
        bare.terminate()
        bare.wait(10)
    assert defaults.get("ReceiveMaximum") == 20  # Mosquitto's default
    assert "MaximumPacketSize" not in defaults  # unlimited: a 1 MB payload would get through

    _two_listeners(broker, [ALICE])
    ours = _connack(broker.port, "pi-alice", "alice-secret")
    limits = BrokerLimits()
    assert ours["MaximumPacketSize"] == limits.max_packet_size
    assert ours["ReceiveMaximum"] == limits.max_inflight_messages
    assert MAX_PAYLOAD_BYTES < limits.max_packet_size < 2 * MAX_PAYLOAD_BYTES


async def test_an_oversized_publish_is_refused_at_the_broker(broker: Broker) -> None:
    """A 1 MB payload on a device's own topic never reaches the cloud; a legal one does."""
    from common.messages import MAX_PAYLOAD_BYTES  # noqa: PLC0415

    cloud_port = _two_listeners(broker, [ALICE])
    own = topics.uplink("home-alice", "pi-alice", UplinkKind.TELEMETRY)
    got: list[int] = []
    async with aiomqtt.Client(
        "127.0.0.1",
        cloud_port,
        username="continuo-cloud",
        password=CLOUD_PASSWORD,
        protocol=aiomqtt.ProtocolVersion.V5,
    ) as cloud:
        await cloud.subscribe(topics.uplink_filter(), qos=1)
        async with aiomqtt.Client(
            "127.0.0.1",
            broker.port,
            username="pi-alice",
            password="alice-secret",
            protocol=aiomqtt.ProtocolVersion.V5,
        ) as alice:
            with contextlib.suppress(aiomqtt.MqttError):  # paho may refuse it before sending
                await alice.publish(own, b"x" * 1_000_000, qos=1, timeout=5)
        async with aiomqtt.Client(
            "127.0.0.1",
            broker.port,
            username="pi-alice",
            password="alice-secret",
            protocol=aiomqtt.ProtocolVersion.V5,
        ) as alice:
            await alice.publish(own, b"y" * MAX_PAYLOAD_BYTES, qos=1)
        async with asyncio.timeout(10):
            async for message in cloud.messages:
                got.append(len(message.payload))
                break
    assert got == [MAX_PAYLOAD_BYTES]  # the legal one, and nothing before it


def test_device_accounts_are_refused_on_the_clouds_listener_and_vice_versa(
    broker: Broker,
) -> None:
    cloud_port = _two_listeners(broker, [ALICE, BOB])
    assert _connack(cloud_port, "pi-alice", "alice-secret")["rc"] != "Success"
    assert _connack(broker.port, "continuo-cloud", CLOUD_PASSWORD)["rc"] != "Success"
    assert _connack(cloud_port, "continuo-cloud", CLOUD_PASSWORD)["rc"] == "Success"
    assert _connack(broker.port, "pi-bob", "bob-secret")["rc"] == "Success"


async def test_a_connection_flood_cannot_lock_the_cloud_out(broker: Broker) -> None:
    """Fifty device connections held open; the cloud's own listener still lets it in.

    Mosquitto 2.0.11's per-listener connection limit is no defence: every connection that
    closes lets one more in (measured; see README), so the cloud's listener is what keeps a
    flood of device connections from locking the cloud out.
    """
    fleet = [DeviceAccount(f"pi-{n}", f"home-{n}", hash_password("pw-secret")) for n in range(50)]
    cloud_port = _two_listeners(broker, fleet)
    async with contextlib.AsyncExitStack() as held:
        clients = [
            aiomqtt.Client(
                "127.0.0.1",
                broker.port,
                username=device.device_id,
                password="pw-secret",
                protocol=aiomqtt.ProtocolVersion.V5,
                timeout=20,
            )
            for device in fleet
        ]
        await asyncio.gather(*(held.enter_async_context(c) for c in clients))
        connack = await asyncio.to_thread(_connack, cloud_port, "continuo-cloud", CLOUD_PASSWORD)
        assert connack["rc"] == "Success"


async def test_a_device_cannot_take_another_devices_or_a_backend_workers_session(
    db_url: str, broker: Broker
) -> None:
    """pi-1 connects with pi-2's client id and with both of ingest's: nobody is knocked off."""
    import msgspec  # noqa: PLC0415

    from common.messages import Alert, Event, Severity, decode_downlink, encode, new_id  # noqa: PLC0415
    from tests.support.peers import accounts, cloud_config, register, running_cloud  # noqa: PLC0415

    attacker, victim = await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    cloud_port = _two_listeners(broker, await accounts(db_url))
    config = cloud_config(db_url, cloud_port)
    config = msgspec.structs.replace(
        config, broker=msgspec.structs.replace(config.broker, device_port=broker.port)
    )
    async with running_cloud(config) as cloud:
        ingest = cloud.app[SERVICES].ingest
        worker = config.broker.client_id
        assert worker.startswith("cloud-")
        assert len(worker) == len("cloud-xxxxxx-w") + 12  # keyed with the cloud's password
        restarted = msgspec.structs.replace(config.broker)
        assert restarted.client_id == worker  # the same after a restart: it resumes its session
        second = msgspec.structs.replace(config.broker, worker="second")
        assert second.client_id != worker  # each worker its own

        async with aiomqtt.Client(
            "127.0.0.1",
            broker.port,
            username=victim.username,
            password=victim.password,
            identifier="pi-2",
            protocol=aiomqtt.ProtocolVersion.V5,
        ) as pi2:
            await pi2.subscribe(topics.downlink("home-2", "pi-2"), qos=1)
            for stolen in ("pi-2", worker, f"{worker}-alerts"):
                async with aiomqtt.Client(
                    "127.0.0.1",
                    broker.port,
                    username=attacker.username,
                    password=attacker.password,
                    identifier=stolen,
                    protocol=aiomqtt.ProtocolVersion.V5,
                ) as thief:
                    await thief.publish(
                        topics.uplink("home-1", "pi-1", UplinkKind.EVENT), b"{}", qos=1
                    )
            # pi-2's session and both ingest lanes survived: pi-2's messages are acked.
            sent: list[Alert | Event] = [
                Alert(
                    id=new_id(),
                    device_id="pi-2",
                    seq=1,
                    sent_at=1.0,
                    sensor="wearable",
                    name="fall",
                    severity=Severity.CRITICAL,
                ),
                Event(id=new_id(), device_id="pi-2", seq=2, sent_at=1.0, sensor="b", name="press"),
            ]
            for message, kind in zip(sent, (UplinkKind.ALERT, UplinkKind.EVENT), strict=True):
                await pi2.publish(topics.uplink("home-2", "pi-2", kind), encode(message), qos=1)
            acked: set[str] = set()
            async with asyncio.timeout(10):
                async for delivery in pi2.messages:
                    ack = decode_downlink(bytes(delivery.payload))
                    acked |= set(getattr(ack, "ids", []))
                    if acked >= {m.id for m in sent}:
                        break
        assert ingest.counters["disconnects"] == 0
        assert ingest.connected.is_set()


async def test_on_a_shared_listener_no_device_can_guess_a_backend_workers_id(
    broker: Broker, tmp_path: Any
) -> None:
    """Without device_port a device picks its client id; the configured ones hit no worker."""
    import msgspec  # noqa: PLC0415

    from tests.support.peers import (  # noqa: PLC0415
        accounts,
        cloud_config,
        database_url,
        register,
        running_cloud,
    )

    async with database_url("sqlite", tmp_path) as db_url:
        (device,) = await register(db_url, ("home-1", "pi-1", False))
        broker.configure(await accounts(db_url))
        broker.start()
        config = cloud_config(db_url, broker.port)
        config = msgspec.structs.replace(
            config, broker=msgspec.structs.replace(config.broker, client_id="continuo-cloud-1")
        )
        async with running_cloud(config) as cloud:
            ingest = cloud.app[SERVICES].ingest
            for guess in ("continuo-cloud-1", "continuo-cloud-1-alerts"):  # the old fixed ids
                async with aiomqtt.Client(
                    "127.0.0.1",
                    broker.port,
                    username=device.username,
                    password=device.password,
                    identifier=guess,
                    protocol=aiomqtt.ProtocolVersion.V5,
                ) as thief:
                    await thief.publish(topics.uplink("home-1", "pi-1", UplinkKind.EVENT), b"{}")
            async with cloud.http() as http:  # ingest counted the junk on its live lanes
                await wait_until(
                    lambda: ingest.counters["received"] >= 1,
                    "ingest has received the junk",
                    timeout_s=10,
                )
                async with http.get(f"{cloud.url}/healthz") as r:
                    assert (await r.json())["broker_connected"] is True
            assert ingest.counters["disconnects"] == 0

"""One device flooding ingest harms nobody else: through real Mosquitto and the real backend.

A device floods the alert lane with thousands of valid alerts of its own; another
household's fall alert must not wait behind that backlog. The flooder's excess is shed (not
acknowledged, so nothing is lost: a real agent keeps it), counted on its row and flagged for
operators, who can quarantine it until they release it.
"""

from __future__ import annotations

from pathlib import Path

import aiomqtt
import msgspec
from prometheus_client.parser import text_string_to_metric_families

from cloud.api.context import SERVICES
from cloud.config import IngestSettings
from cloud.identity.registry import NewDevice, device_accounts
from cloud.store.models import Device, Flag, Incident, IngestedMessage
from common import topics
from common.messages import Alert, Telemetry, encode, new_id
from common.topics import UplinkKind
from tests.support.backend import fall_alert, printer_message
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    register,
    running_cloud,
)
from tests.support.wait import wait_until

FLOOD = 3000
QUEUE = 1000  # what one device may hold in a lane's queue
SHARE = 64  # what one device may have of one batch (IngestSettings.per_device_batch)
BATCHES = 4  # batches the fall may wait for: the one being stored, and its own, and slack


def _client(cloud: RunningCloud, device: NewDevice) -> aiomqtt.Client:
    return aiomqtt.Client(
        "127.0.0.1",
        cloud.config.broker.devices_port,
        username=device.username,
        password=device.password,
        identifier=device.username,
        protocol=aiomqtt.ProtocolVersion.V5,
        max_queued_outgoing_messages=0,
    )


def _alert(device: NewDevice, seq: int) -> Alert:
    return msgspec.structs.replace(
        fall_alert(seq), id=new_id(), device_id=device.device_id, sent_at=1_800_000_000.0 + seq
    )


async def _stored(device: str) -> int:
    return await IngestedMessage.filter(device_id=device).count()


async def _metrics(cloud: RunningCloud) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with cloud.http() as http, http.get(f"{cloud.url}/metrics") as response:
        assert response.status == 200, await response.text()
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_a_flooding_device_does_not_delay_another_households_alert_and_is_flagged(
    db_url: str, tmp_path: Path
) -> None:
    flooder, victim = await register(
        db_url, ("home-a", "pi-flood", False), ("home-b", "pi-2", False)
    )
    broker = Broker(tmp_path)
    broker.configure(await accounts(db_url))
    broker.start()
    config = cloud_config(db_url, broker.port)
    config = msgspec.structs.replace(
        config, ingest=IngestSettings(per_device_queue=QUEUE, per_device_batch=SHARE)
    )
    try:
        async with running_cloud(config) as cloud:
            ingest = cloud.app[SERVICES].ingest
            flood_topic = topics.uplink(flooder.site, flooder.device_id, UplinkKind.ALERT)
            async with _client(cloud, flooder) as loud, _client(cloud, victim) as quiet:
                for seq in range(1, FLOOD + 1):  # QoS 0: as fast as the socket takes them
                    await loud.publish(flood_topic, encode(_alert(flooder, seq)), qos=0)
                await wait_until(
                    lambda: _waiting(ingest, flooder.device_id, BATCHES * SHARE),
                    "more of the flood waits than a few batches' share",
                    timeout_s=60,
                )
                before = await _stored(flooder.device_id)
                waiting = ingest.lanes[0].queue.depth(flooder.device_id)
                fall = _alert(victim, 1)
                topic = topics.uplink(victim.site, victim.device_id, UplinkKind.ALERT)
                await quiet.publish(topic, encode(fall), qos=1)
                await wait_until(
                    lambda: IngestedMessage.exists(id=fall.id),
                    "the other household's fall alert is stored",
                    timeout_s=60,
                )
                ahead = await _stored(flooder.device_id) - before
            # The fall went in turn, after at most the flooder's share of a few batches,
            # not after the hundreds of its messages that were waiting when it arrived.
            print(f"flood messages waiting {waiting}, stored ahead of the fall {ahead}")
            assert ahead < BATCHES * SHARE < waiting, (ahead, waiting)
            assert await Incident.exists(device_id=victim.device_id)
            # Every message of the flood was stored or shed (counted), none vanished.
            await wait_until(
                lambda: _accounted(ingest, flooder.device_id),
                "every message of the flood is stored or shed",
                timeout_s=60,
            )
            assert ingest.shed[flooder.device_id] > 0
            assert ingest.shed[victim.device_id] == 0

            # Counted on the device row and flagged for operators (after a liveness flush).
            await ingest.liveness.flush()
            device = await Device.get(id=flooder.device_id)
            assert device.shed == ingest.shed[flooder.device_id]
            assert await Flag.exists(device_id=flooder.device_id, kind="flooding", resolved=False)
            assert not await Flag.exists(device_id=victim.device_id, kind="flooding")
            async with cloud.http() as http:
                async with http.get(f"{cloud.url}/api/v1/devices/{flooder.device_id}") as r:
                    assert (await r.json())["shed"] == device.shed
                async with http.get(f"{cloud.url}/api/v1/flags") as r:
                    flags = await r.json()
            assert [f["kind"] for f in flags if f["device_id"] == flooder.device_id] == ["flooding"]
            metrics = await _metrics(cloud)
            shed = metrics[("continuo_ingest_shed_total", (("device", flooder.device_id),))]
            assert shed == device.shed
            assert metrics[("continuo_ingest_stored_total", (("kind", "alert"),))] >= ahead + 1
            # The broker's own counters ($SYS, every sys_interval: 10 s).
            await wait_until(
                lambda: _counted_stat(ingest, "clients/connected"),
                "the broker's $SYS counters show two connected clients",
                timeout_s=60,
            )
            metrics = await _metrics(cloud)
            assert metrics[("continuo_broker", (("stat", "clients/connected"),))] >= 2
    finally:
        broker.stop()


async def _counted_stat(ingest: object, stat: str) -> bool:
    return ingest.broker_stats.get(stat, 0) >= 2  # type: ignore[attr-defined,no-any-return]


async def _accounted(ingest: object, device: str) -> bool:
    shed = ingest.shed[device]  # type: ignore[attr-defined]
    return bool(await _stored(device) + shed == FLOOD)


async def _waiting(ingest: object, device: str, n: int) -> bool:
    return ingest.lanes[0].queue.depth(device) > n  # type: ignore[attr-defined,no-any-return]


async def test_an_operator_quarantines_a_device_and_releases_it(
    db_url: str, tmp_path: Path
) -> None:
    (device, other) = await register(db_url, ("home-a", "pi-q", False), ("home-b", "pi-2", False))
    broker = Broker(tmp_path)
    broker.configure(await accounts(db_url))
    broker.start()
    try:
        async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
            ingest = cloud.app[SERVICES].ingest
            customer = await cloud.user("ann", "customer", customer=device.customer)
            url = f"{cloud.url}/api/v1/devices/{device.device_id}/quarantine"
            async with cloud.http(customer) as http, http.post(url, json={"reason": "x"}) as r:
                assert r.status == 403
            async with cloud.http() as http:
                async with http.post(url, json={}) as r:
                    assert r.status == 400
                async with http.post(url, json={"reason": "floods alerts; firmware 1.2"}) as r:
                    assert r.status == 200, await r.text()
                    body = await r.json()
            assert body["quarantined_at"] is not None
            assert body["quarantine_reason"] == "floods alerts; firmware 1.2"
            # The broker's accounts leave it out: where the cloud manages the broker, the
            # reload refuses its publishes there; here ingest refuses them.
            assert [a.device_id for a in await device_accounts()] == [other.device_id]

            held = printer_message(device.device_id, 1, 1_800_000_000.0, 50)
            heard = printer_message(other.device_id, 1, 1_800_000_000.0, 50)
            await _publish(cloud, device, held)
            await _publish(cloud, other, heard)
            await wait_until(
                lambda: IngestedMessage.exists(id=heard.id),
                "the other device's message is stored",
                timeout_s=60,
            )
            await wait_until(
                lambda: _counted(ingest, "rejected_quarantined", 1),
                "ingest has refused the quarantined device's message",
                timeout_s=60,
            )
            assert not await IngestedMessage.exists(id=held.id)  # not taken, not acknowledged

            async with cloud.http() as http, http.delete(url) as r:
                assert r.status == 200
                assert (await r.json())["quarantined_at"] is None
            await _publish(cloud, device, held)  # as the agent resends what was not acked
            await wait_until(
                lambda: IngestedMessage.exists(id=held.id),
                "the released device's resent message is stored",
                timeout_s=60,
            )
            async with cloud.http() as http, http.delete(url.replace("pi-q", "pi-none")) as r:
                assert r.status == 404
    finally:
        broker.stop()


async def _counted(ingest: object, name: str, n: int) -> bool:
    return ingest.counters[name] >= n  # type: ignore[attr-defined,no-any-return]


async def _publish(cloud: RunningCloud, device: NewDevice, message: Telemetry) -> None:
    async with _client(cloud, device) as client:
        topic = topics.uplink(device.site, device.device_id, UplinkKind.TELEMETRY)
        await client.publish(topic, encode(message), qos=1)

"""Nothing stops help: a database that goes away and comes back, a full disk, a dead webhook,
a flooding device. Through the real broker, backend and agents."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp

from cloud.alerts.kinds import FLOODING
from cloud.alerts.receivers import StepSpec
from cloud.config import AlertSettings, NotifySettings
from cloud.store.models import Delivery, Incident, IngestedMessage
from cloud.terms import DeliveryState
from common.messages import Severity
from tests.support.alarm import Homes, homes
from tests.support.peers import (
    Broker,
    PrivatePostgres,
    cloud_config,
    fill,
    get_json,
    small_disk,
)
from tests.support.wait import wait_until


async def health(stack: Homes) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{stack.cloud.url}/healthz") as response,
    ):
        return response.status, await response.json()


async def told(stack: Homes, count: int) -> bool:
    """Whether the household's webhook has heard of `count` different incidents."""
    return len({r.data["incident_id"] for r in stack.hooks.of("home-1")}) >= count


async def outage_and_back(
    stack: Homes, go: Any, back: Any, *, before: int = 2, during: int = 3
) -> dict[str, Any]:
    """Falls before, during and after a dependency's outage; what /healthz said meanwhile."""
    await stack.ladder("home-1", [StepSpec(0, "webhook", stack.hooks.url("home-1"))])
    for i in range(before):
        stack.fall("pi-1", sensor=f"before-{i}")
    await wait_until(lambda: told(stack, before), "the falls before the outage are told")
    assert (await health(stack))[0] == 200

    await go()
    for i in range(during):
        stack.fall("pi-1", sensor=f"during-{i}")
    seen: dict[str, Any] = {}

    async def down() -> bool:
        status, body = await health(stack)
        if status == 503 and body["units"]:
            seen.update(body)
            return True
        return False

    await wait_until(down, "/healthz says 503 and names the units that are down")
    await back()
    await wait_until(
        lambda: told(stack, before + during), "every fall of the outage is told", timeout_s=60
    )
    await wait_until(
        lambda: _healthy(stack), "/healthz says 200 again, the process never restarted"
    )
    assert await Incident.filter(kind="fall").count() == before + during  # none lost or doubled
    return seen


async def _healthy(stack: Homes) -> bool:
    return (await health(stack))[0] == 200


async def test_a_postgresql_restart_loses_no_alert_and_health_tells_the_truth(
    broker: Broker, tmp_path: Path
) -> None:
    cluster = PrivatePostgres()
    try:
        cluster.start()
        config = cloud_config(cluster.url, broker.port)
        async with homes(cluster.url, broker, tmp_path, ("home-1", "pi-1"), config=config) as stack:

            async def stop() -> None:
                await asyncio.to_thread(cluster.stop)

            async def start() -> None:
                await asyncio.to_thread(cluster.start)

            seen = await outage_and_back(stack, stop, start)
            assert seen["database_ok"] is False
            assert {u["state"] for u in seen["units"]} <= {"failing", "behind", "waiting"}
            failing = next(u for u in seen["units"] if u["state"] == "failing")
            assert failing["since"]
            assert failing["error"]
            report = {r.name: r for r in stack.supervisor.reports()}
            assert sum(r.failures for r in report.values()) > 0  # counted, then recovered
    finally:
        await asyncio.to_thread(cluster.remove)


async def test_a_full_disk_under_sqlite_loses_no_alert_and_health_tells_the_truth(
    broker: Broker, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk):
        db_url = f"sqlite://{disk / 'cloud.sqlite3'}"
        filler: list[Path] = []
        async with homes(db_url, broker, tmp_path, ("home-1", "pi-1")) as stack:

            async def full() -> None:
                filler.append(await asyncio.to_thread(fill, disk))

            async def freed() -> None:
                filler[0].unlink()

            seen = await outage_and_back(stack, full, freed)
            failing = next(u for u in seen["units"] if u["state"] == "failing")
            assert "full" in failing["error"]  # SQLite's "database or disk is full"


async def test_another_homes_fall_is_delivered_while_a_dead_webhooks_attempt_is_open(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    slow = NotifySettings(escalation_tick_s=0.2, timeout_s=60.0)  # the attempt stays open
    async with homes(
        db_url, broker, tmp_path, ("home-1", "pi-1"), ("home-dead", "pi-dead"), notify=slow
    ) as stack:
        hooks = stack.hooks
        hooks.black_holes.add("dead")
        await stack.ladder("home-dead", [StepSpec(0, "webhook", hooks.url("dead"))])
        await stack.ladder("home-1", [StepSpec(0, "webhook", hooks.url("home-1"))])

        stack.fall("pi-dead")
        await wait_until(lambda: hooks.holding, "the dead webhook holds its request open")
        stack.fall("pi-1")
        await wait_until(lambda: hooks.of("home-1"), "the other home's fall is delivered")

        (dead,) = hooks.of("dead")
        assert hooks.index(dead) < hooks.index(hooks.of("home-1")[0])
        assert hooks.holding == ["dead"]  # the dead receiver's attempt is still open
        stuck = await Delivery.get(target=hooks.url("dead"))
        assert stuck.state is DeliveryState.SENDING

        async def recorded() -> bool:  # the receiver answers before the engine records it
            delivered = await Delivery.get(target=hooks.url("home-1"))
            return delivered.state is DeliveryState.DELIVERED

        await wait_until(recorded, "the other home's delivery is recorded as delivered")


async def test_a_flooding_device_cannot_push_another_homes_fall_off_the_wall(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    flood = 1000
    rules = AlertSettings(max_open_per_device=20)
    async with homes(
        db_url, broker, tmp_path, ("home-1", "pi-1"), ("home-flood", "pi-flood"), alerts=rules
    ) as stack:
        flooder = stack.agents["pi-flood"]
        for i in range(flood // 2):
            flooder.alert(f"sensor-{i}", "fall", Severity.CRITICAL, "a broken device")
        stack.fall("pi-1")
        for i in range(flood // 2, flood):
            flooder.alert(f"sensor-{i}", "fall", Severity.CRITICAL, "a broken device")
        await wait_until(lambda: _stored(flood + 1), "every alert stored", timeout_s=120)
        cloud = stack.cloud
        wall: Any = await get_json(f"{cloud.url}/api/v1/alerts?state=open")
        assert "pi-1" in [a["device_id"] for a in wall]  # on the first page
        async with (
            cloud.http() as http,
            http.get(f"{cloud.url}/api/v1/alerts?state=active&limit=1") as response,
        ):
            assert response.headers["X-Total-Count"] == str(rules.max_open_per_device + 2)
        folded = await Incident.get(kind=FLOODING)
        assert (folded.device_id, folded.occurrences) == (
            "pi-flood",
            flood - rules.max_open_per_device,
        )
        assert await Incident.filter(device_id="pi-flood").count() == 21


async def _stored(count: int) -> bool:
    return await IngestedMessage.filter(kind="alert").count() >= count

"""In the cloud: one incident per alert, its lifecycle, and the whole chain from a wearable
replaying a real fall to an alert acknowledged on the dashboard, through Mosquitto."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from pathlib import Path
from typing import Any

import msgspec

from cloud.api.context import SERVICES
from cloud.identity.registry import add_device
from cloud.store.models import Incident
from common import topics
from common.clock import FakeClock, SystemClock
from common.messages import encode
from common.topics import UplinkKind
from edge.agent import Agent, Hardware
from edge.config import WearableSettings
from firmware_sim.wearable import SimWearable, sisfall_motion
from tests.support.backend import Acks, fall_alert, make_ingest
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, artifact
from tests.support.peers import (
    Broker,
    accounts,
    agent_config,
    cloud_config,
    get_json,
    register,
    running_cloud,
)

T0 = 1_800_000_000.0


async def test_one_incident_per_condition_however_often_it_arrives(db: str) -> None:
    await add_device(site="home-1", device_id="pi-1")
    ingest, acks = make_ingest(FakeClock(T0)), Acks()
    topic = topics.uplink("home-1", "pi-1", UplinkKind.ALERT)
    first = fall_alert(1)
    for _ in range(3):  # redelivered
        await ingest.handle(topic, encode(first), acks)
    (incident,) = await Incident.all()
    assert (incident.state, incident.occurrences, incident.kind) == ("active", 1, "fall")
    assert incident.samples == [[0.0, -1.0, 0.0], [5.0, -4.0, 2.0]]
    await ingest.handle(topic, encode(fall_alert(2)), acks)  # the device says it again
    (incident,) = await Incident.all()
    assert incident.occurrences == 2
    assert len(acks.sent) == 4  # every delivery is acknowledged to the device


async def test_acknowledge_and_resolve_through_the_api(db_url: str, broker: Broker) -> None:
    (device,) = await register(db_url, ("home-1", "pi-1", False))
    del device
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        ingest = cloud.app[SERVICES].ingest
        topic = topics.uplink("home-1", "pi-1", UplinkKind.ALERT)
        await ingest.handle(topic, encode(fall_alert(1)), Acks())
        opened: Any = await get_json(f"{cloud.url}/api/v1/alerts?state=open")
        (alert,) = opened
        url = f"{cloud.url}/api/v1/alerts/{alert['id']}"
        async with cloud.http() as http:
            for body, status in (
                (b'{"by": 5}', 400),
                (b"nonsense", 400),
                (b"{}", 200),  # acknowledged by whoever is logged in: no name to type
                (b'{"by": "Ana"}', 409),
            ):
                async with http.post(url + "/acknowledge", data=body) as response:
                    assert response.status == status, body
            async with http.post(
                f"{cloud.url}/api/v1/alerts/nope/resolve", data=b'{"by": "Ana"}'
            ) as response:
                assert response.status == 404
            async with http.post(url + "/resolve", data=b'{"by": "Ben"}') as response:
                done = await response.json()
        assert (done["state"], done["acknowledged_by"], done["resolved_by"]) == (
            "resolved",
            "ops",  # the logged-in user, never a typed name
            "ops (for Ben)",  # a name given says on whose behalf
        )
        await ingest.handle(topic, encode(fall_alert(2)), Acks())  # a new fall: a new incident
        opened = await get_json(f"{cloud.url}/api/v1/alerts?state=open")
        assert len(opened) == 1
        assert opened[0]["id"] != alert["id"]


async def test_a_replayed_real_fall_reaches_the_dashboard_and_is_acknowledged_there(
    db_url: str, broker: Broker, tmp_path: Path, fall_recording: Path
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    clock = SystemClock()
    samples = sisfall_motion(fall_recording, 50)
    sim = SimWearable(
        address="C0:FF:EE:00:00:01",
        clock=clock,
        motion=itertools.chain(samples, itertools.cycle(samples[-50:])),
    )
    (device,) = await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    config = msgspec.structs.replace(
        agent_config(device, broker.port, tmp_path / "edge"),
        wearables=[WearableSettings(address=sim.address, cancel_s=1.0, silence_s=30)],
    )
    agent = Agent(
        config,
        clock=clock,
        rng=random.Random(0),
        hardware=Hardware(ble_connect=sim.connect_as_central),
    )
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await cloud.login_browser(page)
        await page.goto(cloud.url + "/#/alerts")
        await expect(page.locator("#live")).to_have_text("live", timeout=10_000)
        task = asyncio.create_task(agent.run())
        try:
            row = page.locator("#alert-list article.alert.active")
            await expect(row).to_have_count(1, timeout=40_000)
            await expect(row).to_contain_text("Critical fall")
            await expect(row.locator("svg.trace polyline")).to_have_count(1)
            assert (await page.title()).startswith("(1) ALERT")
            await expect(page.locator("#announce")).to_contain_text("New alert: fall")
            await row.locator("button.ack").click()
            acknowledged = page.locator("#alert-list article.alert.acknowledged")
            await expect(acknowledged).to_contain_text("acknowledged by ops")  # who is logged in
            await page.screenshot(path=str(artifact("alert.png")), full_page=True)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            agent.close()
            await browser.close()
        alerts = await get_json(f"{cloud.url}/api/v1/alerts")
        assert isinstance(alerts, list)
        assert [(a["kind"], a["state"]) for a in alerts] == [("fall", "acknowledged")]
        assert len(alerts[0]["samples"]) >= 100

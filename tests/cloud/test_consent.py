"""Consent per stream and purpose: withdrawal stops the cloud, the edge and the engine."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import msgspec

from cloud.api.context import SERVICES
from cloud.identity.registry import add_device
from cloud.privacy import consent
from cloud.store.models import ConsentChange, Order, Reminder, SensorSample
from common.clock import FakeClock, SystemClock
from common.messages import Event, ScaleReading, ScaleState, Telemetry, new_id
from edge.agent import Agent, Hardware
from edge.config import LoadCellSettings
from edge.outbox import Outbox
from firmware_sim.gpio import SimHX711, SimPins
from tests.support.backend import T0, Site, milk_days, new_need
from tests.support.peers import (
    Broker,
    accounts,
    agent_config,
    cloud_config,
    register,
    running_cloud,
)
from tests.support.wait import wait_until

WITHDRAW_WEIGHTS = [
    {"stream": "weights", "purpose": p, "granted": False}
    for p in ("replenishment", "coaching", "safety_alerts", "population_learning")
]


def test_the_outbox_forgets_only_the_withdrawn_stream(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3", capacity=100)

    def reading(sensor: str, grams: float) -> Callable[[int], Telemetry]:
        def build(seq: int) -> Telemetry:
            return Telemetry(
                id=new_id(),
                device_id="pi-1",
                seq=seq,
                sent_at=1.0,
                sensor=sensor,
                reading=ScaleReading(state=ScaleState.STABLE, grams=grams),
            )

        return build

    for sensor, grams in (("fridge", 100.0), ("fridge", 101.0), ("printer", 102.0)):
        outbox.add(reading(sensor, grams))
    outbox.add(
        lambda seq: Event(
            id=new_id(), device_id="pi-1", seq=seq, sent_at=1.0, sensor="fridge", name="fault"
        )
    )
    dropped = outbox.purge(lambda m: isinstance(m, Telemetry) and m.sensor == "fridge")
    assert (dropped, len(outbox)) == (2, 2)
    outbox.close()


async def test_withdrawn_consent_stops_orders_and_reminders(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0))
    need = await new_need(
        "MILK-1G", sensor="fridge", experience="automatic_execution", authorized=True
    )
    now = dt.datetime.fromtimestamp(T0, dt.UTC)
    await consent.record("home-1", [("weights", "replenishment", False, "")], by="ana", now=now)
    await milk_days(site, 5, start_g=3900.0, per_day=700.0)
    assert await Order.filter(need_id=need.id).count() == 0
    await need.refresh_from_db()
    assert "withdrew consent" in need.note
    coached = await new_need("COF-1KG", sensor="pantry", experience="coach_behavior")
    await consent.record("home-1", [("weights", "coaching", False, "")], by="ana", now=now)
    for step in range(40):
        await site.weigh(1000.0 - step * 25.0, sensor="pantry")
        site.clock.advance(6 * 3600)
    assert await Reminder.filter(need_id=coached.id).count() == 0
    history = await ConsentChange.filter(customer_id="home-1").order_by("id")
    assert [(c.purpose, c.granted, c.by) for c in history] == [
        ("replenishment", False, "ana"),
        ("coaching", False, "ana"),
    ]
    assert history[0].text == consent.TEXTS["replenishment"]


async def test_withdrawal_reaches_the_agent_and_the_cloud_within_seconds(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    clock = SystemClock()
    hx711 = SimHX711(
        dout=5, sck=6, clock=clock, rng=random.Random(2), grams=lambda: 1500.0, power_down_s=1.0
    )
    (device,) = await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    config = msgspec.structs.replace(
        agent_config(device, broker.port, tmp_path / "edge"),
        load_cells=[
            LoadCellSettings(
                name="petfood", dout=5, sck=6, offset=84_000, counts_per_gram=420.0, poll_s=0.2
            )
        ],
    )
    agent = Agent(config, clock=clock, rng=random.Random(0), hardware=Hardware(pins=SimPins(hx711)))
    task = asyncio.create_task(agent.run())
    try:
        async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
            token = await cloud.user("ana", "customer", customer="home-1")

            async def three_samples() -> bool:
                return await SensorSample.filter(sensor="petfood").count() >= 3

            await wait_until(three_samples, "three pet food samples are stored", timeout_s=20)
            url = f"{cloud.url}/api/v1/customers/home-1/consents"
            async with cloud.http(token) as http, http.put(url, json=WITHDRAW_WEIGHTS) as r:
                assert r.status == 200
                choices = await r.json()
            assert not any(c["granted"] for c in choices if c["stream"] == "weights")
            await wait_until(  # the agent is told within seconds
                lambda: "weights" in agent.withheld, "the agent withholds the weights", timeout_s=5
            )
            # What was in flight arrives (and is not kept): the outbox empties, all of it acked.
            await wait_until(lambda: len(agent.outbox) == 0, "the agent's outbox is empty")
            stored = await SensorSample.filter(sensor="petfood").count()
            dropped = agent.withheld_dropped
            await wait_until(
                lambda: agent.withheld_dropped >= dropped + 2, "two more readings withheld"
            )
            await wait_until(lambda: len(agent.outbox) == 0, "nothing left to send")
            assert await SensorSample.filter(sensor="petfood").count() == stored
            assert agent.withheld_dropped > 0  # read for its health, never sent
            assert (tmp_path / "edge" / "consent.json").exists()  # survives a restart

            give_back = [dict(c, granted=True) for c in WITHDRAW_WEIGHTS[:1]]
            async with cloud.http(token) as http, http.put(url, json=give_back) as r:
                assert r.status == 200

            async def sent_again() -> bool:
                return await SensorSample.filter(sensor="petfood").count() != stored

            await wait_until(sent_again, "pet food samples are stored again", timeout_s=10)
            assert "weights" not in agent.withheld
            assert cloud.app[SERVICES].ingest.counters["commands_sent"] == 2
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        agent.close()

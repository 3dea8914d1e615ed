"""Every kind of sensor at one site, under one agent, through Mosquitto to the backend."""

from __future__ import annotations

import asyncio
import contextlib
import random
from pathlib import Path

import msgspec

from common.clock import SystemClock
from edge.agent import Agent, Hardware
from edge.config import ButtonSettings, LoadCellSettings, ScaleSettings, WearableSettings
from firmware_sim.gpio import SimButton, SimHX711, SimPins
from firmware_sim.scale import PtyScale, ScaleModel
from firmware_sim.wearable import SimWearable, synthetic_motion
from tests.support.peers import (
    Broker,
    accounts,
    agent_config,
    cloud_config,
    get_json,
    register,
    running_cloud,
)
from tests.support.wait import wait_until


async def test_all_sensors_report_and_an_unplugged_scale_does_not_stop_the_others(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    clock = SystemClock()
    scale = PtyScale(ScaleModel(clock=clock, rng=random.Random(1), settle_s=0.05))
    hx711 = SimHX711(
        dout=5, sck=6, clock=clock, rng=random.Random(2), grams=lambda: 1500.0, power_down_s=1.0
    )  # real clock in a busy process: see SimHX711
    button = SimButton(pin=17, clock=clock, rng=random.Random(3))
    wearable = SimWearable(
        address="C0:FF:EE:00:00:01", clock=clock, motion=synthetic_motion(random.Random(4), 50)
    )
    hardware = Hardware(pins=SimPins(hx711, button), ble_connect=wearable.connect_as_central)

    (device,) = await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    config = msgspec.structs.replace(
        agent_config(device, broker.port, tmp_path / "edge"),
        scales=[ScaleSettings(name="milk", url=scale.path, poll_s=0.3, container_g=35.0)],
        load_cells=[
            LoadCellSettings(
                name="petfood", dout=5, sck=6, offset=84_000, counts_per_gram=420.0, poll_s=0.3
            )
        ],
        buttons=[ButtonSettings(name="reorder", pin=17)],
        wearables=[
            WearableSettings(name="wearable", address=wearable.address, report_s=0.5, silence_s=5.0)
        ],
    )
    agent = Agent(config, clock=clock, rng=random.Random(0), hardware=hardware)
    scale_task = asyncio.create_task(scale.run())
    agent_task = asyncio.create_task(agent.run())
    try:
        async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
            api = cloud.url + "/api/v1"

            async def latest() -> dict[str, dict[str, object]]:
                sensors = await get_json(f"{api}/sensors")
                assert isinstance(sensors, list)
                return {s["sensor"]: s for s in sensors}

            async def all_report() -> bool:
                return set(await latest()) == {"milk", "petfood", "wearable"}

            await wait_until(all_report, "the milk, pet food and wearable all report", timeout_s=20)
            now = await latest()
            assert now["milk"]["grams"] == 1030.0  # a full carton, net of its container
            assert abs(float(now["petfood"]["grams"]) - 1500.0) < 5  # type: ignore[arg-type]
            assert now["wearable"]["state"] == "connected"

            button.press(hold_s=0.2)
            scale.unplug()  # the scale's cable is pulled

            async def events() -> list[tuple[str, str]]:
                found = await get_json(f"{api}/events?device_id=pi-1")
                assert isinstance(found, list)
                return [(e["sensor"], e["name"]) for e in found]

            async def fault_and_press() -> bool:
                return {("milk", "fault"), ("reorder", "press.short")} <= set(await events())

            await wait_until(
                fault_and_press, "the scale's fault and the short press are reported", timeout_s=20
            )
            readings = f"{api}/devices/pi-1/sensors/petfood/readings?limit=10000"
            before = len(await get_json(readings))  # type: ignore[arg-type]

            async def more() -> bool:
                return len(await get_json(readings)) > before  # type: ignore[arg-type]

            await wait_until(more, "the load cell goes on while the scale is unplugged")
            milk = (await latest())["milk"]
            assert milk["state"] == "unreachable"
            assert milk["grams"] is None  # never a made-up weight

            scale.plug_in()

            async def fault_cleared() -> bool:
                return ("milk", "fault.cleared") in set(await events())

            await wait_until(fault_cleared, "the scale's fault is cleared", timeout_s=20)
    finally:
        agent_task.cancel()
        scale_task.cancel()
        for task in (agent_task, scale_task):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        agent.close()
        scale.close()

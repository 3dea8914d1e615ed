"""The whole path on real parts: CUPS ippeveprinter -> edge agent -> Mosquitto -> backend."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from cloud.api.context import SERVICES
from cloud.store.models import IngestedMessage, SequenceGap, Supply
from common.clock import SystemClock
from edge.agent import Agent
from edge.config import AgentConfig, dump_config
from tests.support.paths import ROOT
from tests.support.peers import (
    Broker,
    Ippeveprinter,
    RunningCloud,
    accounts,
    agent_config,
    cloud_config,
    get_json,
    register,
    running_cloud,
)
from tests.support.wait import wait_until


@contextlib.asynccontextmanager
async def running_agent(config: AgentConfig) -> AsyncIterator[Agent]:
    agent = Agent(config, clock=SystemClock(), rng=random.Random(0))
    task = asyncio.create_task(agent.run())
    try:
        yield agent
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        agent.close()


async def get(cloud: RunningCloud, path: str) -> object:
    return await get_json(cloud.url + path)


async def _black_at(level: int) -> bool:
    """Whether the cloud has stored the printer's black supply at `level` percent."""
    return await Supply.exists(device_id="pi-1", color="black", level=level)


async def test_lowered_toner_on_a_real_ipp_printer_orders_one_compatible_cartridge(
    db_url: str, broker: Broker, ippeve: Ippeveprinter, tmp_path: Path
) -> None:
    (device,) = await register(db_url, ("home-1", "pi-1", True))
    broker.configure(await accounts(db_url))
    broker.start()
    config = cloud_config(db_url, broker.port)
    async with (
        running_cloud(config) as cloud,
        running_agent(agent_config(device, broker.port, tmp_path / "edge", ippeve.uri)),
    ):
        for level in (70, 62, 55, 48, 41, 34):
            ippeve.set_levels(waste=25, black=level)
            await wait_until(functools.partial(_black_at, level), f"the cloud has {level} %")

        async def ordered() -> bool:
            return bool(await get(cloud, "/api/v1/orders"))

        await wait_until(ordered, "an order")
        for level in (30, 27, 24):  # it keeps falling: still one order
            ippeve.set_levels(waste=25, black=level)
            await wait_until(functools.partial(_black_at, level), f"the cloud has {level} %")
            await cloud.app[SERVICES].ingest.pipeline.settle()  # and has decided on it
        orders = await get(cloud, "/api/v1/orders")
        assert isinstance(orders, list)
        (order,) = orders
        assert order["sku"] == "F6U15AN"  # HP 952 black, for the OfficeJet Pro 8710
        assert order["device_id"] == "pi-1"
        assert order["supply"] == "Black Toner (printer)"  # the need's label
        assert order["status"] == "held"  # undoable in its cancel window first
        reason = order["reason"]
        assert (reason["version"], reason["kind"]) == (1, "cartridge")
        assert "HP 952" in reason["summary"]
        assert reason["inputs"]["level"] is not None
        devices = await get(cloud, "/api/v1/devices")
        assert isinstance(devices, list)
        assert devices[0]["online"] is True
        assert devices[0]["printers"][0]["model"] == "OfficeJet Pro 8710"
        supplies = await get(cloud, "/api/v1/supplies?device_id=pi-1")
        assert isinstance(supplies, list)
        waste = next(s for s in supplies if s["kind"] == "wasteToner")
        assert waste["level"] == 25  # reported, never ordered


async def test_unreachable_printer_is_reported_as_such_never_as_a_level(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    (device,) = await register(db_url, ("home-1", "pi-1", True))
    broker.configure(await accounts(db_url))
    broker.start()
    dead = "ipp://127.0.0.1:9/ipp/print"
    async with (
        running_cloud(cloud_config(db_url, broker.port)) as cloud,
        running_agent(agent_config(device, broker.port, tmp_path / "edge", dead)),
    ):

        async def reported() -> bool:
            devices = await get(cloud, "/api/v1/devices")
            return bool(devices and devices[0]["printers"])  # type: ignore[index]

        await wait_until(reported, "a printer state")
        devices = await get(cloud, "/api/v1/devices")
        assert devices[0]["printers"][0]["state"] == "unreachable"  # type: ignore[index]
        assert await get(cloud, "/api/v1/supplies") == []


AGENT = [sys.executable, "-m", "continuo", "edge", "run", "--config"]


async def test_broker_restart_and_agent_kill_9_lose_and_duplicate_nothing(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    from aiohttp import web  # noqa: PLC0415

    from common.clock import SystemClock as Clock  # noqa: PLC0415
    from firmware_sim.cli import app as _  # noqa: F401,PLC0415 (the sim printer runs in-process below)
    from firmware_sim.printer import SimulatedPrinter, create_printer_app  # noqa: PLC0415

    sim = SimulatedPrinter(clock=Clock(), rng=random.Random(2), pages_per_minute=600)
    runner = web.AppRunner(create_printer_app(sim))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    printer_task = asyncio.create_task(sim.run())
    uri = f"ipp://127.0.0.1:{runner.addresses[0][1]}/ipp/print"

    (device,) = await register(db_url, ("home-1", "pi-1", True))
    broker.configure(await accounts(db_url))
    broker.start()
    config_path = tmp_path / "agent.toml"
    config_path.write_bytes(dump_config(agent_config(device, broker.port, tmp_path / "edge", uri)))
    logs = (tmp_path / "agent.log").open("ab")

    def start_agent() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*AGENT, str(config_path)],
            stdout=logs,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )

    async with running_cloud(cloud_config(db_url, broker.port, sweep_s=60)):
        from edge.outbox import Outbox  # noqa: PLC0415

        def made() -> int:
            """How many messages the agent has made, read without touching its outbox."""
            path = tmp_path / "edge" / "outbox.sqlite3"
            try:
                with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
                    row = db.execute("SELECT value FROM meta WHERE key = 'next_seq'").fetchone()
            except sqlite3.Error:  # not made yet, or busy for a moment
                return 0
            return int(row[0]) - 1 if row else 0

        async def count() -> int:
            return await IngestedMessage.filter(device_id="pi-1").count()

        async def stored_at_least(n: int) -> Callable[[], Awaitable[bool]]:
            async def check() -> bool:
                return await count() >= n

            return check

        agent = start_agent()
        try:  # each step waits for what it needs; a loaded machine only makes it slower
            await wait_until(await stored_at_least(3), "three readings stored", timeout_s=60)
            broker.stop(signal.SIGKILL)  # the broker crashes mid-stream
            before = made()

            async def kept_reading() -> bool:  # into its outbox, with the broker down
                return made() >= before + 3

            await wait_until(kept_reading, "the agent kept reading", timeout_s=60)
            broker.start()
            await wait_until(
                await stored_at_least(await count() + 3), "three more stored", timeout_s=60
            )
            agent.send_signal(signal.SIGKILL)  # the agent dies mid-stream
            agent.wait()
            agent = start_agent()
            await wait_until(
                await stored_at_least(await count() + 3), "three more stored", timeout_s=60
            )
        finally:
            agent.send_signal(signal.SIGTERM)
            agent.wait(timeout=10)

        def outbox_state() -> tuple[int, set[int]]:
            outbox = Outbox(tmp_path / "edge" / "outbox.sqlite3", capacity=10**6)
            try:
                return outbox.high_water(), {p.seq for p in outbox.head(10**6)}
            finally:
                outbox.close()

        async def stored() -> list[int]:
            rows = await IngestedMessage.filter(device_id="pi-1").values_list("seq", flat=True)
            return sorted(int(str(seq)) for seq in rows)

        # Stopped: every message the agent made is stored, or still in its outbox.
        high_water, waiting = outbox_state()
        assert high_water >= 9  # the steps above waited for at least this many
        seqs = await stored()
        assert len(seqs) == len(set(seqs))  # nothing stored twice
        assert set(range(1, high_water + 1)) <= set(seqs) | waiting  # nothing lost
        # Started again, it delivers what waited: every number up to then, in one run.
        agent = start_agent()
        try:

            async def caught_up() -> bool:
                return set(range(1, high_water + 1)) <= set(await stored())

            await wait_until(caught_up, "the backlog caught up", timeout_s=60)
        finally:
            agent.send_signal(signal.SIGTERM)
            agent.wait(timeout=10)
            printer_task.cancel()
            await runner.cleanup()
        seqs = await stored()
        gaps = await SequenceGap.filter(device_id="pi-1", first_seq__lte=high_water).count()
    assert len(seqs) == len(set(seqs))
    assert seqs[:high_water] == list(range(1, high_water + 1))
    assert gaps == 0


async def test_last_will_marks_a_killed_agent_offline_within_one_keepalive(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    (device,) = await register(db_url, ("home-1", "pi-1", True))
    broker.configure(await accounts(db_url))
    broker.start()
    config_path = tmp_path / "agent.toml"
    config_path.write_bytes(dump_config(agent_config(device, broker.port, tmp_path / "edge")))
    async with running_cloud(cloud_config(db_url, broker.port, sweep_s=600)) as cloud:
        agent = subprocess.Popen(
            [*AGENT, str(config_path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:

            async def online() -> bool:
                devices = await get(cloud, "/api/v1/devices")
                return bool(devices[0]["online"])  # type: ignore[index]

            await wait_until(online, "the device online", timeout_s=20)
            agent.send_signal(signal.SIGKILL)
            killed_at = asyncio.get_running_loop().time()

            async def offline() -> bool:
                return not await online()

            await wait_until(offline, "the device offline", timeout_s=15)
            # keepalive is 5 s: the broker gives up after 1.5 keep-alives and sends the will
            assert asyncio.get_running_loop().time() - killed_at < 5 * 1.5 + 3
        finally:
            agent.kill()
            agent.wait()

"""`continuo bench alerts`: from the edge's decision to the dashboard and the first channel.

Everything real, on loopback: Mosquitto with the cloud's config, the backend, an edge agent
whose `alert()` is the detector's decision (after the cancel window), a webhook receiver as
the first rung of the ladder, and the dashboard's own data path (the server-sent change
event, then the alerts API). Other devices publish telemetry meanwhile.

Two phases on the one running stack: a clean run, then the same alerts while another
household's falls go to a black-holed webhook (it takes the connection and never answers),
so the second row is what one dead receiver does to everyone else's alerts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import aiomqtt
import msgspec
from aiohttp import web

from cloud.alerts.receivers import StepSpec, set_ladder
from cloud.app import create_app
from cloud.config import AlertSettings, CloudConfig, HttpSettings, NotifySettings
from cloud.identity.registry import add_device, device_accounts
from cloud.identity.users import Authenticator, Role, create_user
from cloud.store.db import database
from common import topics
from common.clock import SystemClock
from common.messages import PrinterReading, PrinterState, Severity, Telemetry, encode, new_id
from common.topics import UplinkKind
from continuo.bench.stats import percentile
from continuo.stack import Broker, StackError, free_port, until
from edge.agent import Agent
from edge.config import AgentConfig, MqttSettings, OutboxSettings

PHASES = ("clean", "black_hole")


async def _background(
    port: int, devices: list[tuple[str, str, str]], rate: float, stop: asyncio.Event
) -> int:
    """Each device publishes printer telemetry `rate` times a second; returns the count."""
    sent = 0

    async def one(site: str, device: str, password: str) -> None:
        nonlocal sent
        async with aiomqtt.Client(
            "127.0.0.1",
            port,
            username=device,
            password=password,
            protocol=aiomqtt.ProtocolVersion.V5,
        ) as client:
            seq = 0
            topic = topics.uplink(site, device, UplinkKind.TELEMETRY)
            while not stop.is_set():
                seq += 1
                message = Telemetry(
                    id=new_id(),
                    device_id=device,
                    seq=seq,
                    sent_at=SystemClock().now(),
                    sensor="printer",
                    reading=PrinterReading(state=PrinterState.IDLE),
                )
                await client.publish(topic, encode(message), qos=1)
                sent += 1
                await asyncio.sleep(1 / rate)

    tasks = [asyncio.create_task(one(*d)) for d in devices]
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sent


async def hook_receiver() -> tuple[web.AppRunner, str, dict[str, float]]:
    """A webhook endpoint on loopback (a ladder's first rung): its runner, URL and arrivals.

    The same server's /black-hole takes a notice and never answers (a dead receiver).
    """
    hooks: dict[str, float] = {}

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        hooks.setdefault(str(body["data"]["incident_id"]), time.monotonic())
        return web.Response(status=204)

    async def black_hole(request: web.Request) -> web.Response:
        await request.read()
        await asyncio.Event().wait()  # takes the request and never answers
        return web.Response(status=204)  # pragma: no cover

    receiver = web.Application()
    receiver.router.add_post("/hook", hook)
    receiver.router.add_post("/black-hole", black_hole)
    runner = web.AppRunner(receiver, shutdown_timeout=0.5)  # a black hole holds requests open
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hook", hooks


def _stats(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {"n": len(values), "p50": percentile(values, 50), "p99": percentile(values, 99)}


async def run(*, alerts: int, devices: int, rate: float, workdir: Path) -> dict[str, Any]:  # noqa: C901, PLR0915 (one scenario, start to finish)
    """Measure `alerts` alerts with `devices` background devices at `rate` messages/s each.

    Twice: clean, then with another household's alerts going to a black-holed webhook.
    """
    db_url = f"sqlite://{workdir / 'cloud.sqlite3'}"
    http_port = free_port()
    hook_runner, hook_url, hooks = await hook_receiver()

    async with database(db_url):
        wearer = await add_device(site="home-1", device_id="pi-wearer")
        await set_ladder("home-1", [StepSpec(0, "webhook", hook_url)], trusted=True)
        dead = await add_device(site="home-dead", device_id="pi-dead")
        black_hole = hook_url.replace("/hook", "/black-hole")
        await set_ladder("home-dead", [StepSpec(0, "webhook", black_hole)], trusted=True)
        others = [await add_device(site=f"bg-{i}", device_id=f"pi-bg-{i}") for i in range(devices)]
        accounts = await device_accounts()
        operator = await create_user("bench", secrets.token_urlsafe(16), role=Role.OPERATOR)
        token, _ = await Authenticator(clock=SystemClock()).issue(
            operator, kind="api", seconds=3600
        )
    broker = Broker(workdir / "broker", cloud_password=secrets.token_hex(16))
    broker.configure(accounts)
    config = CloudConfig(
        database_url=db_url,
        broker=broker.cloud_settings(),
        http=HttpSettings(port=http_port),
        notify=NotifySettings(escalation_tick_s=1.0),
        alerts=AlertSettings(max_open_per_device=10_000),  # every alert its own incident
    )
    app = create_app(config)
    runner = web.AppRunner(app)
    agent, dead_agent = (
        Agent(
            AgentConfig(
                site=who.site,
                device_id=who.device_id,
                state_dir=str(workdir / f"edge-{who.device_id}"),
                mqtt=MqttSettings(port=broker.port, username=who.username, password=who.password),
                outbox=OutboxSettings(resend_s=5.0),
            ),
            clock=SystemClock(),
            rng=random.Random(0),  # noqa: S311 (backoff jitter)
        )
        for who in (wearer, dead)
    )
    stop = asyncio.Event()
    try:
        await asyncio.to_thread(broker.start)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", http_port).start()
        agent_tasks = [asyncio.create_task(a.link.run()) for a in (agent, dead_agent)]
        for a in (agent, dead_agent):
            await asyncio.wait_for(a.link.connected.wait(), 10)
        load = asyncio.create_task(
            _background(
                broker.port, [(o.site, o.device_id, o.password) for o in others], rate, stop
            )
        )
        shown: dict[str, float] = {}
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
            stream = await http.get(f"http://127.0.0.1:{http_port}/api/v1/stream")

            async def watch() -> None:
                async for line in stream.content:
                    if line.startswith(b"data:") and b'"alerts"' in line:
                        async with http.get(f"http://127.0.0.1:{http_port}/api/v1/alerts") as r:
                            for alert in await r.json():
                                shown.setdefault(alert["sensor"], time.monotonic())

            watcher = asyncio.create_task(watch())
            await asyncio.sleep(2.0)  # the load settles
            decided: dict[str, float] = {}
            for phase in PHASES:
                for i in range(alerts):
                    sensor = f"{phase}-{i}"
                    if phase == "black_hole":  # another home's fall, to a dead receiver
                        dead_agent.alert(f"dead-{i}", "fall", Severity.CRITICAL, "its fall")
                    decided[sensor] = time.monotonic()
                    agent.alert(sensor, "fall", Severity.CRITICAL, "benchmark fall")
                    await asyncio.sleep(0.5)

                def all_shown(phase: str = phase) -> bool:
                    return sum(s.startswith(phase) for s in shown) >= alerts

                with contextlib.suppress(StackError):  # the missing ones are not counted
                    await until(f"the {phase} alerts on the dashboard", all_shown, 10)
            async with http.get(
                f"http://127.0.0.1:{http_port}/api/v1/alerts?limit=1000&state=open"
            ) as r:
                incidents = {a["id"]: a["sensor"] for a in await r.json()}
            watcher.cancel()
            stream.close()
        stop.set()
        background_messages = await load
        for task in agent_tasks:
            task.cancel()
        await asyncio.gather(*agent_tasks, return_exceptions=True)
    finally:
        stop.set()
        agent.close()
        dead_agent.close()
        await runner.cleanup()
        await hook_runner.cleanup()
        broker.stop()
    result: dict[str, Any] = {
        "alerts": alerts,
        "background_devices": devices,
        "rate_per_device": rate,
        "background_messages": background_messages,
    }
    for phase in PHASES:
        to_channel = [
            (hooks[i] - decided[s]) * 1000
            for i, s in incidents.items()
            if i in hooks and s.startswith(phase)
        ]
        to_dashboard = [
            (shown[s] - decided[s]) * 1000 for s in decided if s in shown and s.startswith(phase)
        ]
        suffix = "" if phase == "clean" else f"_{phase}"
        result[f"dashboard_ms{suffix}"] = _stats(to_dashboard)
        result[f"first_channel_ms{suffix}"] = _stats(to_channel)
    return result


def bench(*, alerts: int, devices: int, rate: float) -> dict[str, Any]:
    """Run in a scratch directory."""
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(run(alerts=alerts, devices=devices, rate=rate, workdir=Path(tmp)))


def markdown(result: dict[str, Any]) -> str:
    """The BENCHMARKS.md section."""
    lines = ["| path | alerts | p50 | p99 |", "| --- | --- | --- | --- |"]
    for key, label in (
        ("dashboard_ms", "decision to dashboard (SSE + alerts API)"),
        ("first_channel_ms", "decision to first channel (webhook)"),
        (
            "dashboard_ms_black_hole",
            "decision to dashboard, another home's webhook black-holed",
        ),
        (
            "first_channel_ms_black_hole",
            "decision to first channel, another home's webhook black-holed",
        ),
    ):
        row = result.get(key)
        if row:
            lines.append(f"| {label} | {row['n']} | {row['p50']:.0f} ms | {row['p99']:.0f} ms |")
    lines.append(
        f"\nBackground: {result['background_devices']} other devices publishing "
        f"{result['rate_per_device']:g} telemetry messages/s each "
        f"({result['background_messages']} messages during the run), through the same "
        "Mosquitto and backend (SQLite), all on loopback. The black-holed rows: the same "
        "alerts while another household raises one fall beside each, to a webhook that takes "
        "the request and never answers (each attempt times out after 5 s and is retried)."
    )
    return "\n".join(lines)


def as_json(result: dict[str, Any]) -> str:
    """Plain JSON."""
    return json.dumps(msgspec.to_builtins(result), indent=2)

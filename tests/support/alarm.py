"""Homes with real agents, the real broker and backend, and scripted receivers: for alarm tests."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from cloud.alerts.receivers import StepOut, StepSpec, set_ladder
from cloud.api.context import SERVICES
from cloud.config import AlertSettings, CloudConfig, NotifySettings
from cloud.identity.registry import NewDevice
from cloud.store.models import Delivery, Incident
from cloud.supervisor import Supervisor
from common.clock import SystemClock
from common.messages import Severity
from edge.agent import Agent
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    agent_config,
    cloud_config,
    register,
    running_cloud,
)
from tests.support.receivers import Receivers, receivers

FAST_NOTIFY = NotifySettings(escalation_tick_s=0.2, timeout_s=2.0)


@dataclass
class Homes:
    """The running stack: the cloud, each home's agent, and the receivers."""

    cloud: RunningCloud
    hooks: Receivers
    devices: dict[str, NewDevice]
    tmp_path: Path
    broker_port: int
    agents: dict[str, Agent] = field(default_factory=dict)
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    @property
    def supervisor(self) -> Supervisor:
        return self.cloud.app[SERVICES].supervisor

    def start(self, device_id: str) -> Agent:
        """Run a home's agent (again, after `stop`: the same outbox, a new process's worth)."""
        device = self.devices[device_id]
        config = agent_config(device, self.broker_port, self.tmp_path / f"edge-{device_id}")
        config = msgspec.structs.replace(config, heartbeat_s=0.5)
        agent = Agent(config, clock=SystemClock(), rng=random.Random(0))
        self.agents[device_id] = agent
        self.tasks[device_id] = asyncio.create_task(agent.run())
        return agent

    async def stop(self, device_id: str) -> None:
        """Cut a home's agent off, as a power cut would."""
        task = self.tasks.pop(device_id)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            async with asyncio.timeout(15):  # an agent that does not stop is a bug: say so
                await task
        self.agents.pop(device_id).close()

    def fall(self, device_id: str, sensor: str = "wearable") -> None:
        """The wearable's fall, past its cancel window: the agent's alert."""
        self.agents[device_id].alert(
            sensor,
            "fall",
            Severity.CRITICAL,
            "fall detected, not cancelled",
            detected_at=_now(),
            rate_hz=50,
            samples=[(0.0, -1.0, 0.0), (3.5, -2.0, 1.0)],
            impact_index=1,
        )

    async def ladder(self, customer: str, steps: list[StepSpec]) -> list[StepOut]:
        """Set a household's receivers as staff would (any target)."""
        return await set_ladder(customer, steps, trusted=True)


def _now() -> float:
    return SystemClock().now()


@contextlib.asynccontextmanager
async def homes(
    db_url: str,
    broker: Broker,
    tmp_path: Path,
    *specs: tuple[str, str],
    alerts: AlertSettings | None = None,
    notify: NotifySettings = FAST_NOTIFY,
    config: CloudConfig | None = None,
) -> AsyncIterator[Homes]:
    """(site, device) homes, each with its agent running, and the cloud serving them."""
    registered = await register(db_url, *((site, device, False) for site, device in specs))
    broker.configure(await accounts(db_url))
    broker.start()
    base = config or cloud_config(db_url, broker.port)
    base = msgspec.structs.replace(base, notify=notify, alerts=alerts or AlertSettings())
    async with receivers() as hooks, running_cloud(base) as cloud:
        stack = Homes(cloud, hooks, {d.device_id: d for d in registered}, tmp_path, broker.port)
        try:
            for device in stack.devices:
                stack.start(device)
            for agent in stack.agents.values():
                await asyncio.wait_for(agent.link.connected.wait(), 15)
            yield stack
        finally:
            for device in list(stack.tasks):
                await stack.stop(device)


async def deliveries(incident: Incident) -> list[Delivery]:
    """An incident's deliveries, in the order they were queued."""
    return await Delivery.filter(incident_id=incident.id).order_by("created_at", "position")

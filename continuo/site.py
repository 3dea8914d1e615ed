"""`continuo sim site`: the real edge agent with simulated devices on its hardware seams.

The agent is the one `continuo edge run` starts; only what this machine lacks is simulated,
where the drivers meet it: the wearable on the BLE client seam (bleak's surface) and a
reorder button on the GPIO pin backend. Printers and serial scales need no seam: they are
reached over IPP and a pseudo-terminal, as on a Pi.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.clock import SystemClock
from edge.agent import Agent, Hardware
from edge.config import AgentConfig
from firmware_sim.gpio import SimButton, SimPins
from firmware_sim.wearable import Sample, SimWearable, sisfall_motion, synthetic_motion

RATE_HZ = 50


@dataclass(frozen=True)
class SiteOptions:
    """What the simulated site does, and when."""

    fall_after_s: float = 60.0  # the wearer falls this long after the start
    recording: Path | None = None  # a SisFall recording to replay as the fall
    press_after_s: float | None = 30.0  # the reorder button is pressed this long after the start
    seed: int = 1


def motion(options: SiteOptions, rng: random.Random) -> Iterator[Sample]:
    """Everyday movement, then the fall (a real recording if given), then lying still."""
    if options.recording is None:
        return synthetic_motion(rng, RATE_HZ, fall_every_s=options.fall_after_s)
    fall = sisfall_motion(options.recording, RATE_HZ)
    before = itertools.islice(synthetic_motion(rng, RATE_HZ), int(options.fall_after_s * RATE_HZ))
    return itertools.chain(before, fall, itertools.cycle(fall[-RATE_HZ:]))


async def run_site(config: AgentConfig, options: SiteOptions) -> None:
    """Run the agent with its wearables and buttons simulated, until cancelled."""
    clock = SystemClock()
    rng = random.Random(options.seed)  # noqa: S311 (simulation, not security)
    wearables = {
        w.address: SimWearable(address=w.address, clock=clock, motion=motion(options, rng))
        for w in config.wearables
    }

    async def connect(address: str, on_disconnect: Callable[[Any], None]) -> SimWearable:
        if address not in wearables:
            msg = f"no wearable at {address}"
            raise OSError(msg)
        return await wearables[address].connect_as_central(address, on_disconnect)

    buttons = [SimButton(pin=b.pin, clock=clock, rng=rng) for b in config.buttons]
    if options.press_after_s is not None:
        for button in buttons:
            button.press(hold_s=0.2, at=clock.monotonic() + options.press_after_s)
    agent = Agent(
        config,
        clock=clock,
        rng=rng,
        hardware=Hardware(pins=SimPins(*buttons), ble_connect=connect),
    )
    try:
        await agent.run()
    finally:
        agent.close()


def main(config: AgentConfig, options: SiteOptions) -> None:
    """Blocking entry point for the CLI."""
    asyncio.run(run_site(config, options))

"""The serial scale: golden frames, the driver against the simulated scale on a real pty."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import termios
import tty
from collections.abc import AsyncIterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.clock import FakeClock, SystemClock
from firmware_sim.scale import (
    Consumable,
    PtyScale,
    ScaleModel,
    continuous_frame,
    sics_weight,
)
from hardware.errors import DeviceUnreachableError, MalformedResponseError
from hardware.scale_frames import FrameError, ScaleState, decode_continuous, decode_sics
from hardware.serial_scale import ScaleCommandError, ScaleProtocol, SerialScale
from tests.support.paths import FIXTURES


def golden(name: str) -> list[list[str]]:
    lines = (FIXTURES / name).read_text().splitlines()
    return [line.split("|") for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("row", golden("scale_mt_sics.txt"), ids=lambda r: r[0])
def test_golden_mt_sics_replies(row: list[str]) -> None:
    line, command, status, state, grams = row
    reply = decode_sics(line.encode() + b"\r\n")
    assert (reply.command, reply.status.value) == (command, status)
    if state:
        assert reply.weight is not None
        assert reply.weight.state.value == state
        assert reply.weight.grams == (pytest.approx(float(grams)) if grams else None)


@pytest.mark.parametrize("row", golden("scale_continuous.txt"), ids=lambda r: r[0])
def test_golden_continuous_frames(row: list[str]) -> None:
    line, state, grams = row
    weight = decode_continuous(line.encode() + b"\r\n")
    assert weight.state.value == state
    assert weight.grams == (pytest.approx(float(grams)) if grams else None)


def test_simulator_encoder_writes_the_golden_bytes() -> None:
    assert sics_weight("S", "S", 100.0) == b"S S     100.00 g\r\n"
    assert sics_weight("S", "+", 0.0) == b"S +\r\n"
    assert continuous_frame("S", 123.45) == b"ST,+00123.45  g\r\n"
    assert continuous_frame("D", 123.4) == b"US,+00123.40  g\r\n"


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"S S",
        b"S S     12.0",
        b"S S 12 furlongs",
        b"S X 12 g",
        b"\x00\x13garbage",
        b"S S \xff\xfe g",
        b"S" * 200,
        b"ST,GS,",
        b"XX,+0012 g",
        b"ST,+12.3.4 g",
    ],
)
def test_malformed_lines_are_frame_errors(line: bytes) -> None:
    with pytest.raises(FrameError):
        decode_sics(line)
    with pytest.raises(FrameError):
        decode_continuous(line)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_only_ever_raise_frame_error(line: bytes) -> None:
    for decode in (decode_sics, decode_continuous):
        with contextlib.suppress(FrameError):
            decode(line)


@pytest.fixture
async def pty_scale() -> AsyncIterator[PtyScale]:
    sim = PtyScale(ScaleModel(clock=SystemClock(), rng=random.Random(3), settle_s=0.05))
    task = asyncio.create_task(sim.run())
    yield sim
    task.cancel()
    sim.close()


async def test_driver_speaks_mt_sics_through_a_pseudo_terminal(pty_scale: PtyScale) -> None:
    async with SerialScale(url=pty_scale.path) as scale:
        stable = await scale.stable_weight()
        assert stable.state is ScaleState.STABLE
        assert stable.grams == pytest.approx(35 + 1030, abs=3)  # milk carton, full
        assert (await scale.immediate_weight()).grams == pytest.approx(1065, abs=3)
        assert await scale.serial_number() == "B000012345"
        tare = await scale.tare()
        assert tare.grams == pytest.approx(1065, abs=3)
        assert (await scale.stable_weight()).grams == pytest.approx(0, abs=3)
        await scale.zero()
        with pytest.raises(ScaleCommandError, match="syntax_error"):
            await scale.command("XYZZY")


async def test_noise_on_the_line_is_skipped_and_counted() -> None:
    sim = PtyScale(ScaleModel(clock=SystemClock(), rng=random.Random(5), garbage_rate=0.5))
    task = asyncio.create_task(sim.run())
    try:
        async with SerialScale(url=sim.path) as scale:
            for _ in range(6):
                assert (await scale.stable_weight()).grams == pytest.approx(1065, abs=3)
            assert scale.noise_lines > 0
    finally:
        task.cancel()
        sim.close()


async def test_cable_pulled_mid_frame_is_a_clear_error(pty_scale: PtyScale) -> None:
    async with SerialScale(url=pty_scale.path, timeout_s=0.8) as scale:
        await scale.stable_weight()
        pty_scale.unplug(mid_frame=True)
        with pytest.raises(DeviceUnreachableError, match="mid-frame"):
            await scale.stable_weight()
        with pytest.raises(DeviceUnreachableError, match="no answer"):
            await scale.stable_weight()


async def test_missing_port_is_unreachable() -> None:
    with pytest.raises(DeviceUnreachableError, match="cannot open"):
        await SerialScale(url="/dev/does-not-exist").open()


async def test_a_line_of_nothing_but_garbage_is_malformed() -> None:
    master, slave = os.openpty()
    tty.setraw(slave, termios.TCSANOW)
    try:
        async with SerialScale(url=os.ttyname(slave), protocol=ScaleProtocol.CONTINUOUS) as scale:
            os.write(master, b"".join(b"#\x13%@!~ line noise\r\n" for _ in range(20)))
            with pytest.raises(MalformedResponseError, match="garbage"):
                await scale.stable_weight()
    finally:
        os.close(master)
        os.close(slave)


async def test_continuous_mode_returns_the_next_stable_frame() -> None:
    sim = PtyScale(
        ScaleModel(clock=SystemClock(), rng=random.Random(3), settle_s=0.05),
        continuous=True,
        interval_s=0.02,
    )
    task = asyncio.create_task(sim.run())
    try:
        async with SerialScale(url=sim.path, protocol=ScaleProtocol.CONTINUOUS) as scale:
            weight = await scale.stable_weight()
            assert weight.state is ScaleState.STABLE
            assert weight.grams == pytest.approx(1065, abs=3)
    finally:
        task.cancel()
        sim.close()


@pytest.mark.parametrize(
    ("consumable", "daily_use_g"),
    [(Consumable.MILK, 380.0), (Consumable.PET_FOOD, 220.0), (Consumable.PILLS, 1.0)],
)
def test_simulated_household_uses_what_its_profile_says(
    consumable: Consumable, daily_use_g: float
) -> None:
    clock = FakeClock(1_800_000_000.0 - 1_800_000_000.0 % 86_400)  # midnight
    model = ScaleModel(
        clock=clock, rng=random.Random(1), consumable=consumable, noise_g=0.0, drift_g_per_day=0.0
    )
    before = model.gross_g()
    clock.advance(86_400 * 2 + 1)
    used = before - model.gross_g()
    assert used == pytest.approx(2 * daily_use_g, rel=0.25)


def test_lifting_the_carton_reads_zero_then_dynamic_then_the_new_level() -> None:
    clock = FakeClock(1_800_000_000.0 - 1_800_000_000.0 % 86_400 + 7.5 * 3600 - 1)
    model = ScaleModel(clock=clock, rng=random.Random(1), noise_g=0.0, settle_s=2.0)
    assert model.reading()[0] == "S"
    clock.advance(30)  # breakfast: the carton is off the scale
    state, grams = model.reading()
    assert state == "D"
    assert grams == pytest.approx(0, abs=1)
    clock.advance(120)
    state, grams = model.reading()
    assert state == "S"
    assert 1065 - 270 < grams < 1065 - 170

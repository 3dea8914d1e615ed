"""HX711 and button drivers on simulated pins; the wearable's frames, driver and faults."""

from __future__ import annotations

import asyncio
import contextlib
import random
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.clock import FakeClock, SystemClock
from firmware_sim.gpio import SimButton, SimHX711, SimPins
from firmware_sim.wearable import SimWearable, encode_frame, sisfall_motion, synthetic_motion
from hardware.button import Button, Press
from hardware.errors import DeviceUnreachableError, MalformedResponseError
from hardware.faults import AccelHealth, StuckDetector, is_flatline, saturated_fraction
from hardware.hx711 import HX711, Calibration, Gain, twos_complement_24
from hardware.pins import RPiGPIOBackend
from hardware.wearable import AccelFrame, FrameError, LinkEvent, Wearable, decode_frame
from tests.support.paths import FIXTURES, ROOT

SISFALL = ROOT.parent / "shared" / "falldata" / "sisfall-dev.tar.xz"


@pytest.fixture
async def ticking() -> AsyncIterator[FakeClock]:
    """A fake clock that moves 5 ms each time the event loop turns."""
    clock = FakeClock()

    async def tick() -> None:
        while True:
            clock.advance(0.005)
            await asyncio.sleep(0)

    task = asyncio.create_task(tick())
    yield clock
    task.cancel()


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (0x000000, 0),
        (0x7FFFFF, 8388607),
        (0x800000, -8388608),
        (0xFFFFFF, -1),
        (0x123456, 0x123456),
    ],
)
def test_twos_complement_24(raw: int, value: int) -> None:
    assert twos_complement_24(raw) == value


async def test_hx711_tare_calibrate_and_weigh_through_bit_banged_pins(ticking: FakeClock) -> None:
    load = {"g": 0.0}
    sim = SimHX711(dout=5, sck=6, clock=ticking, rng=random.Random(1), grams=lambda: load["g"])
    pins = SimPins(sim)
    cell = HX711(pins=pins, dout=5, sck=6, clock=ticking)
    assert pins.modes == {5: "in", 6: "out"}
    assert await cell.tare() == pytest.approx(84_000, abs=100)
    load["g"] = 500.0
    assert await cell.calibrate(500.0) == pytest.approx(420, rel=0.01)
    for grams in (0.0, 12.5, 1234.0, 4800.0):
        load["g"] = grams
        assert await cell.read_grams() == pytest.approx(grams, abs=1.0)


async def test_hx711_gain_selection_applies_to_the_next_conversion(ticking: FakeClock) -> None:
    sim = SimHX711(
        dout=5, sck=6, clock=ticking, rng=random.Random(1), grams=lambda: 1000.0, noise_counts=0
    )
    cell = HX711(pins=SimPins(sim), dout=5, sck=6, clock=ticking, gain=Gain.A64)
    first = await cell.read_raw()  # still converted at the power-on gain, A/128
    second = await cell.read_raw()  # now at A/64: half the counts
    assert second == pytest.approx(first / 2, rel=0.01)


async def test_hx711_power_down_and_up(ticking: FakeClock) -> None:
    sim = SimHX711(dout=5, sck=6, clock=ticking, rng=random.Random(1), grams=lambda: 10.0)
    cell = HX711(pins=SimPins(sim), dout=5, sck=6, clock=ticking)
    await cell.read_raw()
    await cell.power_down()
    cell.power_up()
    assert await cell.read_raw() == pytest.approx(84_000 + 4_200, abs=300)


class PreemptingPins(SimPins):
    """Pins whose host thread is preempted (5 ms) during some SCK-high phases."""

    def __init__(self, sim: SimHX711, clock: FakeClock, every: int) -> None:
        super().__init__(sim)
        self._clock, self._every, self._rises = clock, every, 0

    def write(self, pin: int, value: bool) -> None:
        super().write(pin, value)
        if pin == 6 and value:
            self._rises += 1
            if self._rises % self._every == 0:
                self._clock.advance(0.005)  # SCK stays high far past 60 us


async def test_a_read_preempted_mid_word_does_not_spoil_the_weight(ticking: FakeClock) -> None:
    sim = SimHX711(dout=5, sck=6, clock=ticking, rng=random.Random(1), grams=lambda: 1000.0)
    pins = PreemptingPins(sim, ticking, every=57)  # about one sample in two is hit
    cell = HX711(pins=pins, dout=5, sck=6, clock=ticking, calibration=Calibration(84_000, 420.0))
    assert await cell.read_grams(samples=9) == pytest.approx(1000.0, abs=2.0)
    assert sim.power_cycles >= 3  # several words really were spoilt mid-read


async def test_unplugged_hx711_and_open_bridge_are_clear_faults(ticking: FakeClock) -> None:
    sim = SimHX711(
        dout=5, sck=6, clock=ticking, rng=random.Random(1), grams=lambda: 0.0, connected=False
    )
    cell = HX711(pins=SimPins(sim), dout=5, sck=6, clock=ticking, ready_timeout_s=0.2)
    with pytest.raises(DeviceUnreachableError, match="never signalled"):
        await cell.read_raw()
    sim.connected, sim.bridge_open = True, True
    with pytest.raises(MalformedResponseError, match="full scale"):
        await cell.read_raw()


async def test_calibration_without_the_weight_on_is_refused(ticking: FakeClock) -> None:
    sim = SimHX711(
        dout=5, sck=6, clock=ticking, rng=random.Random(1), grams=lambda: 0.0, noise_counts=1
    )
    cell = HX711(pins=SimPins(sim), dout=5, sck=6, clock=ticking)
    await cell.tare()
    with pytest.raises(MalformedResponseError, match="did not change"):
        await cell.calibrate(500.0)


async def test_button_debounces_and_tells_short_from_long(ticking: FakeClock) -> None:
    sim = SimButton(pin=17, clock=ticking, rng=random.Random(2))
    pins = SimPins(sim)
    button = Button(pins=pins, pin=17, clock=ticking, long_press_s=1.5)
    assert pins.modes == {17: "in-pull-up"}
    start = ticking.monotonic()
    sim.press(hold_s=0.25, bounces=6, at=start + 0.1)
    sim.press(hold_s=2.0, bounces=6, at=start + 1.0)
    sim.press(hold_s=0.2, bounces=6, at=start + 4.0)
    events = []
    async for event in button.events():
        events.append(event)
        if len(events) == 3:
            break
    assert [e.press for e in events] == [Press.SHORT, Press.LONG, Press.SHORT]
    assert events[1].held_s == pytest.approx(2.0, abs=0.05)


def test_real_gpio_backend_says_what_to_install_off_the_pi() -> None:
    with pytest.raises(DeviceUnreachableError, match=r"continuo\[pi\]"):
        RPiGPIOBackend()


# -- wearable -------------------------------------------------------------------------


def test_golden_frames_decode_and_the_simulator_encodes_the_same_bytes() -> None:
    standing = (FIXTURES / "wearable_frame_standing.bin").read_bytes()
    frame = decode_frame(standing)
    assert (frame.seq, frame.rate_hz, frame.range_g, frame.im_ok, frame.worn) == (
        7,
        50,
        16,
        False,
        True,
    )
    assert frame.samples[0] == pytest.approx((0.0, -1.0, 0.0), abs=1e-3)
    assert encode_frame(7, 50, 16, [(0.0, -1.0, 0.0), (0.01, -0.99, 0.02)]) == standing
    ok = decode_frame((FIXTURES / "wearable_frame_im_ok.bin").read_bytes())
    assert (ok.seq, ok.rate_hz, ok.range_g, ok.im_ok) == (65535, 200, 8, True)
    assert ok.samples[0][1] == pytest.approx(-8.0)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b[:-1],  # truncated
        lambda b: b[:-2] + bytes([b[-2] ^ 1, b[-1]]),  # wrong checksum
        lambda b: bytes([2]) + b[1:],  # unknown version
        lambda b: b[:5] + bytes([3]) + b[6:],  # range 3 g does not exist
        lambda b: b"",
        lambda b: b + b"\x00",  # trailing byte
    ],
)
def test_bad_frames_are_frame_errors(mutate: object) -> None:
    standing = (FIXTURES / "wearable_frame_standing.bin").read_bytes()
    with pytest.raises(FrameError):
        decode_frame(mutate(standing))  # type: ignore[operator]


def test_checksummed_but_implausible_frames_are_rejected() -> None:
    body = struct.pack("<BBHHBB", 1, 0, 1, 0, 16, 1) + struct.pack("<3h", 0, 0, 0)
    from hardware.wearable import crc16_ccitt  # noqa: PLC0415

    with pytest.raises(FrameError, match="implausible"):
        decode_frame(body + struct.pack("<H", crc16_ccitt(body)))  # a rate of 0 Hz


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_random_notifications_only_raise_frame_error(data: bytes) -> None:
    with contextlib.suppress(FrameError):
        decode_frame(data)


async def test_driver_streams_frames_counts_bad_ones_and_reconnects() -> None:
    clock = SystemClock()
    sim = SimWearable(
        address="C0:FF:EE:00:00:01",
        clock=clock,
        corrupt_every=4,
        motion=synthetic_motion(random.Random(1), 50),
        samples_per_frame=5,
    )
    wearable = Wearable(address=sim.address, clock=clock, connect=sim.connect_as_central)
    links: list[LinkEvent] = []
    frames: list[AccelFrame] = []
    async with asyncio.timeout(15):
        async for item in wearable.stream():
            if isinstance(item, LinkEvent):
                links.append(item)
                continue
            frames.append(item)
            if len(frames) == 6 and len(links) == 1:
                sim.drop()  # out of range
            if len(frames) == 12:
                break
    assert [link.connected for link in links] == [True, False, True]
    assert links[0].battery_pct == 87
    assert wearable.bad_frames >= 2
    assert all(f.rate_hz == 50 and len(f.samples) == 5 for f in frames)


async def test_unknown_address_is_reported_as_a_link_event_not_a_crash() -> None:
    clock = FakeClock()
    sim = SimWearable(
        address="C0:FF:EE:00:00:01", clock=clock, motion=synthetic_motion(random.Random(1), 50)
    )
    wearable = Wearable(address="C0:FF:EE:00:00:99", clock=clock, connect=sim.connect_as_central)
    stream = wearable.stream()
    first = await anext(stream)
    assert isinstance(first, LinkEvent)
    assert not first.connected
    assert "no wearable" in first.detail
    await stream.aclose()


@pytest.mark.skipif(not SISFALL.exists(), reason="needs ../shared/falldata")
def test_sisfall_replay_is_decimated_to_the_wearable_rate(tmp_path: Path) -> None:
    import tarfile  # noqa: PLC0415

    with tarfile.open(SISFALL) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("F01_SA01_R01.txt"))
        archive.extract(member, tmp_path, filter="data")
    path = next(tmp_path.rglob("F01_SA01_R01.txt"))
    rows = sum(1 for line in path.read_text().splitlines() if line.strip())
    samples = sisfall_motion(path, 50)
    assert len(samples) == rows // 4
    peak = max(max(abs(v) for v in s) for s in samples)
    assert peak > 2.0  # a fall's impact survives the decimation
    assert samples[0][1] == pytest.approx(-1.0, abs=0.3)  # upright at the start: y is about -1 g


# -- faults ---------------------------------------------------------------------------


def test_stuck_detector_needs_an_unchanged_value_for_the_whole_window() -> None:
    detector = StuckDetector(window_s=3600)
    assert not detector.feed(0, 812.5)
    assert not detector.feed(1800, 812.5)
    assert detector.feed(3600, 812.5)
    assert not detector.feed(3700, 812.4)  # it moved: alive again
    assert detector.unchanged_s(3800) == 100


def test_accelerometer_saturation_and_flat_line_are_faults() -> None:
    health = AccelHealth(range_g=16, window=50)
    assert health.feed([(16.0, -16.0, 0.0)] * 50) == "accelerometer saturated at +-16 g"
    health = AccelHealth(range_g=16, window=50)
    assert "flat" in (health.feed([(0.01, -1.0, 0.0)] * 50) or "")
    rng = random.Random(1)
    health = AccelHealth(range_g=16, window=50)
    assert (
        health.feed([(rng.gauss(0, 0.02), -1 + rng.gauss(0, 0.02), 0.0) for _ in range(50)]) is None
    )
    assert saturated_fraction([], 16) == 0.0
    assert not is_flatline([(0.0, 0.0, 0.0)])

"""A simulated BLE wearable with bleak's BleakClient surface and its own frame encoder.

Motion comes from a synthetic generator of daily activities and falls, or from a replay of
a real SisFall recording (ADXL345 columns, 200 Hz, g = raw / 256), decimated to the
wearable's rate.
"""

from __future__ import annotations

import asyncio
import math
import random
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from common.clock import Clock

SERVICE_UUID: Final = "5c3a0001-7f4e-4c1b-9d2a-6e8b1f0c2d3e"
ACCEL_CHAR_UUID: Final = "5c3a0002-7f4e-4c1b-9d2a-6e8b1f0c2d3e"
CONTROL_CHAR_UUID: Final = "5c3a0003-7f4e-4c1b-9d2a-6e8b1f0c2d3e"
BATTERY_LEVEL_UUID: Final = "00002a19-0000-1000-8000-00805f9b34fb"
SISFALL_RATE: Final = 200

Sample = tuple[float, float, float]


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE, written here apart from the driver's."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return crc


def encode_frame(
    seq: int,
    rate_hz: int,
    range_g: int,
    samples: list[Sample],
    *,
    im_ok: bool = False,
    worn: bool = True,
) -> bytes:
    """The wearable's notification payload for `samples` (in g)."""
    limit = 32767
    raw = [max(-limit - 1, min(limit, round(v * 32768 / range_g))) for s in samples for v in s]
    flags = (1 if im_ok else 0) | (2 if worn else 0)
    body = struct.pack("<BBHHBB", 1, flags, seq % 65536, rate_hz, range_g, len(samples))
    body += struct.pack(f"<{len(raw)}h", *raw)
    return body + struct.pack("<H", crc16(body))


def synthetic_motion(
    rng: random.Random, rate_hz: int, *, fall_every_s: float | None = None
) -> Iterator[Sample]:
    """Standing, walking and sitting at random, with a fall every `fall_every_s` if set.

    Axes follow SisFall's belt device: y is vertical (about -1 g when upright).
    """
    dt = 1.0 / rate_hz
    t = 0.0
    next_fall = fall_every_s or math.inf
    while True:
        if t >= next_fall:
            yield from _fall(rng, rate_hz)
            t += 3.5
            next_fall = t + (fall_every_s or math.inf)
            continue
        activity = rng.choice(["stand", "walk", "walk", "sit"])
        for _ in range(int(rng.uniform(3, 10) * rate_hz)):
            phase = 2 * math.pi * 1.8 * t
            swing = 0.35 * math.sin(phase) if activity == "walk" else 0.0
            tilt = 0.5 if activity == "sit" else 0.0
            yield (
                rng.gauss(0, 0.02) + 0.1 * swing,
                -1.0 + swing + rng.gauss(0, 0.02) + tilt * 0.1,
                tilt + rng.gauss(0, 0.02),
            )
            t += dt


def _fall(rng: random.Random, rate_hz: int) -> Iterator[Sample]:
    """Free fall, impact, then lying still on the side."""
    for _ in range(int(0.35 * rate_hz)):
        yield (rng.gauss(0, 0.05), -0.15 + rng.gauss(0, 0.05), rng.gauss(0, 0.05))
    peak = rng.uniform(5.0, 9.0)
    for i in range(max(1, int(0.06 * rate_hz))):
        yield (peak * 0.6 * (1 - i / 10), -peak * 0.5, peak * 0.4)
    for _ in range(int(3.0 * rate_hz)):
        yield (-1.0 + rng.gauss(0, 0.01), rng.gauss(0, 0.01), rng.gauss(0, 0.01))


def sisfall_motion(path: Path, rate_hz: int) -> list[Sample]:
    """A SisFall recording's ADXL345 samples in g, decimated from 200 Hz to `rate_hz`."""
    rows: list[Sample] = []
    for line in path.read_text().splitlines():
        parts = line.strip().rstrip(";").split(",")
        if len(parts) < 3:  # noqa: PLR2004
            continue
        x, y, z = (int(p) / 256 for p in parts[:3])
        rows.append((x, y, z))
    step = SISFALL_RATE // rate_hz
    if step < 1 or SISFALL_RATE % rate_hz:
        msg = f"rate {rate_hz} Hz must divide {SISFALL_RATE} Hz"
        raise ValueError(msg)
    # Average each block of `step` samples: a boxcar low-pass before decimation.
    return [
        tuple(sum(r[a] for r in rows[i : i + step]) / step for a in range(3))  # type: ignore[misc]
        for i in range(0, len(rows) - step + 1, step)
    ]


@dataclass
class SimWearable:
    """A wearable that notifies frames of `samples_per_frame` at `rate_hz` in real time."""

    address: str
    clock: Clock
    motion: Iterator[Sample]
    rate_hz: int = 50
    range_g: int = 16
    samples_per_frame: int = 10
    battery_pct: int = 87
    name: str = "Continuo Wearable"
    rssi: int = -61
    connected: bool = False
    corrupt_every: int = 0  # every n-th frame gets a bad checksum (0: never)
    im_ok_on_frame: int | None = None
    _seq: int = field(init=False, default=0)
    _task: asyncio.Task[None] | None = field(init=False, default=None)
    _on_disconnect: Callable[[Any], None] | None = field(init=False, default=None)
    alarm: bool = False

    # -- BleakClient surface --------------------------------------------------------
    @property
    def is_connected(self) -> bool:
        """Whether a central is connected."""
        return self.connected

    async def start_notify(
        self, char_specifier: str, callback: Callable[[Any, bytearray], None], **_kwargs: Any
    ) -> None:
        """Start sending frames to `callback`."""
        if char_specifier != ACCEL_CHAR_UUID:
            msg = f"characteristic {char_specifier} does not notify"
            raise OSError(msg)
        self._task = asyncio.create_task(self._notify(callback))

    async def read_gatt_char(self, char_specifier: str, **_kwargs: Any) -> bytearray:
        """Battery level is the only readable characteristic."""
        if char_specifier != BATTERY_LEVEL_UUID:
            msg = f"characteristic {char_specifier} is not readable"
            raise OSError(msg)
        return bytearray([self.battery_pct])

    async def write_gatt_char(
        self,
        char_specifier: str,
        data: bytes,
        response: bool = True,  # noqa: FBT001, FBT002 (bleak's signature)
    ) -> None:
        """The control characteristic switches the alarm."""
        del response
        if char_specifier != CONTROL_CHAR_UUID:
            msg = f"characteristic {char_specifier} is not writable"
            raise OSError(msg)
        self.alarm = bytes(data) == b"\x01"

    async def disconnect(self) -> bool:
        """Drop the link from the central's side."""
        self._stop()
        return True

    # -- test-side API --------------------------------------------------------------
    async def connect_as_central(
        self, address: str, on_disconnect: Callable[[Any], None]
    ) -> SimWearable:
        """The driver's `connect` seam: returns this wearable, connected."""
        if address != self.address:
            msg = f"no wearable at {address}"
            raise OSError(msg)
        self.connected = True
        self._on_disconnect = on_disconnect
        return self

    def drop(self) -> None:
        """Lose the link from the wearable's side (out of range, battery)."""
        callback = self._on_disconnect
        self._stop()
        if callback is not None:
            callback(self)

    def _stop(self) -> None:
        self.connected = False
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _notify(self, callback: Callable[[Any, bytearray], None]) -> None:
        period = self.samples_per_frame / self.rate_hz
        while self.connected:
            samples = [next(self.motion) for _ in range(self.samples_per_frame)]
            frame = bytearray(
                encode_frame(
                    self._seq,
                    self.rate_hz,
                    self.range_g,
                    samples,
                    im_ok=self._seq == self.im_ok_on_frame,
                )
            )
            if self.corrupt_every and self._seq % self.corrupt_every == self.corrupt_every - 1:
                frame[-1] ^= 0xFF
            self._seq += 1
            callback(ACCEL_CHAR_UUID, frame)
            await self.clock.sleep(period)

"""HX711 24-bit load-cell amplifier, bit-banged on two GPIO pins.

The chip signals a ready sample by pulling DOUT low; 24 clock pulses shift it out MSB
first as two's complement, and 1, 3 or 2 more pulses choose the channel and gain of the
next conversion (A/128, B/32, A/64). Holding SCK high for more than 60 us powers it down.
Grams come from a tare offset and a calibration factor (counts per gram).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from common.clock import Clock
from hardware.errors import DeviceUnreachableError, MalformedResponseError
from hardware.pins import PinBackend

MAX_COUNT: Final = 0x7FFFFF
MIN_COUNT: Final = -0x800000


class Gain(IntEnum):
    """Channel and gain, as the number of extra clock pulses that select them."""

    A128 = 1
    B32 = 2
    A64 = 3


def twos_complement_24(raw: int) -> int:
    """A 24-bit two's complement word as a signed integer."""
    raw &= 0xFFFFFF
    return raw - 0x1000000 if raw & 0x800000 else raw


@dataclass
class Calibration:
    """Counts at zero load, and counts per gram."""

    offset: float = 0.0
    counts_per_gram: float = 1.0


class HX711:
    """One load cell on one HX711."""

    def __init__(
        self,
        *,
        pins: PinBackend,
        dout: int,
        sck: int,
        clock: Clock,
        gain: Gain = Gain.A128,
        calibration: Calibration | None = None,
        ready_timeout_s: float = 1.0,
    ) -> None:
        """Set up the pins; SCK low keeps the chip powered."""
        self._pins, self._dout, self._sck, self._clock = pins, dout, sck, clock
        self.gain = gain
        self.calibration = calibration or Calibration()
        self._ready_timeout_s = ready_timeout_s
        pins.setup_input(dout)
        pins.setup_output(sck, initial=False)
        self.device = f"hx711(dout={dout}, sck={sck})"

    async def _wait_ready(self) -> None:
        deadline = self._clock.monotonic() + self._ready_timeout_s
        while self._pins.read(self._dout):
            if self._clock.monotonic() >= deadline:
                msg = f"{self.device} never signalled a sample: check its power and wiring"
                raise DeviceUnreachableError(msg, device=self.device)
            await self._clock.sleep(0.005)

    def _shift_in(self) -> int:
        # Kept tight and synchronous: SCK high for over 60 us would power the chip down.
        value = 0
        for _ in range(24):
            self._pins.write(self._sck, True)  # noqa: FBT003
            value = (value << 1) | int(self._pins.read(self._dout))
            self._pins.write(self._sck, False)  # noqa: FBT003
        for _ in range(int(self.gain)):
            self._pins.write(self._sck, True)  # noqa: FBT003
            self._pins.write(self._sck, False)  # noqa: FBT003
        return value

    async def read_raw(self, *, attempts: int = 3) -> int:
        """One signed sample.

        A full-scale sample is read again: a read that was preempted with SCK high for over
        60 us powers the chip down mid-word and yields one. Only full scale every time means
        a fault.

        Raises:
            DeviceUnreachableError: The chip never became ready (unplugged or unpowered).
            MalformedResponseError: Every attempt read full scale (load cell disconnected
                from the amplifier, or overloaded).
        """
        value = MAX_COUNT
        for _ in range(attempts):
            await self._wait_ready()
            value = twos_complement_24(self._shift_in())
            if value not in (MAX_COUNT, MIN_COUNT):
                return value
        msg = f"{self.device} reads full scale ({value}): load cell disconnected or overloaded"
        raise MalformedResponseError(msg, device=self.device)

    async def read_average(self, samples: int = 5) -> float:
        """The median of `samples` readings.

        A median, not a mean: a read preempted mid-word (the chip powers down when SCK
        stays high over 60 us) yields a wrong sample that is not always full scale, and
        the median ignores up to half of them.
        """
        return float(statistics.median([await self.read_raw() for _ in range(samples)]))

    async def tare(self, samples: int = 10) -> float:
        """Take the current load as zero; returns the offset."""
        self.calibration.offset = await self.read_average(samples)
        return self.calibration.offset

    async def calibrate(self, known_grams: float, samples: int = 10) -> float:
        """With `known_grams` on the scale (after `tare`), learn the counts per gram."""
        if known_grams <= 0:
            msg = "the known weight must be more than 0 g"
            raise ValueError(msg)
        counts = await self.read_average(samples) - self.calibration.offset
        if abs(counts) < 10:  # noqa: PLR2004
            msg = f"{self.device} did not change under {known_grams} g: is the weight on it?"
            raise MalformedResponseError(msg, device=self.device)
        self.calibration.counts_per_gram = counts / known_grams
        return self.calibration.counts_per_gram

    async def read_grams(self, samples: int = 5) -> float:
        """The load in grams."""
        counts = await self.read_average(samples)
        return (counts - self.calibration.offset) / self.calibration.counts_per_gram

    async def power_down(self) -> None:
        """SCK high for more than 60 us."""
        self._pins.write(self._sck, True)  # noqa: FBT003
        await self._clock.sleep(0.0001)

    def power_up(self) -> None:
        """SCK low: the chip wakes with channel A, gain 128."""
        self._pins.write(self._sck, False)  # noqa: FBT003

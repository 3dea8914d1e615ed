"""A simulated serial scale under a consumable, on a real pseudo-terminal.

It speaks MT-SICS (``S``, ``SI``, ``T``, ``Z``, ``I4``) or streams continuous output, with
its own encoder. What it weighs follows a household's day: milk at breakfast and dinner, a
pet fed twice a day, one pill at each dose time, with noise, settling after each change,
slow drift, the container lifted off while in use, and an occasional garbage line.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import termios
import tty
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from common.clock import Clock

DAY: Final = 86_400.0
CAPACITY_G: Final = 6000.0


class Consumable(StrEnum):
    """What is on the scale."""

    MILK = "milk"
    PET_FOOD = "pet-food"
    COFFEE = "coffee"
    PILLS = "pills"


@dataclass(frozen=True)
class Profile:
    """A consumable's container, fill and daily use: (hour of day, grams, seconds lifted)."""

    container_g: float
    full_g: float
    uses: tuple[tuple[float, float, float], ...]
    resolution_g: float = 1.0


PROFILES: Final = {
    Consumable.MILK: Profile(35.0, 1030.0, ((7.5, 220.0, 90.0), (19.0, 160.0, 60.0))),
    Consumable.PET_FOOD: Profile(120.0, 2000.0, ((8.0, 110.0, 30.0), (18.0, 110.0, 30.0))),
    Consumable.COFFEE: Profile(40.0, 500.0, ((6.75, 16.0, 20.0), (13.0, 16.0, 20.0))),
    Consumable.PILLS: Profile(21.0, 15.0, ((8.0, 0.5, 10.0), (20.0, 0.5, 10.0)), 0.01),
}


@dataclass
class ScaleModel:
    """The physics and the household; time runs `speed` times faster than the clock."""

    clock: Clock
    rng: random.Random
    consumable: Consumable = Consumable.MILK
    speed: float = 1.0
    noise_g: float = 0.3
    settle_s: float = 2.0
    drift_g_per_day: float = 0.4
    garbage_rate: float = 0.0
    serial_number: str = "B000012345"
    content_g: float = field(init=False)
    tare_g: float = 0.0
    _start: float = field(init=False)
    _last: float = field(init=False)
    _changed_at: float = field(init=False, default=-1e18)
    _lifted_until: float = field(init=False, default=-1e18)

    def __post_init__(self) -> None:
        self.profile = PROFILES[self.consumable]
        self.content_g = self.profile.full_g
        self._start = self.clock.now()
        self._last = self.sim_time()

    def sim_time(self) -> float:
        """Simulated seconds since the epoch."""
        return self._start + (self.clock.now() - self._start) * self.speed

    def _advance(self) -> None:
        now = self.sim_time()
        day = (self._last // DAY) * DAY
        while day <= now:
            for hour, grams, lifted in self.profile.uses:
                at = day + hour * 3600
                if self._last < at <= now:
                    self.content_g = max(0.0, self.content_g - grams * self.rng.uniform(0.8, 1.2))
                    self._lifted_until = at + lifted
                    self._changed_at = at + lifted
            day += DAY
        self._last = now

    def refill(self) -> None:
        """A new carton, bag or bottle."""
        self._advance()
        self.content_g = self.profile.full_g
        self._changed_at = self.sim_time()

    def gross_g(self) -> float:
        """What lies on the platform now, before noise."""
        self._advance()
        now = self.sim_time()
        if now < self._lifted_until:
            return 0.0
        drift = self.drift_g_per_day * (now - self._start) / DAY
        return self.profile.container_g + self.content_g + drift

    def reading(self) -> tuple[str, float]:
        """('S' stable or 'D' dynamic or '+' / '-', net grams)."""
        gross = self.gross_g()
        if gross > CAPACITY_G:
            return "+", 0.0
        now = self.sim_time()
        settling = now - self._changed_at < self.settle_s * self.speed or now < self._lifted_until
        noise = self.rng.gauss(0, self.noise_g * (10 if settling else 1))
        net = gross + noise - self.tare_g
        if net < -CAPACITY_G / 10:
            return "-", 0.0
        step = self.profile.resolution_g
        return ("D" if settling else "S"), round(net / step) * step


def sics_weight(command: str, status: str, grams: float) -> bytes:
    """The simulator's own MT-SICS weight reply."""
    if status in "+-":
        return f"{command} {status}\r\n".encode()
    return f"{command} {status} {grams:>10.2f} g\r\n".encode()


def continuous_frame(status: str, grams: float) -> bytes:
    """The simulator's own continuous-output frame (A&D layout)."""
    if status == "+":
        return b"OL,+9999999 g\r\n"
    head = "ST" if status == "S" else "US"
    return f"{head},{grams:+09.2f}  g\r\n".encode()


class PtyScale:
    """Serves a ScaleModel on a pseudo-terminal; `path` is what a driver opens."""

    def __init__(
        self, model: ScaleModel, *, continuous: bool = False, interval_s: float = 0.25
    ) -> None:
        """Open the pseudo-terminal now; `run` serves it."""
        self.model = model
        self.continuous = continuous
        self._interval_s = interval_s
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave, termios.TCSANOW)
        self.path = os.ttyname(self._slave)
        self._buffer = bytearray()
        self._unplugged = False
        self._cut_next = False

    def close(self) -> None:
        """Close both ends."""
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def unplug(self, *, mid_frame: bool = False) -> None:
        """Stop answering; with `mid_frame`, only after half of the next reply."""
        if mid_frame:
            self._cut_next = True
        else:
            self._unplugged = True

    def plug_in(self) -> None:
        """Answer again."""
        self._unplugged = False

    def _write(self, data: bytes) -> None:
        if self._unplugged:
            return
        if self._cut_next:
            os.write(self._master, data[: len(data) // 2])
            self._unplugged = True
            return
        if self.model.garbage_rate and self.model.rng.random() < self.model.garbage_rate:
            os.write(self._master, bytes(self.model.rng.randrange(256) for _ in range(7)) + b"\r\n")
        os.write(self._master, data)

    async def _answer(self, line: str) -> None:
        command = line.strip().upper()
        if command in {"S", "SI"}:
            status, grams = self.model.reading()
            if command == "S":
                for _ in range(40):  # S waits for stability, up to about 2 s of real time
                    if status != "D":
                        break
                    await asyncio.sleep(0.05)
                    status, grams = self.model.reading()
                else:
                    self._write(b"S I\r\n")
                    return
            self._write(sics_weight("S", status, grams))
        elif command == "T":
            status, grams = self.model.reading()
            if status != "S":
                self._write(b"T I\r\n")
                return
            self.model.tare_g += grams
            self._write(sics_weight("T", "S", self.model.tare_g))
        elif command == "Z":
            status, grams = self.model.reading()
            self.model.tare_g += grams
            self._write(b"Z A\r\n")
        elif command == "I4":
            self._write(f'I4 A "{self.model.serial_number}"\r\n'.encode())
        elif command:
            self._write(b"ES\r\n")

    def _on_readable(self) -> None:
        try:
            self._buffer += os.read(self._master, 1024)
        except OSError:
            return
        while b"\n" in self._buffer:
            line, _, rest = self._buffer.partition(b"\n")
            self._buffer = bytearray(rest)
            self._pending.append(line.decode("ascii", "replace").strip("\r"))
        self._ready.set()

    async def run(self) -> None:
        """Serve until cancelled."""
        loop = asyncio.get_running_loop()
        self._pending: list[str] = []
        self._ready = asyncio.Event()
        loop.add_reader(self._master, self._on_readable)
        try:
            if self.continuous:
                while True:
                    status, grams = self.model.reading()
                    self._write(continuous_frame(status, grams))
                    await asyncio.sleep(self._interval_s)
            while True:
                await self._ready.wait()
                self._ready.clear()
                while self._pending:
                    await self._answer(self._pending.pop(0))
        finally:
            loop.remove_reader(self._master)

"""Simulated GPIO devices at the pin level: an HX711 load-cell amplifier and a push button.

`SimPins` routes each pin to the device wired to it, and has the same methods as the
drivers' pin backend, so the real drivers run unchanged against it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol

from common.clock import Clock

POWER_DOWN_S: Final = 60e-6
SAMPLE_PERIOD_S: Final = 0.1  # the HX711's 10 samples per second


class SimDevice(Protocol):
    """A simulated chip or switch on some pins."""

    pins: tuple[int, ...]

    def read(self, pin: int) -> bool:
        """Level the device drives on `pin`."""
        ...

    def write(self, pin: int, value: bool) -> None:  # noqa: FBT001
        """The host drives `pin`."""
        ...


class SimPins:
    """A pin backend whose pins are wired to simulated devices."""

    def __init__(self, *devices: SimDevice) -> None:
        """Wire `devices`; a pin may belong to one device only."""
        self._by_pin: dict[int, SimDevice] = {}
        for device in devices:
            for pin in device.pins:
                if pin in self._by_pin:
                    msg = f"pin {pin} is wired twice"
                    raise ValueError(msg)
                self._by_pin[pin] = device
        self.modes: dict[int, str] = {}

    def setup_input(self, pin: int, *, pull_up: bool = False) -> None:
        """Record the mode (the simulated devices drive their own levels)."""
        self.modes[pin] = "in-pull-up" if pull_up else "in"

    def setup_output(self, pin: int, *, initial: bool = False) -> None:
        """Record the mode and drive the initial level."""
        self.modes[pin] = "out"
        self.write(pin, initial)

    def read(self, pin: int) -> bool:
        """A floating pin with nothing wired reads high (pull-ups on the Pi's inputs)."""
        device = self._by_pin.get(pin)
        return True if device is None else device.read(pin)

    def write(self, pin: int, value: bool) -> None:  # noqa: FBT001
        """Drive `pin`."""
        device = self._by_pin.get(pin)
        if device is not None:
            device.write(pin, value)


@dataclass
class SimHX711:
    """An HX711 whose bridge reads `grams()`; its own encoder turns grams into counts."""

    dout: int
    sck: int
    clock: Clock
    rng: random.Random
    grams: Callable[[], float]
    offset_counts: int = 84_000
    counts_per_gram: float = 420.0
    noise_counts: float = 40.0
    connected: bool = True  # False: the chip is unpowered or unplugged, DOUT floats high
    # SCK held high longer than this powers the chip down (60 us on the real chip). A test
    # that runs on the real clock in a busy process may raise it: CPython can preempt a
    # bit-banging thread for milliseconds, which would power the chip down at random.
    power_down_s: float = POWER_DOWN_S
    power_cycles: int = 0  # test-side: how often SCK held high powered the chip down
    bridge_open: bool = False  # True: the load cell's wires are off, it reads full scale
    pins: tuple[int, ...] = field(init=False)
    _bits: list[int] = field(init=False, default_factory=list)
    _pulses: int = field(init=False, default=0)
    _gain_pulses: int = field(init=False, default=1)
    _sck_high_since: float | None = field(init=False, default=None)
    _powered: bool = field(init=False, default=True)
    _ready_at: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.pins = (self.dout, self.sck)

    def counts(self) -> int:
        """The next conversion, clamped to 24 bits."""
        if self.bridge_open:
            return 0x7FFFFF
        scale = {1: 1.0, 3: 0.5, 2: 0.25}[self._gain_pulses]  # A/128, A/64, B/32
        value = self.offset_counts + self.grams() * self.counts_per_gram
        value = round((value + self.rng.gauss(0, self.noise_counts)) * scale)
        return max(-0x800000, min(0x7FFFFF, value))

    def _ready(self) -> bool:
        return self.connected and self._powered and self.clock.monotonic() >= self._ready_at

    def read(self, pin: int) -> bool:
        """DOUT: low when a sample is ready, then the bits MSB first."""
        if pin != self.dout or not self.connected:
            return True
        if self._pulses > 24:  # noqa: PLR2004
            # The pulses after the 24th chose the next conversion's channel and gain.
            self._gain_pulses = min(3, self._pulses - 24)
            self._pulses = 0
            self._ready_at = self.clock.monotonic() + SAMPLE_PERIOD_S
            return True
        if self._pulses == 0:
            return not self._ready()
        return bool(self._bits[self._pulses - 1])

    def write(self, pin: int, value: bool) -> None:  # noqa: FBT001
        """SCK edges shift bits out; SCK held high powers the chip down."""
        if pin != self.sck or not self.connected:
            return
        now = self.clock.monotonic()
        if value:
            self._sck_high_since = now
            if not self._powered:
                return
            if self._pulses == 0:
                if not self._ready():
                    return
                word = self.counts() & 0xFFFFFF
                self._bits = [(word >> (23 - i)) & 1 for i in range(24)]
            self._pulses += 1
            return
        if self._sck_high_since is not None and now - self._sck_high_since > self.power_down_s:
            self._power_cycle(now)
        self._sck_high_since = None

    def _power_cycle(self, now: float) -> None:
        self.power_cycles += 1
        self._powered = True
        self._pulses = 0
        self._gain_pulses = 1  # wakes on channel A, gain 128
        self._ready_at = now + 4 * SAMPLE_PERIOD_S  # settling after power-up


@dataclass
class SimButton:
    """A push button to ground (active low) that bounces when pressed and released."""

    pin: int
    clock: Clock
    rng: random.Random
    pins: tuple[int, ...] = field(init=False)
    _edges: list[tuple[float, bool]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.pins = (self.pin,)

    def press(self, *, hold_s: float, bounces: int = 4, at: float | None = None) -> None:
        """Schedule a press of `hold_s`, with contact bounce of a few milliseconds each way."""
        start = self.clock.monotonic() if at is None else at
        for edge_at, pressed in ((start, True), (start + hold_s, False)):
            t = edge_at
            for _ in range(bounces):
                self._edges.append((t, pressed))
                t += self.rng.uniform(0.0005, 0.003)
                self._edges.append((t, not pressed))
                t += self.rng.uniform(0.0005, 0.003)
            self._edges.append((t, pressed))
        self._edges.sort()

    def read(self, pin: int) -> bool:
        """High when released (pull-up), low while the contact is closed."""
        del pin
        pressed = False
        now = self.clock.monotonic()
        for t, level in self._edges:
            if t > now:
                break
            pressed = level
        return not pressed

    def write(self, pin: int, value: bool) -> None:  # noqa: FBT001
        """A button ignores what the host drives."""
        del pin, value

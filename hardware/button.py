"""A reorder button on a GPIO pin, debounced; a short and a long press are different events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum

from common.clock import Clock
from hardware.pins import PinBackend


class Press(StrEnum):
    """What the person did."""

    SHORT = "press.short"
    LONG = "press.long"


@dataclass(frozen=True, slots=True)
class ButtonEvent:
    """A completed press."""

    press: Press
    held_s: float


class Button:
    """Polls the pin; a level counts only after it has been steady for `debounce_s`."""

    def __init__(
        self,
        *,
        pins: PinBackend,
        pin: int,
        clock: Clock,
        active_low: bool = True,
        debounce_s: float = 0.03,
        long_press_s: float = 1.5,
        poll_s: float = 0.005,
    ) -> None:
        """Configure the pin (pull-up when the button connects it to ground)."""
        self._pins, self._pin, self._clock = pins, pin, clock
        self._active_low = active_low
        self._debounce_s = debounce_s
        self._long_s = long_press_s
        self._poll_s = poll_s
        pins.setup_input(pin, pull_up=active_low)

    def _pressed_now(self) -> bool:
        return self._pins.read(self._pin) != self._active_low

    async def events(self) -> AsyncIterator[ButtonEvent]:
        """Yield each press when it is released."""
        stable = self._pressed_now()
        candidate, since = stable, self._clock.monotonic()
        pressed_at = since if stable else None
        while True:
            await self._clock.sleep(self._poll_s)
            level, now = self._pressed_now(), self._clock.monotonic()
            if level != candidate:
                candidate, since = level, now
                continue
            if candidate == stable or now - since < self._debounce_s:
                continue
            stable = candidate
            if stable:
                pressed_at = since
            elif pressed_at is not None:
                held = since - pressed_at
                yield ButtonEvent(Press.LONG if held >= self._long_s else Press.SHORT, held)
                pressed_at = None

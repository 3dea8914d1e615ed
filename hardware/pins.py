"""GPIO pins behind a narrow interface, so drivers run off the Pi against simulated pins.

The real backend imports RPi.GPIO lazily (the `pi` extra; on a Pi 5, rpi-lgpio provides the
same module), so nothing here touches GPIO on a machine without it.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

from hardware.errors import DeviceUnreachableError


class PinBackend(Protocol):
    """Digital pins by BCM number."""

    def setup_input(self, pin: int, *, pull_up: bool = False) -> None:
        """Make `pin` an input."""
        ...

    def setup_output(self, pin: int, *, initial: bool = False) -> None:
        """Make `pin` an output at `initial`."""
        ...

    def read(self, pin: int) -> bool:
        """The level of `pin`."""
        ...

    def write(self, pin: int, value: bool) -> None:  # noqa: FBT001
        """Drive `pin` high or low."""
        ...


class RPiGPIOBackend:
    """The Raspberry Pi's pins through RPi.GPIO (or rpi-lgpio), BCM numbering."""

    def __init__(self) -> None:
        """Import RPi.GPIO now; DeviceUnreachableError off a Pi."""
        try:
            self._gpio: Any = importlib.import_module("RPi.GPIO")
        except (ImportError, RuntimeError) as exc:
            msg = (
                "RPi.GPIO is not available: install continuo[pi] (continuo[pi5] on a "
                "Raspberry Pi 5) on the Pi"
            )
            raise DeviceUnreachableError(msg, device="gpio") from exc
        self._gpio.setmode(self._gpio.BCM)
        self._gpio.setwarnings(False)  # noqa: FBT003

    def setup_input(self, pin: int, *, pull_up: bool = False) -> None:
        """Input, with the internal pull-up when asked."""
        pud = self._gpio.PUD_UP if pull_up else self._gpio.PUD_OFF
        self._gpio.setup(pin, self._gpio.IN, pull_up_down=pud)

    def setup_output(self, pin: int, *, initial: bool = False) -> None:
        """Output at `initial`."""
        self._gpio.setup(
            pin, self._gpio.OUT, initial=self._gpio.HIGH if initial else self._gpio.LOW
        )

    def read(self, pin: int) -> bool:
        """Current level."""
        return bool(self._gpio.input(pin))

    def write(self, pin: int, value: bool) -> None:  # noqa: FBT001
        """Drive the pin."""
        self._gpio.output(pin, self._gpio.HIGH if value else self._gpio.LOW)

    def cleanup(self) -> None:
        """Release every pin."""
        self._gpio.cleanup()

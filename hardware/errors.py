"""Errors raised by the drivers."""

from __future__ import annotations

from common.errors import ContinuoError


class DeviceError(ContinuoError):
    """A device could not be read.

    Attributes:
        device: What was being read (a URI, a port), for the message shown to people.
    """

    def __init__(self, message: str, *, device: str) -> None:
        super().__init__(message)
        self.device = device


class DeviceUnreachableError(DeviceError):
    """The device did not answer (off, asleep, unplugged, wrong address)."""


class MalformedResponseError(DeviceError):
    """The device answered with something that is not a valid response."""

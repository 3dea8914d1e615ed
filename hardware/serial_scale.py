"""A serial scale (USB or RS-232) over pyserial, speaking MT-SICS or continuous output.

``serial_for_url`` opens a device path, a pseudo-terminal or ``socket://host:port`` alike.
Blocking serial I/O runs in a worker thread so the agent's event loop never stalls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import StrEnum
from typing import Final, Self, TypeVar

import serial

from common.clock import Clock, SystemClock
from hardware.errors import DeviceError, DeviceUnreachableError, MalformedResponseError
from hardware.scale_frames import (
    FrameError,
    Reply,
    ScaleState,
    Status,
    Weight,
    decode_continuous,
    decode_sics,
)

_MAX_NOISE_LINES: Final = 8
_F = TypeVar("_F")
_REPLY_TAG: Final = {"SI": "S"}  # MT-SICS answers SI with an "S" reply


class ScaleProtocol(StrEnum):
    """How the scale talks."""

    MT_SICS = "mt-sics"
    CONTINUOUS = "continuous"


class ScaleCommandError(DeviceError):
    """The scale refused a command (ES, ET, EL) or stayed busy."""


class SerialScale:
    """One scale on one port. Use as an async context manager."""

    def __init__(
        self,
        *,
        url: str,
        protocol: ScaleProtocol = ScaleProtocol.MT_SICS,
        baudrate: int = 9600,
        timeout_s: float = 2.0,
        clock: Clock | None = None,
    ) -> None:
        """Describe the scale; `open` (or `async with`) opens the port."""
        self._clock = clock or SystemClock()
        self.url = url
        self.protocol = protocol
        self._baudrate = baudrate
        self._timeout_s = timeout_s
        self._port: serial.Serial | None = None
        self.noise_lines = 0  # garbage lines skipped, for the fault detector and self-test

    async def open(self) -> None:
        """Open the port.

        Raises:
            DeviceUnreachableError: The port does not exist or cannot be opened.
        """
        try:
            self._port = await asyncio.to_thread(
                serial.serial_for_url, self.url, baudrate=self._baudrate, timeout=0.2
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceUnreachableError(f"cannot open {self.url}: {exc}", device=self.url) from exc

    async def close(self) -> None:
        """Close the port."""
        if self._port is not None:
            await asyncio.to_thread(self._port.close)
            self._port = None

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    def _readline(self, deadline: float) -> bytes:
        """One CR/LF-terminated line, or raise when the deadline passes (cable pulled)."""
        assert self._port is not None  # noqa: S101 (opened by the caller)
        buffer = bytearray()
        while self._clock.monotonic() < deadline:
            try:
                chunk = self._port.read_until(b"\n", 256)
            except (serial.SerialException, OSError) as exc:
                raise DeviceUnreachableError(f"{self.url} failed: {exc}", device=self.url) from exc
            buffer += chunk
            if buffer.endswith(b"\n"):
                return bytes(buffer)
            if len(buffer) > 256:  # noqa: PLR2004
                return bytes(buffer)  # a runaway line: let the decoder reject it
        if buffer:
            raise DeviceUnreachableError(
                f"{self.url} stopped mid-frame after {bytes(buffer)!r} (cable pulled?)",
                device=self.url,
            )
        raise DeviceUnreachableError(f"no answer from the scale on {self.url}", device=self.url)

    def _command_sync(self, command: str) -> Reply:
        if self._port is None:
            raise DeviceUnreachableError(f"{self.url} is not open", device=self.url)
        self._port.reset_input_buffer()
        try:
            self._port.write(command.encode("ascii") + b"\r\n")
        except (serial.SerialException, OSError) as exc:
            raise DeviceUnreachableError(f"{self.url} failed: {exc}", device=self.url) from exc
        expected = (_REPLY_TAG.get(command, command), "ES", "ET", "EL")
        return self._read_until(
            decode_sics,
            lambda r: r.command in expected,
            deadline=self._clock.monotonic() + self._timeout_s,
        )

    def _read_until(
        self, decode: Callable[[bytes], _F], wanted: Callable[[_F], bool], *, deadline: float
    ) -> _F:
        """The first decoded line that is `wanted`, skipping (and counting) noise lines."""
        noise = 0
        while True:
            line = self._readline(deadline)
            try:
                frame = decode(line)
            except FrameError as exc:
                noise += 1
                self.noise_lines += 1
                if noise > _MAX_NOISE_LINES:
                    raise MalformedResponseError(
                        f"the scale on {self.url} sends garbage: {exc}", device=self.url
                    ) from exc
                continue
            if wanted(frame):
                return frame

    async def command(self, command: str) -> Reply:
        """Send one MT-SICS command and return its reply.

        Raises:
            DeviceUnreachableError: No (complete) answer in time.
            MalformedResponseError: Only garbage came back.
            ScaleCommandError: The scale answered with ES, ET or EL.
        """
        reply = await asyncio.to_thread(self._command_sync, command)
        if reply.status in (Status.SYNTAX_ERROR, Status.TRANSMISSION_ERROR, Status.LOGICAL_ERROR):
            raise ScaleCommandError(
                f"scale refused {command!r}: {reply.status.value}", device=self.url
            )
        return reply

    async def _weight(self, command: str, *, retries: int = 5) -> Weight:
        for _ in range(retries):
            reply = await self.command(command)
            if reply.status is Status.BUSY:
                await asyncio.sleep(0.2)
                continue
            if reply.weight is None:
                raise MalformedResponseError(f"{command} reply without a weight", device=self.url)
            return reply.weight
        raise ScaleCommandError(f"scale stayed busy for {command!r}", device=self.url)

    async def stable_weight(self) -> Weight:
        """The next stable weight (MT-SICS ``S``; in continuous mode, the next ST frame)."""
        if self.protocol is ScaleProtocol.CONTINUOUS:
            return await self.next_frame(stable=True)
        return await self._weight("S")

    async def immediate_weight(self) -> Weight:
        """The weight now, stable or not (``SI``; in continuous mode, the next frame)."""
        if self.protocol is ScaleProtocol.CONTINUOUS:
            return await self.next_frame(stable=False)
        return await self._weight("SI")

    async def tare(self) -> Weight:
        """Tare (``T``); returns the tare weight."""
        return await self._weight("T")

    async def zero(self) -> None:
        """Zero the scale (``Z``)."""
        reply = await self.command("Z")
        if reply.status is not Status.DONE:
            raise ScaleCommandError(f"zero not done: {reply.status.value}", device=self.url)

    async def serial_number(self) -> str:
        """The scale's serial number (``I4``)."""
        reply = await self.command("I4")
        if reply.text is None:
            raise MalformedResponseError("I4 reply without a serial number", device=self.url)
        return reply.text

    def _next_frame_sync(self, *, stable: bool, timeout_s: float) -> Weight:
        return self._read_until(
            decode_continuous,
            lambda w: not stable or w.state is not ScaleState.DYNAMIC,
            deadline=self._clock.monotonic() + timeout_s,
        )

    async def next_frame(self, *, stable: bool, timeout_s: float | None = None) -> Weight:
        """The next continuous-output frame (the next stable one with `stable`)."""
        if self._port is None:
            raise DeviceUnreachableError(f"{self.url} is not open", device=self.url)
        wait = timeout_s if timeout_s is not None else self._timeout_s * 5
        return await asyncio.to_thread(self._next_frame_sync, stable=stable, timeout_s=wait)

"""The BLE wearable: its GATT profile, the accelerometer frame codec, and a reconnecting driver.

GATT profile (Continuo wearable, version 1):

| what | UUID | properties |
| --- | --- | --- |
| service | ``5c3a0001-7f4e-4c1b-9d2a-6e8b1f0c2d3e`` | advertised |
| accelerometer frames | ``5c3a0002-7f4e-4c1b-9d2a-6e8b1f0c2d3e`` | notify |
| control | ``5c3a0003-7f4e-4c1b-9d2a-6e8b1f0c2d3e`` | write (1 byte: 0x01 alarm on, 0x00 off) |
| battery level (standard) | ``00002a19-0000-1000-8000-00805f9b34fb`` | read, percent |

An accelerometer frame is little-endian::

    u8 version (1) | u8 flags | u16 seq | u16 rate_hz | u8 range_g | u8 n
    | n x (i16 x, i16 y, i16 z) | u16 CRC-16/CCITT-FALSE of everything before it

``flags`` bit 0: the wearer pressed "I'm OK"; bit 1: the device is worn. A sample is
``raw * range_g / 32768`` g. ``seq`` counts frames and wraps at 65536.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol, cast

from common.clock import Backoff, Clock
from hardware.errors import DeviceError, DeviceUnreachableError

SERVICE_UUID: Final = "5c3a0001-7f4e-4c1b-9d2a-6e8b1f0c2d3e"
ACCEL_CHAR_UUID: Final = "5c3a0002-7f4e-4c1b-9d2a-6e8b1f0c2d3e"
CONTROL_CHAR_UUID: Final = "5c3a0003-7f4e-4c1b-9d2a-6e8b1f0c2d3e"
BATTERY_LEVEL_UUID: Final = "00002a19-0000-1000-8000-00805f9b34fb"
FRAME_VERSION: Final = 1
_HEADER = struct.Struct("<BBHHBB")
_RANGES: Final = frozenset({2, 4, 8, 16})
MAX_SAMPLES: Final = 40


class FrameError(DeviceError):
    """A notification that is not a valid accelerometer frame."""


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


@dataclass(frozen=True, slots=True)
class AccelFrame:
    """Decoded samples in g."""

    seq: int
    rate_hz: int
    range_g: int
    im_ok: bool
    worn: bool
    samples: tuple[tuple[float, float, float], ...]


def decode_frame(data: bytes, *, device: str = "wearable") -> AccelFrame:
    """Decode one notification.

    Raises:
        FrameError: Wrong length, version, range, rate or checksum.
    """
    if len(data) < _HEADER.size + 2:
        raise FrameError(f"frame of {len(data)} bytes is shorter than a header", device=device)
    version, flags, seq, rate, range_g, n = _HEADER.unpack_from(data)
    if version != FRAME_VERSION:
        raise FrameError(f"frame version {version}, expected {FRAME_VERSION}", device=device)
    if len(data) != _HEADER.size + 6 * n + 2:
        raise FrameError(f"frame says {n} samples but has {len(data)} bytes", device=device)
    (crc,) = struct.unpack_from("<H", data, len(data) - 2)
    if crc != crc16_ccitt(data[:-2]):
        raise FrameError("frame checksum does not match", device=device)
    if range_g not in _RANGES or not 1 <= rate <= 1000 or not 1 <= n <= MAX_SAMPLES:  # noqa: PLR2004
        raise FrameError(
            f"implausible frame: range {range_g} g, {rate} Hz, {n} samples", device=device
        )
    raw = struct.unpack_from(f"<{3 * n}h", data, _HEADER.size)
    k = range_g / 32768
    samples = tuple((raw[i] * k, raw[i + 1] * k, raw[i + 2] * k) for i in range(0, 3 * n, 3))
    return AccelFrame(seq, rate, range_g, bool(flags & 1), bool(flags & 2), samples)


class GattClient(Protocol):
    """The part of bleak's BleakClient the driver uses."""

    @property
    def is_connected(self) -> bool:
        """Whether the link is up."""
        ...

    async def start_notify(
        self, char_specifier: str, callback: Callable[[Any, bytearray], None], **kwargs: Any
    ) -> None:
        """Subscribe to notifications."""
        ...

    async def read_gatt_char(self, char_specifier: str, **kwargs: Any) -> bytearray:
        """Read a characteristic."""
        ...

    async def write_gatt_char(self, char_specifier: str, data: bytes, response: bool = ...) -> None:  # noqa: FBT001
        """Write a characteristic."""
        ...

    async def disconnect(self) -> object:
        """Drop the link."""
        ...


Connect = Callable[[str, Callable[[Any], None]], Awaitable[GattClient]]


async def bleak_connect(address: str, on_disconnect: Callable[[Any], None]) -> GattClient:
    """Connect with bleak and bleak-retry-connector (imported here: BlueZ only when used)."""
    from bleak import BleakScanner  # noqa: PLC0415
    from bleak.exc import BleakError  # noqa: PLC0415
    from bleak_retry_connector import (  # noqa: PLC0415
        BleakClientWithServiceCache,
        establish_connection,
    )

    try:
        device = await BleakScanner.find_device_by_address(address, timeout=10.0)
        if device is None:
            raise DeviceUnreachableError(f"wearable {address} is not in range", device=address)
        client = await establish_connection(
            BleakClientWithServiceCache, device, address, disconnected_callback=on_disconnect
        )
    except (BleakError, OSError, TimeoutError) as exc:
        raise DeviceUnreachableError(f"cannot connect to {address}: {exc}", device=address) from exc
    return cast("GattClient", client)


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """The link came up (with the battery level) or went down."""

    connected: bool
    battery_pct: int | None = None
    detail: str = ""


class Wearable:
    """Streams frames from one wearable, reconnecting with backoff when it drops."""

    def __init__(
        self,
        *,
        address: str,
        clock: Clock,
        connect: Connect = bleak_connect,
        backoff: Backoff | None = None,
    ) -> None:
        """Describe the link; `stream` connects."""
        self.address = address
        self._clock = clock
        self._connect = connect
        self._backoff = backoff or Backoff(base_s=1.0, cap_s=30.0)
        self.bad_frames = 0
        self.lost_frames = 0
        self._client: GattClient | None = None

    async def read_battery(self, client: GattClient) -> int | None:
        """Battery percent, or None when the value is not a plausible percentage."""
        raw = await client.read_gatt_char(BATTERY_LEVEL_UUID)
        return raw[0] if len(raw) == 1 and raw[0] <= 100 else None  # noqa: PLR2004

    async def battery(self) -> int | None:
        """The battery percent now; None when not connected or the read fails."""
        client = self._client
        if client is None or not client.is_connected:
            return None
        try:
            return await self.read_battery(client)
        except (DeviceError, OSError, TimeoutError):
            return None

    async def stream(self) -> AsyncGenerator[AccelFrame | LinkEvent, None]:
        """Frames as they arrive, and a LinkEvent whenever the link changes. Never ends."""
        while True:
            queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=1000)

            def on_disconnect(_client: object, queue: asyncio.Queue[bytes | None] = queue) -> None:
                queue.put_nowait(None)

            def on_notify(
                _char: object, data: bytearray, queue: asyncio.Queue[bytes | None] = queue
            ) -> None:
                queue.put_nowait(bytes(data))

            try:
                client = await self._connect(self.address, on_disconnect)
                battery = await self.read_battery(client)
                await client.start_notify(ACCEL_CHAR_UUID, on_notify)
            except (DeviceError, OSError, TimeoutError) as exc:
                yield LinkEvent(connected=False, detail=str(exc))
                await self._clock.sleep(self._backoff.next_delay())
                continue
            self._backoff.reset()
            self._client = client
            yield LinkEvent(connected=True, battery_pct=battery)
            last_seq: int | None = None
            while (data := await queue.get()) is not None:
                try:
                    frame = decode_frame(data, device=self.address)
                except FrameError:
                    self.bad_frames += 1
                    continue
                if last_seq is not None:
                    self.lost_frames += (frame.seq - last_seq - 1) % 65536
                last_seq = frame.seq
                yield frame
            self._client = None
            yield LinkEvent(connected=False, detail="the wearable disconnected")
            await self._clock.sleep(self._backoff.next_delay())

    async def set_alarm(self, *, on: bool) -> bool:
        """Make the wearable buzz (or stop); False when it is not connected or refuses."""
        client = self._client
        if client is None or not client.is_connected:
            return False
        try:
            await client.write_gatt_char(CONTROL_CHAR_UUID, b"\x01" if on else b"\x00", True)  # noqa: FBT003
        except (DeviceError, OSError, TimeoutError):
            return False
        return True

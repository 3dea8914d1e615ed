"""What an installer can find at a site: serial ports, BLE wearables and IPP printers.

Each source that fails (no Bluetooth adapter, no multicast) adds a note to `problems`
instead of stopping the scan.
"""

from __future__ import annotations

import asyncio
import contextlib

import msgspec
from serial.tools import list_ports
from zeroconf import ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from hardware.errors import DeviceUnreachableError
from hardware.wearable import SERVICE_UUID

IPP_SERVICES = ("_ipp._tcp.local.", "_ipps._tcp.local.")


class SerialPort(msgspec.Struct, frozen=True):
    """A serial port that may have a scale on it."""

    device: str
    description: str
    hwid: str


class FoundWearable(msgspec.Struct, frozen=True):
    """A Continuo wearable advertising nearby."""

    name: str
    address: str
    rssi: int


class FoundPrinter(msgspec.Struct, frozen=True):
    """An IPP printer announcing itself over DNS-SD."""

    name: str
    uri: str
    make_and_model: str


class ScanResult(msgspec.Struct, frozen=True):
    """Everything found, and what could not be searched."""

    serial_ports: list[SerialPort]
    wearables: list[FoundWearable]
    printers: list[FoundPrinter]
    problems: list[str]


def serial_ports() -> list[SerialPort]:
    """Serial ports the OS knows (USB adapters, built-in UARTs)."""
    return [
        SerialPort(p.device, p.description or "", p.hwid or "")
        for p in sorted(list_ports.comports(), key=lambda p: p.device)
    ]


async def wearables(seconds: float) -> list[FoundWearable]:
    """Wearables advertising the Continuo service, strongest first.

    Raises:
        DeviceUnreachableError: This machine has no usable Bluetooth.
    """
    try:
        from bleak import BleakScanner  # noqa: PLC0415 (BlueZ only when scanning)
        from bleak.exc import BleakError  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - bleak is a dependency
        raise DeviceUnreachableError(f"bleak is not installed: {exc}", device="bluetooth") from exc
    try:
        found = await BleakScanner.discover(
            timeout=seconds, return_adv=True, service_uuids=[SERVICE_UUID]
        )
    except (BleakError, OSError, FileNotFoundError, TimeoutError) as exc:
        msg = f"Bluetooth is not available here: {exc or type(exc).__name__}"
        raise DeviceUnreachableError(msg, device="bluetooth") from exc
    items = [
        FoundWearable(adv.local_name or device.name or "wearable", device.address, adv.rssi)
        for device, adv in found.values()
    ]
    return sorted(items, key=lambda w: -w.rssi)


async def printers(seconds: float) -> list[FoundPrinter]:
    """IPP printers announced over multicast DNS."""
    names: set[tuple[str, str]] = set()

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        del zeroconf
        if state_change is ServiceStateChange.Added:
            names.add((service_type, name))

    aiozc = AsyncZeroconf()
    browser = AsyncServiceBrowser(aiozc.zeroconf, list(IPP_SERVICES), handlers=[on_change])
    try:
        await asyncio.sleep(seconds)
        found = []
        for service_type, name in sorted(names):
            info = AsyncServiceInfo(service_type, name)
            if not await info.async_request(aiozc.zeroconf, 3000):
                continue
            addresses = sorted(info.parsed_addresses(), key=lambda a: ":" in a)  # IPv4 first
            if not addresses or info.port is None:
                continue
            props = {
                k.decode(errors="replace"): (v or b"").decode(errors="replace")
                for k, v in info.properties.items()
            }
            scheme = "ipps" if service_type.startswith("_ipps") else "ipp"
            host = addresses[0] if ":" not in addresses[0] else f"[{addresses[0]}]"
            uri = f"{scheme}://{host}:{info.port}/{props.get('rp', 'ipp/print')}"
            label = name.removesuffix("." + service_type)
            found.append(FoundPrinter(label, uri, props.get("ty", "")))
        return found
    finally:
        with contextlib.suppress(Exception):
            await browser.async_cancel()
        await aiozc.async_close()


async def scan(seconds: float) -> ScanResult:
    """Look for everything at once."""
    problems: list[str] = []
    found_wearables: list[FoundWearable] = []
    found_printers: list[FoundPrinter] = []

    async def look_for_wearables() -> None:
        try:
            found_wearables.extend(await wearables(seconds))
        except DeviceUnreachableError as exc:
            problems.append(str(exc))

    async def look_for_printers() -> None:
        try:
            found_printers.extend(await printers(seconds))
        except OSError as exc:
            problems.append(f"cannot browse for printers (multicast DNS): {exc}")

    async with asyncio.TaskGroup() as group:
        group.create_task(look_for_wearables())
        group.create_task(look_for_printers())
    return ScanResult(serial_ports(), found_wearables, found_printers, problems)

"""One loop per sensor.

Each loop turns its driver's failures into readings and fault events, so one broken sensor
never stops another; the supervisor restarts a loop that crashes anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Protocol

import msgspec

from common.clock import Clock
from common.messages import (
    PrinterReading,
    PrinterState,
    Reading,
    ScaleReading,
    ScaleState,
    Severity,
    WearableReading,
)
from edge.fall.monitor import AlertSink, FallMonitor
from hardware.button import Button
from hardware.errors import DeviceError, DeviceUnreachableError
from hardware.faults import AccelHealth, StuckDetector
from hardware.hx711 import HX711
from hardware.scale_frames import ScaleState as FrameState
from hardware.scale_frames import Weight
from hardware.serial_scale import SerialScale
from hardware.wearable import AccelFrame, LinkEvent, Wearable


class Reporter(AlertSink, Protocol):
    """Where sensor loops send what they observe (the agent's outbox)."""

    def telemetry(self, sensor: str, reading: Reading) -> None:
        """Queue a reading for the cloud."""
        ...

    def event(self, sensor: str, name: str, detail: str = "") -> None:
        """Queue an event for the cloud."""
        ...

    def health(self, sensor: str, *, ok: bool, detail: str = "") -> None:
        """Record the sensor's health for the next status report."""
        ...


@dataclass
class FaultTracker:
    """Sends one `fault` event when a problem starts and one `fault.cleared` when it ends."""

    sensor: str
    reporter: Reporter
    active: str | None = None

    def set(self, problem: str | None) -> None:
        """Report the sensor's current problem (None: healthy)."""
        if problem is not None and problem != self.active:
            self.reporter.event(self.sensor, "fault", problem[:256])
        elif problem is None and self.active is not None:
            self.reporter.event(self.sensor, "fault.cleared", self.active[:256])
        self.active = problem
        self.reporter.health(self.sensor, ok=problem is None, detail=(problem or "")[:256])


class PrinterReader(Protocol):
    """What the printer loop needs of a driver."""

    async def read(self) -> PrinterReading:
        """Poll once."""
        ...


async def printer_loop(
    name: str, printer: PrinterReader, *, poll_s: float, clock: Clock, reporter: Reporter
) -> None:
    """Poll a printer forever."""
    faults = FaultTracker(name, reporter)
    while True:
        try:
            reading = await printer.read()
            faults.set(None)
        except DeviceUnreachableError as exc:
            reading = PrinterReading(state=PrinterState.UNREACHABLE, detail=str(exc)[:256])
            faults.set(f"unreachable: {exc}")
        except DeviceError as exc:
            reading = PrinterReading(state=PrinterState.MALFORMED, detail=str(exc)[:256])
            faults.set(f"malformed response: {exc}")
        reporter.telemetry(name, reading)
        await clock.sleep(poll_s)


_STATES = {
    FrameState.STABLE: ScaleState.STABLE,
    FrameState.DYNAMIC: ScaleState.DYNAMIC,
    FrameState.OVERLOAD: ScaleState.OVERLOAD,
    FrameState.UNDERLOAD: ScaleState.UNDERLOAD,
}


def scale_reading(weight: Weight, *, container_g: float = 0.0) -> ScaleReading:
    """A wire reading from a driver's weight frame, net of the container."""
    grams = None if weight.grams is None else round(weight.grams - container_g, 3)
    return ScaleReading(state=_STATES[weight.state], grams=grams)


async def _weigh(
    name: str,
    read: Callable[[], object],
    *,
    poll_s: float,
    stuck_after_s: float,
    clock: Clock,
    reporter: Reporter,
) -> None:
    faults = FaultTracker(name, reporter)
    stuck = StuckDetector(window_s=stuck_after_s)
    while True:
        problem = None
        try:
            reading = await read()  # type: ignore[misc]
        except DeviceUnreachableError as exc:
            reading = ScaleReading(state=ScaleState.UNREACHABLE, detail=str(exc)[:256])
            problem = f"unreachable: {exc}"
            stuck.reset()
        except DeviceError as exc:
            reading = ScaleReading(state=ScaleState.MALFORMED, detail=str(exc)[:256])
            problem = f"implausible reading: {exc}"
            stuck.reset()
        if reading.grams is not None and stuck.feed(clock.now(), reading.grams):
            hours = stuck.unchanged_s(clock.now()) / 3600
            problem = f"reads exactly {reading.grams:.2f} g for {hours:.1f} h: stuck"
        faults.set(problem)
        reporter.telemetry(name, reading)
        await clock.sleep(poll_s)


async def serial_scale_loop(
    name: str,
    scale: SerialScale,
    *,
    poll_s: float,
    container_g: float,
    stuck_after_s: float,
    clock: Clock,
    reporter: Reporter,
) -> None:
    """Weigh on a serial scale forever, reopening the port after it fails."""

    async def read() -> ScaleReading:
        try:
            if scale._port is None:  # noqa: SLF001 (reopen after a failure)
                await scale.open()
            return scale_reading(await scale.stable_weight(), container_g=container_g)
        except DeviceError:
            await scale.close()
            raise

    await _weigh(
        name, read, poll_s=poll_s, stuck_after_s=stuck_after_s, clock=clock, reporter=reporter
    )


async def load_cell_loop(
    name: str, cell: HX711, *, poll_s: float, stuck_after_s: float, clock: Clock, reporter: Reporter
) -> None:
    """Weigh on an HX711 load cell forever."""

    async def read() -> ScaleReading:
        return ScaleReading(state=ScaleState.STABLE, grams=round(await cell.read_grams(), 1))

    await _weigh(
        name, read, poll_s=poll_s, stuck_after_s=stuck_after_s, clock=clock, reporter=reporter
    )


async def button_loop(name: str, button: Button, *, reporter: Reporter) -> None:
    """Report every press."""
    reporter.health(name, ok=True)
    async for event in button.events():
        reporter.event(name, event.press.value, f"held {event.held_s:.2f} s")


class _Silence:
    """Waits for the stream's next item on the injected clock, without losing it on timeout."""

    def __init__(self, stream: AsyncGenerator[AccelFrame | LinkEvent, None], clock: Clock) -> None:
        self._stream = stream
        self._clock = clock
        self._pending: asyncio.Task[AccelFrame | LinkEvent] | None = None

    async def next(self, timeout_s: float) -> AccelFrame | LinkEvent | None:
        """The next item, or None if `timeout_s` passed first (the read stays pending)."""
        if self._pending is None:
            self._pending = asyncio.ensure_future(anext(self._stream))
        timer = asyncio.ensure_future(self._clock.sleep(timeout_s))
        try:
            await asyncio.wait({self._pending, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if not self._pending.done():
            return None
        item, self._pending = self._pending.result(), None
        return item

    async def close(self) -> None:
        """Stop waiting and close the stream."""
        if self._pending is not None:
            self._pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await self._pending
        await self._stream.aclose()


async def wearable_loop(  # noqa: C901, PLR0912, PLR0915 (one loop owns the link's whole story)
    name: str,
    wearable: Wearable,
    *,
    silence_s: float,
    report_s: float,
    clock: Clock,
    reporter: Reporter,
    monitor: FallMonitor | None = None,
    battery_low_pct: int = 20,
) -> None:
    """Follow the wearable's link and signal, feed the fall monitor, report the link state.

    Silence for `silence_s` (battery, out of range, broken in a fall) is an alert too.
    """
    faults = FaultTracker(name, reporter)

    def battery(percent: int, *, warned: bool) -> bool:
        """Warn once below `battery_low_pct`; feed the dead-battery prediction."""
        if monitor is not None:
            monitor.on_battery(percent)
        low = percent < battery_low_pct
        if low and not warned:
            reporter.alert(name, "battery_low", Severity.WARNING, f"wearable battery at {percent}%")
        return low

    health: AccelHealth | None = None
    state = WearableReading(connected=False)
    frames = 0
    last_report = last_data = clock.monotonic()
    silent = battery_warned = buzzing = False
    stream = _Silence(wearable.stream(), clock)
    try:
        while True:
            item = await stream.next(min(1.0, silence_s))
            now = clock.monotonic()
            problem = faults.active
            if item is None:
                if now - last_data >= silence_s and not silent:
                    silent = True
                    problem = f"no data for {silence_s:g} s"
                    reporter.alert(
                        name,
                        "monitoring_lost",
                        Severity.CRITICAL,
                        f"no data from the wearable for {silence_s:g} s",
                    )
            elif isinstance(item, LinkEvent):
                state = WearableReading(
                    connected=item.connected, battery_pct=item.battery_pct, detail=item.detail[:256]
                )
                problem = None if item.connected else f"disconnected: {item.detail}"
                reporter.telemetry(name, state)
                if item.battery_pct is not None:
                    battery_warned = battery(item.battery_pct, warned=battery_warned)
            else:
                last_data = now
                if silent:
                    silent = False
                    reporter.event(name, "monitoring.restored", "data flows again")
                frames += 1
                if health is None or health.range_g != item.range_g:
                    health = AccelHealth(range_g=item.range_g)
                problem = health.feed(item.samples)
                state = WearableReading(
                    connected=True,
                    battery_pct=state.battery_pct,
                    worn=item.worn,
                    rate_hz=item.rate_hz,
                    frames=frames,
                    bad_frames=wearable.bad_frames,
                    lost_frames=wearable.lost_frames,
                )
                if monitor is not None:
                    monitor.on_frame(item)
            if monitor is not None:
                monitor.tick()
                if monitor.alarm_on != buzzing:
                    buzzing = monitor.alarm_on
                    await wearable.set_alarm(on=buzzing)
            faults.set(problem)
            if now - last_report >= report_s:
                percent = await wearable.battery()  # read each report: the drain's trend
                if percent is not None:
                    battery_warned = battery(percent, warned=battery_warned)
                    state = msgspec.structs.replace(state, battery_pct=percent)
                reporter.telemetry(name, state)
                last_report = now
    finally:
        await stream.close()

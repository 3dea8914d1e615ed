"""The edge agent: one supervisor running every sensor loop and the link to the cloud.

Each sensor runs in its own supervised task: its driver errors become readings and fault
events inside the loop, and a loop that crashes anyway is restarted with backoff and
reported, so one failing sensor never stops the others.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import msgspec

from common.clock import Backoff, Clock
from common.messages import (
    CONSENT_STREAMS,
    Alert,
    Command,
    CommandAck,
    Event,
    Reading,
    SensorHealth,
    Severity,
    Status,
    Telemetry,
    new_id,
)
from edge.config import (
    AgentConfig,
    ButtonSettings,
    LoadCellSettings,
    PrinterSettings,
    ScaleSettings,
    WearableSettings,
)
from edge.fall import wear
from edge.fall.monitor import FallMonitor
from edge.fall.wear import WearSettings
from edge.link import Link
from edge.outbox import Outbox
from edge.sensors import (
    PrinterReader,
    button_loop,
    load_cell_loop,
    printer_loop,
    serial_scale_loop,
    wearable_loop,
)
from hardware.button import Button
from hardware.hx711 import HX711, Calibration, Gain
from hardware.ipp_printer import IppPrinter
from hardware.pins import PinBackend, RPiGPIOBackend
from hardware.serial_scale import ScaleProtocol, SerialScale
from hardware.wearable import Connect, Wearable, bleak_connect

log = logging.getLogger(__name__)
PrinterFactory = Callable[[PrinterSettings], PrinterReader]


def ipp_printer_factory(settings: PrinterSettings) -> PrinterReader:
    """The real driver."""
    return IppPrinter(uri=settings.uri, timeout_s=settings.timeout_s)


def firmware_version() -> str:
    """The installed package version, reported as the agent's firmware."""
    try:
        return version("continuo")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Hardware:
    """How the agent reaches devices: the test seams (pins, BLE) and the printer factory."""

    pins: PinBackend | None = None
    ble_connect: Connect = bleak_connect
    printer_factory: PrinterFactory = ipp_printer_factory
    _pins_made: PinBackend | None = field(default=None, init=False)

    def gpio(self) -> PinBackend:
        """The injected pins, or the Pi's own (imported only now)."""
        if self.pins is not None:
            return self.pins
        if self._pins_made is None:
            self._pins_made = RPiGPIOBackend()
        return self._pins_made


class Agent:
    """Runs the sensors and the link under one TaskGroup."""

    def __init__(
        self,
        config: AgentConfig,
        *,
        clock: Clock,
        rng: random.Random,
        hardware: Hardware | None = None,
    ) -> None:
        """Open the outbox and prepare (but not start) every task."""
        self.config = config
        self._clock = clock
        self._rng = rng
        self._hardware = hardware or Hardware()
        self.outbox = Outbox(
            config.outbox_path,
            capacity=config.outbox.capacity,
            max_bytes=config.outbox.max_bytes,
            memory_capacity=config.outbox.memory_capacity,
        )
        self.link = Link(
            config=config, outbox=self.outbox, clock=clock, rng=rng, on_command=self._handle_command
        )
        self._health: dict[str, SensorHealth] = {}
        self._started = clock.monotonic()
        self._printers = {p.name: self._hardware.printer_factory(p) for p in config.printers}
        self._consent_file = Path(config.state_dir) / "consent.json"
        self.withheld: set[str] = _load_withheld(self._consent_file)
        self.withheld_dropped = 0
        self.fall_monitors = {
            w.name: FallMonitor(
                sensor=w.name,
                clock=clock,
                sink=self,
                cancel_s=w.cancel_s,
                wear=WearSettings(
                    not_worn_s=max(w.not_worn_min, 1.0) * 60.0,
                    battery_warn_s=w.battery_warn_hours * 3600.0,
                    battery_window_s=max(w.battery_warn_hours, 1.0) * 3600.0,
                ),
                should_wear=wear.hours(*w.wear_hours) if w.not_worn_min else wear.never,
            )
            for w in config.wearables
        }

    def close(self) -> None:
        """Release the outbox."""
        self.outbox.close()

    # -- Reporter ------------------------------------------------------------------------
    def stream_of(self, sensor: str) -> str | None:
        """The data stream a sensor's readings belong to (what consent is given for)."""
        c = self.config
        if any(p.name == sensor for p in c.printers):
            return "ink_levels"
        if any(s.name == sensor for s in c.scales) or any(x.name == sensor for x in c.load_cells):
            return "weights"
        if any(w.name == sensor for w in c.wearables):
            return "accelerometer"
        return None

    def _withheld(self, sensor: str) -> bool:
        if self.stream_of(sensor) in self.withheld:
            self.withheld_dropped += 1  # read for the sensor's health, never kept or sent
            return True
        return False

    def telemetry(self, sensor: str, reading: Reading) -> None:
        """Queue a reading, unless the customer withdrew consent for its stream."""
        if self._withheld(sensor):
            return
        device = self.config.device_id
        self.outbox.add(
            lambda seq: Telemetry(
                id=new_id(),
                device_id=device,
                seq=seq,
                sent_at=self._clock.now(),
                sensor=sensor,
                reading=reading,
            )
        )
        self.link.wake()

    def event(self, sensor: str, name: str, detail: str = "") -> None:
        """Queue an event (never dropped from the outbox); a button press cancels an alarm.

        A press that cancels an alarm only cancels: it is not sent as a press, so it orders
        nothing.
        """
        if name.startswith("press.") and any(b.name == sensor for b in self.config.buttons):
            cancelled = [m.cancel(f"the {sensor} button") for m in self.fall_monitors.values()]
            if any(cancelled):
                return
        device = self.config.device_id
        self.outbox.add(
            lambda seq: Event(
                id=new_id(),
                device_id=device,
                seq=seq,
                sent_at=self._clock.now(),
                sensor=sensor,
                name=name,
                detail=detail[:256],
            )
        )
        self.link.wake()

    def alert(
        self,
        sensor: str,
        name: str,
        severity: Severity,
        detail: str,
        *,
        detected_at: float | None = None,
        rate_hz: int | None = None,
        samples: list[tuple[float, float, float]] | None = None,
        impact_index: int | None = None,
    ) -> None:
        """Queue an alert; alerts are never dropped and are resent until acknowledged."""
        if self._withheld(sensor):
            return
        device = self.config.device_id
        log.warning("ALERT %s/%s: %s", sensor, name, detail)
        self.outbox.add(
            lambda seq: Alert(
                id=new_id(),
                device_id=device,
                seq=seq,
                sent_at=self._clock.now(),
                sensor=sensor,
                name=name,
                severity=severity,
                detail=detail[:256],
                detected_at=detected_at,
                rate_hz=rate_hz,
                samples=samples or [],
                impact_index=impact_index,
            )
        )
        self.link.wake()

    def health(self, sensor: str, *, ok: bool, detail: str = "") -> None:
        """Remember a sensor's health for the status reports."""
        self._health[sensor] = SensorHealth(sensor=sensor, ok=ok, detail=detail[:256])

    # -- tasks ---------------------------------------------------------------------------
    def sensor_tasks(self) -> dict[str, Callable[[], Coroutine[Any, Any, None]]]:
        """A factory of each configured sensor's loop, by sensor name.

        Drivers are built inside each loop, so a missing GPIO library or port fails that
        sensor only.
        """
        c, clock = self.config, self._clock
        tasks: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {}
        for p in c.printers:

            async def run_printer(p: PrinterSettings = p) -> None:
                await printer_loop(
                    p.name, self._printers[p.name], poll_s=p.poll_s, clock=clock, reporter=self
                )

            tasks[p.name] = run_printer
        for s in c.scales:

            async def run_scale(s: ScaleSettings = s) -> None:
                scale = SerialScale(
                    url=s.url, protocol=ScaleProtocol(s.protocol), baudrate=s.baudrate
                )
                await serial_scale_loop(
                    s.name,
                    scale,
                    poll_s=s.poll_s,
                    container_g=s.container_g,
                    stuck_after_s=s.stuck_after_s,
                    clock=clock,
                    reporter=self,
                )

            tasks[s.name] = run_scale
        return tasks | self._gpio_and_ble_tasks()

    def _gpio_and_ble_tasks(self) -> dict[str, Callable[[], Coroutine[Any, Any, None]]]:
        c, clock, hw = self.config, self._clock, self._hardware
        tasks: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {}
        for cell in c.load_cells:

            async def run_cell(cell: LoadCellSettings = cell) -> None:
                hx711 = HX711(
                    pins=hw.gpio(),
                    dout=cell.dout,
                    sck=cell.sck,
                    clock=clock,
                    gain=Gain[cell.gain],
                    calibration=Calibration(cell.offset, cell.counts_per_gram),
                )
                await load_cell_loop(
                    cell.name,
                    hx711,
                    poll_s=cell.poll_s,
                    stuck_after_s=cell.stuck_after_s,
                    clock=clock,
                    reporter=self,
                )

            tasks[cell.name] = run_cell
        for b in c.buttons:

            async def run_button(b: ButtonSettings = b) -> None:
                button = Button(pins=hw.gpio(), pin=b.pin, clock=clock, long_press_s=b.long_press_s)
                await button_loop(b.name, button, reporter=self)

            tasks[b.name] = run_button
        for w in c.wearables:

            async def run_wearable(w: WearableSettings = w) -> None:
                wearable = Wearable(
                    address=w.address,
                    clock=clock,
                    connect=hw.ble_connect,
                    backoff=Backoff(base_s=1.0, cap_s=30.0, rng=self._rng),
                )
                await wearable_loop(
                    w.name,
                    wearable,
                    silence_s=w.silence_s,
                    report_s=w.report_s,
                    clock=clock,
                    reporter=self,
                    monitor=self.fall_monitors[w.name],
                    battery_low_pct=w.battery_low_pct,
                )

            tasks[w.name] = run_wearable
        return tasks

    async def supervise(self, name: str, loop: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run a sensor loop forever; a crash is reported and the loop restarted."""
        backoff = Backoff(base_s=1.0, cap_s=60.0, rng=self._rng)
        while True:
            try:
                await loop()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the one place a sensor's unexpected failure is caught
                log.exception("sensor %s crashed; restarting it", name)
                self.health(name, ok=False, detail=f"crashed: {exc}")
                self.event(name, "fault", f"sensor loop crashed: {type(exc).__name__}: {exc}")
                await self._clock.sleep(backoff.next_delay())
            else:
                return

    async def run(self) -> None:
        """Run until cancelled."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self.link.run(), name="link")
            for name, loop in self.sensor_tasks().items():
                group.create_task(self.supervise(name, loop), name=f"sensor-{name}")
            group.create_task(self._status_loop(), name="status")

    def status(self) -> Status:
        """A status report, without its sequence number."""
        return Status(
            id=new_id(),
            device_id=self.config.device_id,
            seq=0,
            sent_at=self._clock.now(),
            firmware=firmware_version(),
            uptime_s=max(0.0, self._clock.monotonic() - self._started),
            sensors=list(self._health.values()),
            outbox_dropped=self.outbox.dropped,
        )

    async def _status_loop(self) -> None:
        while True:
            report = self.status()

            def numbered(seq: int, report: Status = report) -> Status:
                return msgspec.structs.replace(report, seq=seq)

            self.outbox.add(numbered)
            self.link.wake()
            await self._clock.sleep(self.config.status_s)

    def _apply_consent(self, change: dict[str, str]) -> tuple[bool, str]:
        """Stop (or resume) collecting streams; forget what the outbox held of stopped ones."""
        if not change or any(
            s not in CONSENT_STREAMS or v not in {"on", "off"} for s, v in change.items()
        ):
            return False, f"bad consent change {change!r}"
        for stream, value in change.items():
            (self.withheld.add if value == "off" else self.withheld.discard)(stream)
        _save_withheld(self._consent_file, self.withheld)
        purged = self.outbox.purge(
            lambda m: isinstance(m, Telemetry | Alert) and self.stream_of(m.sensor) in self.withheld
        )
        log.info("consent: not collecting %s; dropped %d held messages", self.withheld, purged)
        return True, f"withheld {sorted(self.withheld)}; dropped {purged}"

    async def _handle_command(self, command: Command) -> None:
        ok, detail = True, ""
        if command.name == "status":
            report = self.status()
            self.outbox.add(lambda seq: msgspec.structs.replace(report, seq=seq))
        elif command.name == "consent":
            ok, detail = self._apply_consent(command.args)
        elif command.name == "erase":  # the customer's data is being erased in the cloud
            purged = self.outbox.purge(lambda m: not isinstance(m, CommandAck))
            detail = f"erased {purged} held messages"
            log.warning("erase: %s", detail)
        else:
            ok, detail = False, f"unknown command {command.name!r}"
        device = self.config.device_id
        self.outbox.add(
            lambda seq: CommandAck(
                id=new_id(),
                device_id=device,
                seq=seq,
                sent_at=self._clock.now(),
                command_id=command.id,
                ok=ok,
                detail=detail,
            )
        )
        self.link.wake()


def _load_withheld(path: Path) -> set[str]:
    """The streams the customer has stopped, as last told by the cloud (survives restarts)."""
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return set()
    return {str(v) for v in value} if isinstance(value, list) else set()


def _save_withheld(path: Path, withheld: set[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(sorted(withheld)))
    tmp.replace(path)

"""What the installer's commands do, apart from how they talk to the person at the door.

Every check returns a result instead of raising, so `self-test` can print one table and
choose its exit code, and tests can call these with simulated hardware.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import aiomqtt
import msgspec

from common import topics
from common.clock import Clock
from common.errors import ContinuoError
from common.messages import Provisioned, ProvisionRequest
from edge.agent import Hardware
from edge.config import (
    AgentConfig,
    LoadCellSettings,
    MqttSettings,
    PrinterSettings,
    ScaleSettings,
    WearableSettings,
    dump_config,
)
from edge.sensors import scale_reading
from hardware.button import Button
from hardware.errors import DeviceError
from hardware.hx711 import HX711, Calibration, Gain
from hardware.serial_scale import ScaleProtocol, SerialScale
from hardware.wearable import AccelFrame, LinkEvent, Wearable


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the self-test table."""

    name: str
    ok: bool
    detail: str


async def _check(name: str, timeout_s: float, coro: object) -> Check:
    try:
        async with asyncio.timeout(timeout_s):
            detail = await coro  # type: ignore[misc]
    except TimeoutError:
        return Check(name, ok=False, detail=f"no answer within {timeout_s:g} s")
    except (DeviceError, OSError, aiomqtt.MqttError, ValueError) as exc:
        return Check(name, ok=False, detail=str(exc) or type(exc).__name__)
    return Check(name, ok=True, detail=str(detail))


async def check_broker(config: AgentConfig) -> str:
    """Log in with the device's credentials and subscribe to its command topic."""
    m = config.mqtt
    async with aiomqtt.Client(
        m.host,
        m.port,
        username=m.username,
        password=m.password,
        identifier=f"selftest-{config.device_id}",
        protocol=aiomqtt.ProtocolVersion.V5,
        timeout=5,
    ) as client:
        await client.subscribe(topics.downlink(config.site, config.device_id), qos=1)
    return f"logged in to {m.host}:{m.port} as {m.username}"


async def read_scale(url: str, protocol: str, baudrate: int, container_g: float) -> str:
    """One stable reading, for the table."""
    async with SerialScale(url=url, protocol=ScaleProtocol(protocol), baudrate=baudrate) as scale:
        reading = scale_reading(await scale.stable_weight(), container_g=container_g)
    if reading.grams is None:
        raise ValueError(f"scale reports {reading.state.value}")
    return f"{reading.grams:.1f} g net ({reading.state.value})"


def load_cell(settings: LoadCellSettings, hardware: Hardware, clock: Clock) -> HX711:
    """The driver for a configured load cell."""
    return HX711(
        pins=hardware.gpio(),
        dout=settings.dout,
        sck=settings.sck,
        clock=clock,
        gain=Gain[settings.gain],
        calibration=Calibration(settings.offset, settings.counts_per_gram),
    )


async def first_frame(settings: WearableSettings, hardware: Hardware, clock: Clock) -> str:
    """Connect to the wearable and wait for one frame."""
    wearable = Wearable(address=settings.address, clock=clock, connect=hardware.ble_connect)
    stream = wearable.stream()
    battery = None
    try:
        async for item in stream:
            if isinstance(item, LinkEvent):
                if not item.connected:
                    raise DeviceError(item.detail or "cannot connect", device=settings.address)
                battery = item.battery_pct
            elif isinstance(item, AccelFrame):
                return f"{item.rate_hz} Hz, ±{item.range_g} g, battery {battery}%"
    finally:
        await stream.aclose()
    raise DeviceError("no frames", device=settings.address)


async def self_test(
    config: AgentConfig, *, hardware: Hardware, clock: Clock, timeout_s: float = 10.0
) -> list[Check]:
    """Read every configured sensor once and check the broker; one Check each."""
    checks = [await _check("broker", timeout_s, check_broker(config))]
    for p in config.printers:

        async def printer(p_uri: str = p.uri, name: str = p.name) -> str:
            reading = await hardware.printer_factory(
                next(x for x in config.printers if x.name == name)
            ).read()
            levels = ", ".join(
                f"{s.color} {s.level}%"
                if s.level is not None
                else f"{s.color} {s.level_state.value}"
                for s in reading.supplies
            )
            return f"{reading.make} {reading.model} at {p_uri}: {levels or 'no supplies'}"

        checks.append(await _check(f"printer {p.name}", timeout_s, printer()))
    checks += [
        await _check(
            f"scale {s.name}", timeout_s, read_scale(s.url, s.protocol, s.baudrate, s.container_g)
        )
        for s in config.scales
    ]
    for cell in config.load_cells:

        async def weigh(cell: LoadCellSettings = cell) -> str:
            return f"{await load_cell(cell, hardware, clock).read_grams():.1f} g"

        checks.append(await _check(f"load cell {cell.name}", timeout_s, weigh()))
    for b in config.buttons:

        async def button(pin: int = b.pin) -> str:
            Button(pins=hardware.gpio(), pin=pin, clock=clock)
            return f"GPIO {pin} readable (press it to see events in the agent's log)"

        checks.append(await _check(f"button {b.name}", timeout_s, button()))
    checks += [
        await _check(f"wearable {w.name}", timeout_s, first_frame(w, hardware, clock))
        for w in config.wearables
    ]
    return checks


def replace_sensor(config: AgentConfig, updated: msgspec.Struct) -> AgentConfig:
    """A copy of `config` with the sensor of the same name (and kind) replaced or added."""
    field = {LoadCellSettings: "load_cells", WearableSettings: "wearables"}.get(
        type(updated), "scales"
    )
    current = [s for s in getattr(config, field) if s.name != getattr(updated, "name", None)]
    return msgspec.structs.replace(config, **{field: [*current, updated]})


def save_config(config: AgentConfig, path: Path) -> None:
    """Write the config atomically, readable by its owner only (it holds credentials)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(dump_config(config))
    tmp.chmod(0o600)
    tmp.replace(path)


JSON_HEADERS = {"Content-Type": "application/json"}


class ProvisioningError(ContinuoError):
    """The cloud refused to register this device, or could not be reached."""


async def provision(
    cloud_url: str,
    token: str,
    *,
    state_dir: Path,
    device_id: str | None = None,
    printers: list[str] | None = None,
    scales: list[str] | None = None,
) -> AgentConfig:
    """Redeem the installer's token with the cloud; returns the agent's config (unsaved)."""
    try:
        body = msgspec.json.encode(ProvisionRequest(token=token, device_id=device_id))
        msgspec.json.decode(body, type=ProvisionRequest)  # the same checks the cloud makes
    except msgspec.ValidationError as exc:
        raise ProvisioningError(f"invalid request: {exc}") from exc
    url = cloud_url.rstrip("/") + "/api/v1/provision"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session,
            session.post(url, data=body, headers=JSON_HEADERS) as response,
        ):
            raw = await response.read()
            if response.status != 201:  # noqa: PLR2004
                detail = raw.decode(errors="replace")[:300]
                with contextlib.suppress(ValueError, AttributeError):
                    detail = json.loads(raw)["detail"]
                msg = f"the cloud answered {response.status}: {detail}"
                raise ProvisioningError(msg)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ProvisioningError(f"cannot reach {url}: {exc or type(exc).__name__}") from exc
    try:
        answer = msgspec.json.decode(raw, type=Provisioned)
        return AgentConfig(
            site=answer.site,
            device_id=answer.device_id,
            state_dir=str(state_dir),
            mqtt=MqttSettings(
                host=answer.mqtt_host,
                port=answer.mqtt_port,
                username=answer.mqtt_username,
                password=answer.mqtt_password,
            ),
            printers=[
                PrinterSettings(name="printer" if i == 0 else f"printer-{i + 1}", uri=uri)
                for i, uri in enumerate(printers or [])
            ],
            scales=[
                ScaleSettings(name="scale" if i == 0 else f"scale-{i + 1}", url=port)
                for i, port in enumerate(scales or [])
            ],
        )
    except (msgspec.ValidationError, msgspec.DecodeError, TypeError, ValueError) as exc:
        raise ProvisioningError(f"unexpected answer from the cloud: {exc}") from exc


Step = Callable[[str], Awaitable[None]]


async def calibrate_serial(scale: ScaleSettings, known_grams: float, step: Step) -> ScaleSettings:
    """Weigh the empty container, then a reference weight; store the container's weight.

    A serial scale calibrates itself; this records the container and checks the scale
    against the reference, refusing a scale more than 5% off.
    """

    async def weigh() -> float:
        async with SerialScale(
            url=scale.url, protocol=ScaleProtocol(scale.protocol), baudrate=scale.baudrate
        ) as s:
            weight = await s.stable_weight()
        if weight.grams is None:
            raise DeviceError(f"the scale reports {weight.state.value}", device=scale.url)
        return weight.grams

    await step("1/2  Put the empty container (or nothing) on the scale.")
    container = await weigh()
    await step(f"2/2  Put the {known_grams:g} g reference weight in the container.")
    loaded = await weigh() - container
    if abs(loaded - known_grams) > 0.05 * known_grams:
        msg = (
            f"the scale reads {loaded:.1f} g for the {known_grams:g} g reference: more than "
            "5% off; check the reference weight, or have the scale recalibrated"
        )
        raise DeviceError(msg, device=scale.url)
    return msgspec.structs.replace(scale, container_g=round(container, 2))


async def calibrate_cell(
    cell: LoadCellSettings, known_grams: float, step: Step, *, hardware: Hardware, clock: Clock
) -> LoadCellSettings:
    """Tare the empty load cell, then learn its counts per gram from a reference weight."""
    hx711 = load_cell(cell, hardware, clock)
    await step("1/2  Take everything off the load cell.")
    offset = await hx711.tare()
    await step(f"2/2  Put the {known_grams:g} g reference weight on it.")
    factor = await hx711.calibrate(known_grams)
    return msgspec.structs.replace(cell, offset=round(offset, 1), counts_per_gram=round(factor, 5))


@dataclass(frozen=True, slots=True)
class SetupReport:
    """What `continuo edge setup` found, configured and checked: the installer hands it over."""

    at: str
    device_id: str
    site: str
    cloud: str
    config_path: str
    found: list[str]  # what the scan saw, one line each
    configured: list[str]  # each sensor in the config, one line each
    calibrations: list[str]
    checks: list[Check]
    notes: list[str]

    @property
    def passed(self) -> bool:
        """Whether every self-test check passed."""
        return all(c.ok for c in self.checks)

    def as_json(self) -> str:
        """The report for scripts."""
        return msgspec.json.encode(
            {
                "at": self.at,
                "device_id": self.device_id,
                "site": self.site,
                "cloud": self.cloud,
                "config": self.config_path,
                "found": self.found,
                "configured": self.configured,
                "calibrations": self.calibrations,
                "checks": [{"check": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
                "notes": self.notes,
                "passed": self.passed,
            }
        ).decode()

    def markdown(self) -> str:
        """The report to hand over: plain text that reads well printed or in a ticket."""

        def items(lines: list[str], none: str) -> list[str]:
            return [f"- {line}" for line in lines] or [f"- {none}"]

        lines = [
            f"# Continuo installation: {self.device_id} at {self.site}",
            "",
            f"Set up {self.at} against {self.cloud}; the agent's config is `{self.config_path}`.",
            f"Result: **{'every check passed' if self.passed else 'some checks failed'}**.",
            "",
            "## Found at the site",
            *items(self.found, "nothing"),
            "",
            "## Configured",
            *items(self.configured, "no sensors"),
            "",
            "## Calibration",
            *items(self.calibrations, "none"),
            "",
            "## Self-test",
            "",
            "| check | result | detail |",
            "| --- | --- | --- |",
            *[
                f"| {c.name} | {'PASS' if c.ok else 'FAIL'} | {c.detail.replace('|', '/')} |"
                for c in self.checks
            ],
            "",
            "## Next",
            *items(self.notes, "nothing"),
            "",
        ]
        return "\n".join(lines)


def describe_sensors(config: AgentConfig) -> list[str]:
    """One line per configured sensor, for the setup report."""
    return [
        *(f"printer {p.name}: {p.uri}" for p in config.printers),
        *(
            f"scale {s.name}: {s.url} ({s.protocol}, container {s.container_g:g} g)"
            for s in config.scales
        ),
        *(f"load cell {c.name}: GPIO {c.dout}/{c.sck}" for c in config.load_cells),
        *(f"button {b.name}: GPIO {b.pin}" for b in config.buttons),
        *(f"wearable {w.name}: {w.address}" for w in config.wearables),
    ]


async def self_test_after_provisioning(
    config: AgentConfig,
    *,
    hardware: Hardware,
    clock: Clock,
    timeout_s: float = 10.0,
    broker_grace_s: float = 10.0,
) -> list[Check]:
    """`self_test`, giving a broker that was just told of the new device time to reload."""
    deadline = clock.now() + broker_grace_s
    while not (await _check("broker", timeout_s, check_broker(config))).ok:
        if clock.now() >= deadline:
            break
        await clock.sleep(1.0)
    return await self_test(config, hardware=hardware, clock=clock, timeout_s=timeout_s)

"""The agent's TOML configuration, decoded once into frozen values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec

from common.errors import ContinuoError

_Id = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
_Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
_Seconds = Annotated[float, msgspec.Meta(gt=0, le=86_400)]


class ConfigError(ContinuoError):
    """The configuration file is missing or invalid."""


class _Conf(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, omit_defaults=True
):
    pass


class MqttSettings(_Conf, frozen=True, kw_only=True):
    """How the agent reaches the broker."""

    host: str = "127.0.0.1"
    port: _Port = 1883
    username: str
    password: str
    keepalive_s: Annotated[int, msgspec.Meta(ge=5, le=3600)] = 30
    tls: bool = False
    ca_file: str | None = None

    def __repr__(self) -> str:
        return f"MqttSettings(host={self.host!r}, port={self.port}, username={self.username!r})"


class PrinterSettings(_Conf, frozen=True, kw_only=True):
    """One IPP printer to poll."""

    name: _Id = "printer"
    uri: Annotated[str, msgspec.Meta(pattern=r"^ipps?://")]
    poll_s: _Seconds = 60.0
    timeout_s: _Seconds = 8.0


class ScaleSettings(_Conf, frozen=True, kw_only=True):
    """A serial scale (USB or RS-232) under a consumable."""

    name: _Id
    url: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    protocol: Annotated[str, msgspec.Meta(pattern="^(mt-sics|continuous)$")] = "mt-sics"
    baudrate: Annotated[int, msgspec.Meta(ge=300, le=921_600)] = 9600
    poll_s: _Seconds = 60.0
    container_g: Annotated[float, msgspec.Meta(ge=0, le=100_000)] = 0.0
    stuck_after_s: _Seconds = 86_400.0


class LoadCellSettings(_Conf, frozen=True, kw_only=True):
    """An HX711 load cell on the Pi's GPIO (BCM pin numbers)."""

    name: _Id
    dout: Annotated[int, msgspec.Meta(ge=0, le=27)]
    sck: Annotated[int, msgspec.Meta(ge=0, le=27)]
    gain: Annotated[str, msgspec.Meta(pattern="^(A128|A64|B32)$")] = "A128"
    offset: float = 0.0
    counts_per_gram: float = 1.0  # negative when the cell is mounted the other way up
    poll_s: _Seconds = 60.0
    stuck_after_s: _Seconds = 86_400.0

    def __post_init__(self) -> None:
        if self.counts_per_gram == 0:
            msg = "counts_per_gram cannot be 0: run `continuo edge calibrate-scale`"
            raise ValueError(msg)


class ButtonSettings(_Conf, frozen=True, kw_only=True):
    """A push button on a GPIO pin (to ground, with the internal pull-up)."""

    name: _Id = "button"
    pin: Annotated[int, msgspec.Meta(ge=0, le=27)]
    long_press_s: Annotated[float, msgspec.Meta(ge=0.2, le=10)] = 1.5


_Hour = Annotated[int, msgspec.Meta(ge=0, le=24)]


class WearableSettings(_Conf, frozen=True, kw_only=True):
    """A paired BLE wearable."""

    name: _Id = "wearable"
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    silence_s: _Seconds = 30.0
    report_s: _Seconds = 300.0
    cancel_s: Annotated[float, msgspec.Meta(ge=0, le=600)] = 30.0
    battery_low_pct: Annotated[int, msgspec.Meta(ge=0, le=100)] = 20
    # No motion this long while it should be worn: a "not worn" alert (0: never).
    not_worn_min: Annotated[float, msgspec.Meta(ge=0, le=24 * 60)] = 30.0
    # Local hours [start, end) it should be worn; [0, 24]: always, [22, 7] wraps midnight.
    wear_hours: tuple[_Hour, _Hour] = (0, 24)
    battery_warn_hours: Annotated[float, msgspec.Meta(gt=0, le=14 * 24)] = 6.0  # before empty


class OutboxSettings(_Conf, frozen=True, kw_only=True):
    """The on-disk queue of messages until the cloud acknowledges them, and its flow control.

    Attributes:
        capacity: Most messages on disk; past it the oldest telemetry is dropped.
        max_bytes: Most bytes the outbox's database file may take (unset: as much as the
            disk has); its log (up to 256 KiB) and a 512 KiB reserve come on top.
        memory_capacity: Most messages held in memory while the disk takes nothing.
        window: Most messages sent and not yet acknowledged.
        resend_s: The first resend timeout, before any acknowledgement was timed.
        resend_min_s: The shortest resend timeout, however fast acknowledgements come.
        resend_max_s: The longest, however slow.
    """

    capacity: Annotated[int, msgspec.Meta(ge=10, le=10_000_000)] = 50_000
    max_bytes: Annotated[int, msgspec.Meta(ge=65_536)] | None = None
    memory_capacity: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 1000
    window: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 100
    resend_s: _Seconds = 10.0
    resend_min_s: _Seconds = 1.0
    resend_max_s: _Seconds = 60.0

    def __post_init__(self) -> None:
        if not self.resend_min_s <= self.resend_s <= self.resend_max_s:
            msg = "resend_min_s <= resend_s <= resend_max_s must hold"
            raise ValueError(msg)


SensorSettings = (
    PrinterSettings | ScaleSettings | LoadCellSettings | ButtonSettings | WearableSettings
)


class AgentConfig(_Conf, frozen=True, kw_only=True):
    """Everything the edge agent needs, as written by `continuo edge provision`."""

    site: _Id
    device_id: _Id
    state_dir: str
    mqtt: MqttSettings
    printers: list[PrinterSettings] = []
    scales: list[ScaleSettings] = []
    load_cells: list[LoadCellSettings] = []
    buttons: list[ButtonSettings] = []
    wearables: list[WearableSettings] = []
    outbox: OutboxSettings = OutboxSettings()
    heartbeat_s: _Seconds = 30.0
    status_s: _Seconds = 300.0

    def sensors(self) -> list[SensorSettings]:
        """Every configured sensor, printers first."""
        return [*self.printers, *self.scales, *self.load_cells, *self.buttons, *self.wearables]

    @property
    def outbox_path(self) -> Path:
        """Where the outbox database lives."""
        return Path(self.state_dir) / "outbox.sqlite3"


def load_config(path: Path) -> AgentConfig:
    """Read and validate the agent's config file.

    Raises:
        ConfigError: The file cannot be read or is not a valid agent config.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read config {path}: {exc.strerror}"
        raise ConfigError(msg) from exc
    try:
        config = msgspec.toml.decode(raw, type=AgentConfig)
    except msgspec.ValidationError as exc:
        msg = f"invalid config {path}: {exc}"
        raise ConfigError(msg) from exc
    except msgspec.DecodeError as exc:
        msg = f"config {path} is not valid TOML: {exc}"
        raise ConfigError(msg) from exc
    names = [s.name for s in config.sensors()]
    if len(set(names)) != len(names):
        msg = f"invalid config {path}: sensor names must be unique, got {names}"
        raise ConfigError(msg)
    pins = [p for c in config.load_cells for p in (c.dout, c.sck)] + [b.pin for b in config.buttons]
    if len(set(pins)) != len(pins):
        msg = f"invalid config {path}: a GPIO pin is used twice: {sorted(pins)}"
        raise ConfigError(msg)
    return config


def dump_config(config: AgentConfig) -> bytes:
    """Serialize a config to TOML (the installer writes it with this)."""
    return msgspec.toml.encode(config)

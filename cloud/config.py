"""The backend's TOML configuration, decoded once into frozen values."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import socket
from pathlib import Path
from typing import Annotated

import msgspec

from common.errors import ContinuoError

_Port = Annotated[int, msgspec.Meta(ge=0, le=65535)]
_Days = Annotated[float, msgspec.Meta(ge=0, le=365)]
_Seconds = Annotated[float, msgspec.Meta(gt=0, le=365 * 86_400)]
_WORKER_SUFFIX = re.compile(r"-w[0-9a-f]{12}$")


class ConfigError(ContinuoError):
    """The configuration file is missing or invalid."""


class _Conf(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, omit_defaults=True
):
    pass


class BrokerSettings(_Conf, frozen=True, kw_only=True):
    """The cloud's own MQTT account and the broker it uses."""

    host: str = "127.0.0.1"
    port: _Port = 1883
    username: str = "continuo-cloud"
    password: str
    client_id: str = "continuo-cloud-1"
    shared_group: str = "continuo-cloud"
    offline_after_s: _Seconds = 120.0
    config_dir: str | None = None  # where broker-config writes; provisioning refreshes it
    public_host: str | None = None  # the broker's address as devices see it (default: host)
    ca_file: str | None = None  # the project CA: connect over TLS and trust only it
    # Devices' own listener, where each device's client id is its account; `port` is then
    # the cloud's listener, which takes only the cloud's account. None: one shared listener.
    device_port: _Port | None = None
    # Which backend worker this is (default: the host's name); give each worker on one host
    # its own, or they take each other's MQTT session over.
    worker: str | None = None

    def __post_init__(self) -> None:
        # Each worker's client id is its own and no device can guess it (the suffix is keyed
        # with the cloud's password), yet the same across the worker's restarts: it resumes
        # its broker session, where a new id would leave the old session behind to take its
        # share of the shared subscription's messages until the session expires.
        base = _WORKER_SUFFIX.sub("", self.client_id)
        worker = self.worker or socket.gethostname()
        mac = hmac.new(self.password.encode(), f"{base}|{worker}".encode(), hashlib.sha256)
        msgspec.structs.force_setattr(self, "client_id", f"{base}-w{mac.hexdigest()[:12]}")

    @property
    def devices_port(self) -> int:
        """The port devices connect to."""
        return self.port if self.device_port is None else self.device_port

    def __repr__(self) -> str:
        return f"BrokerSettings(host={self.host!r}, port={self.port}, username={self.username!r})"


class IngestSettings(_Conf, frozen=True, kw_only=True):
    """How ingest batches, and what one device may hold in it (cloud/ingest/)."""

    batch_max: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 500  # messages per transaction
    per_device_queue: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 1000  # then shed
    per_device_batch: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 100  # the agent window
    queue_total: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)] = 50_000  # then backpressure
    liveness_flush_s: Annotated[float, msgspec.Meta(gt=0, le=60)] = 1.0
    # A lane whose oldest waiting message is older than this is behind (health says so).
    behind_after_s: Annotated[float, msgspec.Meta(gt=0, le=3600)] = 30.0
    decide_debounce_s: Annotated[float, msgspec.Meta(ge=0, le=60)] = 0.0  # 0: while busy
    device_cache_s: Annotated[float, msgspec.Meta(ge=0, le=3600)] = 10.0
    # The bulk lane's subscription QoS: 0 (the DeliveryAck, not the broker, makes it safe).
    bulk_qos: Annotated[int, msgspec.Meta(ge=0, le=1)] = 0


class HttpSettings(_Conf, frozen=True, kw_only=True):
    """Where the API and dashboard listen."""

    host: str = "127.0.0.1"
    port: _Port = 8080
    session_hours: Annotated[float, msgspec.Meta(gt=0, le=24 * 30)] = 12.0  # then log in again
    # The dashboard's address as people reach it: notices link to the alert there.
    public_url: str | None = None
    # Reverse proxies (addresses or networks, e.g. "10.0.0.0/8") whose X-Forwarded-For names
    # the client; from anyone else the header is ignored, so it cannot dodge login throttling.
    trusted_proxies: list[str] = []
    # Slow and many clients (cloud/serve.py): a request head must arrive within this of the
    # connection opening, a body within body_timeout_s of its head; an idle kept-alive
    # connection closes after keepalive_s; connections per client address and in all.
    header_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=600)] = 10.0
    body_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=3600)] = 30.0
    keepalive_s: Annotated[float, msgspec.Meta(gt=0, le=3600)] = 75.0
    max_connections: Annotated[int, msgspec.Meta(ge=16, le=1_000_000)] = 4096
    max_connections_per_address: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 256

    def __post_init__(self) -> None:
        for proxy in self.trusted_proxies:
            ipaddress.ip_network(proxy, strict=False)  # a ValueError is a config error


class ReplenishSettings(_Conf, frozen=True, kw_only=True):
    """The decision engine's tuning, the same for every kind of need (cloud/decide/engine.py)."""

    lead_time_days: _Days = 3.0  # a printer cartridge's slowest promised delivery
    stale_after_hours: Annotated[float, msgspec.Meta(gt=0, le=24 * 365)] = 48.0
    min_history_hours: Annotated[float, msgspec.Meta(ge=0, le=24 * 365)] = (
        48.0  # of a need's own readings before its forecast is trusted
    )
    sweep_s: _Seconds = 60.0
    cancel_window_s: Annotated[float, msgspec.Meta(ge=0, le=7 * 86_400)] = (
        1800.0  # an automatic order can be undone this long
    )
    request_undo_s: Annotated[float, msgspec.Meta(ge=0, le=86_400)] = (
        300.0  # an order the customer placed (dashboard, menu, button) can be undone this long
    )
    service_z: Annotated[float, msgspec.Meta(ge=0, le=5)] = 2.3  # safety against running out
    reminder_period_hours: Annotated[float, msgspec.Meta(gt=0, le=24 * 90)] = 72.0


class FulfilmentSettings(_Conf, frozen=True, kw_only=True):
    """The simulated fulfilment provider's timing."""

    provider: Annotated[str, msgspec.Meta(pattern="^simulated$")] = "simulated"
    ship_after_s: _Seconds = 6 * 3600.0
    deliver_after_s: _Seconds = 2 * 86_400.0


class NotifySettings(_Conf, frozen=True, kw_only=True):
    """How notices leave (SMTP, an SMS gateway, webhooks) and how hard each is tried."""

    smtp_host: str = "127.0.0.1"
    smtp_port: _Port = 25
    smtp_from: str = "alerts@continuo.invalid"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = None  # the gateway's API key (Authorization: Bearer)
    timeout_s: Annotated[float, msgspec.Meta(gt=0, le=120)] = 5.0  # one attempt's limit
    escalation_tick_s: _Seconds = 1.0
    # How long each kind of notice is retried before it is given up (and shown as failed).
    emergency_max_age_s: Annotated[float, msgspec.Meta(ge=10, le=86_400)] = 600.0
    warning_max_age_s: Annotated[float, msgspec.Meta(ge=10, le=7 * 86_400)] = 6 * 3600.0
    reminder_max_age_s: Annotated[float, msgspec.Meta(ge=10, le=7 * 86_400)] = 86_400.0
    in_flight: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 64  # attempts at once
    per_target: Annotated[int, msgspec.Meta(ge=1, le=100)] = 2  # at once to one receiver
    per_customer: Annotated[int, msgspec.Meta(ge=1, le=100)] = 8  # at once for one household
    secret_overlap_s: Annotated[float, msgspec.Meta(ge=0, le=30 * 86_400)] = 86_400.0

    def __repr__(self) -> str:
        return f"NotifySettings(smtp={self.smtp_host}:{self.smtp_port}, sms={self.sms_gateway_url})"


class AlertSettings(_Conf, frozen=True, kw_only=True):
    """What an alert means: when repeats merge, when an unresolved one is raised again."""

    # A fall within this many seconds of the open one's detection is the same fall.
    merge_window_s: Annotated[float, msgspec.Meta(ge=0, le=3600)] = 60.0
    # Acknowledged and not resolved within this long: raised again from the first rung.
    reraise_after_s: Annotated[float, msgspec.Meta(ge=1, le=7 * 86_400)] = 1800.0
    # A Pi with a wearable silent this long warns the household and caregiver; 0: never.
    site_silent_after_s: Annotated[float, msgspec.Meta(ge=0, le=86_400)] = 300.0
    watchdog_s: Annotated[float, msgspec.Meta(gt=0, le=3600)] = 15.0  # how often it looks
    # Past this many open incidents a device's further alerts fold into one "flooding" one.
    max_open_per_device: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 20
    max_ladder_steps: Annotated[int, msgspec.Meta(ge=1, le=100)] = 10


class RetentionSettings(_Conf, frozen=True, kw_only=True):
    """How long raw telemetry is kept before only daily aggregates remain."""

    raw_days: Annotated[float, msgspec.Meta(ge=1, le=3650)] = 90.0
    sweep_s: _Seconds = 3600.0


class CloudConfig(_Conf, frozen=True, kw_only=True):
    """Everything `continuo cloud serve` needs."""

    database_url: str
    broker: BrokerSettings
    http: HttpSettings = HttpSettings()
    ingest: IngestSettings = IngestSettings()
    replenish: ReplenishSettings = ReplenishSettings()
    fulfilment: FulfilmentSettings = FulfilmentSettings()
    notify: NotifySettings = NotifySettings()
    alerts: AlertSettings = AlertSettings()
    retention: RetentionSettings = RetentionSettings()
    exports_dir: str | None = None  # where `continuo cloud export` writes; erasure cleans it


def load_config(path: Path) -> CloudConfig:
    """Read and validate the backend's config file.

    Raises:
        ConfigError: The file cannot be read or is not a valid backend config.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read config {path}: {exc.strerror}"
        raise ConfigError(msg) from exc
    try:
        return msgspec.toml.decode(raw, type=CloudConfig)
    except msgspec.ValidationError as exc:
        msg = f"invalid config {path}: {exc}"
        raise ConfigError(msg) from exc
    except msgspec.DecodeError as exc:
        msg = f"config {path} is not valid TOML: {exc}"
        raise ConfigError(msg) from exc


def dump_config(config: CloudConfig) -> bytes:
    """Serialize a config to TOML."""
    return msgspec.toml.encode(config)

"""Wire messages of the edge-cloud contract, version 1 (JSON over MQTT v5).

Every uplink message carries a unique ``id`` (for dedupe) and the device's ``seq``.
Durable kinds (telemetry, status, event, alert, command_ack) take consecutive sequence
numbers from the device's outbox, so the cloud can detect gaps; presence and heartbeat
messages are never queued and carry the highest sequence number assigned so far.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Final, TypeVar

import msgspec

from common.errors import InvalidMessageError
from common.topics import UplinkKind

MAX_PAYLOAD_BYTES: Final = 256 * 1024

Id = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$")]
DeviceId = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Seq = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Timestamp = Annotated[float, msgspec.Meta(ge=0, le=4_102_444_800)]  # up to year 2100
ShortText = Annotated[str, msgspec.Meta(max_length=256)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Percent = Annotated[int, msgspec.Meta(ge=0, le=100)]


def new_id() -> str:
    """A fresh message or command id."""
    return uuid.uuid4().hex


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


# ---- printer readings ---------------------------------------------------------------


class LevelState(StrEnum):
    """How much the printer says it knows about a supply's level."""

    KNOWN = "known"
    UNKNOWN = "unknown"  # IPP -2: the printer cannot tell
    UNAVAILABLE = "unavailable"  # IPP -1: no level reporting for this supply
    SOME_REMAINING = "some_remaining"  # IPP -3: not empty, amount unknown
    LOW = "low"  # no percentage, but the printer says this supply is low (or empty)


class PrinterState(StrEnum):
    """Printer state as seen by the edge agent."""

    IDLE = "idle"
    PROCESSING = "processing"
    STOPPED = "stopped"
    SLEEPING = "sleeping"
    UNREACHABLE = "unreachable"
    MALFORMED = "malformed"


class Supply(_Frozen, frozen=True):
    """One marker or supply of a printer.

    Attributes:
        index: Position in the printer's own list.
        name: The printer's description, e.g. "Black Cartridge HP 952".
        kind: IPP supply type, e.g. "tonerCartridge", "inkCartridge", "wasteToner".
        color: Colour name ("black", "cyan", ...) or "unknown".
        consumed: True for a supply that is used up, False for a receptacle that fills.
        level: Percent remaining (filled, for a receptacle); None unless level_state is KNOWN.
        level_state: What the printer knows about the level.
    """

    index: Annotated[int, msgspec.Meta(ge=0, le=1000)]
    name: Name
    kind: ShortText
    color: ShortText
    consumed: bool
    level: Percent | None
    level_state: LevelState

    def __post_init__(self) -> None:
        if (self.level is None) != (self.level_state is not LevelState.KNOWN):
            msg = "level must be set exactly when level_state is 'known'"
            raise ValueError(msg)


class PrinterReading(_Frozen, frozen=True, tag="printer", tag_field="kind"):
    """One poll of a printer."""

    state: PrinterState
    make: ShortText | None = None
    model: ShortText | None = None
    supplies: Annotated[list[Supply], msgspec.Meta(max_length=64)] = []
    detail: ShortText = ""


class ScaleState(StrEnum):
    """What a scale reading means."""

    STABLE = "stable"
    DYNAMIC = "dynamic"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    UNREACHABLE = "unreachable"
    MALFORMED = "malformed"


class ScaleReading(_Frozen, frozen=True, tag="scale", tag_field="kind"):
    """One weighing of what stands on a scale (serial scale or load cell), net of its tare."""

    state: ScaleState
    grams: Annotated[float, msgspec.Meta(ge=-1e6, le=1e6)] | None = None
    detail: ShortText = ""

    def __post_init__(self) -> None:
        weighed = self.state in (ScaleState.STABLE, ScaleState.DYNAMIC)
        if weighed != (self.grams is not None):
            msg = "grams must be set exactly when the state is stable or dynamic"
            raise ValueError(msg)


class WearableReading(_Frozen, frozen=True, tag="wearable", tag_field="kind"):
    """The state of the link to a BLE wearable (its samples stay on the edge)."""

    connected: bool
    battery_pct: Percent | None = None
    worn: bool | None = None
    rate_hz: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    frames: Annotated[int, msgspec.Meta(ge=0)] = 0
    bad_frames: Annotated[int, msgspec.Meta(ge=0)] = 0
    lost_frames: Annotated[int, msgspec.Meta(ge=0)] = 0
    detail: ShortText = ""


Reading = PrinterReading | ScaleReading | WearableReading


# ---- uplink -------------------------------------------------------------------------


class _Uplink(_Frozen, frozen=True, tag_field="type"):
    id: Id
    device_id: DeviceId
    seq: Seq
    sent_at: Timestamp


class Telemetry(_Uplink, frozen=True, tag="telemetry"):
    """A sensor reading."""

    sensor: Name
    reading: Reading


class SensorHealth(_Frozen, frozen=True):
    """State of one sensor, as the agent's supervisor sees it."""

    sensor: Name
    ok: bool
    detail: ShortText = ""


class Status(_Uplink, frozen=True, tag="status"):
    """Device status: firmware, power and the health of each sensor."""

    firmware: ShortText
    uptime_s: Annotated[float, msgspec.Meta(ge=0)]
    battery_pct: Percent | None = None
    sensors: Annotated[list[SensorHealth], msgspec.Meta(max_length=64)] = []
    outbox_dropped: Annotated[int, msgspec.Meta(ge=0)] = 0


class Event(_Uplink, frozen=True, tag="event"):
    """Something that happened at the site (a button press, a sensor fault)."""

    sensor: Name
    name: Name
    detail: ShortText = ""


class Severity(StrEnum):
    """How urgent an alert is."""

    WARNING = "warning"
    CRITICAL = "critical"


Sample = tuple[
    Annotated[float, msgspec.Meta(ge=-64, le=64)],
    Annotated[float, msgspec.Meta(ge=-64, le=64)],
    Annotated[float, msgspec.Meta(ge=-64, le=64)],
]


class Alert(_Uplink, frozen=True, tag="alert"):
    """A condition that needs a person; never dropped from the outbox.

    A fall alert carries the accelerometer trace around the fall (``samples`` in g at
    ``rate_hz``, impact near ``impact_index``), so responders can see what happened.
    """

    sensor: Name
    name: Name
    severity: Severity
    detail: ShortText = ""
    detected_at: Timestamp | None = None
    rate_hz: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    samples: Annotated[list[Sample], msgspec.Meta(max_length=2000)] = []
    impact_index: Annotated[int, msgspec.Meta(ge=0, le=2000)] | None = None


class Heartbeat(_Uplink, frozen=True, tag="heartbeat"):
    """Liveness; ``seq`` is the highest sequence number assigned so far."""

    uptime_s: Annotated[float, msgspec.Meta(ge=0)]


class Presence(_Uplink, frozen=True, tag="presence"):
    """Birth (online) and last-will (offline) message, retained by the broker."""

    online: bool


class CommandAck(_Uplink, frozen=True, tag="command_ack"):
    """The device's answer to a command."""

    command_id: Id
    ok: bool
    detail: ShortText = ""


Uplink = Telemetry | Status | Event | Alert | Heartbeat | Presence | CommandAck

KIND_OF: Final[dict[type[_Uplink], UplinkKind]] = {
    Telemetry: UplinkKind.TELEMETRY,
    Status: UplinkKind.STATUS,
    Event: UplinkKind.EVENT,
    Alert: UplinkKind.ALERT,
    Heartbeat: UplinkKind.HEARTBEAT,
    Presence: UplinkKind.PRESENCE,
    CommandAck: UplinkKind.COMMAND_ACK,
}
DURABLE_KINDS: Final = frozenset(
    {
        UplinkKind.TELEMETRY,
        UplinkKind.STATUS,
        UplinkKind.EVENT,
        UplinkKind.ALERT,
        UplinkKind.COMMAND_ACK,
    },
)
DROPPABLE_KINDS: Final = frozenset({UplinkKind.TELEMETRY, UplinkKind.STATUS})
# The data streams a customer consents to, by name: the `consent` command's argument keys.
CONSENT_STREAMS: Final = ("ink_levels", "weights", "accelerometer", "calendar")


def kind_of(message: Uplink) -> UplinkKind:
    """The topic kind a message travels on."""
    return KIND_OF[type(message)]


# ---- downlink -----------------------------------------------------------------------


class _Downlink(_Frozen, frozen=True, tag_field="type"):
    id: Id
    sent_at: Timestamp


class DeliveryAck(_Downlink, frozen=True, tag="ack"):
    """The cloud has stored these uplink messages; the device may forget them."""

    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=1000)]


class Command(_Downlink, frozen=True, tag="command"):
    """An instruction to a device, answered by a CommandAck."""

    name: Name
    args: Annotated[dict[Name, ShortText], msgspec.Meta(max_length=32)] = {}


Downlink = DeliveryAck | Command

# ---- provisioning (HTTP, POST /api/v1/provision) ------------------------------------------


class ProvisionRequest(_Frozen, frozen=True):
    """An installer's request to register the device it is setting up."""

    token: Annotated[str, msgspec.Meta(min_length=8, max_length=128)]
    device_id: DeviceId | None = None


class Provisioned(_Frozen, frozen=True):
    """The new device's identity and MQTT credentials (the password is sent only here)."""

    device_id: DeviceId
    site: DeviceId
    mqtt_username: Name
    mqtt_password: Name
    mqtt_host: Annotated[str, msgspec.Meta(min_length=1, max_length=253)]
    mqtt_port: Annotated[int, msgspec.Meta(ge=1, le=65535)]


# ---- codecs -------------------------------------------------------------------------

_T = TypeVar("_T")
_encoder = msgspec.json.Encoder()
_uplink_decoder: msgspec.json.Decoder[Uplink] = msgspec.json.Decoder(Uplink)
_downlink_decoder: msgspec.json.Decoder[Downlink] = msgspec.json.Decoder(Downlink)


def encode(message: Uplink | Downlink) -> bytes:
    """Serialize a message to its wire form."""
    return _encoder.encode(message)


def _decode(decoder: msgspec.json.Decoder[_T], payload: bytes) -> _T:
    if len(payload) > MAX_PAYLOAD_BYTES:
        msg = f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}"
        raise InvalidMessageError(msg, reason="too_large")
    try:
        decoded: _T = decoder.decode(payload)
    except msgspec.ValidationError as exc:
        raise InvalidMessageError(f"invalid message: {exc}", reason="invalid") from exc
    except msgspec.DecodeError as exc:
        raise InvalidMessageError(f"malformed JSON: {exc}", reason="malformed") from exc
    return decoded


def decode_uplink(payload: bytes, *, kind: UplinkKind | None = None) -> Uplink:
    """Parse and validate an uplink payload; with `kind`, it must match the topic's kind.

    Raises:
        InvalidMessageError: The payload is not a valid message (of that kind).
    """
    message = _decode(_uplink_decoder, payload)
    if kind is not None and kind_of(message) is not kind:
        msg = f"a {kind_of(message).value} message on a {kind.value} topic"
        raise InvalidMessageError(msg, reason="kind_mismatch")
    return message


def decode_downlink(payload: bytes) -> Downlink:
    """Parse and validate a downlink payload.

    Raises:
        InvalidMessageError: The payload is not a valid downlink message.
    """
    return _decode(_downlink_decoder, payload)

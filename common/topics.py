"""MQTT topic names of the wire contract, version 1.

Uplink (device to cloud): ``continuo/v1/{site}/{device}/up/{kind}``.
Downlink (cloud to device, commands and delivery acks): ``continuo/v1/{site}/{device}/down``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from common.errors import InvalidMessageError

PREFIX = "continuo/v1"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class UplinkKind(StrEnum):
    """What a device publishes, one topic per kind."""

    TELEMETRY = "telemetry"
    STATUS = "status"
    EVENT = "event"
    ALERT = "alert"
    HEARTBEAT = "heartbeat"
    PRESENCE = "presence"
    COMMAND_ACK = "command_ack"


def check_id(value: str, *, what: str) -> str:
    """Return `value` if it is a valid site or device id, else raise InvalidMessageError."""
    if not _ID.fullmatch(value):
        msg = f"{what} id {value!r} must be 1-63 characters of a-z, 0-9 and '-'"
        raise InvalidMessageError(msg, reason="bad_id")
    return value


@dataclass(frozen=True, slots=True)
class UplinkTopic:
    """A parsed uplink topic."""

    site: str
    device: str
    kind: UplinkKind

    def __str__(self) -> str:
        return f"{PREFIX}/{self.site}/{self.device}/up/{self.kind.value}"


def uplink(site: str, device: str, kind: UplinkKind) -> str:
    """Topic a device publishes `kind` messages on."""
    return str(UplinkTopic(check_id(site, what="site"), check_id(device, what="device"), kind))


def downlink(site: str, device: str) -> str:
    """Topic a device receives its commands and acks on."""
    return f"{PREFIX}/{check_id(site, what='site')}/{check_id(device, what='device')}/down"


def uplink_filter(site: str = "+", device: str = "+") -> str:
    """Subscription filter for all uplink traffic (of one site or device when given)."""
    return f"{PREFIX}/{site}/{device}/up/+"


def device_uplink_pattern(site: str, device: str) -> str:
    """ACL pattern covering every uplink topic of one device."""
    return f"{PREFIX}/{site}/{device}/up/#"


def parse_uplink(topic: str) -> UplinkTopic:
    """Parse an uplink topic; raise InvalidMessageError if it is not one."""
    parts = topic.split("/")
    if len(parts) != 6 or f"{parts[0]}/{parts[1]}" != PREFIX or parts[4] != "up":  # noqa: PLR2004
        raise InvalidMessageError(f"not an uplink topic: {topic!r}", reason="bad_topic")
    try:
        kind = UplinkKind(parts[5])
    except ValueError:
        raise InvalidMessageError(f"unknown uplink kind in {topic!r}", reason="bad_topic") from None
    return UplinkTopic(check_id(parts[2], what="site"), check_id(parts[3], what="device"), kind)

"""Admission: decode each message and check who sent it, before anything is stored.

The device directory answers "who is this device" for a whole batch with one query for the
devices it does not know yet, and keeps the answers a few seconds; revocation, erasure and
quarantine on this worker forget a device at once (other workers within the cache's
lifetime, and the broker refuses a revoked or quarantined device anyway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cloud.store.models import Device
from common import topics
from common.clock import Clock
from common.errors import InvalidMessageError
from common.messages import Uplink, decode_uplink
from common.topics import UplinkTopic

MAX_CLOCK_SKEW_S = 300.0


class RejectedError(InvalidMessageError):
    """A message that ingest does not accept, with the counter label why."""

    def __init__(self, reason: str, detail: str) -> None:
        """`reason` becomes the counter `rejected_<reason>`."""
        super().__init__(detail, reason=reason)


@dataclass(frozen=True, slots=True)
class Sender:
    """What ingest needs to know of a device to accept its messages."""

    device_id: str
    site_id: str
    customer_id: str
    revoked: bool
    quarantined: bool = False  # an operator set it aside: nothing of it is taken


@dataclass(frozen=True, slots=True)
class Admitted:
    """A decoded message from a device that may send it, with its place in the batch."""

    index: int
    sender: Sender
    message: Uplink
    at: float  # when it happened: the device's time, clamped to the cloud's


class Directory:
    """Devices by id (site, customer, revoked, quarantined), looked up in batches, cached."""

    def __init__(self, *, clock: Clock, ttl_s: float = 10.0) -> None:
        """Keep each answer `ttl_s` seconds (unknown devices too, so junk costs no query)."""
        self._clock = clock
        self._ttl_s = ttl_s
        self._known: dict[str, tuple[float, Sender | None]] = {}

    async def senders(self, device_ids: Iterable[str]) -> dict[str, Sender | None]:
        """Each device's sender record (None: no such device), one query for the misses."""
        now = self._clock.monotonic()
        found: dict[str, Sender | None] = {}
        missing: set[str] = set()
        for device_id in device_ids:
            cached = self._known.get(device_id)
            if cached is not None and now - cached[0] <= self._ttl_s:
                found[device_id] = cached[1]
            else:
                missing.add(device_id)
        if missing:
            rows = await Device.filter(id__in=missing).values_list(
                "id", "site_id", "site__customer_id", "revoked", "quarantined_at"
            )
            fresh: dict[str, Sender | None] = dict.fromkeys(missing)
            for device_id, site_id, customer_id, revoked, quarantined_at in rows:
                fresh[device_id] = Sender(
                    device_id, site_id, customer_id, bool(revoked), quarantined_at is not None
                )
            for device_id, sender in fresh.items():
                self._known[device_id] = (now, sender)
            found |= fresh
        return found

    def forget(self, device_id: str | None = None) -> None:
        """Drop one device (revoked, erased) or, with no id, everything."""
        if device_id is None:
            self._known.clear()
        else:
            self._known.pop(device_id, None)


def decode(topic: str, payload: bytes) -> tuple[UplinkTopic, Uplink]:
    """Parse the topic and the payload; raises RejectedError."""
    if b"\\u0000" in payload:  # valid JSON, but no database stores a NUL in text
        raise RejectedError("nul_character", f"{topic}: a string holds a NUL character")
    try:
        parsed = topics.parse_uplink(topic)
        message = decode_uplink(payload, kind=parsed.kind)
    except InvalidMessageError as exc:
        raise RejectedError(exc.reason, f"{topic}: {exc}") from exc
    if message.device_id != parsed.device:
        detail = f"{parsed.device} published a message of {message.device_id}"
        raise RejectedError("device_mismatch", detail)
    return parsed, message


def check_sender(site: str, device: str, sender: Sender | None) -> Sender:
    """The sender if it may publish on this site's topic; raises RejectedError."""
    if sender is None:
        raise RejectedError("unknown_device", device)
    if sender.site_id != site:
        raise RejectedError("site_mismatch", f"{device} is not at {site}")
    if sender.revoked:
        raise RejectedError("revoked", device)
    if sender.quarantined:  # not acknowledged: the device keeps it until it is released
        raise RejectedError("quarantined", device)
    return sender

"""What the outbox hands out: a message waiting for its acknowledgement, and one delivered."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pending:
    """A message waiting for the cloud's acknowledgement.

    Attributes:
        seq: The device's sequence number, which orders the outbox.
        id: The message's id, which the cloud's DeliveryAck names.
        kind: The uplink kind (`common.topics.UplinkKind`'s value).
        payload: The encoded message, as it goes on the wire.
        sent_at: When it was last handed to the broker in this connection (None: not yet).
        sends: How many times it was, in this connection.
    """

    seq: int
    id: str
    kind: str
    payload: bytes
    sent_at: float | None = None
    sends: int = 0


@dataclass(frozen=True, slots=True)
class Delivered:
    """An acknowledged message, with when it was last sent and how many times."""

    seq: int
    sent_at: float | None
    sends: int

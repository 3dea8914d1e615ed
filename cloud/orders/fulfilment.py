"""Fulfilment providers: who actually ships an order. One interface, a simulated provider.

The simulated provider is stateless: an order's progress follows from when it was placed,
so several backend workers and restarts all see the same status.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from common.clock import Clock
from common.errors import ContinuoError


class FulfilmentError(ContinuoError):
    """The provider refused or failed a request."""


class ShipmentStatus(StrEnum):
    """Where an order is, as the provider sees it."""

    PLACED = "placed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """What the provider needs to ship an order."""

    order_id: str
    sku: str
    quantity: int
    customer: str
    address: str = ""
    payment_token: str = field(default="", repr=False)  # the payment provider's token
    delivery: str = "standard"  # or "fastest": what a customer who asked for it gets
    deliver_after: float | None = None  # not before: the household is away until then


@dataclass(frozen=True, slots=True)
class Shipment:
    """The provider's view of an order."""

    ref: str
    status: ShipmentStatus
    eta: float


class FulfilmentProvider(Protocol):
    """Places orders and reports their progress."""

    async def place(self, request: OrderRequest) -> Shipment:
        """Place an order; placing the same order_id twice returns the same shipment."""
        ...

    async def track(self, ref: str) -> Shipment:
        """The current status of a placed order."""
        ...


class SimulatedProvider:
    """Ships after `ship_after_s` and delivers after `deliver_after_s`, on the given clock."""

    def __init__(self, *, clock: Clock, ship_after_s: float, deliver_after_s: float) -> None:
        """Create a provider with the given lead times."""
        self._clock = clock
        self._ship = ship_after_s
        self._deliver = deliver_after_s

    def _shipment(self, ref: str, placed_at: float, speed: float, after: float) -> Shipment:
        """Fastest delivery takes half the time; nothing arrives before `after`."""
        now = self._clock.now()
        deliver_at = max(placed_at + self._deliver * speed, after)
        transit = max(self._deliver - self._ship, 0.0) * speed
        ship_at = max(placed_at + self._ship * speed, deliver_at - transit)
        status = (
            ShipmentStatus.DELIVERED
            if now >= deliver_at
            else ShipmentStatus.SHIPPED
            if now >= ship_at
            else ShipmentStatus.PLACED
        )
        return Shipment(ref, status, deliver_at)

    async def place(self, request: OrderRequest) -> Shipment:
        """Accept the order; the reference encodes the order, its time, speed and earliest day."""
        placed = self._clock.now()
        speed = 0.5 if request.delivery == "fastest" else 1.0
        after = request.deliver_after or 0.0
        plain = f"{request.order_id}:{placed:.3f}:{speed}:{after:.3f}"
        token = base64.urlsafe_b64encode(plain.encode()).decode()
        return self._shipment(f"sim-{token}", placed, speed, after)

    async def track(self, ref: str) -> Shipment:
        """Status from what the reference encodes."""
        try:
            decoded = base64.urlsafe_b64decode(ref.removeprefix("sim-").encode()).decode()
            _, placed, speed, after = decoded.rsplit(":", 3)
            return self._shipment(ref, float(placed), float(speed), float(after))
        except (ValueError, IndexError) as exc:
            msg = f"unknown shipment reference {ref!r}"
            raise FulfilmentError(msg) from exc

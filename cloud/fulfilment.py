"""Fulfilment providers: who actually ships an order. One interface, a simulated provider.

The simulated provider is stateless: an order's progress follows from when it was placed,
so several backend workers and restarts all see the same status.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
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

    def _shipment(self, ref: str, placed_at: float) -> Shipment:
        elapsed = self._clock.now() - placed_at
        status = (
            ShipmentStatus.DELIVERED
            if elapsed >= self._deliver
            else ShipmentStatus.SHIPPED
            if elapsed >= self._ship
            else ShipmentStatus.PLACED
        )
        return Shipment(ref, status, placed_at + self._deliver)

    async def place(self, request: OrderRequest) -> Shipment:
        """Accept the order; the reference encodes the order id and time of placement."""
        placed = self._clock.now()
        token = base64.urlsafe_b64encode(f"{request.order_id}:{placed:.3f}".encode()).decode()
        return self._shipment(f"sim-{token}", placed)

    async def track(self, ref: str) -> Shipment:
        """Status from the reference's placement time."""
        try:
            decoded = base64.urlsafe_b64decode(ref.removeprefix("sim-").encode()).decode()
            placed = float(decoded.rsplit(":", 1)[1])
        except (ValueError, IndexError) as exc:
            msg = f"unknown shipment reference {ref!r}"
            raise FulfilmentError(msg) from exc
        return self._shipment(ref, placed)

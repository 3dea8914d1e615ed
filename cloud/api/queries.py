"""The query parameters each route takes, typed: the router checks them before any handler.

Each Struct is one route's (or a few alike routes') parameters; its field types say what a
value may be, and a value that is not is a 400 that names the parameter (never a 500). The
OpenAPI document lists them from the same types.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from cloud.terms import DeliveryState, Health, OrderStatus

_Id = Annotated[str, msgspec.Meta(max_length=128)]  # empty: no filter
_Offset = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
_Limit1000 = Annotated[int, msgspec.Meta(ge=1, le=1000)]
_Limit5000 = Annotated[int, msgspec.Meta(ge=1, le=5000)]
_Limit10000 = Annotated[int, msgspec.Meta(ge=1, le=10_000)]
Sort = Literal["id", "-id", "site", "-site", "last_seen", "-last_seen"]


class Recent(msgspec.Struct, frozen=True):
    """The newest rows (?limit=, 1 to 5,000)."""

    limit: _Limit5000 = 100


class Timeline(msgspec.Struct, frozen=True):
    """A household's newest timeline entries (?limit=, 1 to 5,000)."""

    limit: _Limit5000 = 200


class History(msgspec.Struct, frozen=True):
    """A supply's or sensor's latest values, oldest first (?limit=, 1 to 10,000)."""

    limit: _Limit10000 = 500


class OfDevice(msgspec.Struct, frozen=True):
    """One device's rows only (?device_id=), or everyone's."""

    device_id: _Id | None = None


class Events(msgspec.Struct, frozen=True):
    """Events, of one device (?device_id=), the newest (?limit=)."""

    device_id: _Id | None = None
    limit: _Limit5000 = 100


class Devices(msgspec.Struct, frozen=True):
    """The fleet searched (?q=), by health word (?health=), sorted (?sort=), a page at a time."""

    q: Annotated[str, msgspec.Meta(max_length=128)] = ""
    health: Health | None = None
    sort: Sort = "id"
    limit: _Limit10000 = 1000
    offset: _Offset = 0


class Needs(msgspec.Struct, frozen=True):
    """Every need, of one customer (?customer_id=)."""

    customer_id: _Id | None = None
    limit: _Limit5000 = 500


class CustomerOrders(msgspec.Struct, frozen=True):
    """A household's newest orders."""

    limit: _Limit5000 = 200


class Orders(msgspec.Struct, frozen=True):
    """Orders in one status (?status=), of one device (?device_id=)."""

    status: OrderStatus | None = None
    device_id: _Id | None = None
    limit: _Limit5000 = 200


class Calendar(msgspec.Struct, frozen=True):
    """Take every event of the feed as an absence (?all_events=true), not only marked ones."""

    all_events: bool = False


class Alerts(msgspec.Struct, frozen=True):
    """Incidents in a state (?state=; open is active or acknowledged), a page at a time."""

    state: Literal["active", "acknowledged", "resolved", "open"] | None = None
    limit: _Limit1000 = 100
    offset: _Offset = 0


class Deliveries(msgspec.Struct, frozen=True):
    """Deliveries in a state, of an incident or a customer, a page at a time."""

    state: DeliveryState | None = None
    incident_id: _Id | None = None
    customer_id: _Id | None = None
    limit: _Limit1000 = 100
    offset: _Offset = 0


class Audit(msgspec.Struct, frozen=True):
    """The audit log of a customer (?customer_id=), by an actor (?actor=), since a time."""

    customer_id: _Id | None = None
    actor: _Id | None = None
    since: dt.datetime | None = None
    limit: _Limit10000 = 200


class Period(msgspec.Struct, frozen=True):
    """A time range (?since=, ?until=; ISO 8601, UTC unless it says otherwise)."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None


class Lockouts(msgspec.Struct, frozen=True):
    """Which throttle counters to clear: ids (repeatable), an account's, an address's."""

    id: list[Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]] = []
    account: _Id | None = None
    address: Annotated[str, msgspec.Meta(max_length=64)] | None = None


def aware(value: dt.datetime) -> dt.datetime:
    """A query's time, taken as UTC where it names no zone."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

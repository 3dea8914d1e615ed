"""The backend's vocabulary: every value that crosses a module, a table or the API as an enum.

Pure (standard library only), so every layer, the pure decision core included, may use it.
The strings are what the database, the API and the change feed hold; renaming one needs a
migration.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Experience(StrEnum):
    """The four connected experiences; the customer picks one per need."""

    DESIRE = "respond_to_desire"
    CURATED = "curated_offering"
    COACH = "coach_behavior"
    AUTO = "automatic_execution"


class NeedKind(StrEnum):
    """What a need keeps in stock; each kind is one row of `cloud.decide.kinds.KINDS`."""

    CARTRIDGE = "cartridge"
    MILK = "milk"
    PET_FOOD = "pet_food"
    COFFEE = "coffee"
    MEDICATION = "medication"
    PAPER = "paper"


class Stream(StrEnum):
    """A data stream a customer consents to share, per purpose."""

    INK_LEVELS = "ink_levels"
    WEIGHTS = "weights"
    ACCELEROMETER = "accelerometer"
    CALENDAR = "calendar"


class Purpose(StrEnum):
    """What a stream may be used for."""

    REPLENISHMENT = "replenishment"
    COACHING = "coaching"
    SAFETY_ALERTS = "safety_alerts"
    POPULATION_LEARNING = "population_learning"


class OrderStatus(StrEnum):
    """An order's life: held (cancellable), pending, placed, shipped, delivered, installed."""

    HELD = "held"  # an automatic order inside its cancel window
    PENDING = "pending"  # to be handed to the provider (again, if it refused)
    PLACED = "placed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    INSTALLED = "installed"  # the new pack is in use: the need's loop is closed
    CANCELLED = "cancelled"


OPEN_STATUSES: Final = frozenset(
    {
        OrderStatus.HELD,
        OrderStatus.PENDING,
        OrderStatus.PLACED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    }
)


class OrderSource(StrEnum):
    """Who asked for an order."""

    ENGINE = "engine"  # automatic execution
    API = "api"
    BUTTON = "button"
    DASHBOARD = "dashboard"


class DecisionAction(StrEnum):
    """What a decision record on a need's timeline did."""

    NONE = "none"
    ORDER = "order"
    REMIND = "remind"
    ASK = "ask"
    CHANGE = "change"
    CANCEL = "cancel"


class Topic(StrEnum):
    """Change-feed topics: what the live dashboard refreshes."""

    DEVICES = "devices"
    SENSORS = "sensors"
    SUPPLIES = "supplies"
    NEEDS = "needs"
    ORDERS = "orders"
    REMINDERS = "reminders"
    ALERTS = "alerts"
    FLAGS = "flags"


class NoticeClass(StrEnum):
    """The three kinds of notice, each with its own route (`cloud.alerts.routes`)."""

    EMERGENCY = "emergency"  # a fall: climbs the escalation ladder until acknowledged
    WARNING = "warning"  # battery dying, not worn, the Pi silent: household and caregiver
    REMINDER = "reminder"  # reminders and nudges: the customer's own channels only


class Receiver(StrEnum):
    """Who a household's contact (a step of its ladder) is."""

    CUSTOMER = "customer"  # the household itself
    CAREGIVER = "caregiver"
    ALARM_CENTRE = "alarm_centre"  # a receiving centre: emergencies only, unless asked
    OTHER = "other"  # a neighbour, a keyholder


class DeliveryState(StrEnum):
    """Where one notice to one receiver is."""

    PENDING = "pending"  # due at `next_at` (first attempt, or a retry)
    SENDING = "sending"  # claimed by a worker until `lease_until`
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up: past its maximum age; an operator may retry it
    GONE = "gone"  # the receiver said 410 Gone, or the target is refused: never retried
    CANCELLED = "cancelled"  # no longer needed (an operator cancelled it)


class Health(StrEnum):
    """One word for a device, worst first."""

    REVOKED = "revoked"  # its broker access was taken away: not part of the working fleet
    NEVER_SEEN = "never_seen"  # registered, never connected
    OFFLINE = "offline"
    QUARANTINED = "quarantined"
    ATTENTION = "attention"  # online, but a sensor, printer, supply or the link needs a look
    OK = "ok"

"""Database models (tortoise-orm). Times are stored as UTC datetimes."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from cloud.terms import (
    DecisionAction,
    DeliveryState,
    Experience,
    NeedKind,
    NoticeClass,
    OrderSource,
    OrderStatus,
    Purpose,
    Stream,
    Topic,
)


class Customer(Model):
    """A household or small business served by the firm."""

    id = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=200)
    auto_replenish = fields.BooleanField(default=False)
    preferred_pack = fields.CharField(max_length=16, default="standard")
    created_at = fields.DatetimeField(auto_now_add=True)
    address = fields.CharField(max_length=512, default="")
    payment_token = fields.CharField(max_length=128, default="")  # the payment provider's token
    spend_cap_cents = fields.IntField(null=True)  # per calendar month, automatic orders only
    quiet_start = fields.SmallIntField(null=True)  # local hour reminders stop
    quiet_end = fields.SmallIntField(null=True)  # local hour reminders may start again
    utc_offset_min = fields.IntField(default=0)
    # Who a notice is about, and how a responder gets in (what a receiving centre needs).
    person_name = fields.CharField(max_length=200, default="")
    access_notes = fields.CharField(max_length=512, default="")

    def __repr__(self) -> str:
        return f"<Customer {self.id}>"  # never the address or the payment token


class Site(Model):
    """A place where a customer's devices live."""

    id = fields.CharField(max_length=64, primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="sites", on_delete=fields.CASCADE
    )
    customer_id: str
    created_at = fields.DatetimeField(auto_now_add=True)


class Device(Model):
    """An edge agent, with its MQTT identity and what the cloud knows of its link."""

    id = fields.CharField(max_length=64, primary_key=True)
    site: fields.ForeignKeyRelation[Site] = fields.ForeignKeyField(
        "models.Site", related_name="devices", on_delete=fields.CASCADE
    )
    site_id: str
    password_hash = fields.CharField(max_length=256)
    revoked = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    online = fields.BooleanField(default=False)
    last_seen = fields.DatetimeField(null=True)
    last_seq = fields.BigIntField(default=0)
    high_water = fields.BigIntField(default=0)
    firmware = fields.CharField(max_length=256, null=True)
    battery_pct = fields.SmallIntField(null=True)
    sensors_ok = fields.BooleanField(default=True)
    sensors_detail = fields.CharField(max_length=1024, default="")
    outbox_dropped = fields.BigIntField(default=0)
    # An operator set this device aside: ingest takes nothing from it until released.
    quarantined_at = fields.DatetimeField(null=True)
    quarantine_reason = fields.CharField(max_length=256, default="")
    shed = fields.BigIntField(default=0)  # messages ingest would not queue: it sent too fast
    watched = fields.BooleanField(default=False)  # has a wearable: the site watchdog looks


class IngestedMessage(Model):
    """Every durable uplink message stored, by id: the dedupe record."""

    id = fields.CharField(max_length=32, primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="messages", on_delete=fields.CASCADE
    )
    device_id: str
    seq = fields.BigIntField()
    kind = fields.CharField(max_length=16)
    received_at = fields.DatetimeField()

    class Meta:
        indexes = (("device", "seq"),)  # sequence checks: a device's numbers in a range


class SequenceGap(Model):
    """A run of sequence numbers the cloud has not received (yet)."""

    id = fields.IntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="gaps", on_delete=fields.CASCADE
    )
    device_id: str
    first_seq = fields.BigIntField()
    last_seq = fields.BigIntField()
    detected_at = fields.DatetimeField()


class PrinterInfo(Model):
    """The latest state of one printer at a site."""

    id = fields.IntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="printers", on_delete=fields.CASCADE
    )
    device_id: str
    sensor = fields.CharField(max_length=128)
    state = fields.CharField(max_length=16)
    make = fields.CharField(max_length=256, null=True)
    model = fields.CharField(max_length=256, null=True)
    detail = fields.CharField(max_length=256, default="")
    catalog_model = fields.CharField(max_length=128, null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        unique_together = (("device", "sensor"),)


class Supply(Model):
    """The latest reported state of one consumable in one printer (its forecast is its need's)."""

    id = fields.IntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="supplies", on_delete=fields.CASCADE
    )
    device_id: str
    sensor = fields.CharField(max_length=128)
    index = fields.IntField()
    name = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=256)
    color = fields.CharField(max_length=256)
    level = fields.SmallIntField(null=True)
    level_state = fields.CharField(max_length=16)
    updated_at = fields.DatetimeField()
    history_at = fields.DatetimeField(null=True)  # when a level was last added to the history

    class Meta:
        unique_together = (("device", "sensor", "index"),)


class SupplyLevel(Model):
    """One reported level of a supply (the history forecasts are made from)."""

    id = fields.BigIntField(primary_key=True)
    supply: fields.ForeignKeyRelation[Supply] = fields.ForeignKeyField(
        "models.Supply", related_name="levels", on_delete=fields.CASCADE
    )
    supply_id: int
    at = fields.DatetimeField(db_index=True)
    level = fields.SmallIntField(null=True)
    level_state = fields.CharField(max_length=16)


class Order(Model):
    """A consumable ordered for a customer, with the reason it was ordered."""

    id = fields.CharField(max_length=32, primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="orders", on_delete=fields.CASCADE
    )
    device_id: str
    sensor = fields.CharField(max_length=128)
    supply_index = fields.IntField()
    supply_name = fields.CharField(max_length=128)
    sku = fields.CharField(max_length=64)
    product = fields.CharField(max_length=200)
    quantity = fields.IntField(default=1)
    price_cents = fields.IntField()
    status = fields.CharEnumField(OrderStatus, max_length=16)
    open_key = fields.CharField(max_length=256, null=True, unique=True)  # "need/{need_id}"
    reason: dict[str, Any] = fields.JSONField()  # a `cloud.decide.reasons.Reason`
    provider_ref = fields.CharField(max_length=128, null=True)
    eta = fields.DatetimeField(null=True)
    need: fields.ForeignKeyNullableRelation[Need] = fields.ForeignKeyField(
        "models.Need", related_name="orders", on_delete=fields.SET_NULL, null=True
    )
    need_id: str | None
    experience = fields.CharEnumField(Experience, max_length=32, default=Experience.AUTO)
    source = fields.CharEnumField(OrderSource, max_length=32, default=OrderSource.ENGINE)
    idempotency_key = fields.CharField(max_length=160, null=True, unique=True)
    cancel_until = fields.DatetimeField(null=True)  # held, cancellable, until then
    deliver_after = fields.DatetimeField(null=True)  # the household is away until then
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()


class Flag(Model):
    """Something an operator must look at (an unknown printer model, a sequence reset)."""

    id = fields.IntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="flags", on_delete=fields.CASCADE
    )
    device_id: str
    kind = fields.CharField(max_length=32)
    detail = fields.CharField(max_length=512)
    created_at = fields.DatetimeField()
    resolved = fields.BooleanField(default=False)

    class Meta:
        unique_together = (("device", "kind", "detail"),)


class ChangeEvent(Model):
    """A change feed for the live dashboard, shared by every backend worker."""

    id = fields.BigIntField(primary_key=True)
    topic = fields.CharEnumField(Topic, max_length=32)
    subject = fields.CharField(max_length=128)
    at = fields.DatetimeField()


class DeviceEvent(Model):
    """An event, alert or command answer reported by a device."""

    id = fields.CharField(max_length=32, primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="events", on_delete=fields.CASCADE
    )
    device_id: str
    kind = fields.CharField(max_length=16)
    sensor = fields.CharField(max_length=128)
    name = fields.CharField(max_length=128)
    severity = fields.CharField(max_length=16, null=True)
    detail = fields.CharField(max_length=256, default="")
    at = fields.DatetimeField()


class SensorSample(Model):
    """A reading of a scale, load cell or wearable link."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="samples", on_delete=fields.CASCADE
    )
    device_id: str
    sensor = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=16)
    state = fields.CharField(max_length=16)
    grams = fields.FloatField(null=True)
    detail = fields.CharField(max_length=256, default="")
    data: dict[str, Any] = fields.JSONField(default=dict)
    at = fields.DatetimeField()

    class Meta:
        indexes = (("device", "sensor", "at"),)


class EnrollmentToken(Model):
    """A one-time, expiring token an installer uses to provision one device at one site."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    site = fields.CharField(max_length=64)
    customer = fields.CharField(max_length=64)
    auto_replenish = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    device_id = fields.CharField(max_length=64, null=True)


class Incident(Model):
    """An alert that needs a person, from the first message until someone resolves it.

    `open_key` (device/sensor/kind) is unique while the incident absorbs repeats: however
    often a device repeats or redelivers an alert, there is one incident. A new emergency
    after an acknowledged one takes the key over (a new incident, told from the first rung).
    """

    id = fields.CharField(max_length=32, primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="incidents", on_delete=fields.CASCADE
    )
    device_id: str
    sensor = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=128)
    severity = fields.CharField(max_length=16)
    notice = fields.CharEnumField(NoticeClass, max_length=16, default=NoticeClass.EMERGENCY)
    state = fields.CharField(max_length=16)  # active, acknowledged, resolved
    detail = fields.CharField(max_length=256, default="")
    open_key = fields.CharField(max_length=320, null=True, unique=True)
    raised_at = fields.DatetimeField()
    detected_at = fields.DatetimeField(null=True)
    occurrences = fields.IntField(default=1)
    rate_hz = fields.IntField(null=True)
    samples: list[list[float]] = fields.JSONField(default=list)
    impact_index = fields.IntField(null=True)
    acknowledged_by = fields.CharField(max_length=128, null=True)
    acknowledged_at = fields.DatetimeField(null=True)
    resolved_by = fields.CharField(max_length=128, null=True)
    resolved_at = fields.DatetimeField(null=True)
    escalation_next = fields.IntField(default=0)  # the next rung of the ladder to notify
    next_escalation_at = fields.DatetimeField(null=True)
    ladder_at = fields.DatetimeField(null=True)  # when the ladder (re)started; None: raised_at
    raised_again = fields.IntField(default=0)  # acknowledged, left unresolved, raised again


class EscalationStep(Model):
    """One of a household's contacts: who is told, how, of what, and (emergencies) when.

    Emergencies climb the steps in order (`after_s` after the alert); warnings go to every
    step that `gets` them at once; reminders to the customer's (or caregiver's) own.
    """

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="escalation", on_delete=fields.CASCADE
    )
    customer_id: str
    position = fields.IntField()
    after_s = fields.FloatField()
    channel = fields.CharField(max_length=16)  # webhook, email, sms
    target = fields.CharField(max_length=512)
    who = fields.CharField(max_length=16, default="other")  # a `cloud.terms.Receiver`
    gets: list[str] = fields.JSONField(default=list)  # `NoticeClass` values
    trusted = fields.BooleanField(default=False)  # set by staff: any target, unchecked
    secret = fields.CharField(max_length=80, default="")  # a webhook's signing secret
    previous_secret = fields.CharField(max_length=80, default="")  # while being rotated out
    previous_until = fields.DatetimeField(null=True)
    disabled_at = fields.DatetimeField(null=True)  # the receiver answered 410 Gone

    class Meta:
        unique_together = (("customer", "position"),)


class Delivery(Model):
    """One notice to one receiver, with its attempts: the delivery engine's unit of work.

    Its id is the `webhook-id` of every attempt, so a receiver can drop what it has seen.
    """

    id = fields.CharField(max_length=40, primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="deliveries", on_delete=fields.CASCADE, db_index=True
    )
    customer_id: str
    incident: fields.ForeignKeyNullableRelation[Incident] = fields.ForeignKeyField(
        "models.Incident",
        related_name="deliveries",
        on_delete=fields.CASCADE,
        null=True,
        db_index=True,
    )
    incident_id: str | None
    reminder: fields.ForeignKeyNullableRelation[Reminder] = fields.ForeignKeyField(
        "models.Reminder",
        related_name="deliveries",
        on_delete=fields.CASCADE,
        null=True,
        db_index=True,
    )
    reminder_id: str | None
    position = fields.IntField(null=True)  # the receiver's step when it was queued
    who = fields.CharField(max_length=16, default="other")
    notice = fields.CharEnumField(NoticeClass, max_length=16)
    purpose = fields.CharField(max_length=16)  # alert, false_alarm, cleared, reminder
    channel = fields.CharField(max_length=16)
    target = fields.CharField(max_length=512)
    trusted = fields.BooleanField(default=False)
    subject = fields.CharField(max_length=256)
    text = fields.TextField()
    payload = fields.TextField()  # the webhook body, byte for byte the same on every attempt
    state = fields.CharEnumField(DeliveryState, max_length=16, default=DeliveryState.PENDING)
    attempts = fields.IntField(default=0)
    next_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)
    claim = fields.CharField(max_length=32, null=True)  # the attempt that holds the lease
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=512, default="")
    handed_over = fields.BooleanField(default=False)  # its failure was handed to the next rung

    class Meta:
        indexes = (("state", "next_at"), ("notice", "handed_over", "state"))


class DeliveryAttempt(Model):
    """One try to deliver a notice."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[Delivery] = fields.ForeignKeyField(
        "models.Delivery", related_name="tries", on_delete=fields.CASCADE, db_index=True
    )
    delivery_id: str
    at = fields.DatetimeField()
    ok = fields.BooleanField()
    status = fields.IntField(null=True)  # the HTTP status, when the receiver answered
    detail = fields.CharField(max_length=512, default="")
    took_ms = fields.IntField(default=0)


class Need(Model):
    """One thing a customer needs kept in stock, and how much the firm does about it.

    A need is read by a sensor (a printer supply, a scale) or only ordered by hand (a button,
    the API); the customer picks its experience and may authorize automatic execution.
    """

    id = fields.CharField(max_length=32, primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="needs", on_delete=fields.CASCADE
    )
    customer_id: str
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="needs", on_delete=fields.CASCADE
    )
    device_id: str
    kind = fields.CharEnumField(NeedKind, max_length=32)
    label = fields.CharField(max_length=128)
    sensor = fields.CharField(max_length=128, null=True)  # the scale or printer reading it
    supply_index = fields.IntField(null=True)  # the printer's supply, for cartridges
    button = fields.CharField(max_length=128, null=True)  # a reorder button bound to it
    sku = fields.CharField(max_length=64)
    product = fields.CharField(max_length=200)
    pack_units = fields.FloatField()  # grams (or percent for a cartridge) in one pack
    price_cents = fields.IntField()
    lead_hours = fields.FloatField()
    quantity = fields.IntField(default=1)  # what the customer usually buys
    experience = fields.CharEnumField(Experience, max_length=32, default=Experience.DESIRE)
    authorized = fields.BooleanField(default=False)
    authorized_at = fields.DatetimeField(null=True)
    level = fields.FloatField(null=True)
    level_at = fields.DatetimeField(null=True)
    seen_until = fields.DatetimeField(null=True)  # scale samples up to here are learned
    learner: dict[str, Any] = fields.JSONField(default=dict)
    last_consumed_at = fields.DatetimeField(null=True)
    last_reminder_at = fields.DatetimeField(null=True)
    last_ask_at = fields.DatetimeField(null=True)
    last_idle_nudge_at = fields.DatetimeField(null=True)
    note = fields.CharField(max_length=512, default="")
    runout_at = fields.DatetimeField(null=True)
    runout_early_at = fields.DatetimeField(null=True)
    act_at = fields.DatetimeField(null=True)  # the order point: engine.order_point
    dose_times: list[str] = fields.JSONField(default=list)  # local "HH:MM", pill bottles
    dose_grams = fields.FloatField(null=True)  # what one dose weighs
    created_at = fields.DatetimeField()

    class Meta:
        unique_together = (("device", "sensor", "supply_index"),)


class Absence(Model):
    """A time the household is away, from its calendar: no deliveries, nothing used."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="absences", on_delete=fields.CASCADE
    )
    customer_id: str
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    summary = fields.CharField(max_length=200, default="")


class DecisionRecord(Model):
    """What the engine decided about a need, and why (inputs, model, forecast, rule, time)."""

    id = fields.BigIntField(primary_key=True)
    need: fields.ForeignKeyRelation[Need] = fields.ForeignKeyField(
        "models.Need", related_name="decisions", on_delete=fields.CASCADE
    )
    need_id: str
    at = fields.DatetimeField(db_index=True)
    note = fields.CharField(max_length=512)
    action = fields.CharEnumField(DecisionAction, max_length=16, default=DecisionAction.NONE)
    reason: dict[str, Any] = fields.JSONField(default=dict)  # a `cloud.decide.reasons.Reason`


class Reminder(Model):
    """A nudge or question sent to a customer (or caregiver), and whether it was acted on."""

    id = fields.CharField(max_length=32, primary_key=True)
    need: fields.ForeignKeyRelation[Need] = fields.ForeignKeyField(
        "models.Need", related_name="reminders", on_delete=fields.CASCADE
    )
    need_id: str
    topic = fields.CharField(max_length=32)  # runout, cadence, maintenance, ask, dose_missed
    recipient = fields.CharField(max_length=16, default="customer")
    message = fields.CharField(max_length=512)
    at = fields.DatetimeField()
    followed_at = fields.DatetimeField(null=True)
    order_id = fields.CharField(max_length=32, null=True)
    key = fields.CharField(max_length=160, null=True, unique=True)  # one per dose, say
    sent_via = fields.CharField(max_length=200, default="")


class User(Model):
    """A person who logs in: operations staff, an installer, a customer or a caregiver."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=128, unique=True)
    password_hash = fields.CharField(max_length=256)
    role = fields.CharField(max_length=16)  # operator, installer, customer, caregiver
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="users", on_delete=fields.CASCADE, null=True
    )
    customer_id: str | None
    sites: list[str] = fields.JSONField(default=list)  # an installer's sites
    disabled = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"  # never the hash


class Session(Model):
    """A login session (the dashboard's cookie) or an API token; only its digest is kept."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    kind = fields.CharField(max_length=8)  # session, api
    csrf = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked = fields.BooleanField(default=False)


class AuditEntry(Model):
    """Append-only: every automatic action and every access to personal data by staff."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor = fields.CharField(max_length=128)  # a user name, or "engine" / "escalation"
    role = fields.CharField(max_length=16)  # operator, installer, customer, caregiver, system
    action = fields.CharField(max_length=160)  # "GET /api/v1/customers/{customer_id}", ...
    customer_id = fields.CharField(max_length=80, db_index=True)  # "*": many customers
    detail = fields.CharField(max_length=512, default="")
    why = fields.CharField(max_length=256, default="")

    async def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an audit entry is never changed."""
        if self._saved_in_db:
            msg = "audit entries are append-only"
            raise PermissionError(msg)
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        """Never: an audit entry outlives what it is about."""
        del args, kwargs
        msg = "audit entries are append-only"
        raise PermissionError(msg)


class ErasureRecord(Model):
    """That a customer's data was erased, when and by whom, without saying who they were."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField()
    by = fields.CharField(max_length=128)
    subject_digest = fields.CharField(max_length=64)  # SHA-256 of the customer id
    removed: dict[str, Any] = fields.JSONField(default=dict)  # rows removed per table


class Consent(Model):
    """A customer's current choice for one data stream and one purpose."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="consents", on_delete=fields.CASCADE
    )
    customer_id: str
    stream = fields.CharEnumField(Stream, max_length=32)
    purpose = fields.CharEnumField(Purpose, max_length=32)
    granted = fields.BooleanField()
    text = fields.CharField(max_length=512)  # what the customer was shown
    at = fields.DatetimeField()

    class Meta:
        unique_together = (("customer", "stream", "purpose"),)


class ConsentChange(Model):
    """Every consent given or withdrawn, with the text shown and the time."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="consent_changes", on_delete=fields.CASCADE
    )
    customer_id: str
    stream = fields.CharEnumField(Stream, max_length=32)
    purpose = fields.CharEnumField(Purpose, max_length=32)
    granted = fields.BooleanField()
    text = fields.CharField(max_length=512)
    at = fields.DatetimeField()
    by = fields.CharField(max_length=128)


class DailyAggregate(Model):
    """What is kept of raw telemetry past its retention: one row per sensor and day."""

    id = fields.IntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="aggregates", on_delete=fields.CASCADE
    )
    device_id: str
    sensor = fields.CharField(max_length=160)  # a scale, or "printer#1" for a supply
    kind = fields.CharField(max_length=16)  # supply (percent) or scale (grams)
    day = fields.DateField()
    count = fields.IntField()
    minimum = fields.FloatField(null=True)
    maximum = fields.FloatField(null=True)
    mean = fields.FloatField(null=True)

    class Meta:
        unique_together = (("device", "sensor", "kind", "day"),)


class LoginThrottle(Model):
    """Failed logins that slow the next ones down, and the addresses accounts logged in from.

    One row per key: an account, an (account, address) pair, an address, or a "known" pair
    (a successful login), which the account-wide and address-wide delays let through.
    """

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=256, unique=True)
    kind = fields.CharField(max_length=8)  # account, pair, address, known
    account = fields.CharField(max_length=128, default="")
    address = fields.CharField(max_length=64, default="")
    failures = fields.IntField(default=0)
    accounts: list[str] = fields.JSONField(default=list)  # an address's accounts that failed
    last_at = fields.DatetimeField(db_index=True)  # the last failure (or success, if known)
    locked_until = fields.DatetimeField(null=True)

"""Escalation: tell the next person on the customer's ladder until someone acknowledges.

Each rung is claimed atomically (`escalation_next` moves from k to k+1 in one UPDATE), so
with several backend workers every rung is notified once. An acknowledged or resolved
incident is no longer due, which stops the ladder.

When the device that raised an alert later says it was a false alarm (an event named
"<alert>.false_alarm", e.g. the wearer pressing "I'm OK" after help was called), the open
incident is resolved as a false alarm in one UPDATE (so one worker, once), and every rung
the ladder had already tried is told so through its own channel; each notice is recorded
on the incident. Before any rung was tried the incident is resolved quietly.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Final

import msgspec
from tortoise.transactions import in_transaction

from cloud.alerts.notify import Channel, Notice, NotifyError, Purpose
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.models import Device, EscalationStep, Incident, NotificationRecord
from cloud.terms import Topic
from common.clock import Clock
from common.errors import ContinuoError
from common.messages import Event

log = logging.getLogger(__name__)
FALSE_ALARM: Final = "false_alarm"  # the event "<alert name>.false_alarm" cancels that alert
FALSE_ALARM_NOTICE: Final = "false alarm notice"  # how its notices begin their record's detail


def _dt(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def wearer(sensor: str) -> str:
    """Who cancels by a device's "<alert>.false_alarm" event: the person wearing `sensor`."""
    return f"the wearer ({sensor})"


def false_alarm_by(by: str) -> str:
    """An incident's `resolved_by` when `by` (e.g. "the wearer (wearable)") cancelled it."""
    return f"false alarm: {by}"[:128]


async def ladder(customer_id: str) -> list[EscalationStep]:
    """A customer's steps, in order."""
    return await EscalationStep.filter(customer_id=customer_id).order_by("position")


async def first_due(device: Device, raised_at: dt.datetime) -> dt.datetime | None:
    """When the first rung of the device's customer is due (None: no ladder)."""
    site = await device.site
    steps = await ladder(site.customer_id)
    return raised_at + dt.timedelta(seconds=steps[0].after_s) if steps else None


def notice(incident: Incident, site: str) -> Notice:
    """What people are told about an incident."""
    what = incident.kind.replace("_", " ")
    subject = f"[Continuo {incident.severity.upper()}] {what} at {site} ({incident.device_id})"
    body = (
        f"{what.capitalize()} at {site}, device {incident.device_id}, sensor "
        f"{incident.sensor}: {incident.detail}. Raised {incident.raised_at:%Y-%m-%d %H:%M:%S} "
        f"UTC. Acknowledge it on the operations dashboard (incident {incident.id})."
    )
    return Notice(incident.id, incident.severity, subject, body)


def false_alarm_notice(incident: Incident, site: str, *, by: str, at: dt.datetime) -> Notice:
    """What everyone already told about an incident hears when it was a false alarm.

    The body starts with what matters, because an SMS carries its first 160 characters.
    """
    what = incident.kind.replace("_", " ")
    subject = f"[Continuo FALSE ALARM] {what} at {site} ({incident.device_id}): no help needed"
    body = (
        f"FALSE ALARM, no help needed: the {what} reported at {site} at "
        f"{incident.raised_at:%H:%M} UTC was cancelled by {by} at {at:%H:%M} UTC. "
        f"Device {incident.device_id}, sensor {incident.sensor}; incident {incident.id} is "
        f"resolved ({incident.raised_at:%Y-%m-%d} UTC)."
    )
    return Notice(incident.id, incident.severity, subject, body, Purpose.FALSE_ALARM)


@dataclass(frozen=True, slots=True)
class FalseAlarm:
    """What a false-alarm cancel did: the incident, and the rungs given the notice.

    Both tuples empty: nobody had been told, so the incident was resolved quietly.
    """

    incident_id: str
    resolved_by: str
    resolved_at: dt.datetime
    sent: tuple[int, ...]
    failed: tuple[int, ...]


class Escalator:
    """Sends due notifications; `kick` after a new alert, `run` for the timers."""

    def __init__(
        self, *, channels: dict[str, Channel], clock: Clock, feed: ChangeFeed, tick_s: float = 1.0
    ) -> None:
        """Wire the channels."""
        self._channels = channels
        self._clock = clock
        self._feed = feed
        self._tick_s = tick_s
        self.counters: Counter[str] = Counter()

    async def run(self) -> None:
        """Check for due rungs every tick, forever."""
        while True:
            await self._clock.sleep(self._tick_s)
            await self.kick()

    async def kick(self) -> None:
        """Notify every rung that is due now."""
        now = _dt(self._clock.now())
        due = await Incident.filter(state="active", next_escalation_at__lte=now)
        for incident in due:
            await self._escalate(incident)

    async def on_event(self, device_id: str, event: Event) -> FalseAlarm | None:
        """Act on a stored event of a device: "<alert>.false_alarm" cancels that alert.

        Call this after the event is stored; any other event is ignored (None).
        """
        alert, _, what = event.name.rpartition(".")
        if what != FALSE_ALARM or not alert:
            return None
        return await self.false_alarm(device_id, event.sensor, alert, by=wearer(event.sensor))

    async def false_alarm(
        self, device_id: str, sensor: str, kind: str, *, by: str
    ) -> FalseAlarm | None:
        """Resolve the open `kind` incident of a sensor as a false alarm, and say so.

        Every rung the ladder already tried gets a false-alarm notice through the same
        channel and target, each recorded on the incident; no further rung is notified.

        Returns:
            What was done, or None when no such incident is open (never raised, or already
            resolved: a repeated cancel sends nothing).
        """
        incident = await Incident.filter(
            device_id=device_id, sensor=sensor, kind=kind, open_key__isnull=False
        ).first()
        if incident is None:
            return None
        now = _dt(self._clock.now())
        resolved_by = false_alarm_by(by)
        claimed = await Incident.filter(id=incident.id, open_key__isnull=False).update(
            state="resolved",
            resolved_by=resolved_by,
            resolved_at=now,
            open_key=None,
            next_escalation_at=None,
        )
        if claimed != 1:
            return None  # another worker, or a person, resolved it meanwhile
        # Read after the claim: no rung can be claimed any more, so this count is final.
        await incident.refresh_from_db(fields=["escalation_next", "state"])
        device = await Device.get(id=device_id).prefetch_related("site")
        told = await self._already_told(incident, device.site.customer_id)
        sent: list[int] = []
        failed: list[int] = []
        message = false_alarm_notice(incident, device.site_id, by=by, at=now)
        for position, (channel, target) in sorted(told.items()):
            ok, detail = await self._send(channel, target, message)
            (sent if ok else failed).append(position)
            self.counters["false_alarm_sent" if ok else "false_alarm_failed"] += 1
            await NotificationRecord.create(
                incident_id=incident.id,
                position=position,
                channel=channel,
                target=target,
                at=_dt(self._clock.now()),
                ok=ok,
                detail=f"{FALSE_ALARM_NOTICE}: {detail}"[:512],
            )
        await audit(
            at=now,
            actor="escalation",
            role="system",
            action="alert.false_alarm",
            customer_id=device.site.customer_id,
            detail=f"incident {incident.id}: cancelled by {by}; "
            + (
                f"false-alarm notice to rungs {sorted(told)}, {len(failed)} failed"
                if told
                else "resolved quietly, nobody had been told"
            ),
        )
        await self._feed.publish(Topic.ALERTS, incident.device_id)
        return FalseAlarm(incident.id, resolved_by, now, tuple(sent), tuple(failed))

    @staticmethod
    async def _already_told(incident: Incident, customer_id: str) -> dict[int, tuple[str, str]]:
        """Rung -> (channel, target) for every rung the ladder tried, as it was told."""
        told: dict[int, tuple[str, str]] = {}
        for record in await NotificationRecord.filter(incident_id=incident.id).order_by("id"):
            if record.position < incident.escalation_next:
                told.setdefault(record.position, (record.channel, record.target))
        if len(told) < incident.escalation_next:  # a rung claimed and still being sent
            for step in (await ladder(customer_id))[: incident.escalation_next]:
                told.setdefault(step.position, (step.channel, step.target))
        return told

    async def _send(self, channel_name: str, target: str, message: Notice) -> tuple[bool, str]:
        channel = self._channels.get(channel_name)
        if channel is None:
            return False, f"unknown channel {channel_name!r}"
        try:
            await channel.send(target, message)
        except NotifyError as exc:
            log.warning("notice of %s to %s failed: %s", message.incident_id, target, exc)
            return False, str(exc)[:512]
        return True, "sent"

    async def _escalate(self, incident: Incident) -> None:
        device = await Device.get(id=incident.device_id).prefetch_related("site")
        steps = await ladder(device.site.customer_id)
        position = incident.escalation_next
        if position >= len(steps):
            await Incident.filter(id=incident.id).update(next_escalation_at=None)
            return
        step = steps[position]
        following = (
            incident.raised_at + dt.timedelta(seconds=steps[position + 1].after_s)
            if position + 1 < len(steps)
            else None
        )
        claimed = await Incident.filter(
            id=incident.id, escalation_next=position, state="active"
        ).update(escalation_next=position + 1, next_escalation_at=following)
        if claimed != 1:
            return  # another worker took this rung, or someone acknowledged meanwhile
        ok, detail = await self._send(step.channel, step.target, notice(incident, device.site_id))
        self.counters["sent" if ok else "failed"] += 1
        await audit(
            at=_dt(self._clock.now()),
            actor="escalation",
            role="system",
            action="alert.notified",
            customer_id=device.site.customer_id,
            detail=f"incident {incident.id}: rung {position} by {step.channel}, "
            f"{'sent' if ok else 'failed'}",
        )
        await NotificationRecord.create(
            incident_id=incident.id,
            position=position,
            channel=step.channel,
            target=step.target,
            at=_dt(self._clock.now()),
            ok=ok,
            detail=detail,
        )
        await self._feed.publish(Topic.ALERTS, incident.device_id)


class StepSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One rung as an operator writes it."""

    after_s: Annotated[float, msgspec.Meta(ge=0, le=7 * 86_400)]
    channel: Annotated[str, msgspec.Meta(pattern="^(webhook|email|sms)$")]
    target: Annotated[str, msgspec.Meta(min_length=3, max_length=512)]


_TARGETS = {
    "webhook": re.compile(r"^https?://[^\s]+$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "sms": re.compile(r"^\+?[0-9]{6,15}$"),
}


class LadderError(ContinuoError):
    """An escalation ladder that cannot work."""


def check_ladder(steps: list[StepSpec]) -> None:
    """Raise LadderError unless the delays never go back and every target fits its channel."""
    for i, step in enumerate(steps):
        if not _TARGETS[step.channel].match(step.target):
            raise LadderError(f"step {i + 1}: {step.target!r} is not a valid {step.channel} target")
        if i and step.after_s < steps[i - 1].after_s:
            raise LadderError(f"step {i + 1} comes before step {i}: delays must not decrease")


async def set_ladder(customer_id: str, steps: list[StepSpec]) -> None:
    """Replace a customer's ladder."""
    check_ladder(steps)
    async with in_transaction():
        await EscalationStep.filter(customer_id=customer_id).delete()
        for position, step in enumerate(steps):
            await EscalationStep.create(
                customer_id=customer_id,
                position=position,
                after_s=step.after_s,
                channel=step.channel,
                target=step.target,
            )


def parse_step(text: str) -> StepSpec:
    """'AFTER_S:CHANNEL:TARGET', e.g. '300:sms:+15551234567'."""
    after, sep, rest = text.partition(":")
    channel, sep2, target = rest.partition(":")
    if not sep or not sep2:
        raise LadderError(f"step {text!r} is not AFTER_S:CHANNEL:TARGET")
    try:
        seconds = float(after)
    except ValueError:
        raise LadderError(f"step {text!r}: AFTER_S must be a number of seconds") from None
    try:
        return msgspec.convert({"after_s": seconds, "channel": channel, "target": target}, StepSpec)
    except msgspec.ValidationError as exc:
        raise LadderError(f"step {text!r}: {exc}") from exc

"""Escalation: tell the next person on the customer's ladder until someone acknowledges.

Each rung is claimed atomically (`escalation_next` moves from k to k+1 in one UPDATE), so
with several backend workers every rung is notified once. An acknowledged or resolved
incident is no longer due, which stops the ladder.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from typing import Annotated

import msgspec
from tortoise.transactions import in_transaction

from cloud.alerts.notify import Channel, Notice, NotifyError
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.models import Device, EscalationStep, Incident, NotificationRecord
from common.clock import Clock
from common.errors import ContinuoError

log = logging.getLogger(__name__)


def _dt(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


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

    async def _send(self, step: EscalationStep, incident: Incident, site: str) -> tuple[bool, str]:
        channel = self._channels.get(step.channel)
        if channel is None:
            return False, f"unknown channel {step.channel!r}"
        try:
            await channel.send(step.target, notice(incident, site))
        except NotifyError as exc:
            log.warning("escalation of %s to %s failed: %s", incident.id, step.target, exc)
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
        ok, detail = await self._send(step, incident, device.site_id)
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
        await self._feed.publish("alerts", incident.device_id)


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

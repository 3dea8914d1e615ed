"""Escalation: who is told of an incident, and when, until someone acknowledges it.

- **Emergencies climb the ladder**: the receivers that get emergencies, in order, each
  `after_s` after the alert. Each rung is claimed atomically (`escalation_next` moves from
  k to k+1 in one UPDATE), so with several workers every rung is told once. Acknowledging
  stops the climb. A rung whose delivery fails hands over at once: the next rung is told
  now, while the failed one keeps being retried by the delivery engine.
- **Warnings go to every receiver that gets them, at once** (no climbing).
- **Raised again**: an emergency acknowledged and left unresolved for `reraise_after_s` is
  active again and climbs the ladder from the first rung.
- **Closed by the device**: "<alert>.false_alarm" (the wearer is fine) and "<alert>.cleared"
  (the condition is over) resolve the open incident in one UPDATE (one worker, once) and tell
  every receiver already told, through its own channel. Before anyone was told the incident
  is resolved quietly.

Nothing here sends: notices are queued with the delivery engine (`cloud.delivery`), which
sends them off this path, so a slow receiver holds up no other household.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Final

from tortoise.expressions import Q

from cloud.alerts.kinds import kind_of
from cloud.alerts.notices import Household, household_of, incident_notice
from cloud.alerts.receivers import ladder, receives
from cloud.config import AlertSettings
from cloud.delivery.engine import ALERT_PURPOSES, Deliveries
from cloud.delivery.targets import scrub
from cloud.privacy import consent
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.db import transaction
from cloud.store.models import Delivery, Device, DeviceEvent, EscalationStep, Incident
from cloud.supervisor import Unit
from cloud.terms import DeliveryState, NoticeClass, Purpose, Receiver, Stream, Topic
from common.clock import Clock, utc
from common.messages import Event

log = logging.getLogger(__name__)
RECONCILE_S = 30.0  # how often stored cancels and clears are matched against open incidents
RECONCILE_WINDOW_S = 3600.0  # how far back
_NOT_THROUGH = (
    DeliveryState.PENDING,
    DeliveryState.SENDING,
    DeliveryState.FAILED,
    DeliveryState.GONE,
)
FALSE_ALARM: Final = "false_alarm"  # the event "<alert name>.false_alarm" cancels that alert
CLEARED: Final = "cleared"  # the event "<alert name>.cleared" says the condition is over


def wearer(sensor: str) -> str:
    """Who cancels by a device's "<alert>.false_alarm" event: the person wearing `sensor`."""
    return f"the wearer ({sensor})"


def false_alarm_by(by: str) -> str:
    """An incident's `resolved_by` when `by` (e.g. "the wearer (wearable)") cancelled it."""
    return f"false alarm: {by}"[:128]


def closed_by(what: str, sensor: str, detail: str) -> str:
    """Who closed an alert by a device's "false_alarm" or "cleared" event, in words."""
    if what == FALSE_ALARM:
        return wearer(sensor)
    return detail or f"the {sensor} says so"


def cleared_by(by: str) -> str:
    """An incident's `resolved_by` when the device said the condition is over."""
    return f"cleared: {by}"[:128]


async def reachable(customer_id: str) -> list[EscalationStep]:
    """Who may hear of a household's alerts, in order (its consent decides).

    Its whole ladder; or, when it withdrew the accelerometer's safety_alerts consent, only
    the receivers that are the household itself.
    """
    steps = await ladder(customer_id)
    if await consent.granted(customer_id, Stream.ACCELEROMETER, Purpose.SAFETY_ALERTS):
        return steps
    return [s for s in steps if s.who == Receiver.CUSTOMER]


async def first_due(device: Device, raised_at: dt.datetime, notice: NoticeClass) -> dt.datetime:
    """When an incident's first notice is due: a warning at once, an emergency at its rung."""
    if notice is not NoticeClass.EMERGENCY:
        return raised_at
    site = await device.site
    rungs = [s for s in await reachable(site.customer_id) if receives(s, NoticeClass.EMERGENCY)]
    return raised_at + dt.timedelta(seconds=rungs[0].after_s if rungs else 0.0)


@dataclass(frozen=True, slots=True)
class Closed:
    """What a device's cancel or clear did: the incident, and the receivers told so.

    `told` empty: nobody had been told, so the incident was resolved quietly.
    """

    incident_id: str
    resolved_by: str
    resolved_at: dt.datetime
    told: tuple[str, ...]  # delivery ids of the notices queued


class Escalator:
    """Queues due notices: `round` as a supervised unit, `wake` after a new alert."""

    def __init__(
        self,
        *,
        deliveries: Deliveries,
        clock: Clock,
        feed: ChangeFeed,
        settings: AlertSettings,
        public_url: str | None = None,
    ) -> None:
        """Wire the delivery engine; a failed emergency attempt wakes this escalation."""
        self._deliveries = deliveries
        self._clock = clock
        self._feed = feed
        self._settings = settings
        self._public_url = public_url.rstrip("/") if public_url else None
        self.counters: Counter[str] = Counter()
        self.wake_event = asyncio.Event()
        self._next_reconcile = 0.0
        deliveries.on_failure = self.wake

    def wake(self) -> None:
        """A new alert is stored: look now rather than at the next tick."""
        self.wake_event.set()

    def link(self, incident_id: str) -> str | None:
        """The alert's page on the dashboard, when the public address is configured."""
        return f"{self._public_url}/#/alerts/{incident_id}" if self._public_url else None

    async def round(self, unit: Unit | None = None) -> None:
        """Raise again what stayed acknowledged too long, hand failed rungs over, queue due rungs.

        Each rung is claimed together with its notice, in one transaction.
        """
        del unit
        self.wake_event.clear()
        now = utc(self._clock.now())
        await self._hand_over_failed(now)  # makes the next rungs due now: told below
        for incident in await Incident.filter(state="active", next_escalation_at__lte=now):
            if await self._each("escalate", self._escalate(incident, now)):
                self._deliveries.wake.set()
        await self._raise_again(now)
        if self._clock.monotonic() >= self._next_reconcile:
            self._next_reconcile = self._clock.monotonic() + RECONCILE_S
            await self._close_what_devices_closed(now)

    async def _each(self, what: str, work: Awaitable[object]) -> object:
        """One incident's (or delivery's) work: its failure is counted and skips only it."""
        try:
            return await work
        except asyncio.CancelledError:
            raise
        except Exception:
            self.counters[f"{what}_failed"] += 1
            log.exception("escalation: %s failed for one incident; the others go on", what)
            return None

    async def _hand_over_failed(self, now: dt.datetime) -> None:
        """Every emergency notice that failed once (or was refused) hands over at once.

        Its own retries go on. Found in the database, so no hand-over is ever missed.
        """
        failed = await Delivery.filter(
            notice=NoticeClass.EMERGENCY,
            purpose__in=ALERT_PURPOSES,
            handed_over=False,
            incident__state="active",
        ).filter(Q(attempts__gte=1, state__in=_NOT_THROUGH) | Q(state=DeliveryState.GONE))
        for delivery in failed:
            if await self._each("hand_over", self.hand_over(delivery, now)) is not None:
                await Delivery.filter(id=delivery.id).update(handed_over=True)

    async def _raise_again(self, now: dt.datetime) -> None:
        stale = now - dt.timedelta(seconds=self._settings.reraise_after_s)
        for incident in await Incident.filter(
            state="acknowledged", notice=NoticeClass.EMERGENCY, acknowledged_at__lte=stale
        ):
            await self._each("raise_again", self._raise_one_again(incident, now))

    async def _raise_one_again(self, incident: Incident, now: dt.datetime) -> None:
        first = await first_due(await incident.device, now, NoticeClass.EMERGENCY)
        moved = await Incident.filter(id=incident.id, state="acknowledged").update(
            state="active",
            escalation_next=0,
            ladder_at=now,
            next_escalation_at=first,
            raised_again=incident.raised_again + 1,
        )
        if not moved:
            return
        self.counters["raised_again"] += 1
        home = await household_of(incident.device_id)
        await self._said(
            incident,
            home,
            "alert.raised_again",
            f"acknowledged by {incident.acknowledged_by} at "
            f"{incident.acknowledged_at:%H:%M} UTC and not resolved; the ladder starts again",
            now=now,
        )

    async def _close_what_devices_closed(self, now: dt.datetime) -> None:
        """Close open incidents a device already said are over ("false_alarm", "cleared").

        A device's event closes its incident when it is stored; if that failed (a database
        error), or the event was stored by one worker while another was still opening the
        incident, the incident would stay open and keep calling people. Every
        `RECONCILE_S` the last hour's such events are matched against open incidents.
        """
        since = now - dt.timedelta(seconds=RECONCILE_WINDOW_S)
        events = await DeviceEvent.filter(kind="event", at__gte=since).filter(
            Q(name__endswith=f".{FALSE_ALARM}") | Q(name__endswith=f".{CLEARED}")
        )
        for event in events:
            alert, _, what = event.name.rpartition(".")
            incident = await Incident.filter(
                device_id=event.device_id, sensor=event.sensor, kind=alert, open_key__isnull=False
            ).first()
            if incident is None or event.at < (incident.detected_at or incident.raised_at):
                continue  # nothing open, or an earlier alert's
            by = closed_by(what, event.sensor, event.detail)
            if await self._each("reconcile", self.close_incident(incident, purpose=what, by=by)):
                self.counters["closed_late"] += 1

    async def _escalate(self, incident: Incident, now: dt.datetime) -> bool:
        """Queue an incident's due notices; whether any was queued."""
        home = await household_of(incident.device_id)
        steps = await reachable(home.customer_id)
        notice = incident.notice
        position = incident.escalation_next
        if notice is not NoticeClass.EMERGENCY:  # every receiver of warnings, at once
            async with transaction():
                claimed = await Incident.filter(
                    id=incident.id, escalation_next=position, state="active", notice=notice
                ).update(escalation_next=len(steps), next_escalation_at=None)
                if claimed == 1:
                    for step in steps[position:]:
                        if receives(step, notice):
                            await self._tell(incident, home, step, purpose="alert", now=now)
            return claimed == 1
        rung = next((i for i in range(position, len(steps)) if receives(steps[i], notice)), None)
        if rung is None:  # the ladder is climbed (or empty)
            await Incident.filter(id=incident.id, escalation_next=position).update(
                next_escalation_at=None
            )
            return False
        later = next((i for i in range(rung + 1, len(steps)) if receives(steps[i], notice)), None)
        start = incident.ladder_at or incident.raised_at
        following = None if later is None else start + dt.timedelta(seconds=steps[later].after_s)
        purpose = "raised_again" if incident.raised_again else "alert"
        async with transaction():  # the rung and its notice commit together, or neither
            claimed = await Incident.filter(
                id=incident.id, escalation_next=position, state="active", notice=notice
            ).update(escalation_next=rung + 1, next_escalation_at=following)
            if claimed != 1:
                return False  # another worker took this rung, or someone acknowledged meanwhile
            await self._tell(incident, home, steps[rung], purpose=purpose, now=now)
        return True

    async def _tell(
        self,
        incident: Incident,
        home: Household,
        step: EscalationStep,
        *,
        purpose: str,
        now: dt.datetime,
    ) -> Delivery:
        told = await Delivery.filter(incident_id=incident.id, purpose__in=ALERT_PURPOSES)
        notice = incident_notice(
            incident, home, purpose=purpose, told=told, link=self.link(incident.id), now=now
        )
        delivery = await self._deliveries.queue(notice, step, position=step.position)
        self.counters[f"{incident.notice.value}_queued"] += 1
        await self._said(
            incident,
            home,
            "alert.notified",
            f"{step.who} at step {step.position} by {step.channel}, queued as {delivery.id}",
            now=now,
        )
        return delivery

    async def _said(
        self, incident: Incident, home: Household, action: str, detail: str, *, now: dt.datetime
    ) -> None:
        """What the escalation did, in the audit log and on the dashboards."""
        await audit(
            at=now,
            actor="escalation",
            role="system",
            action=action,
            customer_id=home.customer_id,
            detail=f"incident {incident.id}: {detail}"[:512],
        )
        await self._feed.publish(Topic.ALERTS, incident.device_id)

    async def hand_over(self, delivery: Delivery, now: dt.datetime) -> bool:
        """An emergency's notice to a rung failed: tell the next rung now (True: handled)."""
        if delivery.incident_id is None or delivery.position is None:
            return True
        moved = await Incident.filter(
            id=delivery.incident_id,
            state="active",
            escalation_next=delivery.position + 1,
            next_escalation_at__gt=now,
        ).update(next_escalation_at=now)
        if moved:
            self.counters["handed_over"] += 1
            log.warning(
                "incident %s: step %d failed (%s); the next step is told now",
                delivery.incident_id,
                delivery.position,
                scrub(delivery.last_error, delivery.target) or delivery.state.value,
            )
            self.wake()
        return True

    async def on_event(self, device_id: str, event: Event) -> Closed | None:
        """Act on a stored event of a device: "<alert>.false_alarm" and "<alert>.cleared".

        Call this after the event is stored; any other event is ignored (None).
        """
        alert, _, what = event.name.rpartition(".")
        if not alert or what not in {FALSE_ALARM, CLEARED}:
            return None
        by = closed_by(what, event.sensor, event.detail)
        return await self.close(device_id, event.sensor, alert, purpose=what, by=by)

    async def close(
        self, device_id: str, sensor: str, kind: str, *, purpose: str, by: str
    ) -> Closed | None:
        """Resolve the open incident of a sensor (a false alarm, or cleared) and tell the told.

        Every receiver already told gets the notice through the same channel and target; no
        further rung is told.

        Returns:
            What was done, or None when no such incident is open (never raised, or resolved
            already: a repeated cancel sends nothing).
        """
        incident = await Incident.filter(
            device_id=device_id, sensor=sensor, kind=kind, open_key__isnull=False
        ).first()
        if incident is None:
            return None
        return await self.close_incident(incident, purpose=purpose, by=by)

    async def close_incident(self, incident: Incident, *, purpose: str, by: str) -> Closed | None:
        """Resolve one incident (the watchdog's, a device's) and tell everyone told.

        Everyone an alert notice reached or may have reached (delivered, being sent, or tried
        and failed: a timed-out message may still have arrived) hears it; one never tried is
        dropped instead. The resolution and these notices commit together.
        """
        now = utc(self._clock.now())
        resolved_by = false_alarm_by(by) if purpose == FALSE_ALARM else cleared_by(by)
        queued: list[str] = []
        home = await household_of(incident.device_id)
        steps = {(s.channel, s.target): s for s in await ladder(home.customer_id)}
        async with transaction():
            claimed = (
                await Incident.filter(id=incident.id)
                .exclude(state="resolved")
                .update(
                    state="resolved",
                    resolved_by=resolved_by,
                    resolved_at=now,
                    open_key=None,
                    next_escalation_at=None,
                )
            )
            if claimed != 1:
                return None  # another worker, or a person, resolved it meanwhile
            # Read after the claim: no rung can be claimed any more, so this list is final.
            alerts = Delivery.filter(incident_id=incident.id, purpose__in=ALERT_PURPOSES)
            await alerts.filter(state=DeliveryState.PENDING, attempts=0).update(
                state=DeliveryState.CANCELLED, last_error="resolved before it could be delivered"
            )
            told = await alerts.exclude(state=DeliveryState.CANCELLED).order_by("created_at")
            notice = incident_notice(
                incident,
                home,
                purpose=purpose,
                told=told,
                link=self.link(incident.id),
                now=now,
                by=by,
            )
            seen: set[tuple[str, str]] = set()
            for delivery in told:
                receiver = (delivery.channel, delivery.target)
                step = steps.get(receiver)
                if receiver in seen or step is None:
                    continue
                seen.add(receiver)
                queued.append(
                    (await self._deliveries.queue(notice, step, position=step.position)).id
                )
        self._deliveries.wake.set()
        self.counters[f"{purpose}_notices"] += len(queued)
        what = kind_of(incident.kind, incident.severity).what
        told_what = (
            f"told {len(queued)} receivers" if queued else "resolved quietly, nobody had been told"
        )
        await self._said(
            incident, home, f"alert.{purpose}", f"({what}) {resolved_by}; {told_what}", now=now
        )
        return Closed(incident.id, resolved_by, now, tuple(queued))

"""Alert incidents: a lifecycle (active, acknowledged, resolved) and what a new alert means.

- A repeat of an open incident's alert (the same device, sensor and kind) is counted on it:
  a device redelivering, a warning said again.
- **A new emergency after an acknowledged one is a new incident**, told from the first rung
  and shown as unanswered: an acknowledgement means "someone is on the way to that fall",
  not "ignore this wearer from now on". Only a fall inside the open one's own window
  (`merge_window_s` of its detection) merges.
- **A device cannot flood the wall**: past `max_open_per_device` open incidents, its further
  alerts fold into one "flooding" incident of that device.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from cloud.alerts.escalation import FALSE_ALARM, false_alarm_by, first_due, wearer
from cloud.alerts.kinds import FLOOD_SENSOR, FLOODING, SITE_SILENT, kind_of
from cloud.config import AlertSettings
from cloud.privacy.data_rights import audit
from cloud.store.models import Device, DeviceEvent, Incident, Site
from cloud.terms import NoticeClass
from common.clock import utc
from common.errors import NotFoundError, Refusal, RefusedError
from common.messages import Alert

OPEN_STATES = ("active", "acknowledged")


class IncidentState(StrEnum):
    """Where an incident is in its life."""

    ACTIVE = "active"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class TransitionError(RefusedError):
    """The incident cannot move to that state from where it is."""

    refusal = Refusal.CONFLICT


def _key(device_id: str, sensor: str, kind: str) -> str:
    return f"{device_id}/{sensor}/{kind}"


@dataclass(frozen=True, slots=True)
class Raised:
    """What an alert did: its incident, whether it is new, and whether it was folded."""

    incident: Incident
    new: bool
    folded: bool = False


async def record(
    device: Device, message: Alert, *, now: dt.datetime, rules: AlertSettings
) -> Raised:
    """Open an incident for an alert, or count it on the open one it repeats."""
    key = _key(device.id, message.sensor, message.name)
    kind = kind_of(message.name, message.severity.value)
    detected = utc(message.detected_at) if message.detected_at is not None else None
    happened = detected or utc(message.sent_at)
    existing = await Incident.filter(open_key=key).first()
    if existing is not None:
        if not _new_emergency(existing, kind.notice, detected, now, rules.merge_window_s):
            existing.occurrences += 1
            existing.detail = message.detail
            await existing.save(update_fields=["occurrences", "detail"])
            return Raised(existing, new=False)
        # Someone is on the way to the earlier fall; this is another one. The earlier
        # incident stays acknowledged (no longer the one repeats merge into).
        await Incident.filter(id=existing.id, open_key=key).update(open_key=None)
    elif await Incident.filter(device_id=device.id, state__in=OPEN_STATES).count() >= (
        rules.max_open_per_device
    ):
        return await _fold(device, message, kind.notice, now=now, rules=rules)
    # The device may have said "false alarm" before this alert got here: the two travel on
    # separate connections, and after an outage both arrive at once.
    cancelled = await DeviceEvent.filter(
        device_id=device.id,
        kind="event",
        sensor=message.sensor,
        name=f"{message.name}.{FALSE_ALARM}",
        at__gte=happened,
    ).exists()
    incident = await Incident.create(
        id=uuid.uuid4().hex,
        device=device,
        sensor=message.sensor,
        kind=message.name,
        severity=message.severity.value,
        notice=kind.notice,
        state=(IncidentState.RESOLVED if cancelled else IncidentState.ACTIVE).value,
        detail=message.detail,
        open_key=None if cancelled else key,
        raised_at=now,
        detected_at=detected,
        rate_hz=message.rate_hz,
        samples=[list(s) for s in message.samples],
        impact_index=message.impact_index,
        resolved_by=false_alarm_by(wearer(message.sensor)) if cancelled else None,
        resolved_at=now if cancelled else None,
        next_escalation_at=None if cancelled else await first_due(device, now, kind.notice),
    )
    if cancelled:
        site = await Site.get(id=device.site_id)
        await audit(
            at=now,
            actor="escalation",
            role="system",
            action="alert.false_alarm",
            customer_id=site.customer_id,
            detail=f"incident {incident.id}: cancelled by {wearer(message.sensor)} before "
            "the alert arrived; resolved quietly, nobody had been told",
        )
    return Raised(incident, new=True)


def _new_emergency(
    existing: Incident,
    notice: NoticeClass,
    detected: dt.datetime | None,
    now: dt.datetime,
    window_s: float,
) -> bool:
    """Whether an alert repeating an open incident's key is a new emergency of its own.

    Two detections are compared on the device's clock; without both, arrivals on the
    cloud's (never one clock against the other: a device's may be off by minutes).
    """
    if notice is not NoticeClass.EMERGENCY or existing.state != IncidentState.ACKNOWLEDGED:
        return False
    if detected is not None and existing.detected_at is not None:
        apart = detected - existing.detected_at
    else:
        apart = now - (existing.ladder_at or existing.raised_at)
    return apart.total_seconds() > window_s


async def _fold(
    device: Device, message: Alert, notice: NoticeClass, *, now: dt.datetime, rules: AlertSettings
) -> Raised:
    """Count a flooding device's alert on its one "flooding" incident.

    An emergency folded in is never only counted: it makes the flooding incident an
    emergency, and one that was acknowledged (past the merge window) is told again from the
    first rung, as a new fall after an acknowledged one would be.
    """
    key = _key(device.id, FLOOD_SENSOR, FLOODING)
    what = f"latest: {message.name} on {message.sensor}"[:200]
    flood = await Incident.filter(open_key=key).first()
    if flood is None:
        flood = await Incident.create(
            id=uuid.uuid4().hex,
            device=device,
            sensor=FLOOD_SENSOR,
            kind=FLOODING,
            severity="critical" if notice is NoticeClass.EMERGENCY else "warning",
            notice=notice,
            state=IncidentState.ACTIVE.value,
            detail=f"1 alert folded in ({what})",
            open_key=key,
            raised_at=now,
            next_escalation_at=await first_due(device, now, notice),
        )
        return Raised(flood, new=True, folded=True)
    changes: dict[str, object] = {
        "occurrences": flood.occurrences + 1,
        "detail": f"{flood.occurrences + 1} alerts folded in ({what})"[:256],
    }
    started = flood.ladder_at or flood.raised_at
    again = (
        notice is NoticeClass.EMERGENCY
        and flood.state == IncidentState.ACKNOWLEDGED
        and (now - started).total_seconds() > rules.merge_window_s
    )
    if notice is NoticeClass.EMERGENCY and (flood.notice is not NoticeClass.EMERGENCY or again):
        changes |= {
            "notice": NoticeClass.EMERGENCY,
            "severity": "critical",
            "state": IncidentState.ACTIVE.value,
            "escalation_next": 0,
            "ladder_at": now,
            "next_escalation_at": await first_due(device, now, NoticeClass.EMERGENCY),
        }
    # Only while it is still the open one: someone may have resolved it meanwhile.
    await Incident.filter(id=flood.id, open_key=key).update(**changes)
    return Raised(flood, new=False, folded=True)


async def raise_site_silent(
    device: Device, *, now: dt.datetime, silent_s: float
) -> Incident | None:
    """Open the "hub silent" warning of a device (None if one is open already)."""
    key = _key(device.id, "hub", SITE_SILENT)
    if await Incident.exists(open_key=key):
        return None
    seen = f"{device.last_seen:%Y-%m-%d %H:%M} UTC" if device.last_seen else "never"
    return await Incident.create(
        id=uuid.uuid4().hex,
        device=device,
        sensor="hub",
        kind=SITE_SILENT,
        severity="warning",
        notice=NoticeClass.WARNING,
        state=IncidentState.ACTIVE.value,
        detail=f"nothing heard for {silent_s / 60:.0f} min (last heard {seen})",
        open_key=key,
        raised_at=now,
        next_escalation_at=now,
    )


async def acknowledge(incident_id: str, *, by: str, now: dt.datetime) -> Incident:
    """Someone has seen it and is on it."""
    moved = await Incident.filter(id=incident_id, state=IncidentState.ACTIVE.value).update(
        state=IncidentState.ACKNOWLEDGED.value, acknowledged_by=by, acknowledged_at=now
    )
    incident = await _get(incident_id)
    if not moved:  # changed only if still active: nothing written over a concurrent resolve
        raise TransitionError(
            f"incident is {incident.state}; only an active one can be acknowledged"
        )
    return incident


async def resolve(incident_id: str, *, by: str, now: dt.datetime) -> Incident:
    """It is over; a new alert of the same kind opens a new incident."""
    moved = (
        await Incident.filter(id=incident_id)
        .exclude(state=IncidentState.RESOLVED.value)
        .update(
            state=IncidentState.RESOLVED.value,
            resolved_by=by,
            resolved_at=now,
            open_key=None,
            next_escalation_at=None,
        )
    )
    incident = await _get(incident_id)
    if not moved:
        raise TransitionError("incident is already resolved")
    return incident


async def _get(incident_id: str) -> Incident:
    incident = await Incident.get_or_none(id=incident_id)
    if incident is None:
        raise NotFoundError(f"no incident {incident_id!r}")
    return incident

"""Alert incidents: one per condition, with a lifecycle (active, acknowledged, resolved)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from cloud.alerts.escalation import FALSE_ALARM, false_alarm_by, first_due, wearer
from cloud.privacy.data_rights import audit
from cloud.store.models import Device, DeviceEvent, Incident, Site
from common.errors import ContinuoError
from common.messages import Alert


class IncidentState(StrEnum):
    """Where an incident is in its life."""

    ACTIVE = "active"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class TransitionError(ContinuoError):
    """The incident cannot move to that state from where it is."""


def _key(device_id: str, sensor: str, kind: str) -> str:
    return f"{device_id}/{sensor}/{kind}"


async def record(device: Device, message: Alert, *, now: dt.datetime) -> tuple[Incident, bool]:
    """Open an incident for an alert message, or count it on the open one: (incident, new)."""
    key = _key(device.id, message.sensor, message.name)
    detected = (
        dt.datetime.fromtimestamp(message.detected_at, tz=dt.UTC)
        if message.detected_at is not None
        else None
    )
    existing = await Incident.filter(open_key=key).first()
    if existing is not None:
        existing.occurrences += 1
        existing.detail = message.detail
        await existing.save(update_fields=["occurrences", "detail"])
        return existing, False
    # The device may have said "false alarm" before this alert got here: the two travel on
    # separate connections, and after an outage both arrive at once.
    cancelled = await DeviceEvent.filter(
        device_id=device.id,
        kind="event",
        sensor=message.sensor,
        name=f"{message.name}.{FALSE_ALARM}",
        at__gte=detected or dt.datetime.fromtimestamp(message.sent_at, tz=dt.UTC),
    ).exists()
    incident = await Incident.create(
        id=uuid.uuid4().hex,
        device=device,
        sensor=message.sensor,
        kind=message.name,
        severity=message.severity.value,
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
        next_escalation_at=None if cancelled else await first_due(device, now),
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
    return incident, True


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
        .update(state=IncidentState.RESOLVED.value, resolved_by=by, resolved_at=now, open_key=None)
    )
    incident = await _get(incident_id)
    if not moved:
        raise TransitionError("incident is already resolved")
    return incident


async def _get(incident_id: str) -> Incident:
    incident = await Incident.get_or_none(id=incident_id)
    if incident is None:
        raise LookupError(f"no incident {incident_id!r}")
    return incident

"""What a responder is told: who, where, what happened, and who else was told.

A notice names the person (the household's `person_name`), the address and the access notes
the household gave (a key safe, a neighbour with a key), what happened and when, a link to
the alert on the dashboard, and every receiver told before. Its text starts with what
matters, because an SMS carries its first 160 characters; webhooks receive the same as
structured data (the shape a SCAIP or BS 8521-2 transport would map from).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cloud.alerts.kinds import kind_of
from cloud.delivery.engine import Notice
from cloud.delivery.targets import mask
from cloud.store.models import Customer, Delivery, Device, Incident

PURPOSES = ("alert", "raised_again", "false_alarm", "cleared")


@dataclass(frozen=True, slots=True)
class Household:
    """Whose an incident is, and how to reach them."""

    customer_id: str
    site_id: str
    person: str
    address: str
    access_notes: str


async def household_of(device_id: str) -> Household:
    """The household a device belongs to."""
    device = await Device.get(id=device_id).prefetch_related("site")
    customer = await Customer.get(id=device.site.customer_id)
    return Household(
        customer.id,
        device.site_id,
        customer.person_name or customer.name,
        customer.address,
        customer.access_notes,
    )


def _when(at: dt.datetime | None) -> str:
    return "" if at is None else f"{at:%Y-%m-%d %H:%M:%S} UTC"


def told_list(told: list[Delivery]) -> list[dict[str, Any]]:
    """Who was told before (one entry per receiver), as a notice shows them."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for d in told:
        seen.setdefault(
            (d.channel, d.target),
            {"who": d.who, "channel": d.channel, "target": mask(d.target), "state": d.state.value},
        )
    return list(seen.values())


def incident_notice(
    incident: Incident,
    home: Household,
    *,
    purpose: str,
    told: list[Delivery],
    link: str | None,
    now: dt.datetime,
    by: str = "",
) -> Notice:
    """The notice of an incident for `purpose` (raised, raised again, false alarm, cleared)."""
    kind = kind_of(incident.kind, incident.severity)
    where = home.address or f"site {home.site_id}"
    happened = incident.detected_at or incident.raised_at
    before = told_list(told)
    others = ", ".join(f"{t['who']} by {t['channel']}" for t in before) or "nobody yet"
    if purpose == "false_alarm":
        head = f"FALSE ALARM, no help needed: {kind.what} for {home.person} at {where}"
        text = f"{head} ({happened:%H:%M} UTC) was cancelled by {by} at {now:%H:%M} UTC."
    elif purpose == "cleared":
        head = f"CLEARED: {kind.what} for {home.person} at {where}"
        text = f"{head} is over ({by}, {now:%H:%M} UTC)."
    else:
        again = (
            f" RAISED AGAIN: acknowledged by {incident.acknowledged_by or 'someone'} but not "
            "resolved."
            if purpose == "raised_again"
            else ""
        )
        head = f"{kind.headline}: {home.person} at {where}"
        access = f" Access: {home.access_notes}." if home.access_notes else ""
        text = (
            f"{head}, {_when(happened)}.{again}{access} Told before: {others}. "
            + (f"Acknowledge: {link}" if link else f"Acknowledge incident {incident.id}.")
            + f" ({incident.detail}; device {incident.device_id}, sensor {incident.sensor})"
        )
    data: dict[str, Any] = {
        "incident_id": incident.id,
        "purpose": purpose,
        "kind": incident.kind,
        "notice": incident.notice.value,
        "severity": incident.severity,
        "subject": f"[Continuo] {head}"[:256],
        "body": text,
        "person": {"name": home.person},
        "place": {
            "address": home.address,
            "access_notes": home.access_notes,
            "site_id": home.site_id,
        },
        "event": {
            "what": kind.what,
            "detected_at": _iso(incident.detected_at),
            "raised_at": _iso(incident.raised_at),
            "device_id": incident.device_id,
            "sensor": incident.sensor,
            "detail": incident.detail,
            "occurrences": incident.occurrences,
        },
        "told": before,
        "link": link,
        "by": by or None,
    }
    return Notice(
        notice=incident.notice,
        purpose=purpose,
        customer_id=home.customer_id,
        subject=data["subject"],
        text=text,
        data=data,
        incident_id=incident.id,
    )


def _iso(at: dt.datetime | None) -> str | None:
    return None if at is None else at.isoformat()

"""A customer's data rights: take everything away (export), or have it erased.

The export (`continuo-export/1`, JSON) holds everything kept about a customer: profile,
users, sites, devices, printers, supply levels, scale and wearable readings, events, alerts
and who was told, needs with every decision and its reasons, orders, reminders, absences,
and the audit entries about them. Secrets never leave: no password hashes, no token digests,
no payment token (only whether one is held).

Erasure removes every row about the customer (their devices' credentials with them, so the
broker refuses those devices once its config is refreshed), deletes their exports on disk,
replaces their id in the audit log with an anonymous digest, and leaves an `ErasureRecord`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import Any

from cloud.delivery.targets import mask
from cloud.store.db import transaction
from cloud.store.models import (
    Absence,
    AuditEntry,
    ChangeEvent,
    Consent,
    ConsentChange,
    Customer,
    DailyAggregate,
    DecisionRecord,
    Delivery,
    DeliveryAttempt,
    Device,
    DeviceEvent,
    EnrollmentToken,
    ErasureRecord,
    EscalationStep,
    Incident,
    IngestedMessage,
    Need,
    Order,
    PrinterInfo,
    Reminder,
    SensorSample,
    SequenceGap,
    Session,
    Site,
    Supply,
    SupplyLevel,
    User,
)
from common.errors import Refusal, RefusedError

log = logging.getLogger(__name__)
FORMAT = "continuo-export/1"


class DataRightsError(RefusedError):
    """A customer that does not exist, or an erasure that could not finish."""

    refusal = Refusal.NOT_FOUND


def digest(customer_id: str) -> str:
    """How an erased customer is referred to afterwards."""
    return hashlib.sha256(customer_id.encode()).hexdigest()


async def _rows(model: Any, exclude: tuple[str, ...] = (), **filters: Any) -> list[dict[str, Any]]:
    rows = await model.filter(**filters).values()
    return [{k: v for k, v in row.items() if k not in exclude} for row in rows]


async def export(customer_id: str, *, now: dt.datetime) -> dict[str, Any]:
    """Everything held about a customer, as plain data."""
    customer = await Customer.get_or_none(id=customer_id)
    if customer is None:
        raise DataRightsError(f"no customer {customer_id!r}")
    profile = await _rows(Customer, ("payment_token",), id=customer_id)
    profile[0]["has_payment_token"] = bool(customer.payment_token)
    devices = [
        str(d)
        for d in await Device.filter(site__customer_id=customer_id).values_list("id", flat=True)
    ]
    supplies = await _rows(Supply, device_id__in=devices)
    needs = [n.id for n in await Need.filter(customer_id=customer_id)]
    incidents = [i.id for i in await Incident.filter(device_id__in=devices)]
    deliveries = await _rows(Delivery, ("claim",), customer_id=customer_id)
    attempts = await _rows(DeliveryAttempt, delivery_id__in=[d["id"] for d in deliveries])
    steps = await _rows(EscalationStep, ("secret", "previous_secret"), customer_id=customer_id)
    _mask_staff_targets(deliveries, attempts, steps)
    return {
        "format": FORMAT,
        "generated_at": now,
        "customer": profile[0],
        "users": await _rows(User, ("password_hash",), customer_id=customer_id),
        "sites": await _rows(Site, customer_id=customer_id),
        "devices": await _rows(Device, ("password_hash",), id__in=devices),
        "printers": await _rows(PrinterInfo, device_id__in=devices),
        "supplies": supplies,
        "supply_levels": await _rows(SupplyLevel, supply_id__in=[s["id"] for s in supplies]),
        "sensor_readings": await _rows(SensorSample, device_id__in=devices),
        "daily_aggregates": await _rows(DailyAggregate, device_id__in=devices),
        "events": await _rows(DeviceEvent, device_id__in=devices),
        "alerts": await _rows(Incident, id__in=incidents),
        "deliveries": deliveries,
        "delivery_attempts": attempts,
        "escalation": steps,
        "needs": await _rows(Need, id__in=needs),
        "decisions": await _rows(DecisionRecord, need_id__in=needs),
        "orders": await _rows(Order, device_id__in=devices),
        "reminders": await _rows(Reminder, need_id__in=needs),
        "absences": await _rows(Absence, customer_id=customer_id),
        "consents": await _rows(Consent, customer_id=customer_id),
        "consent_history": await _rows(ConsentChange, customer_id=customer_id),
        "audit": await _rows(AuditEntry, customer_id=customer_id),
    }


def _mask_staff_targets(
    deliveries: list[dict[str, Any]], attempts: list[dict[str, Any]], steps: list[dict[str, Any]]
) -> None:
    """Show receivers staff set masked (an alarm centre's URL may carry its key).

    What their attempts said is not shown either: the customer sees delivered or not, as in
    the API.
    """
    staffs = {d["id"] for d in deliveries if d["trusted"]}
    for row in [*deliveries, *steps]:
        if row["trusted"]:
            row["target"] = mask(row["target"])
            if "last_error" in row:
                row["last_error"] = "not delivered" if row["last_error"] else ""
    for row in attempts:
        if row["delivery_id"] in staffs:
            row["detail"] = "delivered" if row["ok"] else "not delivered"


async def erase(
    customer_id: str, *, by: str, now: dt.datetime, exports_dir: Path | None
) -> ErasureRecord:
    """Remove every trace of a customer; the record of it names no one.

    The rows go in one transaction; what lies outside the database (export files here, the
    broker's accounts for the caller) is cleaned after it. Both are safe to repeat: asked
    again after a crash in between, the erasure finds its own record (by the customer's
    digest), finishes the clean-up and answers as the first time did.
    """
    if not await Customer.exists(id=customer_id):
        done = await ErasureRecord.filter(subject_digest=digest(customer_id)).order_by("-id")
        if not done:
            raise DataRightsError(f"no customer {customer_id!r}")
        return await _clean_up(done[0], customer_id, exports_dir)
    record = await _erase_rows(customer_id, by=by, now=now)
    return await _clean_up(record, customer_id, exports_dir)


async def _clean_up(
    record: ErasureRecord, customer_id: str, exports_dir: Path | None
) -> ErasureRecord:
    """Remove what the erasure leaves outside the database (repeatable)."""
    if exports_dir is not None:
        files = await asyncio.to_thread(_remove_exports, exports_dir, customer_id)
        if files or "export_files" not in record.removed:
            found = int(record.removed.get("export_files", 0))
            record.removed = {**record.removed, "export_files": found + files}
            await record.save(update_fields=["removed"])
    log.info("erased a customer (%s): %s", record.subject_digest[:12], record.removed)
    return record


async def _erase_rows(customer_id: str, *, by: str, now: dt.datetime) -> ErasureRecord:
    """Every row about the customer deleted or anonymised, and the record of it, at once."""
    devices = [
        str(d)
        for d in await Device.filter(site__customer_id=customer_id).values_list("id", flat=True)
    ]
    sites = [
        str(s) for s in await Site.filter(customer_id=customer_id).values_list("id", flat=True)
    ]
    needs = [
        str(n) for n in await Need.filter(customer_id=customer_id).values_list("id", flat=True)
    ]
    orders = [
        str(o) for o in await Order.filter(device_id__in=devices).values_list("id", flat=True)
    ]
    subjects = [*devices, *needs, *orders]
    removed: dict[str, int] = {}
    async with transaction():
        for name, query in (
            ("ingested_messages", IngestedMessage.filter(device_id__in=devices)),
            ("sequence_gaps", SequenceGap.filter(device_id__in=devices)),
            ("sensor_readings", SensorSample.filter(device_id__in=devices)),
            ("events", DeviceEvent.filter(device_id__in=devices)),
            ("change_feed", ChangeEvent.filter(subject__in=subjects)),
            ("enrollment_tokens", EnrollmentToken.filter(customer=customer_id)),
            ("enrollment_tokens_of_sites", EnrollmentToken.filter(site__in=sites)),
            ("sessions", Session.filter(user__customer_id=customer_id)),
        ):
            removed[name] = await query.delete()
        removed["orders"] = await Order.filter(id__in=orders).delete()
        removed["devices"] = len(devices)
        removed["needs"] = len(needs)
        # The rest goes with the customer: sites, devices and all hanging off them, needs,
        # decisions, reminders, absences, escalation steps, users.
        await Customer.filter(id=customer_id).delete()
        anonymous = f"erased:{digest(customer_id)[:16]}"
        await AuditEntry.filter(customer_id=customer_id).update(customer_id=anonymous)
        for name in {customer_id, *sites, *devices, *needs, *orders}:
            for entry in await AuditEntry.filter(detail__contains=name):
                # Anonymisation is the one change an audit entry may undergo.
                await AuditEntry.filter(id=entry.id).update(
                    detail=entry.detail.replace(name, anonymous)
                )
        return await ErasureRecord.create(
            at=now, by=by, subject_digest=digest(customer_id), removed=removed
        )


def _remove_exports(exports_dir: Path, customer_id: str) -> int:
    found = list(exports_dir.glob(f"{customer_id}-*.json"))
    for path in found:
        path.unlink()
    return len(found)


def export_path(exports_dir: Path, customer_id: str, now: dt.datetime) -> Path:
    """Where an export is written on disk (erasure finds it there)."""
    return exports_dir / f"{customer_id}-{now.strftime('%Y%m%dT%H%M%SZ')}.json"


async def audit(
    *,
    at: dt.datetime,
    actor: str,
    role: str,
    action: str,
    customer_id: str,
    detail: str = "",
    why: str = "",
) -> None:
    """Append one audit entry."""
    await AuditEntry.create(
        at=at,
        actor=actor[:128],
        role=role[:16],
        action=action[:160],
        customer_id=customer_id[:80],
        detail=detail[:512],
        why=why[:256],
    )


async def breach_report(
    *, username: str | None, device_id: str | None, since: dt.datetime, until: dt.datetime
) -> dict[str, Any]:
    """Which customers and data one credential could have exposed in a time window.

    A user's exposure is what the audit log says they reached (and, for a customer or
    caregiver, their own household in any case); a device credential exposes its own
    household's streams, since the broker's ACL lets it see nothing else.
    """
    exposed: dict[str, set[str]] = {}
    if username is not None:
        user = await User.get_or_none(username=username)
        entries = await AuditEntry.filter(actor=username, at__gte=since, at__lte=until)
        for e in entries:
            exposed.setdefault(e.customer_id, set()).add(e.action)
        if user is not None and user.customer_id:
            exposed.setdefault(user.customer_id, set()).add(f"everything a {user.role} sees")
    if device_id is not None:
        device = await Device.get_or_none(id=device_id).prefetch_related("site")
        if device is not None:
            exposed.setdefault(device.site.customer_id, set()).update(
                {f"uplink and commands of device {device_id}"}
            )
    return {
        "credential": username or device_id,
        "since": since,
        "until": until,
        "customers": [
            {"customer_id": c, "data": sorted(actions)} for c, actions in sorted(exposed.items())
        ],
    }

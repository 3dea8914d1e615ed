"""Device registration: the cloud owns every device's identity and MQTT credentials."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from cloud.identity.broker_config import DeviceAccount, hash_password, new_password
from cloud.store.db import transaction
from cloud.store.models import Customer, Device, Site
from common.errors import ContinuoError, Refusal, RefusedError
from common.topics import check_id


class RegistryError(RefusedError):
    """A registration request cannot be carried out (by default: no such device)."""

    refusal = Refusal.NOT_FOUND


@dataclass(frozen=True, slots=True)
class NewDevice:
    """A freshly registered device and its one-time plaintext password."""

    device_id: str
    site: str
    customer: str
    username: str
    password: str


async def add_device(
    *,
    site: str,
    device_id: str | None = None,
    customer: str | None = None,
    customer_name: str | None = None,
    auto_replenish: bool = False,
) -> NewDevice:
    """Register a device at `site` (creating the site and its customer if new).

    Raises:
        RegistryError: The id is invalid or already taken.
    """
    try:
        check_id(site, what="site")
        device_id = check_id(device_id or f"d-{secrets.token_hex(5)}", what="device")
        customer_id = check_id(customer or site, what="customer")
    except ContinuoError as exc:
        raise RegistryError(str(exc), refusal=Refusal.INVALID) from exc
    if device_id.startswith("continuo-"):
        msg = "device ids starting with 'continuo-' are reserved for the cloud's own accounts"
        raise RegistryError(msg, refusal=Refusal.INVALID)
    password = new_password()
    async with transaction():
        if await Device.exists(id=device_id):
            msg = f"device {device_id!r} already exists"
            raise RegistryError(msg, refusal=Refusal.CONFLICT)
        owner, _ = await Customer.get_or_create(
            id=customer_id,
            defaults={"name": customer_name or customer_id, "auto_replenish": auto_replenish},
        )
        place, _ = await Site.get_or_create(id=site, defaults={"customer": owner})
        if place.customer_id != owner.id:
            msg = f"site {site!r} belongs to customer {place.customer_id!r}"
            raise RegistryError(msg, refusal=Refusal.CONFLICT)
        await Device.create(id=device_id, site=place, password_hash=hash_password(password))
    return NewDevice(device_id, site, customer_id, device_id, password)


async def device_accounts() -> list[DeviceAccount]:
    """Every device that may connect (revoked and quarantined ones are left out)."""
    devices = await Device.filter(revoked=False, quarantined_at__isnull=True).order_by("id")
    return [DeviceAccount(d.id, d.site_id, d.password_hash) for d in devices]


async def rotate_password(device_id: str) -> str:
    """A new password for a device (the old one stops working once the broker reloads)."""
    device = await Device.get_or_none(id=device_id, revoked=False)
    if device is None:
        msg = f"no active device {device_id!r}"
        raise RegistryError(msg)
    password = new_password()
    device.password_hash = hash_password(password)
    await device.save()
    return password


async def revoke(device_id: str) -> None:
    """Take a device's right to connect away (for good)."""
    if not await Device.filter(id=device_id).update(revoked=True):
        msg = f"no device {device_id!r}"
        raise RegistryError(msg)


async def quarantine(device_id: str, *, reason: str, at: dt.datetime) -> Device:
    """Set a device aside until an operator releases it (see `cloud.ingest.admit`)."""
    device = await Device.get_or_none(id=device_id)
    if device is None:
        msg = f"no device {device_id!r}"
        raise RegistryError(msg)
    if device.quarantined_at is None:
        device.quarantined_at = at
    device.quarantine_reason = reason[:256]
    await device.save(update_fields=["quarantined_at", "quarantine_reason"])
    return device


async def release(device_id: str) -> Device:
    """Let a quarantined device in again; what it kept back arrives as it resends."""
    device = await Device.get_or_none(id=device_id)
    if device is None:
        msg = f"no device {device_id!r}"
        raise RegistryError(msg)
    device.quarantined_at = None
    device.quarantine_reason = ""
    await device.save(update_fields=["quarantined_at", "quarantine_reason"])
    return device

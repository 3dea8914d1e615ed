"""Provisioning: an installer's one-time token becomes a registered device with credentials.

Only a SHA-256 of each token is stored. A token works once and expires, and it is consumed
atomically, so two requests racing with the same token get one device between them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import signal
from dataclasses import dataclass
from pathlib import Path

from cloud.config import BrokerSettings
from cloud.identity.broker_config import write_accounts
from cloud.identity.registry import NewDevice, RegistryError, add_device, device_accounts
from cloud.store.db import transaction
from cloud.store.models import EnrollmentToken
from common.clock import Clock, utc
from common.errors import Refusal
from common.topics import check_id

log = logging.getLogger(__name__)


class EnrollmentError(RegistryError):
    """The token is unknown, used or expired."""

    refusal = Refusal.FORBIDDEN


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token (shown once) and when it expires."""

    token: str
    site: str
    expires_at: dt.datetime


async def issue_token(
    *,
    site: str,
    clock: Clock,
    hours: float = 24.0,
    customer: str | None = None,
    auto_replenish: bool = False,
) -> IssuedToken:
    """Create a one-time enrollment token for `site`."""
    check_id(site, what="site")
    token = "enr_" + secrets.token_urlsafe(24)
    now = utc(clock.now())
    expires = now + dt.timedelta(hours=hours)
    await EnrollmentToken.create(
        token_hash=_hash(token),
        site=site,
        customer=customer or site,
        auto_replenish=auto_replenish,
        created_at=now,
        expires_at=expires,
    )
    return IssuedToken(token, site, expires)


async def redeem(token: str, *, clock: Clock, device_id: str | None = None) -> NewDevice:
    """Consume `token` and register a device.

    Raises:
        EnrollmentError: The token is unknown, already used or expired.
        RegistryError: The device id is invalid or taken (the token stays unused).
    """
    now = utc(clock.now())
    async with transaction():
        record = await EnrollmentToken.get_or_none(token_hash=_hash(token))
        if record is None or record.used_at is not None or record.expires_at <= now:
            raise EnrollmentError("enrollment token is unknown, used or expired")
        claimed = await EnrollmentToken.filter(id=record.id, used_at__isnull=True).update(
            used_at=now
        )
        if claimed != 1:
            raise EnrollmentError("enrollment token is unknown, used or expired")
        device = await add_device(
            site=record.site,
            device_id=device_id,
            customer=record.customer,
            auto_replenish=record.auto_replenish,
        )
        record.device_id = device.device_id
        await record.save(update_fields=["device_id"])
    return device


async def refresh_broker(settings: BrokerSettings) -> bool:
    """Rewrite the broker's accounts and make it reload them (SIGHUP), if the cloud manages them."""
    if settings.config_dir is None:
        return False
    out = Path(settings.config_dir)
    # Only the accounts: the listeners, limits and TLS stay as `broker-config` wrote them.
    write_accounts(
        out,
        cloud_user=settings.username,
        cloud_password=settings.password,
        devices=await device_accounts(),
        separate=settings.device_port is not None,
    )
    pid_file = out / "mosquitto.pid"
    try:
        os.kill(int(pid_file.read_text().strip()), signal.SIGHUP)
    except (OSError, ValueError) as exc:
        log.warning("broker files rewritten, but mosquitto could not be told to reload: %s", exc)
        return False
    return True

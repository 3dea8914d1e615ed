"""Login throttling that slows an attacker down without locking out the people they target.

Three counters, each with delays that double after a few free failures:

- an account at one address (``pair``): the attacker guessing one account from one place;
- an account from everywhere (``account``): guessing spread over many addresses;
- an address over many accounts (``address``): one place trying many accounts (spraying).

A success at an address marks that (account, address) ``known``: the account-wide and
address-wide delays let it through, so someone attacking an account (or everyone behind a
shared address) does not keep its owner out. A success also gives the browser a device
cookie (OWASP's "device cookies"): a login that shows a valid one for its account is held
back only by failures made with that same cookie, so a stranger guessing the owner's
password from the owner's own address (a shared NAT, a proxy) slows only themselves.
Counters are in the database (every backend worker sees the same ones, and operators can
list and clear them) and forgotten a day after the last failure.
The client's address is taken from ``X-Forwarded-For`` only when the request comes from a
configured trusted proxy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import Q

from cloud.store.models import LoginThrottle
from common.clock import Clock, utc

MAX_ACCOUNT_CHARS = 128
MAX_ADDRESS_CHARS = 64
MAX_TRACKED_ACCOUNTS = 50


class Kind(StrEnum):
    """What a throttle row counts."""

    PAIR = "pair"
    ACCOUNT = "account"
    ADDRESS = "address"
    KNOWN = "known"
    DEVICE = "device"  # a browser that logged in to an account: its own failures only


@dataclass(frozen=True, slots=True)
class Delays:
    """Failures let through free, then delays from `base_s` doubling to `cap_s`."""

    free: int
    base_s: float
    cap_s: float

    def after(self, failures: int) -> float:
        """The delay after the `failures`-th failure (0: none)."""
        if failures < self.free:
            return 0.0
        return min(self.cap_s, self.base_s * 2.0 ** min(failures - self.free, 30))


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How hard each counter slows logins down."""

    pair: Delays = Delays(free=5, base_s=5.0, cap_s=15 * 60.0)
    account: Delays = Delays(free=10, base_s=5.0, cap_s=5 * 60.0)
    address: Delays = Delays(free=5, base_s=5.0, cap_s=15 * 60.0)  # counted once spraying
    spray_accounts: int = 5  # an address that failed on this many accounts is spraying
    forget_s: float = 86_400.0  # a counter without failures this long starts over
    known_s: float = 90 * 86_400.0  # an address an account logged in from stays known


def is_trusted(address: str | None, trusted: Iterable[str]) -> bool:
    """Whether `address` is one of the trusted proxies (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(t, strict=False) for t in trusted)


def client_address(remote: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The client's address: `remote`, or the last hop before the trusted proxies.

    ``X-Forwarded-For`` is read only from a trusted proxy (addresses or networks), from the
    right: each proxy appends the address it saw, so the first untrusted one is the client.
    """
    trusted = list(trusted)
    address = remote or "unknown"
    if not forwarded_for or not is_trusted(address, trusted):
        return address[:MAX_ADDRESS_CHARS]
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        address = hop
        if not is_trusted(hop, trusted):
            break
    return (address or "unknown")[:MAX_ADDRESS_CHARS]


_REMEMBERED = [Kind.KNOWN.value, Kind.DEVICE.value]  # successes, kept for `known_s`


def _key(kind: Kind, account: str = "", address: str = "") -> str:
    return f"{kind.value}:{account}|{address}"


def _device_key(account: str, device: str) -> str:
    return _key(Kind.DEVICE, account, hashlib.sha256(device.encode()).hexdigest()[:32])


@dataclass(frozen=True, slots=True)
class Refusal:
    """A login held back: which counter, and for how long."""

    kind: Kind
    retry_after_s: float


@dataclass
class Throttle:
    """Counts failed logins in the database and says when the next one may be tried."""

    clock: Clock
    policy: ThrottlePolicy = ThrottlePolicy()

    def _now(self) -> dt.datetime:
        return utc(self.clock.now())

    async def _device(self, account: str, device: str | None) -> LoginThrottle | None:
        """The device cookie's row, if it is one this account logged in with lately."""
        if not device:
            return None
        row = await LoginThrottle.get_or_none(key=_device_key(account, device))
        fresh = self._now() - dt.timedelta(seconds=self.policy.known_s)
        return row if row is not None and row.last_at >= fresh else None

    async def check(self, account: str, address: str, device: str | None = None) -> Refusal | None:
        """Whether a login for `account` from `address` must wait, before any password check.

        With a device cookie the account logged in with, only that device's failures count.
        """
        account = account.lower()[:MAX_ACCOUNT_CHARS]
        now = self._now()
        if (known_device := await self._device(account, device)) is not None:
            locked = known_device.locked_until
            if locked is not None and locked > now:
                return Refusal(Kind.DEVICE, (locked - now).total_seconds())
            return None
        keys = {
            _key(Kind.PAIR, account, address): Kind.PAIR,
            _key(Kind.ACCOUNT, account): Kind.ACCOUNT,
            _key(Kind.ADDRESS, "", address): Kind.ADDRESS,
            _key(Kind.KNOWN, account, address): Kind.KNOWN,
        }
        rows = {Kind(r.kind): r for r in await LoginThrottle.filter(key__in=list(keys))}
        fresh = now - dt.timedelta(seconds=self.policy.known_s)
        known = Kind.KNOWN in rows and rows[Kind.KNOWN].last_at >= fresh
        longest: Refusal | None = None
        for kind, row in rows.items():
            if kind is Kind.KNOWN or (known and kind is not Kind.PAIR):
                continue
            if row.locked_until is not None and row.locked_until > now:
                wait = (row.locked_until - now).total_seconds()
                if longest is None or wait > longest.retry_after_s:
                    longest = Refusal(kind, wait)
        return longest

    async def failed(self, account: str, address: str, device: str | None = None) -> None:
        """Count a failed login against the pair, the account and the address.

        A failure with a known device cookie counts against that device alone.
        """
        account = account.lower()[:MAX_ACCOUNT_CHARS]
        now = self._now()
        p = self.policy
        if (known_device := await self._device(account, device)) is not None:
            known_device.failures += 1
            if delay := p.pair.after(known_device.failures):
                known_device.locked_until = now + dt.timedelta(seconds=delay)
            await known_device.save(update_fields=["failures", "locked_until"])
            return
        await LoginThrottle.filter(
            last_at__lt=now - dt.timedelta(seconds=p.forget_s), kind__not_in=_REMEMBERED
        ).delete()
        for kind, who, where in (
            (Kind.PAIR, account, address),
            (Kind.ACCOUNT, account, ""),
            (Kind.ADDRESS, "", address),
        ):
            row, _ = await LoginThrottle.get_or_create(
                key=_key(kind, who, where),
                defaults={"kind": kind.value, "account": who, "address": where, "last_at": now},
            )
            row.failures += 1
            row.last_at = now
            if kind is Kind.ADDRESS:
                if account not in row.accounts and len(row.accounts) < MAX_TRACKED_ACCOUNTS:
                    row.accounts = [*row.accounts, account]
                spraying = len(row.accounts) >= p.spray_accounts
                delay = p.address.after(row.failures) if spraying else 0.0
            else:
                delay = (p.pair if kind is Kind.PAIR else p.account).after(row.failures)
            if delay:
                row.locked_until = now + dt.timedelta(seconds=delay)
            await row.save()

    async def succeeded(self, account: str, address: str, device: str | None = None) -> str:
        """A good login: the pair starts over and becomes known; the device cookie to keep.

        The browser's cookie is kept if it already was this account's, else a new one made.
        """
        account = account.lower()[:MAX_ACCOUNT_CHARS]
        now = self._now()
        await LoginThrottle.filter(key=_key(Kind.PAIR, account, address)).delete()
        await LoginThrottle.filter(
            kind__in=[Kind.KNOWN.value, Kind.DEVICE.value],
            last_at__lt=now - dt.timedelta(seconds=self.policy.known_s),
        ).delete()
        for key, kind, where in (
            (_key(Kind.KNOWN, account, address), Kind.KNOWN, address),
            (_device_key(account, device := device or secrets.token_urlsafe(24)), Kind.DEVICE, ""),
        ):
            await LoginThrottle.update_or_create(
                key=key,
                defaults={
                    "kind": kind.value,
                    "account": account,
                    "address": where,
                    "last_at": now,
                    "failures": 0,
                    "locked_until": None,
                },
            )
        return device

    async def current(self) -> list[LoginThrottle]:
        """Every counter with failures not yet forgotten, the longest-locked first."""
        since = self._now() - dt.timedelta(seconds=self.policy.forget_s)
        counting = Q(kind__not_in=_REMEMBERED) | Q(kind=Kind.DEVICE.value, failures__gt=0)
        return await LoginThrottle.filter(counting, last_at__gte=since).order_by(
            "-locked_until", "-last_at"
        )

    @staticmethod
    async def clear(*, ids: list[int], account: str | None, address: str | None) -> int:
        """Forget counters by id, every one of an account or an address, or all; how many.

        A device's failures are cleared, the device itself stays known.
        """
        counters = LoginThrottle.exclude(kind__in=_REMEMBERED)
        devices = LoginThrottle.filter(kind=Kind.DEVICE.value, failures__gt=0)
        if ids:
            counters, devices = counters.filter(id__in=ids), devices.filter(id__in=ids)
        if account is not None:
            counters = counters.filter(account=account.lower())
            devices = devices.filter(account=account.lower())
        if address is not None:
            counters = counters.filter(address=address)
            devices = devices.filter(address=address)
        unlocked = await devices.update(failures=0, locked_until=None)
        return int(await counters.delete()) + int(unlocked)

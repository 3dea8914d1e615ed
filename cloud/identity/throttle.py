"""Login throttling that slows an attacker down without locking out the people they target.

Three counters, each with delays that double after a few free failures:

- an account at one address (``pair``): the attacker guessing one account from one place;
- an account from everywhere (``account``): guessing spread over many addresses;
- an address over many accounts (``address``): one place trying many accounts (spraying).

A success at an address marks that (account, address) ``known``: the account-wide and
address-wide delays let it through, so someone attacking an account (or everyone behind a
shared address) does not keep its owner out; only the pair's own delay applies to everyone
at that address. Counters are in the database (every backend worker sees the same ones,
and operators can list and clear them) and forgotten a day after the last failure.
The client's address is taken from ``X-Forwarded-For`` only when the request comes from a
configured trusted proxy.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

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


def client_address(remote: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The client's address: `remote`, or the last hop before the trusted proxies.

    ``X-Forwarded-For`` is read only from a trusted proxy (addresses or networks), from the
    right: each proxy appends the address it saw, so the first untrusted one is the client.
    """
    networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    address = remote or "unknown"
    if not forwarded_for or not is_trusted(address):
        return address[:MAX_ADDRESS_CHARS]
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        address = hop
        if not is_trusted(hop):
            break
    return (address or "unknown")[:MAX_ADDRESS_CHARS]


def _key(kind: Kind, account: str = "", address: str = "") -> str:
    return f"{kind.value}:{account}|{address}"


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

    async def check(self, account: str, address: str) -> Refusal | None:
        """Whether a login for `account` from `address` must wait, before any password check."""
        account = account.lower()[:MAX_ACCOUNT_CHARS]
        now = self._now()
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

    async def failed(self, account: str, address: str) -> None:
        """Count a failed login against the pair, the account and the address."""
        account = account.lower()[:MAX_ACCOUNT_CHARS]
        now = self._now()
        p = self.policy
        await LoginThrottle.filter(
            last_at__lt=now - dt.timedelta(seconds=p.forget_s), kind__not=Kind.KNOWN.value
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

    async def succeeded(self, account: str, address: str) -> None:
        """A good login: the pair starts over and becomes known."""
        account = account.lower()[:MAX_ACCOUNT_CHARS]
        now = self._now()
        await LoginThrottle.filter(key=_key(Kind.PAIR, account, address)).delete()
        await LoginThrottle.filter(
            kind=Kind.KNOWN.value, last_at__lt=now - dt.timedelta(seconds=self.policy.known_s)
        ).delete()
        await LoginThrottle.update_or_create(
            key=_key(Kind.KNOWN, account, address),
            defaults={
                "kind": Kind.KNOWN.value,
                "account": account,
                "address": address,
                "last_at": now,
            },
        )

    async def current(self) -> list[LoginThrottle]:
        """Every counter with failures not yet forgotten, the longest-locked first."""
        since = self._now() - dt.timedelta(seconds=self.policy.forget_s)
        return await LoginThrottle.filter(kind__not=Kind.KNOWN.value, last_at__gte=since).order_by(
            "-locked_until", "-last_at"
        )

    @staticmethod
    async def clear(*, ids: list[int], account: str | None, address: str | None) -> int:
        """Forget counters by id, every one of an account or an address, or all; how many."""
        query = LoginThrottle.exclude(kind=Kind.KNOWN.value)
        if ids:
            query = query.filter(id__in=ids)
        if account is not None:
            query = query.filter(account=account.lower())
        if address is not None:
            query = query.filter(address=address)
        return int(await query.delete())

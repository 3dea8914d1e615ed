"""Who is asking: users with roles, password login, expiring sessions and API tokens.

Passwords are stored as Argon2id hashes (argon2-cffi); session and API tokens only as
SHA-256 digests, so a copy of the database logs no one in. A session (the dashboard's
cookie) carries a CSRF token that every unsafe request must echo in `X-CSRF-Token`; bearer
tokens (scripts) need none. Failed logins slow the next ones down (cloud/identity/throttle.py).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.queryset import QuerySet

from cloud.identity.throttle import Throttle
from cloud.store.models import Session, User
from common.clock import Clock, utc
from common.errors import Refusal, RefusedError

_hasher = PasswordHasher()
MIN_PASSWORD = 10


class Role(StrEnum):
    """What a user is to the firm."""

    OPERATOR = "operator"  # operations staff: every customer, every device
    INSTALLER = "installer"  # the sites assigned to them
    CUSTOMER = "customer"  # their own household
    CAREGIVER = "caregiver"  # a customer's alerts


class AuthError(RefusedError):
    """Bad credentials, a locked-out login, or a user that cannot be created."""

    refusal = Refusal.UNAUTHENTICATED


@dataclass(frozen=True, slots=True)
class Principal:
    """The user behind a request."""

    user_id: int
    username: str
    role: Role
    customer_id: str | None
    sites: frozenset[str]
    session_id: int
    csrf: str | None  # set for cookie sessions: unsafe requests must echo it


def token_digest(token: str) -> str:
    """How a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """An Argon2id hash of a password."""
    return _hasher.hash(password)


def _verify(stored: str | None, password: str) -> bool:
    """Check a password; an unknown user costs the same time as a known one."""
    try:
        return bool(_hasher.verify(stored or _DUMMY_HASH, password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


async def create_user(
    username: str,
    password: str,
    *,
    role: Role,
    customer_id: str | None = None,
    sites: list[str] | None = None,
) -> User:
    """Add a user; customers and caregivers belong to a customer, installers to sites."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(
            f"a password needs at least {MIN_PASSWORD} characters", refusal=Refusal.INVALID
        )
    if role in (Role.CUSTOMER, Role.CAREGIVER) and not customer_id:
        raise AuthError(f"a {role.value} belongs to a customer", refusal=Refusal.INVALID)
    if await User.exists(username=username):
        raise AuthError(f"user {username!r} exists", refusal=Refusal.CONFLICT)
    return await User.create(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        customer_id=customer_id,
        sites=sorted(sites or []),
    )


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """A new session: its token, its row, and the device cookie the browser keeps."""

    token: str
    session: Session
    device: str


@dataclass
class Authenticator:
    """Logs users in and recognises their tokens."""

    clock: Clock
    session_s: float = 12 * 3600.0
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For counts
    throttle: Throttle | None = None
    counters: Counter[str] = field(default_factory=Counter)  # logins by outcome (/metrics)

    def __post_init__(self) -> None:
        self.throttle = self.throttle or Throttle(self.clock)

    async def login(
        self, username: str, password: str, *, address: str, device: str | None = None
    ) -> LoggedIn:
        """A new session for good credentials; AuthError otherwise (the same for any cause).

        A login held back by the throttle is refused before its password is checked, with
        the time to wait. `device` is the browser's device cookie, if it has one.
        """
        assert self.throttle is not None  # noqa: S101 - set in __post_init__
        refusal = await self.throttle.check(username, address, device)
        if refusal is not None:
            self.counters["login_held_back"] += 1
            raise AuthError(
                "too many failed logins; try again later",
                refusal=Refusal.TOO_MANY,
                retry_after_s=refusal.retry_after_s,
            )
        user = await User.get_or_none(username=username, disabled=False)
        if not _verify(user.password_hash if user else None, password) or user is None:
            await self.throttle.failed(username, address, device)
            self.counters["login_failed"] += 1
            raise AuthError("wrong user name or password")
        device = await self.throttle.succeeded(username, address, device)
        self.counters["login_ok"] += 1
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            await user.save()
        token, session = await self.issue(user, kind="session", seconds=self.session_s)
        return LoggedIn(token, session, device)

    async def issue(self, user: User, *, kind: str, seconds: float) -> tuple[str, Session]:
        """A fresh token of `kind` ("session" or "api") for a user; only its digest is kept."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        session = await Session.create(
            token_hash=token_digest(token),
            user=user,
            kind=kind,
            csrf=secrets.token_urlsafe(24) if kind == "session" else "",
            created_at=utc(now),
            expires_at=utc(now + seconds),
        )
        return token, session

    async def principal(self, token: str) -> Principal | None:
        """The user a token stands for, if it is known, current and the user enabled."""
        session = await (
            self._standing().get_or_none(token_hash=token_digest(token)).prefetch_related("user")
        )
        if session is None:
            return None
        user = session.user
        return Principal(
            user_id=user.id,
            username=user.username,
            role=Role(user.role),
            customer_id=user.customer_id,
            sites=frozenset(user.sites or []),
            session_id=session.id,
            csrf=session.csrf or None,
        )

    async def standing(self, session_id: int) -> bool:
        """Whether a session still stands: not logged out, not expired, its user enabled."""
        return await self._standing().filter(id=session_id).exists()

    def _standing(self) -> QuerySet[Session]:
        """The sessions that still stand (the one rule, for a request and for a stream)."""
        return Session.filter(
            revoked=False, expires_at__gt=utc(self.clock.now()), user__disabled=False
        )

    @staticmethod
    async def logout(session_id: int) -> None:
        """End a session."""
        await Session.filter(id=session_id).update(revoked=True)


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

"""The root of every error Continuo raises on purpose, and the kinds of "no" a request gets."""

from __future__ import annotations

from enum import StrEnum


class ContinuoError(Exception):
    """Base class of all Continuo errors."""


class InvalidMessageError(ContinuoError):
    """A wire message or topic failed validation.

    Attributes:
        reason: A short machine-readable reason, used as a counter label.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class Refusal(StrEnum):
    """Which kind of "no" a refused request gets; the API maps each to one HTTP status, once."""

    INVALID = "invalid"  # the request itself is wrong
    UNAUTHENTICATED = "unauthenticated"  # who asks is not known
    FORBIDDEN = "forbidden"  # who asks may not do it
    NOT_FOUND = "not found"  # what it names does not exist
    CONFLICT = "conflict"  # what it names is not in a state that allows it
    TOO_MANY = "too many"  # ask again later (after `retry_after_s`)


class RefusedError(ContinuoError):
    """A request the domain will not carry out, and which kind of "no" it is.

    Each domain's error derives from this with its usual refusal; a raise may name another.
    """

    refusal: Refusal = Refusal.INVALID

    def __init__(
        self, detail: str, *, refusal: Refusal | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(detail)
        if refusal is not None:
            self.refusal = refusal
        self.retry_after_s = retry_after_s


class NotFoundError(RefusedError, LookupError):
    """What a request names does not exist."""

    refusal = Refusal.NOT_FOUND

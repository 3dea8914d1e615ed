"""The root of every error Continuo raises on purpose."""

from __future__ import annotations


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

"""The needs layer's error: a request about a need that cannot be done."""

from __future__ import annotations

from common.errors import ContinuoError


class NeedError(ContinuoError):
    """A request about a need that cannot be done (the API maps it to 4xx)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status

"""The needs layer's error: a request about a need that cannot be done."""

from __future__ import annotations

from common.errors import Refusal, RefusedError


class NeedError(RefusedError):
    """A request about a need or its order that cannot be done (by default: not now)."""

    refusal = Refusal.CONFLICT

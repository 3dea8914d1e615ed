"""The one reason type: why the engine did what it did, as a typed, versioned value.

Stored with every decision and every order, and shown the same way by the API, the
dashboard, the export and the audit log (its `rule` and `summary`). Version 1 is this shape;
version 0 marks a reason written before reasons were typed (only `rule`, `summary` and
`decided_at` are known to be there).
"""

from __future__ import annotations

from typing import Any

import msgspec

VERSION = 1


class Inputs(msgspec.Struct, frozen=True, kw_only=True):
    """What the engine read."""

    level: float | None = None
    unit: str = ""
    level_at: str | None = None
    rate_per_day: float | None = None
    rate_std: float | None = None
    rate_source: str = "none"
    observed_days: float | None = None


class Estimate(msgspec.Struct, frozen=True, kw_only=True):
    """When the need runs out, with its uncertainty."""

    model: str = ""
    runout_at: str | None = None
    runout_early_at: str | None = None
    confident: bool = False
    why_not: str = ""


class Guard(msgspec.Struct, frozen=True):
    """One guard the decision passed (or that stopped it)."""

    name: str
    passed: bool
    detail: str


class OrderTerms(msgspec.Struct, frozen=True, kw_only=True):
    """What was ordered."""

    sku: str
    quantity: int
    price_cents: int | None = None
    deliver_after: str | None = None
    cancel_until: str | None = None
    needed_until_arrival: float | None = None
    picked_from_menu: bool = False


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    """Why: inputs, estimate, rule, guard outcomes and time."""

    version: int = 0
    rule: str = ""
    summary: str = ""
    decided_at: str = ""
    experience: str = ""
    kind: str = ""
    source: str = ""  # who asked, for an order on request
    inputs: Inputs | None = None
    estimate: Estimate | None = None
    guards: tuple[Guard, ...] = ()
    order: OrderTerms | None = None
    why: str = ""  # for an ask: the guard that wants the customer's word
    changed: dict[str, str] | None = None  # for a change the customer made
    order_id: str = ""  # the order a decision placed


def to_json(reason: Reason) -> dict[str, Any]:
    """The reason as the JSON the database keeps."""
    out: dict[str, Any] = msgspec.to_builtins(reason)
    return out


def from_json(raw: object) -> Reason:
    """A stored reason; one of an older shape keeps what it can (version 0)."""
    if not isinstance(raw, dict):
        return Reason(rule=str(raw)[:256])
    try:
        return msgspec.convert(raw, Reason, strict=False)
    except msgspec.ValidationError:
        return Reason(
            rule=str(raw.get("rule", ""))[:256],
            summary=str(raw.get("summary", ""))[:512],
            decided_at=str(raw.get("decided_at", "")),
        )

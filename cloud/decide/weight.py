"""From a scale's raw weights to the stock on it, ignoring a carton lifted and put back (pure).

A jug of milk taken off the scale reads as (almost) nothing for a minute, then comes back a
little lighter. Consumption is the difference between settled weights; the empty reading in
between is a lift, not a run-out. A weight that stays low for longer than `lift_s` is real.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Sample = tuple[float, float]  # (epoch seconds, grams)


@dataclass(frozen=True, slots=True)
class LiftFilter:
    """A lift: below `low_fraction` of the settled weight, and back within `lift_s`."""

    lift_s: float = 15 * 60.0
    low_fraction: float = 0.3
    min_drop_g: float = 50.0


def settle(
    samples: Iterable[Sample], rule: LiftFilter | None = None, *, now: float | None = None
) -> list[Sample]:
    """The readings that show stock on the scale, in time order, lifts removed.

    A low reading is held back until it is known not to be a lift: a later reading that
    stays low, or (given `now`) a scale that has said nothing else for longer than a lift.
    """
    rule = rule or LiftFilter()
    kept: list[Sample] = []
    pending: list[Sample] = []
    for at, grams in sorted(samples):
        if pending:
            if grams >= kept[-1][1] * rule.low_fraction or grams - pending[-1][1] > rule.min_drop_g:
                if at - pending[0][0] <= rule.lift_s:
                    pending.clear()  # it came back: a lift
                else:
                    kept.extend(pending)
                    pending.clear()
            elif at - pending[0][0] > rule.lift_s:
                kept.extend(pending)  # it stayed away: really gone
                pending.clear()
                kept.append((at, grams))
                continue
            else:
                pending.append((at, grams))
                continue
        if (
            kept
            and grams < kept[-1][1] * rule.low_fraction
            and kept[-1][1] - grams > rule.min_drop_g
        ):
            pending.append((at, grams))
            continue
        kept.append((at, grams))
    if pending and now is not None and now - pending[0][0] > rule.lift_s:
        kept.extend(pending)
    return kept

"""A need's rate estimator: its kind's, kept as plain data on the need's row."""

from __future__ import annotations

import msgspec

from cloud.decide.kinds import Estimator, describe
from cloud.store.models import Need


def learner_of(need: Need) -> Estimator:
    """A need's estimator (its kind's), from its stored state."""
    fresh = describe(need.kind).new_estimator(need.pack_units)
    if not need.learner:
        return fresh
    try:
        return msgspec.convert(need.learner, type(fresh))
    except msgspec.ValidationError:  # stored by an older release, or another kind: start again
        return fresh


def store_learner(need: Need, learner: Estimator) -> None:
    """Keep an estimator's state on its need."""
    need.learner = msgspec.to_builtins(learner)


def pace_per_day(need: Need) -> float | None:
    """A need's learned pace per day (None before any is learned): the one source."""
    rate = learner_of(need).estimate()
    return round(rate.mean, 3) if rate.known else None

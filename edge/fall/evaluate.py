"""Measure the detector on recordings.

Per-recording sensitivity and specificity, per-activity results, the delay from impact to
detection, and subject-wise cross-validated tuning.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import numpy.typing as npt

from edge.fall.detector import Params, detect
from edge.fall.sisfall import RATE_HZ, Recording, decimate


@dataclass(frozen=True)
class Outcome:
    """The detector's verdict on one recording."""

    subject: str
    code: str
    trial: int
    is_fall: bool
    detected: bool
    delay_s: float | None  # from impact to detection, for detected labelled falls


@dataclass
class Report:
    """Aggregates of many outcomes."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, outcomes: Iterable[Outcome], *, falls: bool) -> float | None:
        chosen = [o for o in outcomes if o.is_fall == falls]
        if not chosen:
            return None
        hits = sum(1 for o in chosen if o.detected == falls)
        return hits / len(chosen)

    @property
    def sensitivity(self) -> float | None:
        """Share of fall recordings with a detection."""
        return self._rate(self.outcomes, falls=True)

    @property
    def specificity(self) -> float | None:
        """Share of daily-activity recordings without one."""
        return self._rate(self.outcomes, falls=False)

    def specificity_of(self, prefix: str) -> float | None:
        """Specificity on subjects whose id starts with `prefix` ('SE' for the elderly)."""
        return self._rate((o for o in self.outcomes if o.subject.startswith(prefix)), falls=False)

    def per_activity(self) -> dict[str, dict[str, float | int]]:
        """Per activity code: recordings, detections, and the share correct."""
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[o.code].append(o)
        return {
            code: {
                "recordings": len(items),
                "detected": sum(o.detected for o in items),
                "correct": sum(o.detected == o.is_fall for o in items) / len(items),
            }
            for code, items in sorted(groups.items())
        }

    def delays(self) -> dict[str, float | None]:
        """Median and 90th percentile delay from impact to detection, seconds."""
        values = [o.delay_s for o in self.outcomes if o.delay_s is not None]
        if not values:
            return {"median_s": None, "p90_s": None, "n": 0}
        return {
            "median_s": float(np.median(values)),
            "p90_s": float(np.percentile(values, 90)),
            "n": len(values),
        }

    def balanced_accuracy(self) -> float:
        """Mean of sensitivity and specificity (what tuning maximises)."""
        return ((self.sensitivity or 0.0) + (self.specificity or 0.0)) / 2

    def summary(self) -> dict[str, object]:
        """Everything, as plain values."""
        return {
            "recordings": len(self.outcomes),
            "falls": sum(o.is_fall for o in self.outcomes),
            "sensitivity": self.sensitivity,
            "specificity": self.specificity,
            "specificity_elderly": self.specificity_of("SE"),
            "delay": self.delays(),
            "per_activity": self.per_activity(),
        }


def _impact_index(xyz: npt.NDArray[np.float64], labels: npt.NDArray[np.int8]) -> int | None:
    fall = np.flatnonzero(labels == 2)  # noqa: PLR2004
    if fall.size == 0:
        return None
    end = min(len(xyz), fall[-1] + 1)
    svm = np.linalg.norm(xyz[fall[0] : end], axis=1)
    return int(fall[0] + int(np.argmax(svm)))


def evaluate(
    recordings: Sequence[Recording],
    params: Params,
    *,
    rate_hz: int = RATE_HZ,
) -> Report:
    """Run the detector over each recording as a stream, at `rate_hz` (200 or a divisor)."""
    factor = RATE_HZ // rate_hz
    report = Report()
    for rec in recordings:
        xyz = _at_rate(rec, factor)
        hits = np.flatnonzero(detect(xyz, params, rate_hz))
        delay = None
        if rec.is_fall and hits.size and rec.labels is not None:
            impact = _impact_index(rec.xyz, rec.labels[: len(rec.xyz)])
            if impact is not None:
                delay = float(hits[0] * factor - impact) / RATE_HZ
        report.outcomes.append(
            Outcome(rec.subject, rec.code, rec.trial, rec.is_fall, bool(hits.size), delay)
        )
    return report


GRID: dict[str, tuple[float, ...]] = {
    "impact_g": (1.6, 1.9),
    "strong_g": (1.7, 1.8, 2.0),
    "posture_deg": (30.0, 35.0, 45.0),
    "still_g": (0.12, 0.15),
}
_decimated: dict[tuple[str, int], npt.NDArray[np.float64]] = {}


def _at_rate(rec: Recording, factor: int) -> npt.NDArray[np.float64]:
    """The recording decimated by `factor`, computed once per process."""
    key = (str(rec.path), factor)
    if key not in _decimated:
        _decimated[key] = decimate(rec.xyz, factor)
    return _decimated[key]


def tune(
    recordings: Sequence[Recording],
    *,
    base: Params | None = None,
    rate_hz: int = RATE_HZ,
    grid: dict[str, tuple[float, ...]] = GRID,
) -> Params:
    """The grid point with the best balanced accuracy on `recordings`."""
    base = base or Params()
    base = base or Params()
    best, best_score = base, -1.0
    names = list(grid)
    for values in itertools.product(*(grid[n] for n in names)):
        candidate = base.replace(**dict(zip(names, values, strict=True)))
        score = evaluate(recordings, candidate, rate_hz=rate_hz).balanced_accuracy()
        if score > best_score:
            best, best_score = candidate, score
    return best


def holdout_evaluation(
    recordings: Sequence[Recording], holdout: set[str], *, folds: int = 4, rate_hz: int = RATE_HZ
) -> dict[str, object]:
    """Figures for the tuning subjects (cross-validated) and for held-out subjects.

    The held-out subjects are judged with thresholds tuned on the other subjects only.
    """
    tuning = [r for r in recordings if r.subject not in holdout]
    unseen = [r for r in recordings if r.subject in holdout]
    cv = cross_validate(tuning, folds=folds, rate_hz=rate_hz)
    params = tune(tuning, rate_hz=rate_hz)
    result: dict[str, object] = {
        "rate_hz": rate_hz,
        "tuning_subjects": sorted({r.subject for r in tuning}),
        "holdout_subjects": sorted({r.subject for r in unseen}),
        "cross_validated": cv.summary(),
        "tuned_params": {f.name: getattr(params, f.name) for f in fields(params)},
    }
    if unseen:
        result["holdout"] = evaluate(unseen, params, rate_hz=rate_hz).summary()
    return result


def cross_validate(
    recordings: Sequence[Recording],
    *,
    folds: int = 4,
    rate_hz: int = RATE_HZ,
    grid: dict[str, tuple[float, ...]] = GRID,
) -> Report:
    """Subject-wise k-fold: tune on the other folds' subjects, test on this fold's."""
    subjects = sorted({r.subject for r in recordings})
    report = Report()
    for k in range(folds):
        test_subjects = set(subjects[k::folds])
        train = [r for r in recordings if r.subject not in test_subjects]
        test = [r for r in recordings if r.subject in test_subjects]
        params = tune(train, rate_hz=rate_hz, grid=grid)
        report.outcomes += evaluate(test, params, rate_hz=rate_hz).outcomes
    return report

"""Measure and train the detector on recordings.

Per-recording sensitivity and specificity, per-activity results, the delay from impact to
detection, false alarms per hour of daily activity, training of the model, and
leave-one-subject-out cross-validation (the only tuning signal: a subject's figures always
come from a model that never saw that subject).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from common.errors import ContinuoError
from edge.fall.detector import candidates, detect
from edge.fall.layout import Params
from edge.fall.model import fit
from edge.fall.sisfall import RATE_HZ, Recording, decimate

TRAINING_RATES = (200, 50, 25)
# A candidate in a fall recording is the fall if its peak lies in the labelled fall, or
# up to this much before or after it (the filters smear and delay the peak).
_BEFORE_FALL_S, _AFTER_FALL_S = 0.5, 1.0


class TrainingError(ContinuoError):
    """The recordings cannot train a model (no labels, or no falls)."""


@dataclass(frozen=True)
class Outcome:
    """The detector's verdict on one recording."""

    subject: str
    code: str
    trial: int
    is_fall: bool
    detected: bool
    delay_s: float | None  # from impact to detection, for detected labelled falls


@dataclass(frozen=True)
class DailyStream:
    """One subject's daily-activity recordings, streamed back to back as one day."""

    subject: str
    hours: float
    alarms: int


@dataclass
class Report:
    """Aggregates of many outcomes."""

    outcomes: list[Outcome] = field(default_factory=list)
    streams: list[DailyStream] = field(default_factory=list)

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

    def delays(self) -> dict[str, float | int | None]:
        """Median, 90th percentile and largest delay from impact to detection, seconds."""
        values = [o.delay_s for o in self.outcomes if o.delay_s is not None]
        if not values:
            return {"median_s": None, "p90_s": None, "max_s": None, "n": 0}
        return {
            "median_s": float(np.median(values)),
            "p90_s": float(np.percentile(values, 90)),
            "max_s": float(max(values)),
            "n": len(values),
        }

    def false_alarms_per_hour(self, prefix: str = "") -> dict[str, float | int | None]:
        """Alarms per hour over the daily streams of subjects whose id starts with `prefix`."""
        chosen = [s for s in self.streams if s.subject.startswith(prefix)]
        hours = sum(s.hours for s in chosen)
        alarms = sum(s.alarms for s in chosen)
        return {
            "hours": hours,
            "alarms": alarms,
            "per_hour": alarms / hours if hours else None,
        }

    def balanced_accuracy(self) -> float:
        """Mean of sensitivity and specificity."""
        return ((self.sensitivity or 0.0) + (self.specificity or 0.0)) / 2

    def summary(self) -> dict[str, object]:
        """Everything, as plain values."""
        return {
            "recordings": len(self.outcomes),
            "falls": sum(o.is_fall for o in self.outcomes),
            "sensitivity": self.sensitivity,
            "specificity": self.specificity,
            "specificity_elderly": self.specificity_of("SE"),
            "missed_falls": sum(o.is_fall and not o.detected for o in self.outcomes),
            "false_alarm_recordings": sum(o.detected and not o.is_fall for o in self.outcomes),
            "delay": self.delays(),
            "false_alarms": {
                "all": self.false_alarms_per_hour(),
                "young": self.false_alarms_per_hour("SA"),
                "elderly": self.false_alarms_per_hour("SE"),
            },
            "per_activity": self.per_activity(),
        }


def _impact_index(xyz: npt.NDArray[np.float64], labels: npt.NDArray[np.int8]) -> int | None:
    fall = np.flatnonzero(labels == 2)  # noqa: PLR2004
    if fall.size == 0:
        return None
    end = min(len(xyz), fall[-1] + 1)
    svm = np.linalg.norm(xyz[fall[0] : end], axis=1)
    return int(fall[0] + int(np.argmax(svm)))


def _factor(rate_hz: int) -> int:
    if rate_hz <= 0 or RATE_HZ % rate_hz:
        msg = f"rate {rate_hz} Hz must divide {RATE_HZ} Hz"
        raise ValueError(msg)
    return RATE_HZ // rate_hz


def evaluate(
    recordings: Sequence[Recording],
    params: Params,
    *,
    rate_hz: int = RATE_HZ,
) -> Report:
    """Run the detector over each recording as a stream, at `rate_hz` (200 or a divisor).

    Each subject's daily activities are also streamed back to back, for false alarms per
    hour.
    """
    factor = _factor(rate_hz)
    report = Report()
    for rec in recordings:
        xyz = decimate(rec.xyz, factor)
        hits = np.flatnonzero(detect(xyz, params, rate_hz))
        delay = None
        if rec.is_fall and hits.size and rec.labels is not None:
            impact = _impact_index(rec.xyz, rec.labels[: len(rec.xyz)])
            if impact is not None:
                delay = float(hits[0] * factor - impact) / RATE_HZ
        report.outcomes.append(
            Outcome(rec.subject, rec.code, rec.trial, rec.is_fall, bool(hits.size), delay)
        )
    report.streams += daily_streams(recordings, params, rate_hz=rate_hz)
    return report


def daily_streams(
    recordings: Sequence[Recording], params: Params, *, rate_hz: int = RATE_HZ
) -> list[DailyStream]:
    """Each subject's daily-activity recordings joined at 200 Hz, decimated, and streamed."""
    by_subject: dict[str, list[Recording]] = defaultdict(list)
    for rec in recordings:
        if not rec.is_fall:
            by_subject[rec.subject].append(rec)
    streams = []
    for subject, recs in sorted(by_subject.items()):
        raw = np.concatenate([r.xyz for r in recs])
        xyz = decimate(raw, _factor(rate_hz))
        alarms = int(np.count_nonzero(detect(xyz, params, rate_hz)))
        streams.append(DailyStream(subject, len(raw) / RATE_HZ / 3600, alarms))
    return streams


@dataclass(frozen=True)
class _Candidates:
    """One recording's candidate impacts at one rate, as training sees them."""

    features: npt.NDArray[np.float64]
    is_fall: npt.NDArray[np.bool_]  # the candidate is the labelled fall
    usable: npt.NDArray[np.bool_]  # in a fall recording, others are neither fall nor not


def _candidates(rec: Recording, params: Params, rate_hz: int) -> _Candidates:
    where, feats = candidates(decimate(rec.xyz, _factor(rate_hz)), params, rate_hz)
    peak_s = where / rate_hz - round(params.post_s * 25) / 25
    is_fall = np.zeros(len(where), dtype=np.bool_)
    if rec.is_fall:
        if rec.labels is None:
            msg = f"{rec.path}: a fall without labels cannot train the model (--labels)"
            raise TrainingError(msg)
        fall = np.flatnonzero(rec.labels == 2)  # noqa: PLR2004
        if fall.size:
            lo = fall[0] / RATE_HZ - _BEFORE_FALL_S
            hi = fall[-1] / RATE_HZ + _AFTER_FALL_S
            is_fall = (peak_s >= lo) & (peak_s <= hi)
    usable = is_fall | np.full(len(where), not rec.is_fall)
    return _Candidates(feats, is_fall, usable)


def _fit(found: Iterable[_Candidates], params: Params, l2: float) -> Params:
    chosen = list(found)
    y = np.concatenate([c.is_fall[c.usable] for c in chosen]) if chosen else np.zeros(0, bool)
    if not y.any() or y.all():
        msg = "training needs candidates from both falls and daily activities"
        raise TrainingError(msg)
    x = np.concatenate([c.features[c.usable] for c in chosen])
    return params.replace(model=fit(x, y, l2=l2))


def train(
    recordings: Sequence[Recording],
    *,
    params: Params | None = None,
    rates: Sequence[int] = TRAINING_RATES,
    l2: float = 1.0,
) -> Params:
    """`params` with a model fitted on every candidate of `recordings` at each of `rates`."""
    params = params or Params()
    return _fit((_candidates(r, params, rate) for rate in rates for r in recordings), params, l2)


def cross_validate(
    recordings: Sequence[Recording],
    *,
    params: Params | None = None,
    rate_hz: int = RATE_HZ,
    l2: float = 1.0,
) -> Report:
    """Leave one subject out: train on the others, judge this subject; for every subject."""
    params = params or Params()
    found = [
        (r.subject, _candidates(r, params, rate)) for rate in TRAINING_RATES for r in recordings
    ]
    report = Report()
    for subject in sorted({r.subject for r in recordings}):
        trained = _fit((c for s, c in found if s != subject), params, l2)
        fold = evaluate([r for r in recordings if r.subject == subject], trained, rate_hz=rate_hz)
        report.outcomes += fold.outcomes
        report.streams += fold.streams
    return report


def holdout_evaluation(
    recordings: Sequence[Recording], holdout: set[str], *, rate_hz: int = RATE_HZ
) -> dict[str, object]:
    """Figures for the tuning subjects (cross-validated) and for held-out subjects.

    The held-out subjects are judged with a model trained on the other subjects only.
    """
    tuning = [r for r in recordings if r.subject not in holdout]
    unseen = [r for r in recordings if r.subject in holdout]
    result: dict[str, object] = {
        "rate_hz": rate_hz,
        "tuning_subjects": sorted({r.subject for r in tuning}),
        "holdout_subjects": sorted({r.subject for r in unseen}),
        "cross_validated": cross_validate(tuning, rate_hz=rate_hz).summary(),
    }
    if unseen:
        result["holdout"] = evaluate(unseen, train(tuning), rate_hz=rate_hz).summary()
    return result

"""What differs by kind of need, declared once: one frozen description per kind.

Home Assistant's entity-description style: the engine, the keeper and the API read a row of
this table instead of branching on the kind. Everything after the estimate is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol, Self

from cloud.decide.learning import Prior, RateEstimate, RateLearner
from cloud.decide.level_line import LevelLine
from cloud.terms import NeedKind, Stream


class Estimator(Protocol):
    """Learns a need's consumption from its level readings, one reading at a time."""

    @property
    def last_at(self) -> float | None:
        """When the last reading was taken."""
        ...

    @property
    def last_level(self) -> float | None:
        """The last reading."""
        ...

    @property
    def rises(self) -> tuple[float, ...]:
        """When new packs went in."""
        ...

    def update(self, at: float, level: float, *, away: bool = False) -> Self:
        """Learn from one reading."""
        ...

    def rises_since(self, since: float) -> int:
        """How many new packs since `since`."""
        ...

    def estimate(self, prior: Prior | None = None) -> RateEstimate:
        """The rate to forecast with."""
        ...


class Source(StrEnum):
    """Where a need's level readings come from."""

    PRINTER_SUPPLY = "printer_supply"  # a printer's marker level, percent
    SCALE = "scale"  # a scale's settled weight, grams, lifts filtered


class Fit(StrEnum):
    """Which products fit a need."""

    PRINTER_MODEL = "printer_model"  # the cartridges the catalog lists for the printer and colour
    SAME_KIND = "same_kind"  # every pack of the same kind of good


@dataclass(frozen=True, slots=True, kw_only=True)
class KindDescription:
    """Everything that differs between kinds of need."""

    kind: NeedKind
    unit: str  # what a level is measured in
    stream: Stream  # the consent stream its readings belong to
    source: Source
    fit: Fit
    estimator: Callable[[float, float], Estimator]  # a fresh one, given the pack and refill
    refill_share: float  # a rise of this share of a pack is a new pack
    critical_share: float  # at or below this share of a pack, act on whatever data there is
    pack_units: float | None = None  # a new pack's level when fixed (a cartridge: 100 %)
    idle_nudge: bool = False  # nudge maintenance after a long idle period (print heads dry)

    def new_estimator(self, pack_units: float) -> Estimator:
        """A fresh estimator for a pack of `pack_units`."""
        return self.estimator(pack_units, pack_units * self.refill_share)

    def critical_level(self, pack_units: float) -> float:
        """The level at or below which sparse or coarse data never means silence."""
        return pack_units * self.critical_share


def _line(pack: float, refill: float) -> Estimator:
    del pack  # a new cartridge starts a new line: its size does not matter
    return LevelLine(refill=refill)


def _learned(pack: float, refill: float) -> Estimator:
    return RateLearner(refill=refill, pack=pack)


def _scale_good(kind: NeedKind) -> KindDescription:
    return KindDescription(
        kind=kind,
        unit="g",
        stream=Stream.WEIGHTS,
        source=Source.SCALE,
        fit=Fit.SAME_KIND,
        estimator=_learned,
        refill_share=0.3,
        critical_share=0.1,
    )


KINDS: Final[dict[NeedKind, KindDescription]] = {
    NeedKind.CARTRIDGE: KindDescription(
        kind=NeedKind.CARTRIDGE,
        unit="%",
        stream=Stream.INK_LEVELS,
        source=Source.PRINTER_SUPPLY,
        fit=Fit.PRINTER_MODEL,
        estimator=_line,
        refill_share=0.1,
        critical_share=0.1,
        pack_units=100.0,
        idle_nudge=True,
    ),
    **{
        kind: _scale_good(kind)
        for kind in (
            NeedKind.MILK,
            NeedKind.PET_FOOD,
            NeedKind.COFFEE,
            NeedKind.MEDICATION,
            NeedKind.PAPER,
        )
    },
}


def describe(kind: str) -> KindDescription:
    """The description of a kind; ValueError for a kind nobody declared."""
    return KINDS[NeedKind(kind)]

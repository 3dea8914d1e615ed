"""Every kind through the one engine: the kinds table, the cartridge's level line, the guards."""

from __future__ import annotations

import dataclasses
import random

import pytest

from cloud.decide.engine import Ask, OpenOrder, PlaceOrder, Product, Snapshot, decide
from cloud.decide.kinds import KINDS, Fit, Source, describe
from cloud.decide.learning import DAY
from cloud.decide.level_line import LevelLine
from cloud.terms import Experience, NeedKind, Stream

NOW = 1_800_000_000.0
INK = Product("F6U15AN", "HP 952 Black", 100.0, 3599, 3 * DAY)


def series(
    start: float, per_day: float, days: float, every_h: float = 6, noise: float = 0.0, step: int = 1
) -> list[tuple[float, float]]:
    """Readings ending at NOW; `step` rounds them down like a printer's coarse gauge."""
    rng = random.Random(3)
    n = int(days * 24 / every_h) + 1
    out = []
    for i in range(n):
        t = NOW - days * DAY + i * every_h * 3600
        level = start - per_day * (t - (NOW - days * DAY)) / DAY + rng.gauss(0, noise)
        out.append((t, float(max(0, min(100, int(level // step) * step)))))
    return out


def cartridge(readings: list[tuple[float, float]], **kw: object) -> Snapshot:
    """A cartridge need's snapshot, built from its readings as cloud/needs/snapshot.py builds it."""
    kind = KINDS[NeedKind.CARTRIDGE]
    line = kind.new_estimator(100.0)
    for t, level in readings:
        line = line.update(t, level)
    base = Snapshot(
        need_id="n1",
        kind=kind.kind,
        experience=Experience.AUTO,
        product=INK,
        level=readings[-1][1],
        level_at=readings[-1][0],
        rate=line.estimate(),
        authorized=True,
        unit=kind.unit,
        critical_level=kind.critical_level(100.0),
        idle_nudge=kind.idle_nudge,
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def test_every_kind_is_declared_once_with_its_stream_source_and_fit() -> None:
    assert set(KINDS) == set(NeedKind)
    ink = describe("cartridge")
    assert (ink.stream, ink.source, ink.fit, ink.pack_units) == (
        Stream.INK_LEVELS,
        Source.PRINTER_SUPPLY,
        Fit.PRINTER_MODEL,
        100.0,
    )
    milk = describe("milk")
    assert (milk.stream, milk.source, milk.fit) == (Stream.WEIGHTS, Source.SCALE, Fit.SAME_KIND)
    with pytest.raises(ValueError, match="toaster"):
        describe("toaster")


@pytest.mark.parametrize(
    ("readings", "pace", "tolerance"),
    [
        (series(80, 4.0, days=10), 4.0, 0.02),
        (series(90, 3.0, days=12, every_h=1, noise=1.5), 3.0, 0.1),
        (series(95, 3.0, days=12, every_h=2, step=10), 3.0, 0.15),  # an HP printer's 10 % steps
    ],
)
def test_the_level_line_recovers_the_pace_of_fine_noisy_and_coarse_readings(
    readings: list[tuple[float, float]], pace: float, tolerance: float
) -> None:
    rate = cartridge(readings).rate
    assert rate.source == "own"
    assert rate.mean == pytest.approx(pace, rel=tolerance)


def test_a_new_cartridge_starts_a_new_line() -> None:
    line = LevelLine(refill=10.0)
    for t, level in [*series(30, 5, days=4), (NOW + 3600, 100.0), (NOW + 7200, 99.0)]:
        line = line.update(t, level)
    assert line.points == ((NOW + 3600, 100.0), (NOW + 7200, 99.0))
    assert line.rises == (NOW + 3600,)


def test_scattered_readings_are_a_doubt_the_customer_hears() -> None:
    rng = random.Random(1)
    erratic = [(NOW - DAY + i * 3600, float(rng.choice([60, 15, 80, 30, 45]))) for i in range(24)]
    line = LevelLine(refill=100.0)  # no jump counts as a new cartridge here: only scatter
    for t, level in erratic:
        line = line.update(t, level)
    assert any("scatter" in d for d in line.estimate().doubts)


def test_a_cartridge_orders_through_the_one_engine_with_typed_reasons() -> None:
    decision = decide(cartridge(series(28, 5.0, days=5)), NOW)
    (order,) = decision.actions
    assert isinstance(order, PlaceOrder)
    assert order.sku == "F6U15AN"
    assert order.cancel_until is not None  # held: undoable
    assert order.reason.kind == "cartridge"
    assert order.reason.inputs is not None
    assert order.reason.inputs.rate_per_day == pytest.approx(5.0, rel=0.05)
    assert "HP 952 Black" in order.reason.summary
    assert decide(cartridge(series(90, 2.0, days=5)), NOW).note == "enough stock for now"


@pytest.mark.parametrize(
    ("kw", "note"),
    [
        ({"authorized": False}, "not authorized"),
        ({"consented": False}, "withdrew consent"),
        ({"open_order": OpenOrder("o1", NOW - DAY, "placed")}, "on its way"),
        ({"product": dataclasses.replace(INK, sku="")}, "operator"),
    ],
)
def test_no_order_without_authorization_consent_product_or_with_one_open(
    kw: dict[str, object], note: str
) -> None:
    decision = decide(cartridge(series(12, 5.0, days=5), **kw), NOW)
    assert decision.actions == ()
    assert note in decision.note


def test_sparse_coarse_readings_never_mean_silence_at_the_critical_level() -> None:
    """A real printer: toner 40 -> 25 -> 12 -> 6 % in four readings (the issue's case)."""
    steps = [(NOW - 3 * 3600, 40.0), (NOW - 2 * 3600, 25.0), (NOW - 3600, 12.0), (NOW, 6.0)]
    decision = decide(cartridge(steps), NOW)
    (order,) = decision.actions
    assert isinstance(order, PlaceOrder)
    assert "critical" in order.reason.rule
    (confidence,) = [g for g in order.reason.guards if g.name == "confidence"]
    assert confidence.passed
    assert "critical level" in confidence.detail


def test_above_the_critical_level_sparse_data_asks_instead_of_guessing() -> None:
    sparse = [(NOW - DAY, 30.0), (NOW, 15.0)]  # a day of readings, falling fast
    decision = decide(cartridge(sparse), NOW)
    (ask,) = decision.actions
    assert isinstance(ask, Ask)
    assert "not trusted" in ask.reason.why


def test_stale_or_paceless_data_at_the_critical_level_still_orders() -> None:
    one = [(NOW - 5 * DAY, 7.0)]  # one reading, five days old: no pace, stale
    (order,) = decide(cartridge(one), NOW).actions
    assert isinstance(order, PlaceOrder)
    assert decide(cartridge([(NOW, 50.0)]), NOW).note.startswith("learning the pace")


@pytest.mark.parametrize(
    ("kw", "why"),
    [
        ({"spend_cap_cents": 100, "spent_this_month_cents": 0}, "monthly cap"),
        ({"cancelled_at": NOW - 3600}, "undid"),
    ],
)
def test_a_guard_that_wants_the_customers_word_asks_at_the_critical_level_too(
    kw: dict[str, object], why: str
) -> None:
    decision = decide(cartridge(series(8, 5.0, days=5), **kw), NOW)
    (ask,) = decision.actions
    assert isinstance(ask, Ask)
    assert why in ask.reason.why
    assert any(not g.passed for g in ask.reason.guards)

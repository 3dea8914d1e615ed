"""The pure forecast and replenishment engine, on synthetic series and a fixed time."""

from __future__ import annotations

import random
from typing import Any

import pytest

from cloud.decide.cartridge_line import DAY, ForecastPolicy, current_episode, forecast
from cloud.decide.replenish import (
    CompleteOrder,
    FlagForOperator,
    PlaceOrder,
    ReplenishPolicy,
    SupplyView,
    decide_supply,
)
from cloud.orders.catalog import Catalog, Pack

NOW = 1_800_000_000.0
CATALOG = Catalog.load()
POLICY = ReplenishPolicy(lead_time_s=3 * DAY, safety_s=2 * DAY)


def series(
    start_level: float,
    rate_per_day: float,
    days: float,
    every_h: float = 6,
    noise: float = 0.0,
    seed: int = 0,
) -> list[tuple[float, int]]:
    rng = random.Random(seed)
    n = int(days * 24 / every_h) + 1
    points = []
    for i in range(n):
        t = NOW - days * DAY + i * every_h * 3600
        level = start_level - rate_per_day * (t - (NOW - days * DAY)) / DAY + rng.gauss(0, noise)
        points.append((t, max(0, min(100, round(level)))))
    return points


def view(history: list[tuple[float, int]], **kw: object) -> SupplyView:
    base: dict[str, object] = {
        "device_id": "pi-1",
        "sensor": "printer",
        "index": 1,
        "name": "Black",
        "color": "black",
        "consumed": True,
        "level_state": "known",
        "history": history,
        "make": "HP",
        "model": "OfficeJet Pro 8710",
        "auto_replenish": True,
    }
    base.update(kw)
    return SupplyView(**base)  # type: ignore[arg-type]


def test_forecast_recovers_rate_and_runout_of_a_linear_series() -> None:
    fc = forecast(series(80, 4.0, days=10), now=NOW, policy=ForecastPolicy())
    assert fc.confident
    assert fc.rate_per_day == pytest.approx(4.0, rel=0.02)
    assert fc.runout_at == pytest.approx(NOW + 10 * DAY, abs=0.3 * DAY)


def test_forecast_is_accurate_on_noisy_readings() -> None:
    fc = forecast(
        series(90, 3.0, days=12, every_h=1, noise=1.5, seed=3), now=NOW, policy=ForecastPolicy()
    )
    assert fc.confident
    assert fc.rate_per_day == pytest.approx(3.0, rel=0.1)


def test_refill_starts_a_new_episode() -> None:
    history = [*series(30, 5, days=4), (NOW + 3600, 100), (NOW + 7200, 99)]
    start, episode = current_episode(history, refill_jump=10)
    assert start == len(history) - 2
    assert episode == history[-2:]


def test_orders_when_runout_falls_inside_lead_time_plus_margin() -> None:
    decision = decide_supply(view(series(28, 5.0, days=5)), now=NOW, policy=POLICY, catalog=CATALOG)
    (order,) = decision.actions
    assert isinstance(order, PlaceOrder)
    assert order.cartridge.sku == "F6U15AN"
    assert order.reason["rule"].startswith("order when predicted run-out")
    assert order.reason["rate_per_day"] == pytest.approx(5.0, rel=0.05)
    assert "HP 952 Black" in order.reason["summary"]


def test_no_order_while_plenty_is_left() -> None:
    decision = decide_supply(view(series(90, 2.0, days=5)), now=NOW, policy=POLICY, catalog=CATALOG)
    assert decision.actions == ()
    assert decision.note == "enough supply for now"


@pytest.mark.parametrize(
    ("kw", "note"),
    [
        ({"auto_replenish": False}, "not authorized"),
        ({"level_state": "unknown"}, "no order from unknown data"),
        ({"open_order_id": "o1", "open_order_created": NOW - DAY}, "already open"),
        ({"history": series(40, 5.0, days=5)[-2:]}, "forecast not trusted"),
    ],
)
def test_no_order_without_authorization_or_from_bad_data(kw: dict[str, object], note: str) -> None:
    history: Any = kw.pop("history", series(40, 5.0, days=5))
    decision = decide_supply(view(history, **kw), now=NOW, policy=POLICY, catalog=CATALOG)
    assert not any(isinstance(a, PlaceOrder) for a in decision.actions)
    assert note in decision.note


def test_no_order_from_stale_data() -> None:
    stale = series(40, 5.0, days=5)
    decision = decide_supply(view(stale), now=NOW + 3 * DAY, policy=POLICY, catalog=CATALOG)
    assert decision.actions == ()
    assert "old" in decision.note


def test_no_order_from_contradictory_data() -> None:
    rng = random.Random(1)
    erratic = [(NOW - DAY + i * 3600, rng.choice([5, 60, 15, 80, 30])) for i in range(24)]
    decision = decide_supply(view(erratic), now=NOW, policy=POLICY, catalog=CATALOG)
    assert decision.actions == ()
    assert "contradict" in decision.note


def test_unknown_model_is_flagged_never_guessed() -> None:
    decision = decide_supply(
        view(series(10, 5.0, days=5), model="OfficeJet Pro 9999"),
        now=NOW,
        policy=POLICY,
        catalog=CATALOG,
    )
    (flag,) = decision.actions
    assert isinstance(flag, FlagForOperator)
    assert "OfficeJet Pro 9999" in flag.detail


def test_replacement_closes_the_open_order_and_does_not_reorder() -> None:
    history = [*series(12, 5.0, days=3), (NOW + 600, 100), (NOW + 1200, 100)]
    decision = decide_supply(
        view(history, open_order_id="o1", open_order_created=NOW - DAY),
        now=NOW + 1200,
        policy=POLICY,
        catalog=CATALOG,
    )
    assert decision.actions == (CompleteOrder("o1", NOW + 600),)


def test_waste_receptacle_is_never_ordered() -> None:
    decision = decide_supply(
        view(series(5, 5.0, days=3), consumed=False), now=NOW, policy=POLICY, catalog=CATALOG
    )
    assert decision.actions == ()


def test_preferred_pack_is_honoured() -> None:
    decision = decide_supply(
        view(series(20, 5.0, days=5), pack=Pack.XL), now=NOW, policy=POLICY, catalog=CATALOG
    )
    (order,) = decision.actions
    assert isinstance(order, PlaceOrder)
    assert order.cartridge.sku == "F6U19AN"

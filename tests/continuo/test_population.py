"""The population benchmark: seeded, and run on production's snapshot and order lifecycle."""

from __future__ import annotations

import math

import pytest

from cloud.decide.engine import Policy
from cloud.decide.learning import DAY
from cloud.terms import OrderSource, OrderStatus
from continuo.bench.population import (
    STRATEGIES,
    T0,
    Tally,
    _household,
    _Run,
    markdown,
    metrics,
    simulate,
)

Figures = dict[str, dict[str, float | int | None]]


@pytest.fixture(scope="module")
def figures() -> Figures:
    return metrics(simulate(customers=60, days=150, seed=7))


def test_the_benchmark_is_seeded_and_the_baselines_rank_as_expected(figures: Figures) -> None:
    assert figures == metrics(simulate(customers=60, days=150, seed=7, workers=2))
    naive, bwwh = figures["naive_threshold"], figures["buy_what_we_have"]
    assert isinstance(naive["stockout_days_per_1000"], float)
    assert isinstance(bwwh["stockout_days_per_1000"], float)
    assert naive["stockout_days_per_1000"] < bwwh["stockout_days_per_1000"]
    assert naive["duplicate_orders"] == bwwh["duplicate_orders"] == 0  # customers wait
    error = figures["continuo_auto"]["runout_error_days_mae"]
    assert isinstance(error, float)
    assert math.isfinite(error)
    assert error < 3.0


@pytest.mark.xfail(
    strict=True,
    reason=(
        "production closes an automatic order only once its sensor has seen every pack go in "
        "(cloud.orders.lifecycle.saw_new_packs / in_use): a pack that goes in while the "
        "sensor is offline leaves the order open for good and the need is never ordered "
        "again; and an order the customer places on an ask holds no "
        "open-order key, so the engine may order again while it is on its way"
    ),
)
def test_automatic_execution_beats_both_baselines_without_duplicates(figures: Figures) -> None:
    auto, naive = figures["continuo_auto"], figures["naive_threshold"]
    assert isinstance(auto["stockout_days_per_1000"], float)
    assert isinstance(naive["stockout_days_per_1000"], float)
    assert auto["stockout_days_per_1000"] * 5 < naive["stockout_days_per_1000"]
    assert auto["duplicate_orders"] == 0


@pytest.mark.parametrize("strategy", ["continuo_auto", "continuo_coach", "naive_threshold"])
def test_every_order_lives_productions_lifecycle(strategy: str) -> None:
    days = 120
    households = [_household(3, i, days) for i in range(40)]
    run = _Run(strategy, households, days, Policy())
    run.run()
    last_evening = T0 + (days - 1) * DAY
    engine_orders = 0
    for st in run.state.values():
        orders = list(st.orders.values())
        assert sum(o.open_key is not None for o in orders) <= 1  # one open order per need
        for order in orders:
            if order.source is OrderSource.ENGINE:
                engine_orders += 1
                assert order.open_key is not None or order.status is OrderStatus.INSTALLED
                if order.created_at < last_evening:  # its cancel window has closed since
                    assert order.status is not OrderStatus.HELD
            else:
                assert order.open_key is None  # a customer's order holds no key
            if order.id in st.coming:
                assert order.status in {OrderStatus.HELD, OrderStatus.PLACED, OrderStatus.INSTALLED}
            else:
                assert order.status in {OrderStatus.DELIVERED, OrderStatus.INSTALLED}
    assert (engine_orders > 0) is (strategy == "continuo_auto")


def test_the_summary_says_more_when_automatic_execution_is_worse() -> None:
    figures = metrics({s: Tally() for s in STRATEGIES})

    def summary(bwwh: float, naive: float, auto: float) -> str:
        figures["buy_what_we_have"]["stockout_days_per_1000"] = bwwh
        figures["naive_threshold"]["stockout_days_per_1000"] = naive
        figures["continuo_auto"]["stockout_days_per_1000"] = auto
        return markdown(figures, header="h").splitlines()[-1]

    assert summary(113.5, 66.9, 2.06) == (
        "Automatic execution has 55x fewer stock-out days than buy what we have and 32.5x fewer "
        "than the naive 10 % threshold."
    )
    assert summary(113.5, 66.9, 264.8) == (
        "Automatic execution has 2.3x more stock-out days than buy what we have and 4.0x more "
        "than the naive 10 % threshold."
    )

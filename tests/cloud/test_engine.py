"""The decision engine, the learner and the lift filter: pure functions on known series."""

from __future__ import annotations

import random

import pytest

from cloud.decide.engine import (
    Ask,
    OpenOrder,
    PlaceOrder,
    Policy,
    Product,
    Remind,
    Snapshot,
    decide,
    decide_request,
    demand_over,
    offer,
    order_point,
    service_z,
)
from cloud.decide.learning import DAY, Population, Prior, RateEstimate, RateLearner, cadence_days
from cloud.decide.weight import settle
from cloud.terms import Experience

T0 = 1_767_225_600.0  # Thursday 2026-01-01 00:00 UTC
MILK = Product("MILK-1G", "milk, 1 gallon", 3900.0, 429, DAY)
INK = Product("INK-1", "ink cartridge", 100.0, 2999, 3 * DAY)


def snap(**kw: object) -> Snapshot:
    base: dict[str, object] = {
        "need_id": "c1/milk",
        "kind": "milk",
        "experience": Experience.AUTO,
        "product": MILK,
        "level": 3000.0,
        "level_at": T0,
        "rate": RateEstimate(500.0, 100.0, observed_days=20, source="own"),
        "authorized": True,
    }
    base.update(kw)
    return Snapshot(**base)  # type: ignore[arg-type]


def test_learner_recovers_a_known_rate_and_its_spread() -> None:
    rng = random.Random(4)
    learner = RateLearner(refill=1000.0)
    level = 3900.0
    for day in range(60):
        level -= rng.gauss(400.0, 40.0)
        if level < 300:
            level += 3900.0  # a new gallon, not negative consumption
        learner = learner.update(T0 + day * DAY, level)
    est = learner.estimate()
    assert est.mean == pytest.approx(400.0, rel=0.05)
    assert 20.0 < est.std < 70.0
    assert est.source == "own"
    assert len(learner.rises) >= 5


def test_learner_finds_the_weekly_pattern() -> None:
    learner = RateLearner(refill=1000.0)
    level = 100_000.0
    for day in range(42):
        weekday = (day + 3) % 7  # T0 is a Thursday
        level -= 900.0 if weekday >= 5 else 300.0
        learner = learner.update(T0 + (day + 1) * DAY, level)
    week = learner.estimate().weekday
    assert week[5] / week[0] == pytest.approx(3.0, rel=0.1)


def test_a_new_customer_starts_from_the_population_prior() -> None:
    learner = RateLearner(refill=1000.0)
    assert not learner.estimate().known
    prior = Prior(450.0, 120.0)
    first = learner.estimate(prior)
    assert (first.mean, first.source) == (450.0, "population")
    learner = learner.update(T0, 3900.0).update(T0 + DAY, 3700.0).update(T0 + 2 * DAY, 3500.0)
    blended = learner.estimate(prior)
    assert blended.source == "own+population"
    assert 200.0 < blended.mean < 450.0


def test_the_day_a_pack_runs_out_is_learned_when_the_pack_size_is_known() -> None:
    # A big household: a gallon lasts two or three days, so many readings cross a new pack.
    # Skipping those days would learn from the light ones only.
    blind = RateLearner(refill=1170.0)
    sighted = RateLearner(refill=1170.0, pack=3900.0)
    level = 3900.0
    for day in range(45):
        level -= 2500.0 if day % 3 == 0 else 1300.0
        if level < 0:
            level += 3900.0
        blind = blind.update(T0 + day * DAY, level)
        sighted = sighted.update(T0 + day * DAY, level)
    assert len(sighted.rises) >= 10
    assert sighted.estimate().mean == pytest.approx(1700.0, rel=0.05)
    assert blind.estimate().mean < 0.95 * 1700.0


def test_a_heavy_day_is_remembered_and_widens_the_margin() -> None:
    learner = RateLearner(refill=1000.0, pack=3900.0)
    level = 100_000.0
    for day in range(30):
        level -= 1600.0 if day == 20 else 400.0  # guests on day 20
        learner = learner.update(T0 + day * DAY, level)
    rate = learner.estimate()
    assert rate.peak == pytest.approx(1200.0, rel=0.15)
    # Two days of use plus a Gaussian margin are under 1,850 g; one more heavy day is not.
    assert decide(snap(level=1850.0, rate=rate), T0).actions != ()
    calm = RateEstimate(rate.mean, rate.std, observed_days=30, source="own")
    assert decide(snap(level=1850.0, rate=calm), T0).actions == ()


def test_a_need_ordered_often_gets_a_wider_margin_per_order() -> None:
    policy = Policy()
    monthly = RateEstimate(100.0, 30.0, observed_days=30, source="own")  # a gallon a month
    weekly = RateEstimate(1500.0, 450.0, observed_days=30, source="own")  # 3 gallons a week
    assert service_z(monthly, MILK, policy) == policy.service_z
    assert service_z(weekly, MILK, policy) > policy.service_z + 0.3


def test_population_priors_and_bought_together() -> None:
    pop = Population()
    for rate in (100.0, 110.0, 90.0, 105.0):
        pop.observe_rate("coffee", rate)
    assert pop.prior("coffee") is None  # too few customers yet
    pop.observe_rate("coffee", 95.0)
    prior = pop.prior("coffee")
    assert prior is not None
    assert prior.mean == 100.0
    for customer in ("a", "b", "c"):
        pop.observe_order(customer, "INK-1", T0)
    pop.observe_order("a", "PAPER-500", T0)
    pop.observe_order("b", "PAPER-500", T0)
    ((other, share),) = pop.bought_together("INK-1")
    assert other == "PAPER-500"
    assert share == pytest.approx(2 / 3)
    assert cadence_days([T0, T0 + 56 * DAY, T0 + 112 * DAY]) == 56.0


def test_a_carton_lifted_and_put_back_is_not_consumption() -> None:
    samples = [
        (T0, 3000.0),
        (T0 + 60, 3000.0),
        (T0 + 120, 4.0),  # lifted
        (T0 + 180, 2.0),
        (T0 + 240, 2750.0),  # back, a glass poured
        (T0 + 3600, 2750.0),
        (T0 + 4000, 0.0),  # finished and thrown away: stays empty
        (T0 + 4000 + 3600, 0.0),
    ]
    settled = settle(samples)
    assert [g for _, g in settled] == [3000.0, 3000.0, 2750.0, 2750.0, 0.0, 0.0]


def test_forecast_on_a_known_series_is_accurate() -> None:
    s = snap(level=5000.0, rate=RateEstimate(500.0, 0.0, observed_days=30, source="own"))
    decision = decide(s, T0)
    assert decision.runout.expected_at == pytest.approx(T0 + 10 * DAY, abs=60)
    assert decision.runout.early_at == pytest.approx(T0 + 10 * DAY, abs=60)
    spread = decide(snap(level=5000.0), T0).runout
    assert spread.early_at is not None
    assert spread.expected_at is not None
    assert spread.early_at < spread.expected_at  # uncertainty moves the early bound ahead


def test_automatic_execution_orders_before_run_out_with_its_reasons() -> None:
    assert decide(snap(level=3000.0), T0).actions == ()  # six days left, delivery takes one
    decision = decide(snap(level=900.0), T0)
    (order,) = decision.actions
    assert isinstance(order, PlaceOrder)
    assert (order.sku, order.quantity) == ("MILK-1G", 1)
    assert order.cancel_until == T0 + Policy().cancel_window_s
    assert order.reason.inputs is not None
    assert order.reason.inputs.level == 900.0
    assert order.reason.estimate is not None
    assert (order.reason.estimate.runout_at or "").startswith("2026-01-02")
    assert "lead" in order.reason.rule
    guards = {g.name: g for g in order.reason.guards}
    assert guards["authorization"].passed
    assert "authorized" in guards["authorization"].detail
    assert all(g.passed for g in order.reason.guards)


def test_the_order_point_is_when_the_engine_itself_first_orders() -> None:
    s = snap(level=3900.0)
    policy = Policy(stale_after_s=30 * DAY)  # no new reading in between, and still trusted
    at = order_point(s, T0, policy)
    assert at is not None
    assert T0 < at < T0 + 8 * DAY  # 3,900 g at 500 g/day runs out in under 8 days
    hour = 3600.0

    def ordered(t: float) -> bool:  # what the engine decides at t with no new reading
        return any(isinstance(a, PlaceOrder) for a in decide(s, t, policy).actions)

    assert not ordered(at - hour)
    assert ordered(at + hour)
    assert order_point(snap(level=100.0), T0) == T0  # already due: now
    no_pace = snap(rate=RateEstimate(0.0, 0.0))
    assert order_point(no_pace, T0) is None
    on_its_way = snap(level=100.0, open_order=OpenOrder("o-1", T0 - 3600, "placed"))
    assert order_point(on_its_way, T0) is None  # the order on its way is the answer
    lasting = snap(rate=RateEstimate(1.0, 0.1, observed_days=20, source="own"))
    assert order_point(lasting, T0) is None  # 3,900 g at 1 g/day: not within the horizon


def test_no_order_without_authorization_or_with_one_on_its_way() -> None:
    assert decide(snap(level=900.0, authorized=False), T0).actions == ()
    on_its_way = OpenOrder("o1", T0 - DAY, "shipped")
    assert decide(snap(level=900.0, open_order=on_its_way), T0).actions == ()


def test_an_absence_shifts_the_delivery_and_uses_nothing() -> None:
    away = ((T0 + 0.5 * DAY, T0 + 8 * DAY),)
    assert demand_over(snap().rate, T0 + DAY, 2 * DAY, away) == (0.0, 0.0)
    decision = decide(snap(level=600.0, absences=away), T0)
    (order,) = decision.actions
    assert isinstance(order, PlaceOrder)
    assert order.deliver_after == T0 + 8 * DAY  # no milk into an empty house, but not lost
    assert decide(snap(level=2000.0, absences=away), T0).actions == ()  # nothing used away


def test_the_spend_cap_and_stale_data_ask_instead_of_ordering() -> None:
    capped = decide(snap(level=900.0, spend_cap_cents=5000, spent_this_month_cents=4800), T0)
    (ask,) = capped.actions
    assert isinstance(ask, Ask)
    assert "cap" in ask.message
    stale = decide(snap(level=900.0, level_at=T0 - 3 * DAY), T0)
    assert isinstance(stale.actions[0], Ask)
    assert "h old" in stale.actions[0].message
    again = decide(snap(level=900.0, level_at=T0 - 3 * DAY, last_ask_at=T0 - 3600), T0)
    assert again.actions == ()  # one ask per period
    contradictory = decide(snap(level=900.0, rises_recent=4), T0)
    assert isinstance(contradictory.actions[0], Ask)


def test_an_ask_goes_out_early_enough_for_the_answer() -> None:
    stale = snap(level=1700.0, level_at=T0 - 3 * DAY + 3600)  # untrusted: the sensor is quiet
    assert isinstance(decide(stale, T0).actions[0], Ask)  # an order would wait another day
    assert decide(snap(level=1700.0), T0).actions == ()  # a trusted forecast orders later


def test_a_quiet_sensor_widens_the_margin_by_what_may_have_been_used_since() -> None:
    rate = RateEstimate(500.0, 250.0, observed_days=30, source="own")
    fresh = decide(snap(level=2100.0, rate=rate), T0)
    assert fresh.actions == ()
    quiet = decide(snap(level=2100.0 + 500.0, level_at=T0 - DAY, rate=rate), T0)
    assert quiet.actions != ()  # same expected level now, less known about it


def test_coaching_reminds_once_per_period_outside_quiet_hours() -> None:
    coach = {"experience": Experience.COACH, "level": 900.0}
    (nudge,) = decide(snap(**coach), T0 + 10 * 3600).actions
    assert isinstance(nudge, Remind)
    assert nudge.topic == "runout"
    quiet = decide(snap(**coach, quiet_hours=(22, 7)), T0 + 23 * 3600)
    assert quiet.actions == ()
    assert "quiet" in quiet.note
    assert decide(snap(**coach, last_reminder_at=T0), T0 + 3600).actions == ()
    cadence = decide(
        snap(
            experience=Experience.COACH,
            level=None,
            level_at=None,
            cadence_days=56.0,
            last_order_at=T0 - 49 * DAY,
        ),
        T0,
    )
    (reminder,) = cadence.actions
    assert isinstance(reminder, Remind)
    assert "every 56 days" in reminder.message
    assert "49" in reminder.message


def test_an_idle_printer_gets_a_cleaning_nudge() -> None:
    idle = snap(
        experience=Experience.COACH,
        kind="cartridge",
        idle_nudge=True,  # what the cartridge's row of the kinds table says
        product=INK,
        level=60.0,
        rate=RateEstimate(1.0, 0.5, observed_days=30, source="own"),
        last_consumed_at=T0 - 20 * DAY,
    )
    (nudge,) = decide(idle, T0).actions
    assert isinstance(nudge, Remind)
    assert nudge.topic == "maintenance"


def test_respond_to_desire_orders_exactly_what_was_asked() -> None:
    order = decide_request(snap(experience=Experience.DESIRE), T0, quantity=2, source="button")
    assert (order.sku, order.quantity) == ("MILK-1G", 2)
    assert decide(snap(experience=Experience.DESIRE, level=10.0), T0).actions == ()


def test_curated_offering_ranks_pack_sizes_by_pace_and_adds_what_is_low() -> None:
    standard = Product("INK-S", "ink, standard", 100.0, 2000, 3 * DAY)
    xl = Product("INK-XL", "ink, XL", 250.0, 4000, 3 * DAY)
    heavy = snap(kind="cartridge", product=standard, rate=RateEstimate(8.0, 1.0, source="own"))
    light = snap(kind="cartridge", product=standard, rate=RateEstimate(3.0, 1.0, source="own"))
    paper = snap(
        need_id="c1/paper",
        product=Product("PAPER-500", "paper, 500 sheets", 500.0, 899, 2 * DAY),
        level=40.0,
        rate=RateEstimate(20.0, 5.0, observed_days=30, source="own"),
    )
    assert offer(heavy, T0, [standard, xl])[0].sku == "INK-XL"  # 12 days vs 31
    menu = offer(light, T0, [standard, xl], companions=[(paper, 0.4)])
    assert [o.sku for o in menu] == ["INK-S", "INK-XL", "PAPER-500"]
    assert "also running low" in menu[-1].why
    assert "40%" in menu[-1].why

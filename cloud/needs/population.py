"""Population learning: each kind's prior pace, and what the whole population buys."""

from __future__ import annotations

from cloud.decide import engine
from cloud.decide.kinds import describe
from cloud.decide.learning import DAY, Population, Prior
from cloud.needs.estimators import learner_of
from cloud.privacy import consent
from cloud.store.models import Need, Order
from cloud.terms import OrderStatus, Purpose
from common.clock import Clock

TEACHING_DAYS = 14  # a need's own pace teaches others after two weeks of readings


class Priors:
    """Each kind's prior from the customers who consented to teach it; refreshed by the sweep."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock
        self._by_kind: dict[str, Prior] = {}

    def of(self, kind: str) -> Prior | None:
        """The current prior of a kind (None before anyone taught it)."""
        return self._by_kind.get(kind)

    async def refresh(self) -> None:
        """Learn each kind's prior again from the customers who have taught it."""
        population = Population()
        for need in await Need.all():
            stream = describe(need.kind).stream
            if not await consent.granted(need.customer_id, stream, Purpose.POPULATION_LEARNING):
                continue
            own = learner_of(need).estimate()
            if own.observed_days >= TEACHING_DAYS:
                population.observe_rate(need.kind, own.mean)
        self._by_kind = {
            kind: prior
            for kind in population.rates
            if (prior := population.prior(kind)) is not None
        }

    async def insights(self, *, weeks: int = 12) -> dict[str, object]:
        """Priors per kind, demand per product and week, and what is bought together."""
        await self.refresh()
        since = self._clock.now() - weeks * 7 * DAY
        population = Population()
        withheld = await consent.withheld(Purpose.POPULATION_LEARNING)
        rows = await Order.filter(status__not=OrderStatus.CANCELLED).values_list(
            "need__customer_id", "need__kind", "sku", "created_at", "quantity"
        )
        for customer, kind, sku, at, quantity in rows:
            if customer is None or (str(customer), describe(str(kind)).stream) in withheld:
                continue  # an order without a need, or of a household that does not teach
            population.observe_order(str(customer), str(sku), at.timestamp(), int(quantity))
        demand = [
            {"sku": sku, "week_start": engine.iso(week * 7 * DAY), "quantity": quantity}
            for (sku, week), quantity in sorted(population.demand.items())
            if week * 7 * DAY >= since - 7 * DAY
        ]
        together = [
            {"sku": sku, "also": other, "share": round(share, 3)}
            for sku in sorted({sku for _, _, sku, _, _ in rows})
            for other, share in population.bought_together(sku)
        ]
        priors = {
            kind: {"mean_per_day": round(p.mean, 3), "std_per_day": round(p.std, 3)}
            for kind, p in sorted(self._by_kind.items())
        }
        return {"priors": priors, "demand": demand, "bought_together": together}

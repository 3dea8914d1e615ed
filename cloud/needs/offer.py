"""The curated offer: a short menu for a need, with the household's other needs running low."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cloud.decide import engine
from cloud.decide.engine import Policy, Product, Snapshot
from cloud.decide.kinds import describe
from cloud.needs.snapshot import Snapshots
from cloud.privacy import consent
from cloud.store.models import Customer, Need, Order
from cloud.terms import Purpose
from common.clock import Clock


class Offers:
    """Builds a need's menu from the products that fit and what buyers of it also bought."""

    def __init__(self, *, snapshots: Snapshots, policy: Policy, clock: Clock) -> None:
        self._snapshots = snapshots
        self._policy = policy
        self._clock = clock

    async def offer(
        self, need: Need, choices: Sequence[Product]
    ) -> list[tuple[str, engine.Option]]:
        """Curated offering for a need: (the need each option is for, the option)."""
        customer = await Customer.get(id=need.customer_id)
        snap = await self._snapshots.of(need, customer)
        companions, by_sku = await self._companions(need, customer)
        options = engine.offer(
            snap, self._clock.now(), choices, companions=companions, policy=self._policy
        )
        return [(by_sku.get(o.sku, need.id), o) for o in options]

    async def _companions(
        self, need: Need, customer: Customer
    ) -> tuple[list[tuple[Snapshot, float]], dict[str, str]]:
        """The customer's other needs, each with the share of this need's buyers who buy it.

        Only households that let their data teach others (population_learning) are counted.
        """
        withheld = await consent.withheld(Purpose.POPULATION_LEARNING)

        def teaching(customers: Iterable[object], kind: str) -> set[str]:
            stream = describe(kind).stream
            return {str(c) for c in customers if c is not None and (str(c), stream) not in withheld}

        others = await Need.filter(customer_id=customer.id, id__not=need.id)
        ordered = await Order.filter(sku=need.sku).values_list("need__customer_id", flat=True)
        buyers = teaching(ordered, need.kind)
        companions = []
        by_sku = {}
        for other in others:
            also = await Order.filter(
                sku=other.sku, need__customer_id__in=sorted(buyers)
            ).values_list("need__customer_id", flat=True)
            both = teaching(also, other.kind)
            share = len(both) / len(buyers) if buyers else 0.0
            companions.append((await self._snapshots.of(other, customer), share))
            by_sku[other.sku] = other.id
        return companions, by_sku

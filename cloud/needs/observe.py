"""Observing readings: a need learns its pace from new readings, then is decided again."""

from __future__ import annotations

import logging
from collections import Counter

from cloud.decide.kinds import Estimator
from cloud.decide.weight import LiftFilter
from cloud.needs.apply import Executor
from cloud.needs.estimators import learner_of, store_learner
from cloud.needs.readings import new_readings
from cloud.orders import lifecycle
from cloud.orders.rows import state_of
from cloud.store.changes import ChangeFeed
from cloud.store.models import Absence, Need, Order
from cloud.terms import Topic
from common.clock import Clock, utc

log = logging.getLogger(__name__)
CONSUMED_SHARE = 0.005  # a drop of more than this share of a pack is use


class Observer:
    """Learns from each need's new readings and closes an order when its pack is in use."""

    def __init__(
        self,
        *,
        executor: Executor,
        clock: Clock,
        feed: ChangeFeed,
        counters: Counter[str],
        lift: LiftFilter | None = None,
    ) -> None:
        self._executor = executor
        self._clock = clock
        self._feed = feed
        self._counters = counters
        self._lift = lift or LiftFilter()

    async def observe(self, device_id: str, sensor: str) -> None:
        """Learn from a sensor's new readings and decide for the needs it reads."""
        for need in await Need.filter(device_id=device_id, sensor=sensor):
            await self.learn(need)
            await self._executor.evaluate(need)

    async def learn(self, need: Need) -> None:
        """Feed the need's new readings to its estimator and keep its level."""
        readings, final = await new_readings(need, lift=self._lift, now=self._clock.now())
        if not readings:
            return
        learner = before = learner_of(need)
        away = await Absence.filter(customer_id=need.customer_id)
        for at, level in readings:
            is_away = any(a.starts_at.timestamp() <= at < a.ends_at.timestamp() for a in away)
            previous = learner.last_level
            learner = learner.update(at, level, away=is_away)
            if previous is not None and previous - level > need.pack_units * CONSUMED_SHARE:
                need.last_consumed_at = utc(at)
        store_learner(need, learner)
        need.level, need.level_at = readings[-1][1], utc(readings[-1][0])
        seen = need.seen_until.timestamp() if need.seen_until else 0.0
        need.seen_until = utc(max(seen, final))
        # Only what this path owns: the customer may be changing the need at the same time.
        await need.save(
            update_fields=["learner", "level", "level_at", "seen_until", "last_consumed_at"]
        )
        if lifecycle.saw_new_packs(before, learner):
            await self._complete(need, learner)

    async def _complete(self, need: Need, learner: Estimator) -> None:
        """A new pack is in use: the open order's loop closes once all its packs are.

        Until then the unopened packs of the order are stock the sensor cannot see, and the
        open order keeps the engine from ordering again on their account.
        """
        order = await Order.filter(open_key=lifecycle.need_key(need.id)).first()
        if order is None or not lifecycle.in_use(state := state_of(order), learner):
            return
        installed = lifecycle.install(state, self._clock.now())
        updated = await Order.filter(id=order.id, open_key__isnull=False).update(
            status=installed.status,
            open_key=installed.open_key,
            updated_at=utc(installed.updated_at),
        )
        if updated:
            self._counters["orders_completed"] += 1
            log.info("need %s: the new pack is in use; its order is closed", need.id)
            await self._feed.publish(Topic.ORDERS, need.id)

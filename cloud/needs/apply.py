"""The one executor: decide for a need with the pure engine and apply what it decided.

Orders are idempotent by construction: an automatic order holds the need's unique open-order
key (`cloud.orders.lifecycle.need_key`) until the new pack is in use and a request holds its
idempotency key, so redelivered messages, retried requests and several workers deciding at
once make one order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import Counter

import msgspec
from tortoise.exceptions import IntegrityError

from cloud.decide import engine
from cloud.decide.engine import Policy
from cloud.decide.kinds import describe
from cloud.decide.reasons import Reason, to_json
from cloud.needs.products import priced
from cloud.needs.reminders import Reminders
from cloud.needs.snapshot import Snapshots
from cloud.orders import lifecycle
from cloud.orders.catalog import Catalog
from cloud.orders.fulfiller import Fulfiller
from cloud.privacy import consent
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.models import Customer, DecisionRecord, Need, Order, Reminder
from cloud.terms import DecisionAction, Experience, OrderSource, OrderStatus, Purpose, Topic
from common.clock import Clock, utc

FOLLOW_WINDOW = dt.timedelta(days=7)  # an order this soon after a reminder followed it


class Executor:
    """Decides and acts for every need; the one place engine decisions touch the world."""

    def __init__(
        self,
        *,
        snapshots: Snapshots,
        catalog: Catalog,
        policy: Policy,
        fulfiller: Fulfiller,
        reminders: Reminders,
        clock: Clock,
        feed: ChangeFeed,
        counters: Counter[str],
    ) -> None:
        self._snapshots = snapshots
        self._catalog = catalog
        self._policy = policy
        self._fulfiller = fulfiller
        self._reminders = reminders
        self._clock = clock
        self._feed = feed
        self._counters = counters

    async def evaluate(self, need: Need) -> engine.Decision:
        """Decide for one need now and apply what was decided."""
        customer = await Customer.get(id=need.customer_id)
        snap = await self._snapshots.of(need, customer)
        now = self._clock.now()
        decision = await self._coached(engine.decide(snap, now, self._policy), need, customer)
        ro = decision.runout
        need.runout_at = None if ro.expected_at is None else utc(ro.expected_at)
        need.runout_early_at = None if ro.early_at is None else utc(ro.early_at)
        act_at = engine.order_point(snap, now, self._policy)
        need.act_at = None if act_at is None else utc(act_at)
        changed = decision.note.split(":")[0] != need.note.split(":")[0]  # a new kind of note
        need.note = decision.note[:512]
        await need.save(update_fields=["runout_at", "runout_early_at", "act_at", "note"])
        for action in decision.actions:
            await self._act(need, customer, action, now)
        if changed and not decision.actions:
            why = engine.reason(snap, now, ro, snap.level, "no action", summary=decision.note)
            await DecisionRecord.create(
                need_id=need.id, at=utc(now), note=need.note, reason=to_json(why)
            )
        if changed or decision.actions:
            await self._feed.publish(Topic.NEEDS, need.id)
        return decision

    @staticmethod
    async def _coached(
        decision: engine.Decision, need: Need, customer: Customer
    ) -> engine.Decision:
        """Without consent to coaching, the decision reminds no one."""
        stream = describe(need.kind).stream
        if await consent.granted(customer.id, stream, Purpose.COACHING):
            return decision
        kept = tuple(a for a in decision.actions if not isinstance(a, engine.Remind))
        if kept == decision.actions:
            return decision
        return dataclasses.replace(
            decision, actions=kept, note="coaching is not consented: no reminder"
        )

    async def _act(self, need: Need, customer: Customer, action: engine.Action, now: float) -> None:
        if isinstance(action, engine.PlaceOrder):
            order = await self.place(need, action, source=OrderSource.ENGINE, key=None)
            if order is not None:
                reason = msgspec.structs.replace(action.reason, order_id=order.id)
                await _record(need, now, "ordered", DecisionAction.ORDER, reason)
        elif isinstance(action, engine.Ask):
            need.last_ask_at = utc(now)
            await need.save(update_fields=["last_ask_at"])
            await self._reminders.send(
                need, customer, "ask", action.message, to="customer", now=now
            )
            await _record(need, now, "asked", DecisionAction.ASK, action.reason)
        else:
            await self._remind(need, customer, action, now)

    async def _remind(
        self, need: Need, customer: Customer, action: engine.Remind, now: float
    ) -> None:
        if action.topic == "maintenance":
            need.last_idle_nudge_at = utc(now)
        else:
            need.last_reminder_at = utc(now)
        await need.save(update_fields=["last_idle_nudge_at", "last_reminder_at"])
        await self._reminders.send(
            need, customer, action.topic, action.message, to=action.to, now=now
        )
        note = f"reminded: {action.topic}"
        await _record(need, now, note, DecisionAction.REMIND, action.reason)

    async def place(
        self, need: Need, action: engine.PlaceOrder, *, source: OrderSource, key: str | None
    ) -> Order | None:
        """Place an order for a need once: None when its open or idempotency key is taken."""
        now = self._clock.now()
        automatic = source is OrderSource.ENGINE
        try:
            order = await self._create(need, action, source=source, key=key, now=now)
        except IntegrityError:
            self._counters["orders_deduplicated"] += 1
            return None
        self._counters[f"orders_{source}"] += 1
        if automatic:
            await audit(
                at=utc(now),
                actor="engine",
                role="system",
                action="order.placed",
                customer_id=need.customer_id,
                detail=f"order {order.id}: {action.quantity} x {action.sku} for need {need.id}",
                why=action.reason.rule[:256],
            )
        await Reminder.filter(
            need_id=need.id, followed_at__isnull=True, at__gte=utc(now) - FOLLOW_WINDOW
        ).update(followed_at=utc(now), order_id=order.id)
        if order.status is not OrderStatus.HELD:  # nothing to undo: to the provider now
            await self._fulfiller.submit(order)
        await self._feed.publish(Topic.ORDERS, order.id)
        return order

    async def _create(
        self,
        need: Need,
        action: engine.PlaceOrder,
        *,
        source: OrderSource,
        key: str | None,
        now: float,
    ) -> Order:
        product = priced(self._catalog, need, action.sku)
        state = lifecycle.place(
            order_id=uuid.uuid4().hex,
            need_id=need.id,
            source=source,
            quantity=action.quantity,
            price_cents=product.price_cents * action.quantity,
            cancel_until=action.cancel_until,
            now=now,
        )
        return await Order.create(
            id=state.id,
            device_id=need.device_id,
            need_id=need.id,
            sensor=need.sensor or "",
            supply_index=need.supply_index or 0,
            supply_name=need.label,
            sku=action.sku,
            product=product.name,
            quantity=action.quantity,
            price_cents=state.price_cents,
            status=state.status,
            open_key=state.open_key,
            idempotency_key=key,
            reason=to_json(action.reason),
            experience=Experience.AUTO if source is OrderSource.ENGINE else Experience.DESIRE,
            source=source,
            cancel_until=None if state.cancel_until is None else utc(state.cancel_until),
            deliver_after=None if action.deliver_after is None else utc(action.deliver_after),
            created_at=utc(state.created_at),
            updated_at=utc(state.updated_at),
        )


async def _record(
    need: Need, now: float, note: str, action: DecisionAction, reason: Reason
) -> None:
    await DecisionRecord.create(
        need_id=need.id, at=utc(now), note=note, action=action, reason=to_json(reason)
    )

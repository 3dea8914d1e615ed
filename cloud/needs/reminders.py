"""Reminders: recorded once, audited, and sent on the household's escalation ladder."""

from __future__ import annotations

import uuid
from collections import Counter

from tortoise.exceptions import IntegrityError

from cloud.alerts.escalation import ladder
from cloud.alerts.notify import Channel, Notice, NotifyError
from cloud.needs.snapshot import utc
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.models import Customer, Need, Reminder
from cloud.terms import Topic


class Reminders:
    """The one path a reminder, an ask or a missed-dose notice takes to a person."""

    def __init__(
        self, *, channels: dict[str, Channel], feed: ChangeFeed, counters: Counter[str]
    ) -> None:
        self._channels = channels
        self._feed = feed
        self._counters = counters

    async def send(
        self,
        need: Need,
        customer: Customer,
        topic: str,
        message: str,
        *,
        to: str,
        now: float,
        key: str | None = None,
    ) -> Reminder | None:
        """Remind `to` ("customer" or "caregiver") once per key; None if sent already."""
        try:
            reminder = await Reminder.create(
                id=uuid.uuid4().hex,
                need_id=need.id,
                topic=topic,
                recipient=to,
                message=message[:512],
                at=utc(now),
                key=key,
            )
        except IntegrityError:
            return None  # this one was sent already (another worker, a repeated sweep)
        self._counters[f"reminders_{topic}"] += 1
        await audit(
            at=utc(now),
            actor="engine",
            role="system",
            action=f"reminder.{topic}",
            customer_id=need.customer_id,
            detail=f"reminder {reminder.id} to the {to} about need {need.id}",
        )
        await self._deliver(reminder, customer, to, message)
        await self._feed.publish(Topic.REMINDERS, need.id)
        return reminder

    async def _deliver(self, reminder: Reminder, customer: Customer, to: str, message: str) -> None:
        """The ladder's first step reaches the customer, its second the caregiver."""
        steps = await ladder(customer.id)
        step = steps[0] if to == "customer" and steps else (steps[1] if len(steps) > 1 else None)
        channel = self._channels.get(step.channel) if step is not None else None
        if step is None or channel is None:
            return
        try:
            await channel.send(step.target, Notice(reminder.id, "info", message[:120], message))
            reminder.sent_via = f"{step.channel}:{step.target}"[:200]
        except NotifyError as exc:
            reminder.sent_via = f"failed: {exc}"[:200]
        await reminder.save()

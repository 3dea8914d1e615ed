"""Reminders: recorded once, audited, and delivered to the customer's own channels only.

A reminder or nudge is a `NoticeClass.REMINDER`: it goes to the household's receivers that
get reminders and are the person it is for (the customer, or a caregiver for a caregiver's
reminder such as a missed dose), never to an alarm centre; it always shows in the page's
reminder list. Delivery, retries and failures are the delivery engine's.
"""

from __future__ import annotations

import uuid
from collections import Counter

from tortoise.exceptions import IntegrityError

from cloud.alerts.receivers import ladder, receives
from cloud.delivery.engine import Deliveries, Notice
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.db import transaction
from cloud.store.models import Customer, Need, Reminder
from cloud.terms import NoticeClass, Receiver, Topic
from common.clock import utc


class Reminders:
    """The one path a reminder, an ask or a missed-dose notice takes to a person."""

    def __init__(self, *, deliveries: Deliveries, feed: ChangeFeed, counters: Counter[str]) -> None:
        self._deliveries = deliveries
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
        """Remind `to` ("customer" or "caregiver") once per key; None if sent already.

        The reminder and its deliveries commit together: one recorded is one sent.
        """
        try:
            async with transaction():
                reminder = await Reminder.create(
                    id=uuid.uuid4().hex,
                    need_id=need.id,
                    topic=topic,
                    recipient=to,
                    message=message[:512],
                    at=utc(now),
                    key=key,
                )
                await self._deliver(reminder, customer, to, message)
        except IntegrityError:
            return None  # this one was sent already (another worker, a repeated sweep)
        self._deliveries.wake.set()
        self._counters[f"reminders_{topic}"] += 1
        await audit(
            at=utc(now),
            actor="engine",
            role="system",
            action=f"reminder.{topic}",
            customer_id=need.customer_id,
            detail=f"reminder {reminder.id} to the {to} about need {need.id}",
        )
        await self._feed.publish(Topic.REMINDERS, need.id)
        return reminder

    async def _deliver(self, reminder: Reminder, customer: Customer, to: str, message: str) -> None:
        """Queue it to each of the person's own channels that gets reminders."""
        person = Receiver.CAREGIVER if to == "caregiver" else Receiver.CUSTOMER
        notice = Notice(
            notice=NoticeClass.REMINDER,
            purpose="reminder",
            customer_id=customer.id,
            subject=message[:120],
            text=message,
            data={"reminder_id": reminder.id, "topic": reminder.topic, "to": to, "text": message},
            reminder_id=reminder.id,
        )
        via: list[str] = []
        for step in await ladder(customer.id):
            if step.who == person and receives(step, NoticeClass.REMINDER):
                await self._deliveries.queue(notice, step, position=step.position)
                via.append(step.channel)
        reminder.sent_via = ", ".join(via)[:200]
        await reminder.save(update_fields=["sent_via"])

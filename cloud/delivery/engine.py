"""The delivery engine: every notice is a recorded delivery, tried until it arrives or expires.

Alerts, warnings, reminders and false-alarm notices are all queued here as `Delivery` rows
(one per receiver) and leave through their own workers, never from the path that stored
the alert: one household's dead or slow receiver holds nobody else's fall.

- **Claimed, not sent twice at once.** A round claims due deliveries with a conditional
  UPDATE (pending -> sending, with a lease), so several backend workers share the queue; a
  worker that dies mid-attempt leaves its lease to expire and another worker takes over.
  Receivers see the same `webhook-id` on every attempt and can drop repeats.
- **Emergencies first, fair, bounded.** Each round takes emergencies before warnings before
  reminders, households in turn, and never more at once than `in_flight` in all,
  `per_target` to one receiver and `per_customer` for one household; each attempt has a
  short timeout. A black-holed webhook ties up at most `per_target` attempts of its own.
- **Retried with backoff and jitter** until the notice's maximum age (an emergency's is
  minutes, a reminder's a day), honouring `Retry-After`; then it is FAILED, counted, and
  shown to operators, who may retry it. 410 Gone disables the receiver (GONE).
- **Hand-over.** A failed attempt of an emergency wakes the escalation (`on_failure`), which
  finds the failed rungs in the database and tells the next rung at once, while the failed
  one keeps being retried here.
- **Ordered per receiver.** A false alarm or all-clear waits while its receiver's alert is
  still being sent, so nobody hears "FALSE ALARM" before "FALL".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from tortoise.expressions import Q

from cloud.config import NotifySettings
from cloud.delivery.channels import Channel, Outgoing, SendError
from cloud.delivery.targets import mask, scrub
from cloud.store.changes import ChangeFeed
from cloud.store.db import transaction
from cloud.store.models import Delivery, DeliveryAttempt, EscalationStep, Incident
from cloud.supervisor import Unit
from cloud.terms import DeliveryState, NoticeClass, Topic
from common.clock import Backoff, Clock, utc

log = logging.getLogger(__name__)
LEGACY_PAYLOAD = "{}"  # a notification recorded before deliveries were kept (migration 5)
ROUND_LIMIT = 200  # deliveries looked at per notice class per round
LEASE_MARGIN_S = 30.0  # a claim outlives its attempt's timeout by this much


@dataclass(frozen=True, slots=True)
class Retry:
    """How one kind of notice is tried: its rank, its lifetime and its backoff."""

    rank: int  # lower goes first
    max_age_s: float
    first_s: float  # the first retry's delay (before jitter)
    cap_s: float


def retry_policies(settings: NotifySettings) -> dict[NoticeClass, Retry]:
    """The retry rule of each kind of notice."""
    return {
        NoticeClass.EMERGENCY: Retry(0, settings.emergency_max_age_s, 2.0, 30.0),
        NoticeClass.WARNING: Retry(1, settings.warning_max_age_s, 10.0, 600.0),
        NoticeClass.REMINDER: Retry(2, settings.reminder_max_age_s, 30.0, 1800.0),
    }


@dataclass(frozen=True, slots=True)
class Notice:
    """What receivers are told, before it is addressed to one of them."""

    notice: NoticeClass
    purpose: str  # alert, false_alarm, cleared, reminder
    customer_id: str
    subject: str
    text: str  # plain text: the e-mail body; an SMS takes its first 160 characters
    data: dict[str, Any]  # the webhook's "data"
    incident_id: str | None = None
    reminder_id: str | None = None


ALERT_PURPOSES = ("alert", "raised_again")  # notices that someone needs help
_OUTCOMES = {
    DeliveryState.DELIVERED: "delivered",
    DeliveryState.GONE: "gone",
    DeliveryState.FAILED: "gave_up",
    DeliveryState.PENDING: "retried",
}


class Deliveries:
    """Queues notices and delivers them: `queue` to add, `round` (a supervised unit) to send."""

    def __init__(
        self,
        *,
        channels: dict[str, Channel],
        clock: Clock,
        feed: ChangeFeed,
        settings: NotifySettings,
        rng: random.Random | None = None,
    ) -> None:
        """Wire the channels; nothing is sent until `round` runs."""
        self._channels = channels
        self._clock = clock
        self._feed = feed
        self._settings = settings
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not security)
        self._retry = retry_policies(settings)
        self._backoff = {
            notice: Backoff(base_s=rule.first_s, cap_s=rule.cap_s, rng=self._rng)
            for notice, rule in self._retry.items()
        }
        self.counters: Counter[str] = Counter()
        self.wake = asyncio.Event()  # set it when new deliveries have committed
        self.on_failure: Callable[[], None] | None = None  # an emergency's attempt failed
        self._sending: dict[str, asyncio.Task[None]] = {}
        self._per_target: Counter[str] = Counter()
        self._per_customer: Counter[str] = Counter()

    @property
    def in_flight(self) -> int:
        """Attempts running in this worker now."""
        return len(self._sending)

    async def queue(
        self, notice: Notice, step: EscalationStep, *, position: int | None = None
    ) -> Delivery:
        """Record a notice to one receiver (a household's step).

        Call it in the transaction that decided to tell (a rung claimed, an incident
        resolved), so the decision and the notice commit together; then set `wake`.
        """
        now = self._clock.now()
        delivery_id = f"msg_{uuid.uuid4().hex}"
        payload = {
            "type": f"{notice.notice.value}.{notice.purpose}",
            "timestamp": utc(now).isoformat(),
            "data": {**notice.data, "delivery_id": delivery_id},
        }
        gone = step.disabled_at is not None
        delivery = await Delivery.create(
            id=delivery_id,
            customer_id=notice.customer_id,
            incident_id=notice.incident_id,
            reminder_id=notice.reminder_id,
            position=position,
            who=step.who,
            notice=notice.notice,
            purpose=notice.purpose,
            channel=step.channel,
            target=step.target,
            trusted=step.trusted,
            subject=notice.subject[:256],
            text=notice.text,
            payload=msgspec.json.encode(payload).decode(),
            state=DeliveryState.GONE if gone else DeliveryState.PENDING,
            next_at=utc(now),
            expires_at=utc(now + self._retry[notice.notice].max_age_s),
            created_at=utc(now),
            last_error="the receiver disabled itself (410 Gone) earlier" if gone else "",
        )
        self.counters[f"{notice.notice.value}_queued"] += 1
        if gone:  # the escalation hands an emergency over to the next rung at once
            self.counters[f"{notice.notice.value}_gone"] += 1
            self._failed()
        return delivery

    async def round(self, unit: Unit | None = None) -> None:
        """Claim what is due, emergencies first and households in turn, and start each."""
        del unit
        self.wake.clear()
        now = self._clock.now()
        due = Q(state=DeliveryState.PENDING, next_at__lte=utc(now)) | Q(
            state=DeliveryState.SENDING, lease_until__lt=utc(now)
        )
        for notice in sorted(self._retry, key=lambda n: self._retry[n].rank):
            if self.in_flight >= self._settings.in_flight:
                return
            full = [t for t, n in self._per_target.items() if n >= self._settings.per_target]
            found = (
                await Delivery.filter(due, notice=notice)
                .exclude(id__in=list(self._sending))
                .exclude(target__in=full)  # a busy receiver's queue hides nobody else's
                .order_by("next_at")
                .limit(ROUND_LIMIT)
            )
            for delivery in _households_in_turn(found):
                if (
                    self._room(delivery)
                    and not await self._behind_its_alert(delivery)
                    and await self._claim(delivery, now)
                ):
                    self._start(delivery)

    def _room(self, delivery: Delivery) -> bool:
        s = self._settings
        return (
            self.in_flight < s.in_flight
            and self._per_target[delivery.target] < s.per_target
            and self._per_customer[delivery.customer_id] < s.per_customer
        )

    @staticmethod
    async def _behind_its_alert(delivery: Delivery) -> bool:
        """A false alarm or all-clear waits while its receiver's alert is being sent."""
        if delivery.incident_id is None or delivery.purpose not in {"false_alarm", "cleared"}:
            return False
        return bool(
            await Delivery.exists(
                incident_id=delivery.incident_id,
                channel=delivery.channel,
                target=delivery.target,
                purpose__in=ALERT_PURPOSES,
                state=DeliveryState.SENDING,
            )
        )

    async def _claim(self, delivery: Delivery, now: float) -> bool:
        """Take a due delivery for this worker, with one conditional UPDATE.

        The claim id it sets must match every later write of this attempt, so a worker whose
        lease was taken over writes nothing.
        """
        lease = utc(now + self._settings.timeout_s + LEASE_MARGIN_S)
        claim = uuid.uuid4().hex
        if delivery.state is DeliveryState.PENDING:
            mine = Delivery.filter(
                id=delivery.id, state=DeliveryState.PENDING, next_at__lte=utc(now)
            )
        else:  # a lease that ran out: its worker died mid-attempt
            mine = Delivery.filter(
                id=delivery.id, state=DeliveryState.SENDING, lease_until__lt=utc(now)
            )
        if await mine.update(state=DeliveryState.SENDING, lease_until=lease, claim=claim) != 1:
            return False
        if delivery.state is DeliveryState.SENDING:
            self.counters["leases_taken_over"] += 1
        await delivery.refresh_from_db()  # what another worker wrote before this claim
        return delivery.claim == claim

    def _start(self, delivery: Delivery) -> None:
        self._per_target[delivery.target] += 1
        self._per_customer[delivery.customer_id] += 1
        task = asyncio.create_task(self._attempt(delivery), name=f"deliver-{delivery.id}")
        self._sending[delivery.id] = task

    async def _attempt(self, delivery: Delivery) -> None:
        """One attempt and its record; nothing escapes (an error is the attempt's outcome)."""
        try:
            if await self._obsolete(delivery):
                return
            started = self._clock.monotonic()
            error: SendError | None = None
            try:
                await self._send(delivery)
            except SendError as exc:
                error = exc
            except Exception as exc:  # a channel's bug must not lose the delivery
                log.exception("delivery %s: unexpected error", delivery.id)
                error = SendError(f"internal error: {type(exc).__name__}")
            took = self._clock.monotonic() - started
            await self._record(delivery, error, took)
        except asyncio.CancelledError:
            raise
        except Exception:  # recording failed (the database is down): the lease runs out
            self.counters["record_failed"] += 1
            log.exception("could not record an attempt of %s; it will be tried again", delivery.id)
        finally:
            self._sending.pop(delivery.id, None)
            self._per_target[delivery.target] -= 1
            self._per_customer[delivery.customer_id] -= 1
            self.wake.set()  # room for the next one

    async def _send(self, delivery: Delivery) -> None:
        channel = self._channels.get(delivery.channel)
        if channel is None:
            raise SendError(f"no {delivery.channel} channel", permanent=True)
        message = Outgoing(
            id=delivery.id,
            subject=delivery.subject,
            text=delivery.text,
            payload=delivery.payload.encode(),
            secrets=await self._secrets(delivery),
            trusted=delivery.trusted,
        )
        timeout = self._settings.timeout_s
        try:
            async with asyncio.timeout(timeout + 1.0):
                await channel.send(delivery.target, message, timeout_s=timeout)
        except TimeoutError as exc:
            raise SendError(f"no answer in {timeout:.0f} s") from exc

    def _failed(self) -> None:
        """An emergency could not be delivered (yet): the escalation hands over."""
        if self.on_failure is not None:
            self.on_failure()

    async def _obsolete(self, delivery: Delivery) -> bool:
        """Drop an alert's notice whose incident was resolved before it could go (CANCELLED).

        After a "false alarm" nobody must be told of the fall any more.
        """
        if delivery.incident_id is None or delivery.purpose not in ALERT_PURPOSES:
            return False
        if not await Incident.exists(id=delivery.incident_id, state="resolved"):
            return False
        await Delivery.filter(id=delivery.id, claim=delivery.claim).update(
            state=DeliveryState.CANCELLED,
            lease_until=None,
            last_error="resolved before it could be delivered",
        )
        self.counters[f"{delivery.notice.value}_cancelled"] += 1
        return True

    async def _secrets(self, delivery: Delivery) -> tuple[str, ...]:
        """The receiver's live signing secrets: its current one, and one rotated out lately."""
        if delivery.channel != "webhook":
            return ()
        step = await EscalationStep.filter(
            customer_id=delivery.customer_id, channel="webhook", target=delivery.target
        ).first()
        if step is None or not step.secret:
            return ()
        now = utc(self._clock.now())
        if step.previous_secret and step.previous_until is not None and step.previous_until > now:
            return (step.secret, step.previous_secret)
        return (step.secret,)

    async def _record(self, delivery: Delivery, error: SendError | None, took: float) -> None:
        """Write the attempt's outcome, if this worker still holds the claim."""
        now = self._clock.now()
        kind = delivery.notice.value
        attempts = delivery.attempts + 1
        mine = Delivery.filter(id=delivery.id, claim=delivery.claim)
        if error is None:
            state, changes = DeliveryState.DELIVERED, {"delivered_at": utc(now), "last_error": ""}
        elif error.permanent:
            state, changes = DeliveryState.GONE, {"last_error": str(error)[:512]}
        else:
            later = now + self._delay(delivery.notice, attempts, error.retry_after_s)
            gave_up = later > delivery.expires_at.timestamp()
            state = DeliveryState.FAILED if gave_up else DeliveryState.PENDING
            changes = {"next_at": utc(later), "last_error": str(error)[:512]}
        async with transaction():
            if not await mine.update(state=state, attempts=attempts, lease_until=None, **changes):
                self.counters["claims_lost"] += 1  # another worker took it over: its to write
                return
            await DeliveryAttempt.create(
                delivery_id=delivery.id,
                at=utc(now),
                ok=error is None,
                status=None if error is None else error.status,
                detail="delivered" if error is None else str(error)[:512],
                took_ms=round(took * 1000),
            )
            if error is not None and error.status == 410:  # noqa: PLR2004
                await EscalationStep.filter(
                    customer_id=delivery.customer_id, target=delivery.target
                ).update(disabled_at=utc(now))
        self.counters[f"{kind}_{_OUTCOMES[state]}"] += 1
        if error is not None:
            log.warning(
                "delivery %s to %s: attempt %d failed (%s); %s",
                delivery.id,
                mask(delivery.target),
                attempts,
                scrub(str(error), delivery.target),
                "again at its next time" if state is DeliveryState.PENDING else state.value,
            )
            if delivery.notice is NoticeClass.EMERGENCY:
                self._failed()
        # A constant subject: the change feed outlives an erasure and must name nobody.
        await self._feed.publish(
            Topic.ALERTS if delivery.incident_id else Topic.REMINDERS, "deliveries"
        )

    def _delay(self, notice: NoticeClass, attempts: int, asked: float | None) -> float:
        """Capped exponential backoff with full jitter, or what the receiver asked for."""
        rule = self._retry[notice]
        delay = self._backoff[notice].delay(attempts - 1)
        return max(delay, min(asked, rule.cap_s * 10)) if asked is not None else delay

    async def settle(self) -> None:
        """Send everything due now and wait for those attempts (tests; tools without a loop)."""
        while True:
            await self.round()
            if not self._sending:
                return
            await asyncio.gather(*self._sending.values(), return_exceptions=True)

    async def retry(self, delivery_id: str) -> Delivery | None:
        """An operator's retry of a failed or gone delivery: due now, with a fresh lifetime.

        Returns:
            The delivery, or None if there is no such delivery or it is not failed.
        """
        now = self._clock.now()
        delivery = await Delivery.get_or_none(id=delivery_id)
        if delivery is None or delivery.payload == LEGACY_PAYLOAD:
            return None  # none, or a record from before notices were kept: nothing to send
        moved = await Delivery.filter(
            id=delivery_id,
            state__in=(DeliveryState.FAILED, DeliveryState.GONE, DeliveryState.CANCELLED),
        ).update(
            state=DeliveryState.PENDING,
            next_at=utc(now),
            expires_at=utc(now + self._retry[delivery.notice].max_age_s),
        )
        if not moved:
            return None
        await EscalationStep.filter(
            customer_id=delivery.customer_id, target=delivery.target
        ).update(disabled_at=None)
        self.counters["operator_retries"] += 1
        self.wake.set()
        return await Delivery.get(id=delivery_id)

    async def close(self) -> None:
        """Stop every attempt and hand its delivery back (due now, for any worker)."""
        held = list(self._sending)
        tasks = list(self._sending.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if held:
            with contextlib.suppress(Exception):  # if not, their leases run out
                await Delivery.filter(id__in=held, state=DeliveryState.SENDING).update(
                    state=DeliveryState.PENDING, lease_until=None
                )


def _households_in_turn(deliveries: list[Delivery]) -> list[Delivery]:
    """One delivery of each household in turn, each household's in order."""
    queues: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        queues.setdefault(delivery.customer_id, []).append(delivery)
    out: list[Delivery] = []
    while queues:
        for customer in list(queues):
            out.append(queues[customer].pop(0))
            if not queues[customer]:
                del queues[customer]
    return out

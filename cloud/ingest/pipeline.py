"""The ingest pipeline: admit, record, acknowledge, route, a batch at a time.

1. Admit: decode each message and check who sent it (bad ones rejected and counted);
   liveness goes to memory, readings a customer withheld are acknowledged and not kept.
2. Record: the batch's durable messages in one transaction (`cloud.ingest.record`).
3. Acknowledge: one DeliveryAck per device per batch, naming only what committed (and the
   duplicates, which had committed before).
4. Route: urgent messages act now, readings are decided debounced (`cloud.ingest.route`).

A batch that fails on a passing database trouble (a deadlock, a lock timeout, a lost
connection) is tried again a few times; one that fails on its data is split, so one
message that cannot be stored never holds up the others. Nothing unacknowledged is lost:
its device sends it again.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from enum import StrEnum

import aiomqtt
import asyncpg
from prometheus_client import Histogram
from prometheus_client.core import Metric
from tortoise.exceptions import (
    BaseORMException,
    DBConnectionError,
    OperationalError,
    TransactionManagementError,
)

from cloud.config import AlertSettings
from cloud.ingest.admit import (
    MAX_CLOCK_SKEW_S,
    Admitted,
    Directory,
    RejectedError,
    Sender,
    check_sender,
    decode,
)
from cloud.ingest.liveness import Liveness
from cloud.ingest.record import Recorded, Recorder
from cloud.ingest.route import Router
from cloud.privacy.consent import ConsentCache
from cloud.store.changes import ChangeFeed
from cloud.terms import Stream, Topic
from common.clock import Clock
from common.messages import (
    Heartbeat,
    Presence,
    PrinterReading,
    ScaleReading,
    Telemetry,
    Uplink,
    kind_of,
)

log = logging.getLogger(__name__)
AckSender = Callable[[str, str, list[str]], Awaitable[None]]
MAX_ACK_IDS = 1000  # what one DeliveryAck may carry
RETRIES = 3
RETRY_S = (0.05, 0.25, 1.0)


class Outcome(StrEnum):
    """What ingest did with a message."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    APPLIED = "applied"  # presence, heartbeat, a withheld reading: applied, never stored
    REJECTED = "rejected"
    FAILED = "failed"  # not stored, not acknowledged: the device sends it again


def transient(exc: BaseException) -> bool:
    """Whether a database error passes if the same work is tried again."""
    if isinstance(exc, OperationalError) and exc.args:
        cause = exc.args[0]
        if isinstance(cause, sqlite3.OperationalError):
            return any(word in str(cause) for word in ("locked", "busy", "disk I/O"))
        return isinstance(cause, BaseException) and transient(cause)
    return isinstance(
        exc,
        DBConnectionError
        | TransactionManagementError
        | asyncpg.TransactionRollbackError  # deadlock, serialization failure
        | asyncpg.PostgresConnectionError
        | asyncpg.InterfaceError
        | asyncpg.CannotConnectNowError
        | ConnectionError
        | TimeoutError,
    )


def _stream(message: Telemetry) -> Stream:
    if isinstance(message.reading, PrinterReading):
        return Stream.INK_LEVELS
    if isinstance(message.reading, ScaleReading):
        return Stream.WEIGHTS
    return Stream.ACCELEROMETER


class Timings:
    """How big batches are and how long they take, as Prometheus histograms (no global registry)."""

    def __init__(self) -> None:
        """Empty histograms."""
        self.batch = Histogram(
            "continuo_ingest_batch_messages",
            "Messages per batch",
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000),
            registry=None,
        )
        self.store = Histogram(
            "continuo_ingest_store_seconds",
            "Time to store one batch (one transaction)",
            registry=None,
        )
        self.lag = Histogram(
            "continuo_ingest_lag_seconds",
            "From taken off the broker to acknowledged",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=None,
        )

    def collect(self) -> Iterator[Metric]:
        """Every histogram's samples."""
        for histogram in (self.batch, self.store, self.lag):
            yield from histogram.collect()


class Pipeline:
    """One worker's way from received messages to stored, acknowledged and routed ones."""

    def __init__(
        self,
        *,
        clock: Clock,
        feed: ChangeFeed,
        counters: Counter[str],
        directory: Directory,
        consent: ConsentCache,
        liveness: Liveness,
        router: Router,
        rules: AlertSettings | None = None,
    ) -> None:
        """Wire the stages (`rules`: what a new alert means)."""
        self._clock = clock
        self._feed = feed
        self._counters = counters
        self._directory = directory
        self._consent = consent
        self._recorder = Recorder(clock=clock, counters=counters, rules=rules)
        self._liveness = liveness
        self._router = router
        self.timings = Timings()
        self.last_error = ""  # why the last batch (or message) could not be stored

    async def process(
        self, batch: Sequence[tuple[str, bytes]], send_ack: AckSender
    ) -> list[Outcome]:
        """Admit, store, acknowledge and route a batch of (topic, payload); never raises."""
        c = self._counters
        c["received"] += len(batch)
        c["batches"] += 1
        self.timings.batch.observe(len(batch))
        outcomes = [Outcome.REJECTED] * len(batch)
        try:
            durable, withheld = await self._admit(batch, outcomes)
        except (BaseORMException, OSError, asyncpg.PostgresError):
            log.exception("could not look up the senders of %d messages", len(batch))
            c["store_failed"] += len(batch)
            return [Outcome.FAILED] * len(batch)
        started = self._clock.monotonic()
        recorded, failed = await self._record(durable)
        self.timings.store.observe(self._clock.monotonic() - started)
        acks: dict[Sender, list[str]] = defaultdict(list)
        for item in withheld:
            outcomes[item.index] = Outcome.APPLIED
            acks[item.sender].append(item.message.id)
        for item in recorded.new:
            outcomes[item.index] = Outcome.STORED
            acks[item.sender].append(item.message.id)
            c[f"stored_{kind_of(item.message).value}"] += 1
        for item in recorded.duplicates:
            outcomes[item.index] = Outcome.DUPLICATE
            acks[item.sender].append(item.message.id)
        c["duplicates"] += len(recorded.duplicates)
        for item in failed:
            outcomes[item.index] = Outcome.FAILED
        # The acks wait for the broker's PUBACKs; the dashboards need not wait for them.
        await asyncio.gather(
            self._acknowledge(acks, send_ack), self._publish_changes(recorded.changes)
        )
        await self._sequence([*recorded.new, *recorded.duplicates])
        await self._router.stored(recorded.new)
        return outcomes

    async def _publish_changes(self, changes: set[tuple[Topic, str]]) -> None:
        try:
            await self._feed.publish_many(changes)
        except (BaseORMException, OSError, asyncpg.PostgresError):
            self._counters["feed_failed"] += 1
            log.exception("could not record the changes of a batch")

    async def settle(self) -> None:
        """Write liveness and decide pending needs now (tests, shutdown)."""
        await self._liveness.flush()
        await self._router.settle()

    async def _admit(
        self, batch: Sequence[tuple[str, bytes]], outcomes: list[Outcome]
    ) -> tuple[list[Admitted], list[Admitted]]:
        decoded: list[tuple[int, str, str, Uplink]] = []
        for index, (topic, payload) in enumerate(batch):
            try:
                parsed, message = decode(topic, payload)
            except RejectedError as exc:
                self._reject(exc)
            else:
                decoded.append((index, parsed.site, parsed.device, message))
        senders = await self._directory.senders({device for _, _, device, _ in decoded})
        admitted: list[Admitted] = []
        for index, site, device, message in decoded:
            try:
                sender = check_sender(site, device, senders.get(device))
            except RejectedError as exc:
                self._reject(exc)
                continue
            if isinstance(message, Presence | Heartbeat):
                online = message.online if isinstance(message, Presence) else True
                self._liveness.heard(sender.device_id, seq=message.seq, online=online)
                outcomes[index] = Outcome.APPLIED
                continue
            self._liveness.heard(sender.device_id, seq=message.seq)
            admitted.append(Admitted(index, sender, message, self._when(message)))
        await self._consent.refresh({a.sender.customer_id for a in admitted})
        durable: list[Admitted] = []
        withheld: list[Admitted] = []
        for item in admitted:
            message = item.message
            if isinstance(message, Telemetry) and not await self._consent.collecting(
                item.sender.customer_id, _stream(message)
            ):
                withheld.append(item)  # received, and not kept
                self._counters["withheld_by_consent"] += 1
            else:
                durable.append(item)
        return durable, withheld

    def _when(self, message: Uplink) -> float:
        """The device's time of a message, clamped to the cloud's when it is far ahead."""
        now = self._clock.now()
        if message.sent_at > now + MAX_CLOCK_SKEW_S:
            self._counters["clock_skew_clamped"] += 1
            return now
        return message.sent_at

    def _reject(self, exc: RejectedError) -> None:
        self._counters[f"rejected_{exc.reason}"] += 1
        log.warning("rejected uplink message (%s): %s", exc.reason, str(exc)[:300])

    async def _record(self, items: list[Admitted]) -> tuple[Recorded, list[Admitted]]:
        """Store a batch: tried again on passing trouble, split when its data fails."""
        if not items:
            return Recorded(), []
        for attempt in range(RETRIES + 1):
            try:
                return await self._recorder.record(items), []
            except Exception as exc:
                if transient(exc) and attempt < RETRIES:
                    self._counters["store_retries"] += 1
                    log.warning("storing %d messages failed (%s); again", len(items), exc)
                    await self._clock.sleep(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                    continue
                if transient(exc) or len(items) == 1:
                    self._counters["store_failed"] += len(items)
                    self.last_error = f"{type(exc).__name__}: {exc}"[:200]
                    log.exception("could not store %d messages", len(items))
                    return Recorded(), items
                self._counters["batches_split"] += 1
                break
        return await self._split(items)

    async def _sequence(self, items: list[Admitted]) -> None:
        """Track the batch's sequence numbers; tried again on passing trouble."""
        for attempt in range(RETRIES + 1):
            try:
                await self._recorder.sequence(items)
            except Exception as exc:
                if transient(exc) and attempt < RETRIES:
                    self._counters["sequence_retries"] += 1
                    await self._clock.sleep(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                    continue
                # Stored and acknowledged: a redelivery or the sweep's gap audit catches up.
                self._counters["sequence_failed"] += 1
                log.exception("could not track the sequence of %d messages", len(items))
            return

    async def _split(self, items: list[Admitted]) -> tuple[Recorded, list[Admitted]]:
        """Store each message on its own, so the one that fails holds up no other."""
        done, failed = Recorded(), []
        for item in items:
            one, lost = await self._record([item])
            done.new += one.new
            done.duplicates += one.duplicates
            done.changes |= one.changes
            failed += lost
        return done, failed

    async def _acknowledge(self, acks: dict[Sender, list[str]], send_ack: AckSender) -> None:
        """Send every device its ack at once (each waits for the broker's PUBACK)."""
        chunks = [
            (sender, ids[start : start + MAX_ACK_IDS])
            for sender, ids in acks.items()
            for start in range(0, len(ids), MAX_ACK_IDS)
        ]
        results = await asyncio.gather(
            *(send_ack(sender.site_id, sender.device_id, ids) for sender, ids in chunks),
            return_exceptions=True,
        )
        for (sender, ids), result in zip(chunks, results, strict=True):
            if isinstance(result, aiomqtt.MqttError):
                self._counters["ack_failed"] += len(ids)  # the device sends them again
                log.warning("could not acknowledge %d messages of %s", len(ids), sender.device_id)
            elif isinstance(result, BaseException):
                raise result
            else:
                self._counters["acked"] += len(ids)
                self._counters["acks_sent"] += 1

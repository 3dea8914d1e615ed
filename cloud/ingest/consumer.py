"""MQTT ingest: two lanes of the shared subscription, each feeding the batching pipeline.

Alerts and events (a fall, a "false alarm", a reorder press) travel in their own lane, on
their own connection, so they never queue behind a backlog of telemetry. In each lane a
receiver takes messages off the broker into a fair queue (one queue per device, served in
turn) and a writer takes batches from it through `cloud.ingest.pipeline`: one transaction
and one DeliveryAck per device per batch. A message is acknowledged only after the
transaction that stored it committed; one that is not acknowledged comes back from its
device, and its id makes the second copy a duplicate.

The bulk lane subscribes at QoS 0 by default: the broker's PUBACK to us would promise
nothing the DeliveryAck does not (a message is safe only once stored, and its device keeps
it until then), and skipping it saves the worker a packet per message (measured: 15 % more
throughput). Alerts and events keep QoS 1, so the broker holds them across a worker's
restart instead of waiting for the device to send again.

Several workers share the subscriptions (MQTT v5 `$share/...`), so any worker may hold any
device's messages; see `cloud.ingest.record` for why they never deadlock or double-count.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import ssl
from collections import Counter
from dataclasses import dataclass, field

import aiomqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from cloud.alerts.escalation import Escalator
from cloud.config import AlertSettings, BrokerSettings, IngestSettings
from cloud.ingest.admit import Directory
from cloud.ingest.fairqueue import FairQueue, Received
from cloud.ingest.liveness import Liveness
from cloud.ingest.pipeline import AckSender, Outcome, Pipeline
from cloud.ingest.route import Router
from cloud.needs.pieces import Needs
from cloud.privacy.consent import ConsentCache
from cloud.store.changes import ChangeFeed
from cloud.store.db import answers
from cloud.supervisor import Unit, UnitSpec, UnitState
from common import topics
from common.clock import Backoff, Clock
from common.errors import ContinuoError
from common.messages import Command, DeliveryAck, encode, new_id
from common.topics import UplinkKind

log = logging.getLogger(__name__)
URGENT_KINDS = (UplinkKind.ALERT, UplinkKind.EVENT)
# The broker's own counters (Mosquitto's $SYS tree), exported by /metrics.
BROKER_STATS = (
    "$SYS/broker/publish/messages/dropped",  # discarded past a client's queue or in-flight limit
    "$SYS/broker/clients/connected",
    "$SYS/broker/store/messages/count",
    "$SYS/broker/messages/received",
    "$SYS/broker/messages/sent",
)

PROBE_S = 5.0  # a failing writer with nothing to write asks the database this often

__all__ = ["AckSender", "Ingest", "Outcome"]


class IngestError(ContinuoError):
    """Ingest could not do a unit of its work (it is kept and tried again)."""


@dataclass(slots=True)
class Lane:
    """One connection of the shared subscription and the queue it fills."""

    name: str
    identifier: str
    filters: list[str]
    queue: FairQueue
    qos: int
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    client: aiomqtt.Client | None = None


def _device_of(topic: str) -> str:
    """The device a topic names, cheaply (the pipeline checks the topic properly)."""
    parts = topic.split("/")
    return parts[3] if len(parts) == 6 else ""  # noqa: PLR2004


class Ingest:
    """Consumes the uplink topics of every device."""

    def __init__(
        self,
        *,
        settings: BrokerSettings,
        clock: Clock,
        feed: ChangeFeed,
        tuning: IngestSettings | None = None,
        rng: random.Random | None = None,
        escalator: Escalator | None = None,
        needs: Needs | None = None,
        rules: AlertSettings | None = None,
    ) -> None:
        """Create the consumer; its units (`units`) connect and write when supervised."""
        self._settings = settings
        self._tuning = tuning = tuning or IngestSettings()
        self._clock = clock
        self._rng = rng
        self.counters: Counter[str] = Counter()
        self.broker_stats: dict[str, float] = {}  # "publish/messages/dropped" -> its value
        self.connected = asyncio.Event()
        self.directory = Directory(clock=clock, ttl_s=tuning.device_cache_s)
        self.consent = ConsentCache(clock=clock)
        self.liveness = Liveness(clock=clock, feed=feed, counters=self.counters)
        self.router = Router(
            clock=clock,
            counters=self.counters,
            needs=needs,
            escalator=escalator,
            debounce_s=tuning.decide_debounce_s,
        )
        self.pipeline = Pipeline(
            clock=clock,
            feed=feed,
            counters=self.counters,
            directory=self.directory,
            consent=self.consent,
            liveness=self.liveness,
            router=self.router,
            rules=rules,
        )
        group = settings.shared_group
        self.lanes = (
            self._lane(
                "urgent", f"{settings.client_id}-alerts", f"{group}-alerts", URGENT_KINDS, qos=1
            ),
            self._lane(
                "bulk",
                settings.client_id,
                group,
                tuple(k for k in UplinkKind if k not in URGENT_KINDS),
                qos=tuning.bulk_qos,
            ),
        )

    def _lane(
        self, name: str, identifier: str, group: str, kinds: tuple[UplinkKind, ...], *, qos: int
    ) -> Lane:
        filters = [f"$share/{group}/{topics.PREFIX}/+/+/up/{kind.value}" for kind in kinds]
        t = self._tuning
        queue = FairQueue(
            per_device=t.per_device_queue, total=t.queue_total, per_batch=t.per_device_batch
        )
        return Lane(name, identifier, filters, queue, qos)

    @property
    def shed(self) -> Counter[str]:
        """Messages shed per device (its share of a lane's queue was full)."""
        total: Counter[str] = Counter()
        for lane in self.lanes:
            total.update(lane.queue.shed)
        return total

    async def handle(self, topic: str, payload: bytes, send_ack: AckSender) -> Outcome:
        """Take one message through the whole pipeline and settle what it changed."""
        (outcome,) = await self.pipeline.process([(topic, payload)], send_ack)
        await self.pipeline.settle()
        return outcome

    def _client(self, identifier: str) -> aiomqtt.Client:
        s = self._settings
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = 3600  # the broker queues for us across a short restart
        return aiomqtt.Client(
            s.host,
            s.port,
            username=s.username,
            password=s.password,
            identifier=identifier,
            protocol=aiomqtt.ProtocolVersion.V5,
            clean_start=False,
            properties=props,
            keepalive=30,
            timeout=10,
            # Unbounded: the lanes' fair queues take messages off at once and bound what
            # each device may hold; a bound here would discard what the broker handed over.
            max_queued_incoming_messages=0,
            tls_params=None
            if s.ca_file is None
            else aiomqtt.TLSParameters(ca_certs=s.ca_file, cert_reqs=ssl.CERT_REQUIRED),
        )

    def units(self) -> list[UnitSpec]:
        """Ingest's background units: per lane a connection and a writer, liveness, decisions."""
        specs: list[UnitSpec] = []
        for lane in self.lanes:
            specs.append(
                UnitSpec(name=f"ingest-{lane.name}", run=functools.partial(self._receive, lane))
            )
            specs.append(
                UnitSpec(
                    name=f"ingest-{lane.name}-writer",
                    run=functools.partial(self._write, lane),
                    lag=functools.partial(self._lag, lane),
                    behind_after_s=self._tuning.behind_after_s,
                )
            )
        specs.append(
            UnitSpec(
                name="liveness",
                run=self._flush_liveness,
                every_s=self._tuning.liveness_flush_s,
                stuck_after_s=300.0,
            )
        )
        specs.append(UnitSpec(name="decisions", run=self._decide))
        return specs

    def _lag(self, lane: Lane) -> float:
        oldest = lane.queue.oldest()
        return 0.0 if oldest is None else self._clock.monotonic() - oldest

    async def _flush_liveness(self, unit: Unit) -> None:
        del unit
        if not await self.liveness.flush():
            msg = "could not write liveness; kept for the next flush"
            raise IngestError(msg)

    async def _decide(self, unit: Unit) -> None:
        del unit
        await self.router.run()

    async def _receive(self, lane: Lane, unit: Unit) -> None:
        """One lane's connection, reconnecting with capped, jittered backoff."""
        backoff = Backoff(base_s=0.5, cap_s=15.0, rng=self._rng)
        unit.waiting("connecting to the broker")
        while True:
            delay = 0.0  # the messages ended without an error: connect again at once
            try:
                async with self._client(lane.identifier) as client:
                    for subscription in lane.filters:
                        await client.subscribe(subscription, qos=lane.qos)
                    if lane.name == "bulk":  # every worker reads them: broker-wide gauges
                        for stat in BROKER_STATS:
                            await client.subscribe(stat, qos=0)
                    backoff.reset()
                    lane.client = client
                    lane.ready.set()
                    unit.ok()
                    if all(other.ready.is_set() for other in self.lanes):
                        self.connected.set()
                    log.info(
                        "ingest %s subscribed to %d filters", lane.identifier, len(lane.filters)
                    )
                    async for message in client.messages:
                        raw = message.payload
                        payload = raw if isinstance(raw, bytes) else str(raw).encode()
                        topic = message.topic.value
                        if topic.startswith("$SYS/"):
                            self._broker_stat(topic, payload)
                            continue
                        await lane.queue.room()  # backpressure: stop taking from the broker
                        item = Received(_device_of(topic), topic, payload, self._clock.monotonic())
                        if not lane.queue.put(item):
                            self.counters["shed"] += 1
                            self.liveness.shed(item.device)
            except aiomqtt.MqttError as exc:
                self.counters["disconnects"] += 1
                unit.failed(f"lost the broker: {exc}")
                delay = backoff.next_delay()
                log.warning(
                    "ingest %s lost the broker (%s); retrying in %.1f s",
                    lane.identifier,
                    exc,
                    delay,
                )
            finally:  # lost, or cancelled: nobody may publish through this lane now
                lane.client = None
                lane.ready.clear()
                self.connected.clear()
            await self._clock.sleep(delay)

    def _broker_stat(self, topic: str, payload: bytes) -> None:
        try:
            value = float(payload.split(maxsplit=1)[0])
        except (ValueError, IndexError):
            self.counters["rejected_broker_stat"] += 1
            return
        self.broker_stats[topic.removeprefix("$SYS/broker/")] = value

    async def _write(self, lane: Lane, unit: Unit) -> None:
        """Take batches off the lane's queue through the pipeline, forever.

        A batch that could not be stored is not acknowledged (its devices send it again) and
        marks the unit failing until a batch is stored, or, with nothing to store, until the
        database answers again.
        """
        send_ack = functools.partial(self._send_ack, lane)
        while True:
            try:
                async with asyncio.timeout(None if unit.state is UnitState.OK else PROBE_S):
                    batch = await lane.queue.take(self._tuning.batch_max)
            except TimeoutError:
                if await answers():
                    unit.ok()
                continue
            try:
                outcomes = await self.pipeline.process(
                    [(r.topic, r.payload) for r in batch], send_ack
                )
            except Exception as exc:
                # Unacknowledged, so the devices send them again; counted and logged.
                self.counters["internal_errors"] += len(batch)
                log.exception("ingest failed on a batch of %d messages", len(batch))
                unit.failed(exc)
                continue
            done = self._clock.monotonic()
            for item in batch:
                self.pipeline.timings.lag.observe(done - item.at)
            failed = outcomes.count(Outcome.FAILED)
            if failed:
                unit.failed(
                    f"could not store {failed} of {len(batch)} messages (not acknowledged): "
                    + self.pipeline.last_error
                )
            else:
                unit.ok()

    async def _send_ack(self, lane: Lane, site: str, device: str, ids: list[str]) -> None:
        client = lane.client
        if client is None:
            msg = "not connected"
            raise aiomqtt.MqttError(msg)
        ack = DeliveryAck(id=new_id(), sent_at=self._clock.now(), ids=ids)
        await client.publish(topics.downlink(site, device), encode(ack), qos=1)

    async def command(self, site: str, device: str, name: str, args: dict[str, str]) -> bool:
        """Send a device a command over MQTT (QoS 1); False when the broker is not reachable."""
        client = self.lanes[1].client
        if client is None or not self.connected.is_set():
            return False
        command = Command(id=new_id(), sent_at=self._clock.now(), name=name, args=args)
        try:
            await client.publish(topics.downlink(site, device), encode(command), qos=1)
        except aiomqtt.MqttError:
            return False
        self.counters["commands_sent"] += 1
        return True

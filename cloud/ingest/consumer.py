"""MQTT ingest: validate every uplink message, store it once, acknowledge it end to end.

A message is acknowledged (DeliveryAck on the device's downlink) only after the database
transaction that stored it has committed; a redelivered message is recognised by its id,
not stored again, and acknowledged again. Nothing a device sends can stop ingest: every
rejection is counted by reason and logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import ssl
from collections import Counter
from collections.abc import Awaitable, Callable
from enum import StrEnum

import aiomqtt
import msgspec
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from tortoise.exceptions import BaseORMException, IntegrityError
from tortoise.transactions import in_transaction

from cloud.alerts import incidents
from cloud.alerts.escalation import Escalator
from cloud.config import BrokerSettings
from cloud.needs.pieces import Needs
from cloud.privacy.consent import ConsentCache
from cloud.store.changes import ChangeFeed
from cloud.store.models import (
    Device,
    DeviceEvent,
    IngestedMessage,
    PrinterInfo,
    SensorSample,
    SequenceGap,
    Site,
    Supply,
    SupplyLevel,
)
from cloud.terms import Stream, Topic
from common import topics
from common.clock import Backoff, Clock
from common.errors import InvalidMessageError
from common.messages import (
    Alert,
    Command,
    CommandAck,
    DeliveryAck,
    Event,
    Heartbeat,
    Presence,
    PrinterReading,
    ScaleReading,
    Status,
    Telemetry,
    Uplink,
    decode_uplink,
    encode,
    kind_of,
    new_id,
)
from common.messages import Supply as SupplyReading
from common.topics import UplinkKind

log = logging.getLogger(__name__)
MAX_CLOCK_SKEW_S = 300.0
HISTORY_KEEPALIVE = dt.timedelta(hours=1)
AckSender = Callable[[str, str, list[str]], Awaitable[None]]


class Outcome(StrEnum):
    """What ingest did with a message."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    APPLIED = "applied"  # presence and heartbeat: applied, never stored or acked
    REJECTED = "rejected"
    FAILED = "failed"


class _RejectedError(InvalidMessageError):
    """A message that ingest does not accept, with the counter label why."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail, reason=reason)


def _dt(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


class Ingest:
    """Consumes the uplink topics of every device."""

    def __init__(
        self,
        *,
        settings: BrokerSettings,
        clock: Clock,
        feed: ChangeFeed,
        rng: random.Random | None = None,
        escalator: Escalator | None = None,
        needs: Needs | None = None,
    ) -> None:
        """Create the consumer; `run` connects."""
        self._settings = settings
        self._clock = clock
        self._feed = feed
        self._escalator = escalator
        self._needs = needs
        self.consent = ConsentCache(clock=clock)
        self._owners: dict[str, str] = {}  # site -> customer
        self._commander: aiomqtt.Client | None = None
        self._rng = rng
        self.counters: Counter[str] = Counter()
        self.connected = asyncio.Event()

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
            max_queued_incoming_messages=10_000,
            tls_params=None
            if s.ca_file is None
            else aiomqtt.TLSParameters(ca_certs=s.ca_file, cert_reqs=ssl.CERT_REQUIRED),
        )

    async def run(self) -> None:
        """Consume forever on two connections: alerts in their own lane, everything else.

        Alerts never queue behind a backlog of telemetry (head-of-line blocking), because
        MQTT delivers each connection's messages in order and ingest stores them one by one.
        """
        group = self._settings.shared_group
        bulk = [
            f"$share/{group}/{topics.PREFIX}/+/+/up/{kind.value}"
            for kind in UplinkKind
            if kind is not UplinkKind.ALERT
        ]
        urgent = [f"$share/{group}-alerts/{topics.PREFIX}/+/+/up/{UplinkKind.ALERT.value}"]
        ready = [asyncio.Event(), asyncio.Event()]

        async def both_ready() -> None:
            await asyncio.gather(*(e.wait() for e in ready))
            self.connected.set()

        async with asyncio.TaskGroup() as lanes:
            lanes.create_task(
                self._consume(f"{self._settings.client_id}-alerts", urgent, ready[0]),
                name="ingest-alerts",
            )
            lanes.create_task(
                self._consume(self._settings.client_id, bulk, ready[1]), name="ingest-bulk"
            )
            lanes.create_task(both_ready())

    async def _consume(self, identifier: str, filters: list[str], ready: asyncio.Event) -> None:
        """One connection's loop, reconnecting with capped, jittered backoff."""
        backoff = Backoff(base_s=0.5, cap_s=15.0, rng=self._rng)
        while True:
            try:
                async with self._client(identifier) as client:
                    for subscription in filters:
                        await client.subscribe(subscription, qos=1)
                    backoff.reset()
                    if not identifier.endswith("-alerts"):
                        self._commander = client
                    ready.set()
                    log.info("ingest %s subscribed to %d filters", identifier, len(filters))

                    async def send_ack(
                        site: str, device: str, ids: list[str], client: aiomqtt.Client = client
                    ) -> None:
                        ack = DeliveryAck(id=new_id(), sent_at=self._clock.now(), ids=ids)
                        await client.publish(topics.downlink(site, device), encode(ack), qos=1)

                    async for message in client.messages:
                        raw = message.payload
                        payload = raw if isinstance(raw, bytes) else str(raw).encode()
                        await self._handle_safely(message.topic.value, payload, send_ack)
            except aiomqtt.MqttError as exc:
                self.connected.clear()
                self.counters["disconnects"] += 1
                delay = backoff.next_delay()
                log.warning(
                    "ingest %s lost the broker (%s); retrying in %.1f s", identifier, exc, delay
                )
                await self._clock.sleep(delay)

    async def _handle_safely(self, topic: str, payload: bytes, send_ack: AckSender) -> None:
        """The per-message boundary: nothing one message does may stop ingest."""
        try:
            await self.handle(topic, payload, send_ack)
        except aiomqtt.MqttError:
            raise  # the connection is gone: reconnect
        except Exception:
            # Unacknowledged, so the device sends it again; counted and logged with its trace.
            self.counters["internal_errors"] += 1
            log.exception("ingest failed on a message from %s", topic)

    async def _admit(self, topic: str, payload: bytes) -> tuple[Device, Uplink, str]:
        """Decode a message and check who sent it; raises _RejectedError."""
        try:
            parsed = topics.parse_uplink(topic)
            message = decode_uplink(payload, kind=parsed.kind)
        except InvalidMessageError as exc:
            raise _RejectedError(exc.reason, f"{topic}: {exc}") from exc
        if message.device_id != parsed.device:
            detail = f"{parsed.device} published a message of {message.device_id}"
            raise _RejectedError("device_mismatch", detail)
        device = await Device.get_or_none(id=parsed.device)
        if device is None:
            raise _RejectedError("unknown_device", parsed.device)
        if device.site_id != parsed.site:
            raise _RejectedError("site_mismatch", f"{parsed.device} is not at {parsed.site}")
        if device.revoked:
            raise _RejectedError("revoked", parsed.device)
        return device, message, parsed.site

    async def handle(self, topic: str, payload: bytes, send_ack: AckSender) -> Outcome:
        """Validate, store and acknowledge one message."""
        self.counters["received"] += 1
        try:
            device, message, site = await self._admit(topic, payload)
        except _RejectedError as exc:
            self.counters[f"rejected_{exc.reason}"] += 1
            log.warning("rejected uplink message (%s): %s", exc.reason, str(exc)[:300])
            return Outcome.REJECTED
        try:
            if isinstance(message, Presence | Heartbeat):
                await self._apply_liveness(device, message)
                return Outcome.APPLIED
            if not await self._consented(device, message):
                await send_ack(site, device.id, [message.id])  # received, and not kept
                self.counters["withheld_by_consent"] += 1
                return Outcome.APPLIED
            stored = await self._store(device, message)
        except (BaseORMException, OSError):
            self.counters["store_failed"] += 1
            log.exception("could not store %s from %s", message.id, device.id)
            return Outcome.FAILED
        await send_ack(site, device.id, [message.id])
        self.counters["acked"] += 1
        if not stored:
            self.counters["duplicates"] += 1
            return Outcome.DUPLICATE
        self.counters[f"stored_{kind_of(message).value}"] += 1
        await self._feed.publish(Topic.DEVICES, device.id)
        printer = isinstance(message, Telemetry) and isinstance(message.reading, PrinterReading)
        await self._feed.publish(Topic.SUPPLIES if printer else Topic.SENSORS, device.id)
        if isinstance(message, Alert):
            await self._feed.publish(Topic.ALERTS, device.id)
            if self._escalator is not None:
                await self._escalator.kick()  # the first rung goes out now, not on the next tick
        elif isinstance(message, Event) and self._escalator is not None:
            await self._escalator.on_event(device.id, message)  # "fall.false_alarm", say
        await self._decide_safely(device, message)
        return Outcome.STORED

    async def _decide_safely(self, device: Device, message: Uplink) -> None:
        try:
            await self._decide(device, message)
        except (BaseORMException, OSError):
            # Stored and acknowledged already; the next sweep decides again.
            self.counters["decide_failed"] += 1
            log.exception("deciding after a message of %s failed", device.id)
        else:
            self.counters["decided"] += 1

    async def _decide(self, device: Device, message: Uplink) -> None:
        """What a new message can change: a forecast, a need's stock, a reorder press."""
        if self._needs is None:
            return
        if isinstance(message, Telemetry) and isinstance(message.reading, PrinterReading):
            await self._needs.printers.ensure(device.id)
            await self._needs.observer.observe(device.id, message.sensor)
        elif isinstance(message, Telemetry) and isinstance(message.reading, ScaleReading):
            await self._needs.observer.observe(device.id, message.sensor)
        elif isinstance(message, Event) and message.name.startswith("press."):
            await self._needs.requests.press(
                device.id, message.sensor, min(message.sent_at, self._clock.now())
            )

    async def _consented(self, device: Device, message: Uplink) -> bool:
        """Whether the household lets the cloud keep this reading's stream."""
        if not isinstance(message, Telemetry):
            return True
        reading = message.reading
        stream = (
            Stream.INK_LEVELS
            if isinstance(reading, PrinterReading)
            else Stream.WEIGHTS
            if isinstance(reading, ScaleReading)
            else Stream.ACCELEROMETER
        )
        customer = self._owners.get(device.site_id)
        if customer is None:
            site = await Site.get(id=device.site_id)
            customer = self._owners[device.site_id] = site.customer_id
        return await self.consent.collecting(customer, stream)

    async def command(self, site: str, device: str, name: str, args: dict[str, str]) -> bool:
        """Send a device a command over MQTT (QoS 1); False when the broker is not reachable."""
        client = self._commander
        if client is None or not self.connected.is_set():
            return False
        command = Command(id=new_id(), sent_at=self._clock.now(), name=name, args=args)
        try:
            await client.publish(topics.downlink(site, device), encode(command), qos=1)
        except aiomqtt.MqttError:
            return False
        self.counters["commands_sent"] += 1
        return True

    async def _apply_liveness(self, device: Device, message: Presence | Heartbeat) -> None:
        online = message.online if isinstance(message, Presence) else True
        await Device.filter(id=device.id).update(
            online=online,
            last_seen=_dt(self._clock.now()),
            high_water=max(device.high_water, message.seq),
        )
        if online != device.online:
            await self._feed.publish(Topic.DEVICES, device.id)

    async def _store(self, device: Device, message: Uplink) -> bool:
        """Store a durable message once; False if it was already stored."""
        if await IngestedMessage.exists(id=message.id):
            return False
        now = self._clock.now()
        at = message.sent_at
        if at > now + MAX_CLOCK_SKEW_S:
            self.counters["clock_skew_clamped"] += 1
            at = now
        try:
            async with in_transaction():
                # The device row first, always: every row this message writes hangs off it,
                # so workers holding messages of one device queue here instead of deadlocking
                # (inserting first took a foreign-key lock on the device, then asked for it).
                locked = await Device.select_for_update().get(id=device.id)
                await IngestedMessage.create(
                    id=message.id,
                    device=device,
                    seq=message.seq,
                    kind=kind_of(message).value,
                    received_at=_dt(now),
                )
                await self._track_sequence(locked, message.seq, now)
                locked.online = True
                locked.last_seen = _dt(now)
                locked.high_water = max(locked.high_water, message.seq)
                await self._apply(locked, message, at)
                await locked.save()
        except IntegrityError:
            if await IngestedMessage.exists(id=message.id):
                return False  # another worker stored it first
            raise
        return True

    async def _track_sequence(self, device: Device, seq: int, now: float) -> None:
        last = device.last_seq
        if seq > last + 1:
            await SequenceGap.create(
                device=device, first_seq=last + 1, last_seq=seq - 1, detected_at=_dt(now)
            )
            self.counters["gaps_detected"] += 1
        if seq > last:
            device.last_seq = seq
            return
        gap = await SequenceGap.filter(device=device, first_seq__lte=seq, last_seq__gte=seq).first()
        if gap is None:
            self.counters["sequence_resets"] += 1  # the device lost its outbox and restarted at 1
            device.last_seq = seq
        elif gap.first_seq == gap.last_seq:
            await gap.delete()
        elif seq == gap.first_seq:
            gap.first_seq += 1
            await gap.save()
        elif seq == gap.last_seq:
            gap.last_seq -= 1
            await gap.save()
        else:
            await SequenceGap.create(
                device=device, first_seq=seq + 1, last_seq=gap.last_seq, detected_at=gap.detected_at
            )
            gap.last_seq = seq - 1
            await gap.save()

    async def _apply(self, device: Device, message: Uplink, at: float) -> None:
        if isinstance(message, Telemetry):
            reading = message.reading
            if isinstance(reading, PrinterReading):
                await self._apply_printer(device, message.sensor, reading, at)
            elif isinstance(reading, ScaleReading):
                await SensorSample.create(
                    device=device,
                    sensor=message.sensor,
                    kind="scale",
                    state=reading.state.value,
                    grams=reading.grams,
                    detail=reading.detail,
                    at=_dt(at),
                )
            else:
                data = msgspec.structs.asdict(reading)
                await SensorSample.create(
                    device=device,
                    sensor=message.sensor,
                    kind="wearable",
                    state="connected" if reading.connected else "disconnected",
                    detail=reading.detail,
                    data=data,
                    at=_dt(at),
                )
        elif isinstance(message, Status):
            device.firmware = message.firmware
            device.battery_pct = message.battery_pct
            device.sensors_ok = all(s.ok for s in message.sensors)
            device.sensors_detail = "; ".join(
                f"{s.sensor}: {s.detail or 'fault'}" for s in message.sensors if not s.ok
            )[:1024]
            device.outbox_dropped = message.outbox_dropped
        elif isinstance(message, Event | Alert | CommandAck):
            await DeviceEvent.create(
                id=message.id,
                device=device,
                kind=kind_of(message).value,
                sensor=getattr(message, "sensor", "agent"),
                name=getattr(
                    message,
                    "name",
                    f"command {message.command_id}" if isinstance(message, CommandAck) else "",
                ),
                severity=message.severity.value if isinstance(message, Alert) else None,
                detail=message.detail,
                at=_dt(at),
            )
            if isinstance(message, Alert):
                await incidents.record(device, message, now=_dt(self._clock.now()))

    @staticmethod
    def _history_due(supply: Supply, item: SupplyReading, when: dt.datetime) -> bool:
        """Keep a level when it changed, and at least hourly, so history stays small."""
        return (
            supply.history_at is None
            or item.level != supply.level
            or item.level_state.value != supply.level_state
            or when - supply.history_at >= HISTORY_KEEPALIVE
            or when < supply.history_at
        )

    async def _apply_printer(
        self, device: Device, sensor: str, reading: PrinterReading, at: float
    ) -> None:
        when = _dt(at)
        info = await PrinterInfo.get_or_none(device=device, sensor=sensor)
        if info is None:
            info = PrinterInfo(device=device, sensor=sensor, updated_at=when)
        if when >= info.updated_at:
            info.state = reading.state.value
            info.detail = reading.detail
            if reading.make or reading.model:
                info.make, info.model = reading.make, reading.model
            info.updated_at = when
            await info.save()
        for item in reading.supplies:
            supply = await Supply.get_or_none(device=device, sensor=sensor, index=item.index)
            if supply is None:
                supply = Supply(
                    device=device,
                    sensor=sensor,
                    index=item.index,
                    updated_at=when,
                )
            keep = self._history_due(supply, item, when)
            if supply.pk is None or when >= supply.updated_at:
                supply.name, supply.kind, supply.color = item.name, item.kind, item.color
                supply.level, supply.level_state = item.level, item.level_state.value
                supply.updated_at = when
            if keep:
                supply.history_at = max(when, supply.history_at or when)
            await supply.save()
            if keep:
                await SupplyLevel.create(
                    supply=supply, at=when, level=item.level, level_state=item.level_state.value
                )

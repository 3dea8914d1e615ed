"""The agent's MQTT v5 link to the cloud: connect, send the outbox in order, take acks.

Delivery is confirmed end to end: a message leaves the outbox only when the cloud says it
stored it (a DeliveryAck on the device's downlink topic), never on a PUBACK alone.

The link outlives its environment: a lost broker or a failing outbox ends the session, and
the link reconnects with capped, jittered backoff. Resends follow TCP's rules (see `Flow`):
the resend timeout comes from measured ack round trips and backs off on timeouts, and the
window of messages in flight closes on a timeout and reopens with acks, so a slow cloud
gets fewer resends, not more, and a backlog drains a window at a time.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import ssl
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import aiomqtt
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from common import topics
from common.clock import Backoff, Clock
from common.errors import InvalidMessageError
from common.messages import Command, DeliveryAck, Heartbeat, Presence, decode_downlink, encode
from common.messages import new_id as new_message_id
from common.topics import UplinkKind
from edge.config import AgentConfig
from edge.outbox import Delivered, Outbox, OutboxError, Pending

log = logging.getLogger(__name__)

CommandHandler = Callable[[Command], Awaitable[None]]


def _count_denied_publishes(client: aiomqtt.Client, counters: Counter[str]) -> None:
    """Count PUBACKs whose MQTT v5 reason code says the broker refused the message.

    aiomqtt 2.5 drops the reason code, so wrap paho's callback that it installed.
    """
    paho = client._client  # noqa: SLF001 (no public hook for PUBACK reason codes)
    inner: Callable[..., None] | None = paho.on_publish
    if inner is None:
        return

    def on_publish(c: Any, userdata: Any, mid: int, rc: ReasonCode, props: Properties) -> None:
        if rc.is_failure:
            counters["publish_denied"] += 1
            log.error("broker refused a publish: %s", rc)
        inner(c, userdata, mid, rc, props)

    paho.on_publish = on_publish


STRAGGLER_SENDS = 3  # a message this many sends did not get acked stops holding up the rest
_PUBLISH_BATCH = 20  # paho's default of QoS 1 messages in flight to the broker


class Flow:
    """What to send now, and when to resend, from measured acknowledgements (pure, no I/O).

    Like TCP (RFC 6298, with Karn's rule): the resend timeout is `srtt + 4 * rttvar` of ack
    round trips, within [min_s, max_s]; only messages sent once are measured, as an ack of a
    resent one cannot say which send it answers. A message is resent after the timeout,
    doubled for each earlier send. A timeout doubles the timeout until the next measurement
    and closes the window of messages in flight to one; acks reopen it, by one per message
    up to half the window it had (slow start), then by one per window of acks. Messages
    sent before a timeout that time out after it are the same loss, not another one.

    Unlike TCP, the cloud may refuse one message and take the next: a message that
    `STRAGGLER_SENDS` sends did not get acknowledged keeps being resent on its own backoff
    but no longer counts against the window, so it cannot hold up those behind it.
    """

    def __init__(self, *, window: int, initial_s: float, min_s: float, max_s: float) -> None:
        """Start with the whole window open and the initial timeout."""
        self._max_window = float(window)
        self._window = float(window)
        self._threshold = float(window)
        self._min_s = min_s
        self._max_s = max_s
        self._initial_s = min(max(initial_s, min_s), max_s)
        self.rto = self._initial_s
        self.srtt: float | None = None
        self._rttvar = 0.0
        self._last_timeout = -math.inf

    @property
    def window(self) -> int:
        """How many messages may be in flight now."""
        return max(1, int(self._window))

    @property
    def lookahead(self) -> int:
        """How many of the oldest held messages `due` needs to see."""
        return 2 * int(self._max_window)

    def timeout(self, sends: int) -> float:
        """How long to wait for the ack of a message sent `sends` times."""
        return min(self.rto * 2.0 ** min(sends - 1, 30), self._max_s)

    def due(self, held: list[Pending], *, now: float) -> list[Pending]:
        """Of the oldest messages held (in order), those to send or resend now."""
        in_flight, waiting, new_loss = 0, [], False
        for item in held:
            if item.sent_at is None:
                waiting.append(item)
            elif now >= item.sent_at + self.timeout(item.sends):
                waiting.append(item)
                straggler = item.sends >= STRAGGLER_SENDS  # refused, not a sign of congestion
                new_loss |= not straggler and item.sent_at >= self._last_timeout
            elif item.sends < STRAGGLER_SENDS:
                in_flight += 1
        if new_loss:
            self.timed_out(now=now)
        room = self.window - in_flight
        due = []
        for item in waiting:
            if item.sends >= STRAGGLER_SENDS:
                due.append(item)
            elif room > 0:
                due.append(item)
                room -= 1
        return due

    def acked(self, delivered: list[Delivered], *, now: float) -> None:
        """Widen the window by what arrived and measure round trips of messages sent once."""
        count = len(delivered)
        if self._window < self._threshold:
            self._window += count
        elif count:
            self._window += count / self._window
        self._window = min(self._window, self._max_window)
        for item in delivered:
            if item.sends == 1 and item.sent_at is not None:
                self._measure(max(0.0, now - item.sent_at))

    def _measure(self, rtt: float) -> None:
        if self.srtt is None:
            self.srtt, self._rttvar = rtt, rtt / 2
        else:
            self._rttvar = 0.75 * self._rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt
        self.rto = min(max(self.srtt + 4 * self._rttvar, self._min_s), self._max_s)

    def restart(self) -> None:
        """A new connection: forget the backoff (the measurements stay) and reopen fully.

        Acks overdue in the last connection tell nothing about this one, and what it lost
        (say, sent while the cloud had not yet subscribed again) should go again soon.
        """
        if self.srtt is not None:
            self.rto = min(max(self.srtt + 4 * self._rttvar, self._min_s), self._max_s)
        else:
            self.rto = self._initial_s
        self._threshold = self._max_window

    def timed_out(self, *, now: float) -> None:
        """An ack is overdue: back off the timeout and close the window to one message."""
        self._last_timeout = now
        self.rto = min(self.rto * 2, self._max_s)
        self._threshold = max(2.0, self._window / 2)
        self._window = 1.0


class Link:
    """Keeps one MQTT connection up and drains the outbox through it."""

    def __init__(
        self,
        *,
        config: AgentConfig,
        outbox: Outbox,
        clock: Clock,
        rng: random.Random,
        on_command: CommandHandler | None = None,
    ) -> None:
        """Create the link; `run` connects."""
        self._config = config
        self._outbox = outbox
        self._clock = clock
        self._backoff = Backoff(base_s=0.5, cap_s=30.0, rng=rng)
        o = config.outbox
        self.flow = Flow(
            window=o.window, initial_s=o.resend_s, min_s=o.resend_min_s, max_s=o.resend_max_s
        )
        self._on_command = on_command
        self._wake = asyncio.Event()
        self._started = clock.monotonic()
        self.connected = asyncio.Event()
        self.counters: Counter[str] = Counter()

    def wake(self) -> None:
        """Tell the sender that the outbox has something new."""
        self._wake.set()

    def _presence(self, *, online: bool) -> tuple[str, bytes]:
        c = self._config
        message = Presence(
            id=new_message_id(),
            device_id=c.device_id,
            seq=self._outbox.high_water(),
            sent_at=self._clock.now(),
            online=online,
        )
        return topics.uplink(c.site, c.device_id, UplinkKind.PRESENCE), encode(message)

    def _client(self) -> aiomqtt.Client:
        m = self._config.mqtt
        will_topic, will_payload = self._presence(online=False)
        tls = None
        if m.tls:
            tls = aiomqtt.TLSParameters(ca_certs=m.ca_file, cert_reqs=ssl.CERT_REQUIRED)
        return aiomqtt.Client(
            m.host,
            m.port,
            username=m.username,
            password=m.password,
            identifier=f"edge-{self._config.device_id}",
            protocol=aiomqtt.ProtocolVersion.V5,
            keepalive=m.keepalive_s,
            timeout=10,
            will=aiomqtt.Will(will_topic, will_payload, qos=1, retain=True),
            tls_params=tls,
        )

    async def run(self) -> None:
        """Connect, and reconnect with capped, jittered backoff, forever.

        A session ends when the broker goes away or the outbox fails; its loops run in a
        TaskGroup, so those errors arrive as an ExceptionGroup. Anything else is a bug
        and ends the link.
        """
        while True:
            try:
                async with self._client() as client:
                    client.pending_calls_threshold = self._config.outbox.window + 10
                    _count_denied_publishes(client, self.counters)
                    await self._session(client)
            except* aiomqtt.MqttError as group:
                self._session_lost("broker link down", group)
            except* OutboxError as group:
                self._session_lost("outbox failed", group)
            await self._clock.sleep(self._backoff.next_delay())

    def _session_lost(self, what: str, group: BaseExceptionGroup[Exception]) -> None:
        self.connected.clear()
        self.counters["disconnects"] += 1
        first = group.exceptions[0]
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        log.warning("%s (%s); reconnecting", what, first)

    async def _session(self, client: aiomqtt.Client) -> None:
        c = self._config
        await client.subscribe(topics.downlink(c.site, c.device_id), qos=1)
        topic, payload = self._presence(online=True)
        await client.publish(topic, payload, qos=1, retain=True)
        self._outbox.reset_sent()
        self.flow.restart()
        self._backoff.reset()
        self.connected.set()
        log.info("connected to broker %s:%d", c.mqtt.host, c.mqtt.port)
        async with asyncio.TaskGroup() as group:
            group.create_task(self._send_loop(client), name="outbox-sender")
            group.create_task(self._receive_loop(client), name="downlink-receiver")
            group.create_task(self._heartbeat_loop(client), name="heartbeat")

    async def _send_loop(self, client: aiomqtt.Client) -> None:
        while True:
            self._wake.clear()
            now = self._clock.monotonic()
            due = self.flow.due(self._outbox.head(self.flow.lookahead), now=now)
            self.counters["resent"] += sum(1 for item in due if item.sends)
            if due:
                await self._publish(client, due)
            try:
                async with asyncio.timeout(max(0.02, min(1.0, self.flow.rto / 4))):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _publish(self, client: aiomqtt.Client, due: list[Pending]) -> None:
        """Hand messages to the broker a batch at a time, each batch timed when it leaves.

        A batch is what paho keeps in flight to the broker, so a message's time is not that
        of the queue in front of it here (which would look like a slow cloud).
        """
        c = self._config
        for start in range(0, len(due), _PUBLISH_BATCH):
            batch = due[start : start + _PUBLISH_BATCH]
            self._outbox.mark_sent([item.seq for item in batch], now=self._clock.monotonic())
            async with asyncio.TaskGroup() as group:
                for item in batch:
                    topic = topics.uplink(c.site, c.device_id, UplinkKind(item.kind))
                    group.create_task(client.publish(topic, item.payload, qos=1))
            self.counters["published"] += len(batch)

    async def _receive_loop(self, client: aiomqtt.Client) -> None:
        async for raw in client.messages:
            payload = raw.payload if isinstance(raw.payload, bytes) else str(raw.payload).encode()
            try:
                message = decode_downlink(payload)
            except InvalidMessageError as exc:
                self.counters[f"downlink_rejected_{exc.reason}"] += 1
                log.warning("ignored bad downlink message: %s", exc)
                continue
            if isinstance(message, DeliveryAck):
                delivered = self._outbox.acknowledge(message.ids)
                self.flow.acked(delivered, now=self._clock.monotonic())
                self.counters["acked"] += len(delivered)
                self._wake.set()
            elif self._on_command is not None:
                await self._on_command(message)

    async def _heartbeat_loop(self, client: aiomqtt.Client) -> None:
        c = self._config
        topic = topics.uplink(c.site, c.device_id, UplinkKind.HEARTBEAT)
        while True:
            beat = Heartbeat(
                id=new_message_id(),
                device_id=c.device_id,
                seq=self._outbox.high_water(),
                sent_at=self._clock.now(),
                uptime_s=max(0.0, self._clock.monotonic() - self._started),
            )
            await client.publish(topic, encode(beat), qos=1)
            await self._clock.sleep(c.heartbeat_s)

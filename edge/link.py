"""The agent's MQTT v5 link to the cloud: connect, send the outbox in order, take acks.

Delivery is confirmed end to end: a message leaves the outbox only when the cloud says it
stored it (a DeliveryAck on the device's downlink topic), never on a PUBACK alone.
"""

from __future__ import annotations

import asyncio
import logging
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
from edge.outbox import Outbox

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
        """Connect, and reconnect with capped, jittered backoff, forever."""
        while True:
            try:
                async with self._client() as client:
                    _count_denied_publishes(client, self.counters)
                    await self._session(client)
            except aiomqtt.MqttError as exc:
                self.connected.clear()
                self.counters["disconnects"] += 1
                delay = self._backoff.next_delay()
                log.warning("broker link down (%s); retrying in %.1f s", exc, delay)
                await self._clock.sleep(delay)

    async def _session(self, client: aiomqtt.Client) -> None:
        c = self._config
        await client.subscribe(topics.downlink(c.site, c.device_id), qos=1)
        topic, payload = self._presence(online=True)
        await client.publish(topic, payload, qos=1, retain=True)
        self._outbox.reset_sent()
        self._backoff.reset()
        self.connected.set()
        log.info("connected to broker %s:%d", c.mqtt.host, c.mqtt.port)
        async with asyncio.TaskGroup() as group:
            group.create_task(self._send_loop(client), name="outbox-sender")
            group.create_task(self._receive_loop(client), name="downlink-receiver")
            group.create_task(self._heartbeat_loop(client), name="heartbeat")

    async def _send_loop(self, client: aiomqtt.Client) -> None:
        c = self._config
        while True:
            self._wake.clear()
            batch = self._outbox.pending(
                window=c.outbox.window, now=self._clock.now(), resend_after_s=c.outbox.resend_s
            )
            for item in batch:
                topic = topics.uplink(c.site, c.device_id, UplinkKind(item.kind))
                await client.publish(topic, item.payload, qos=1)
                self._outbox.mark_sent([item.seq], now=self._clock.now())
                self.counters["published"] += 1
            try:
                async with asyncio.timeout(min(1.0, c.outbox.resend_s)):
                    await self._wake.wait()
            except TimeoutError:
                pass

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
                self.counters["acked"] += self._outbox.acknowledge(message.ids)
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

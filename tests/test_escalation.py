"""Escalation ladders against real local peers: an SMTP server, an SMS gateway, a webhook."""

from __future__ import annotations

import asyncio
import email
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest
from aiohttp import web
from aiosmtpd.controller import Controller

from cloud.alerts.escalation import LadderError, check_ladder, parse_step
from cloud.app import INGEST
from cloud.config import NotifySettings
from common import topics
from common.topics import UplinkKind
from tests.peers import Broker, accounts, cloud_config, free_port, get_json, register, running_cloud
from tests.support.backend import Acks, fall_alert


@dataclass
class Inbox:
    """Everything the local peers received."""

    mails: list[email.message.Message] = field(default_factory=list)
    sms: list[dict[str, Any]] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    sms_status: int = 200


class _SmtpHandler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        del server, session
        self.inbox.mails.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
async def peers() -> AsyncIterator[tuple[Inbox, NotifySettings, str]]:
    inbox = Inbox()
    smtp = Controller(_SmtpHandler(inbox), hostname="127.0.0.1", port=free_port())
    smtp.start()

    async def sms(request: web.Request) -> web.Response:
        inbox.sms.append(await request.json())
        return web.Response(status=inbox.sms_status)

    async def hook(request: web.Request) -> web.Response:
        inbox.hooks.append(await request.json())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/sms", sms)
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    settings = NotifySettings(
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        sms_gateway_url=f"{base}/sms",
        escalation_tick_s=0.1,
        timeout_s=5,
    )
    try:
        yield inbox, settings, base
    finally:
        await runner.cleanup()
        smtp.stop()


async def test_the_ladder_climbs_until_someone_acknowledges(
    db_url: str, broker: Broker, peers: tuple[Inbox, NotifySettings, str]
) -> None:
    inbox, settings, base = peers
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    config = msgspec.structs.replace(cloud_config(db_url, broker.port), notify=settings)
    async with running_cloud(config) as cloud, cloud.http() as http:
        ladder = [
            {"after_s": 0, "channel": "email", "target": "ana@example.org"},
            {"after_s": 1.5, "channel": "sms", "target": "+15551234567"},
            {"after_s": 3, "channel": "webhook", "target": f"{base}/hook"},
        ]
        async with http.put(
            f"{cloud.url}/api/v1/customers/home-1/escalation", data=json.dumps(ladder)
        ) as response:
            assert response.status == 200, await response.text()
        ingest = cloud.app[INGEST]
        topic = topics.uplink("home-1", "pi-1", UplinkKind.ALERT)

        # 1. acknowledged after the SMS: the webhook is never called
        await ingest.handle(topic, msgspec.json.encode(fall_alert(1)), Acks())
        assert len(inbox.mails) == 1  # the first rung went out at once
        assert "fall at home-1" in inbox.mails[0]["Subject"]
        async with asyncio.timeout(5):
            while not inbox.sms:
                await asyncio.sleep(0.05)
        assert inbox.sms[0]["to"] == "+15551234567"
        active: Any = await get_json(f"{cloud.url}/api/v1/alerts?state=active")
        (alert,) = active
        async with http.post(
            f"{cloud.url}/api/v1/alerts/{alert['id']}/acknowledge", data=b'{"by": "Ana"}'
        ) as response:
            assert response.status == 200
        await asyncio.sleep(2.5)
        assert inbox.hooks == []  # acknowledged: the ladder stopped
        async with http.post(
            f"{cloud.url}/api/v1/alerts/{alert['id']}/resolve", data=b'{"by": "Ana"}'
        ) as response:
            assert response.status == 200

        # 2. nobody answers, and the SMS gateway is down: every rung is tried, and recorded
        inbox.sms_status = 500
        await ingest.handle(topic, msgspec.json.encode(fall_alert(2)), Acks())
        async with asyncio.timeout(8):
            while not inbox.hooks:
                await asyncio.sleep(0.05)
        assert inbox.hooks[0]["severity"] == "critical"
        active = await get_json(f"{cloud.url}/api/v1/alerts?state=active")
        (alert,) = active
        told = [(n["channel"], n["ok"]) for n in alert["notifications"]]
        assert told == [("email", True), ("sms", False), ("webhook", True)]
        assert len(inbox.mails) == 2


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (["0:email:not-an-address"], "not a valid email target"),
        (["0:pager:123"], "pager"),
        (["60:sms:+15551234567", "30:email:a@b.org"], "must not decrease"),
        (["soon:sms:+1555"], "AFTER_S"),
    ],
)
def test_bad_ladders_are_refused(steps: list[str], message: str) -> None:
    with pytest.raises(LadderError, match=message):
        check_ladder([parse_step(s) for s in steps])


def test_alert_latency_benchmark_runs_end_to_end() -> None:
    from tests.peers import continuo  # noqa: PLC0415

    result = continuo(
        "bench", "alerts", "--alerts", "3", "--devices", "2", "--rate", "2", "--json", timeout=180
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["first_channel_ms"]["n"] == 3
    assert data["dashboard_ms"]["n"] == 3
    assert 0 < data["first_channel_ms"]["p50"] < 5000

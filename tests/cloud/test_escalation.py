"""Escalation ladders against real local peers: an SMTP server, an SMS gateway, a webhook.

Also the wearer's "false alarm, I'm fine" after help was called: told through the same
ladder to every rung already told, and to no other.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, cast

import msgspec
import pytest
from aiohttp import web
from aiosmtpd.controller import Controller

from cloud.alerts.receivers import LadderError, StepSpec, check_ladder, parse_step, set_ladder
from cloud.api.context import SERVICES
from cloud.config import BrokerSettings, CloudConfig, NotifySettings
from cloud.identity.registry import add_device
from cloud.services import Services, build_services
from cloud.store.models import AuditEntry, Delivery, DeviceEvent, Incident
from common import topics
from common.clock import FakeClock
from common.messages import Event, encode, new_id
from common.topics import UplinkKind
from tests.support.backend import CATALOG, Acks, fall_alert, notify
from tests.support.peers import (
    Broker,
    accounts,
    cloud_config,
    free_port,
    get_json,
    register,
    running_cloud,
)
from tests.support.wait import wait_until


@dataclass
class Inbox:
    """Everything the local peers received."""

    mails: list[email.message.Message] = field(default_factory=list)
    sms: list[dict[str, Any]] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    sms_status: int = 200
    sms_keys: list[str] = field(default_factory=list)  # the gateway's Authorization headers


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
        inbox.sms_keys.append(request.headers.get("Authorization", ""))
        return web.Response(status=inbox.sms_status)

    async def hook(request: web.Request) -> web.Response:
        inbox.hooks.append((await request.json())["data"])
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
        sms_gateway_token="gateway-key",
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
        ingest = cloud.app[SERVICES].ingest
        topic = topics.uplink("home-1", "pi-1", UplinkKind.ALERT)

        # 1. acknowledged after the SMS: the webhook is never called
        await ingest.handle(topic, msgspec.json.encode(fall_alert(1)), Acks())
        await wait_until(  # the first rung goes out at once
            lambda: inbox.mails, "the first rung's email arrives", timeout_s=5
        )
        assert "FALL: home-1 at site home-1" in inbox.mails[0]["Subject"]
        await wait_until(lambda: inbox.sms, "the second rung's SMS arrives", timeout_s=5)
        assert inbox.sms[0]["to"] == "+15551234567"
        assert inbox.sms_keys == ["Bearer gateway-key"]  # the gateway is called with its key
        active: Any = await get_json(f"{cloud.url}/api/v1/alerts?state=active")
        (alert,) = active
        async with http.post(
            f"{cloud.url}/api/v1/alerts/{alert['id']}/acknowledge", data=b'{"by": "Ana"}'
        ) as response:
            assert response.status == 200
        # Past the webhook's time (3 s after the alert) and two escalation rounds on from it:
        escalation = cloud.app[SERVICES].supervisor.unit("escalation")
        due = time.monotonic() + 3.0
        await wait_until(lambda: time.monotonic() > due, "past the webhook rung's time")
        done = escalation.rounds
        await wait_until(lambda: escalation.rounds >= done + 2, "two escalation rounds since")
        assert inbox.hooks == []  # acknowledged: the ladder stopped
        async with http.post(
            f"{cloud.url}/api/v1/alerts/{alert['id']}/resolve", data=b'{"by": "Ana"}'
        ) as response:
            assert response.status == 200

        # 2. nobody answers, and the SMS gateway is down: the webhook is told as soon as the
        # SMS fails (not at its own 3 s), while the SMS keeps being retried
        inbox.sms_status = 500
        await ingest.handle(topic, msgspec.json.encode(fall_alert(2, t0=1_800_000_100.0)), Acks())
        await wait_until(lambda: inbox.hooks, "the webhook is called", timeout_s=8)
        assert inbox.hooks[0]["severity"] == "critical"

        async def webhook_recorded() -> bool:  # the receiver answers before it is recorded
            (shown,) = cast("list[Any]", await get_json(f"{cloud.url}/api/v1/alerts?state=active"))
            return any(n["channel"] == "webhook" and n["ok"] for n in shown["notifications"])

        await wait_until(webhook_recorded, "the webhook's delivery recorded")
        (alert,) = cast("list[Any]", await get_json(f"{cloud.url}/api/v1/alerts?state=active"))
        told = [(n["channel"], n["ok"]) for n in alert["notifications"]]
        assert told == [("email", True), ("sms", False), ("webhook", True)]
        assert [n["state"] for n in alert["notifications"]][1] == "pending"  # retried
        assert alert["notifications"][1]["detail"] == "SMS gateway answered 500"
        inbox.sms_status = 200  # the gateway is back: the retry gets through
        await wait_until(lambda: len(inbox.sms) >= 3, "the retried SMS gets through", timeout_s=10)
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
    from tests.support.peers import continuo  # noqa: PLC0415

    result = continuo(
        "bench", "alerts", "--alerts", "3", "--devices", "2", "--rate", "2", "--json", timeout=180
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["first_channel_ms"]["n"] == 3
    assert data["dashboard_ms"]["n"] == 3
    assert 0 < data["first_channel_ms"]["p50"] < 5000


T0 = 1_800_000_000.0
ALERTS = topics.uplink("home-1", "pi-1", UplinkKind.ALERT)
EVENTS = topics.uplink("home-1", "pi-1", UplinkKind.EVENT)


async def site_with_ladder(settings: NotifySettings, base: str, clock: FakeClock) -> Services:
    """pi-1 at home-1, whose ladder is e-mail at once, SMS after 60 s, webhook after 120 s."""
    await add_device(site="home-1", device_id="pi-1")
    await set_ladder(
        "home-1",
        [
            StepSpec(0, "email", "ana@example.org"),
            StepSpec(60, "sms", "+15551234567"),
            StepSpec(120, "webhook", f"{base}/hook"),
        ],
        trusted=True,
    )
    config = CloudConfig(
        database_url="sqlite://:memory:",  # the test's own database is already open
        broker=BrokerSettings(password="x"),
        notify=settings,
    )
    return build_services(config, clock=clock, catalog=CATALOG)


@dataclass
class Home:
    """pi-1's household on a fake clock, with its ladder and the peers' inbox."""

    inbox: Inbox
    clock: FakeClock
    services: Services


@pytest.fixture
async def home(db: str, peers: tuple[Inbox, NotifySettings, str]) -> Home:
    del db
    inbox, settings, base = peers
    clock = FakeClock(T0)
    return Home(inbox, clock, await site_with_ladder(settings, base, clock))


def wearer_says(name: str, seq: int, clock: FakeClock) -> Event:
    """An event from pi-1's wearable monitor, as the agent sends it."""
    return Event(
        id=new_id(),
        device_id="pi-1",
        seq=seq,
        sent_at=clock.now(),
        sensor="wearable",
        name=name,
        detail="the wearer is fine: the wearable's I'm OK button",
    )


async def cancel(services: Services, event: Event) -> None:
    """The wearer's event through ingest (which hands it to the escalation), then delivered."""
    await services.ingest.handle(EVENTS, encode(event), Acks())
    await notify(services)


async def raise_fall(services: Services, seq: int, t0: float = T0) -> None:
    await services.ingest.handle(ALERTS, encode(fall_alert(seq, t0=t0)), Acks())
    await notify(services)


def text(mail: email.message.Message) -> str:
    """An e-mail's body, decoded."""
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def sent(incident: Incident) -> list[tuple[int | None, str, str, str]]:
    """(step, channel, purpose, state) of every delivery of an incident, in order."""
    rows = await Delivery.filter(incident_id=incident.id).order_by(
        "created_at", "purpose", "position"
    )
    return [(d.position, d.channel, d.purpose, d.state.value) for d in rows]


async def test_a_false_alarm_reaches_every_rung_already_told_and_no_other(
    home: Home,
) -> None:
    inbox, clock, services = home.inbox, home.clock, home.services
    await raise_fall(services, 1)
    assert len(inbox.mails) == 1  # rung 0 at once
    clock.advance(61)
    await notify(services)
    assert [m["to"] for m in inbox.sms] == ["+15551234567"]  # rung 1; rung 2 not yet due
    clock.advance(30)

    await cancel(services, wearer_says("fall.false_alarm", 2, clock))

    assert len(inbox.mails) == 2
    assert "FALSE ALARM" in inbox.mails[1]["Subject"]
    assert "cancelled by the wearer" in text(inbox.mails[1])
    assert inbox.sms[1]["to"] == "+15551234567"
    assert inbox.sms[1]["text"].startswith("FALSE ALARM, no help needed")
    clock.advance(600)
    await notify(services)
    assert inbox.hooks == []  # rung 2 was never told, and now never is
    incident = await Incident.get()
    assert (incident.state, incident.resolved_by) == (
        "resolved",
        "false alarm: the wearer (wearable)",
    )
    assert incident.resolved_at is not None
    assert incident.resolved_at.timestamp() == T0 + 91
    assert await sent(incident) == [
        (0, "email", "alert", "delivered"),
        (1, "sms", "alert", "delivered"),
        (0, "email", "false_alarm", "delivered"),
        (1, "sms", "false_alarm", "delivered"),
    ]
    (entry,) = await AuditEntry.filter(action="alert.false_alarm")
    assert "told 2 receivers" in entry.detail

    # The button held, or the message redelivered: nothing is sent twice.
    await cancel(services, wearer_says("fall.false_alarm", 3, clock))
    assert (
        await services.escalator.on_event("pi-1", wearer_says("fall.false_alarm", 4, clock)) is None
    )
    assert (len(inbox.mails), len(inbox.sms)) == (2, 2)
    assert len(await sent(incident)) == 4


async def test_an_acknowledged_alert_with_a_failed_rung_still_hears_of_the_false_alarm(
    home: Home,
) -> None:
    inbox, clock, services = home.inbox, home.clock, home.services
    inbox.sms_status = 503  # the gateway fails, though the text may have gone out
    await raise_fall(services, 1)
    clock.advance(61)
    await notify(services)  # the SMS fails: the webhook is told at once (hand-over)
    assert [h["purpose"] for h in inbox.hooks] == ["alert"]
    incident = await Incident.get()
    incident.state, incident.acknowledged_by = "acknowledged", "Ana"
    await incident.save()
    inbox.sms_status = 200

    await cancel(services, wearer_says("fall.false_alarm", 2, clock))
    clock.advance(60)  # the failed SMS's retry comes due, and goes
    await notify(services)

    assert len(inbox.mails) == 2
    assert [h["purpose"] for h in inbox.hooks] == ["alert", "false_alarm"]
    assert inbox.hooks[1]["incident_id"] == incident.id
    # The failed attempt (which may have gone out) and the notice; the alert's retry was
    # dropped, since the incident was resolved before it came due.
    assert [m["text"][:11] for m in inbox.sms] == ["FALL: home-", "FALSE ALARM"]
    assert await sent(incident) == [
        (0, "email", "alert", "delivered"),
        (1, "sms", "alert", "cancelled"),
        (2, "webhook", "alert", "delivered"),
        (0, "email", "false_alarm", "delivered"),
        (1, "sms", "false_alarm", "delivered"),
        (2, "webhook", "false_alarm", "delivered"),
    ]
    sms = await Delivery.get(incident_id=incident.id, channel="sms", purpose="alert")
    assert (sms.attempts, sms.handed_over) == (1, True)
    assert (await Incident.get()).state == "resolved"


async def test_a_cancel_before_anyone_was_told_resolves_quietly(
    home: Home,
) -> None:
    inbox, clock, services = home.inbox, home.clock, home.services
    await set_ladder("home-1", [StepSpec(60, "email", "ana@example.org")], trusted=True)
    await raise_fall(services, 1)
    clock.advance(10)
    # A cancel inside the edge's window is "fall.cancelled": it never touches an open incident.
    await cancel(services, wearer_says("fall.cancelled", 2, clock))
    assert (await Incident.get()).state == "active"

    await cancel(services, wearer_says("fall.false_alarm", 3, clock))

    clock.advance(120)
    await notify(services)
    assert (inbox.mails, inbox.sms, inbox.hooks) == ([], [], [])
    incident = await Incident.get()
    assert (incident.state, incident.resolved_by) == (
        "resolved",
        "false alarm: the wearer (wearable)",
    )
    assert await sent(incident) == []
    (entry,) = await AuditEntry.filter(action="alert.false_alarm")
    assert "resolved quietly" in entry.detail


async def test_a_false_alarm_that_overtakes_its_alert_resolves_it_quietly(
    db: str, peers: tuple[Inbox, NotifySettings, str]
) -> None:
    del db
    inbox, settings, base = peers
    clock = FakeClock(T0 + 120)  # back online after an outage: both arrive at once
    services = await site_with_ladder(settings, base, clock)
    older = wearer_says("fall.false_alarm", 1, FakeClock(T0 - 60))  # from an earlier fall

    await services.ingest.handle(EVENTS, encode(older), Acks())
    await cancel(services, wearer_says("fall.false_alarm", 3, FakeClock(T0 + 45)))
    await services.ingest.handle(ALERTS, encode(fall_alert(2, t0=T0)), Acks())

    clock.advance(600)
    await notify(services)
    assert (inbox.mails, inbox.sms, inbox.hooks) == ([], [], [])
    incident = await Incident.get()
    assert (incident.state, incident.resolved_by) == (
        "resolved",
        "false alarm: the wearer (wearable)",
    )
    assert incident.open_key is None
    (entry,) = await AuditEntry.filter(action="alert.false_alarm")
    assert "before the alert arrived" in entry.detail

    # An earlier fall's false alarm does not cancel a new fall.
    await raise_fall(services, 4, T0 + 700)
    assert len(inbox.mails) == 1
    assert await Incident.filter(state="active").count() == 1


async def test_a_new_fall_after_an_acknowledged_one_is_told_from_the_first_rung(
    home: Home,
) -> None:
    inbox, clock, services = home.inbox, home.clock, home.services
    await raise_fall(services, 1)
    first = await Incident.get()
    clock.advance(20)
    await services.ingest.handle(ALERTS, encode(fall_alert(2, t0=T0 + 20)), Acks())
    await notify(services)
    assert (await Incident.all().count(), len(inbox.mails)) == (1, 1)  # inside its window
    assert (await Incident.get()).occurrences == 2
    first.state, first.acknowledged_by = "acknowledged", "Ana"
    await first.save()
    clock.advance(20)
    await services.ingest.handle(ALERTS, encode(fall_alert(3, t0=T0 + 40)), Acks())
    await notify(services)
    assert await Incident.all().count() == 1  # a repeat of the acknowledged fall's own window

    clock.advance(240)  # four minutes later the wearer falls again
    await raise_fall(services, 4, T0 + 280)

    assert len(inbox.mails) == 2  # told again, from the first rung
    second = await Incident.get(state="active")
    assert second.id != first.id
    assert (await Incident.get(id=first.id)).state == "acknowledged"  # still being looked after
    assert "Told before: nobody yet" in text(inbox.mails[1])
    clock.advance(61)
    await notify(services)
    assert [m["to"] for m in inbox.sms] == ["+15551234567"]  # and the ladder climbs


async def test_an_acknowledged_fall_left_unresolved_is_raised_again(
    home: Home,
) -> None:
    inbox, clock, services = home.inbox, home.clock, home.services
    await raise_fall(services, 1)
    incident = await Incident.get()
    await services.escalator.round()
    from cloud.alerts.incidents import acknowledge  # noqa: PLC0415
    from common.clock import utc  # noqa: PLC0415

    await acknowledge(incident.id, by="Ana", now=utc(clock.now()))
    clock.advance(1799)
    await notify(services)
    assert len(inbox.mails) == 1
    clock.advance(2)
    await notify(services)

    again = await Incident.get()
    assert (again.state, again.raised_again) == ("active", 1)
    assert len(inbox.mails) == 2
    assert "RAISED AGAIN: acknowledged by Ana but not resolved" in text(inbox.mails[1])
    (entry,) = await AuditEntry.filter(action="alert.raised_again")
    assert "Ana" in entry.detail


async def test_a_false_alarm_stored_while_its_fall_was_being_opened_still_closes_it(
    db: str, peers: tuple[Inbox, NotifySettings, str]
) -> None:
    """Another worker stored the wearer's "I'm OK" while this one opened the fall."""
    del db
    inbox, settings, base = peers
    clock = FakeClock(T0)
    services = await site_with_ladder(settings, base, clock)
    await raise_fall(services, 1)
    clock.advance(20)
    fine = wearer_says("fall.false_alarm", 2, clock)
    await DeviceEvent.create(  # stored, but its close never ran (that worker's view: no fall)
        id=fine.id,
        device_id="pi-1",
        kind="event",
        sensor="wearable",
        name=fine.name,
        detail=fine.detail,
        at=dt.datetime.fromtimestamp(fine.sent_at, tz=dt.UTC),
    )
    clock.advance(31)  # stored cancels are matched against open incidents every 30 s
    await notify(services)
    assert (await Incident.get()).state == "resolved"
    assert "FALSE ALARM" in inbox.mails[1]["Subject"]

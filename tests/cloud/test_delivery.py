"""The delivery engine through the real broker and backend: signed, retried, handed over, safe."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from cloud.alerts.receivers import StepSpec
from cloud.cli import RedactSqlValues
from cloud.delivery.channels import retry_after
from cloud.delivery.targets import UnsafeTargetError, check_url, mask, public
from cloud.store.models import Delivery, EscalationStep, Incident
from cloud.terms import Receiver
from common.messages import Severity
from tests.support.alarm import deliveries, homes
from tests.support.peers import Broker
from tests.support.wait import wait_until


async def test_a_webhook_that_fails_twice_gets_the_alert_on_the_third_attempt_signed_and_the_next_rung_is_told_at_once(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1")) as stack:
        hooks = stack.hooks
        centre, caregiver = await stack.ladder(
            "home-1",
            [
                StepSpec(0, "webhook", hooks.url("centre"), who=Receiver.ALARM_CENTRE),
                StepSpec(300, "webhook", hooks.url("caregiver"), who=Receiver.CAREGIVER),
            ],
        )
        assert centre.secret is not None
        assert caregiver.secret is not None
        # The second attempt waits 5 s, as asked: time enough for the hand-over under load.
        hooks.script("centre", (503, {"Retry-After": "5"}), 503, 200)

        stack.fall("pi-1")
        await wait_until(
            lambda: len(hooks.of("centre")) == 3 and hooks.of("caregiver"),
            "the alarm centre's third attempt and the caregiver",
        )

        attempts = hooks.of("centre")
        assert len({a.headers["webhook-id"] for a in attempts}) == 1  # one notice, three tries
        for attempt in attempts:  # what a receiver does with the library
            assert Webhook(centre.secret).verify(attempt.body, attempt.headers)["type"] == (
                "emergency.alert"
            )
        (told,) = hooks.of("caregiver")
        Webhook(caregiver.secret).verify(told.body, told.headers)
        # The caregiver (due after 5 minutes) was told after the centre's first failure,
        # before its second attempt.
        assert hooks.index(attempts[0]) < hooks.index(told) < hooks.index(attempts[1])
        assert told.data["told"][0]["who"] == "alarm_centre"
        incident = await Incident.get()
        await wait_until(
            lambda: _delivered(incident, 0), "the centre's delivery recorded as delivered"
        )
        first, second = await deliveries(incident)
        assert (first.attempts, first.handed_over, first.id) == (
            3,
            True,
            attempts[0].headers["webhook-id"],
        )
        assert (second.position, second.state.value) == (1, "delivered")

        # The centre rotates its secret: during the overlap each notice is signed with both.
        cloud = stack.cloud
        async with (
            cloud.http() as http,
            http.post(
                f"{cloud.url}/api/v1/customers/home-1/escalation/0/rotate-secret"
            ) as response,
        ):
            assert response.status == 200
            rotated = (await response.json())["secret"]
        assert rotated != centre.secret
        await Incident.all().update(state="resolved", open_key=None)
        stack.fall("pi-1", sensor="wearable-2")
        await wait_until(lambda: len(hooks.of("centre")) == 4, "the second fall at the centre")
        latest = hooks.of("centre")[-1]
        for secret in (centre.secret, rotated):  # the old one still works, the new one too
            Webhook(secret).verify(latest.body, latest.headers)

        # The caregiver's receiver answers 410 Gone to a warning: it is disabled, and an
        # operator's retry (after the caregiver fixed it) delivers the notice.
        hooks.script("caregiver", 410)
        stack.agents["pi-1"].alert("wearable", "battery_dying", Severity.WARNING, "in 5 h")
        await wait_until(lambda: _gone(hooks.url("caregiver")), "the 410 recorded")
        gone = await Delivery.get(target=hooks.url("caregiver"), state="gone")
        assert (await EscalationStep.get(position=1)).disabled_at is not None
        async with (
            cloud.http() as http,
            http.post(f"{cloud.url}/api/v1/deliveries/{gone.id}/retry") as response,
        ):
            assert response.status == 200, await response.text()
        await wait_until(lambda: len(hooks.of("caregiver")) == 3, "the operator's retry")
        assert hooks.of("caregiver")[-1].headers["webhook-id"] == gone.id  # the same notice
        await wait_until(lambda: _state(gone.id, "delivered"), "the retry recorded")
        assert (await EscalationStep.get(position=1)).disabled_at is None


async def test_a_failing_webhooks_key_never_reaches_the_log(
    db_url: str, broker: Broker, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1")) as stack:
        hooks = stack.hooks
        answers = hooks.url("keyed") + "?key=SECRET-KEY-1"
        dead = "http://127.0.0.1:1/hook?key=SECRET-KEY-2"  # nothing listens there
        await stack.ladder(
            "home-1", [StepSpec(0, "webhook", answers), StepSpec(0, "webhook", dead)]
        )
        hooks.script("keyed", 500)
        with caplog.at_level(logging.DEBUG):
            stack.fall("pi-1")
            await wait_until(
                lambda: sum("attempt 1 failed" in r.getMessage() for r in caplog.records) >= 2,
                "both receivers' first failures logged",
            )
        redact = RedactSqlValues()  # what `continuo cloud serve` logs through, at any level
        ours = [r for r in caplog.records if not r.name.startswith("aiohttp")]  # the receivers'
        logged = "\n".join(r.getMessage() for r in ours if redact.filter(r))
        assert "answered 500" in logged
        assert "http://127.0.0.1/…" in logged  # which receiver, masked
        assert "SECRET-KEY" not in logged


async def _gone(target: str) -> bool:
    return await Delivery.exists(target=target, state="gone")


async def _state(delivery_id: str, state: str) -> bool:
    return (await Delivery.get(id=delivery_id)).state.value == state


async def _delivered(incident: Incident, position: int) -> bool:
    row = await Delivery.get(incident_id=incident.id, position=position, purpose="alert")
    return row.state.value == "delivered"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::1]/hook",
        "https://10.0.0.7/hook",
        "https://2130706433/hook",  # 127.0.0.1 spelled as one number
        "https://127.1/hook",
        "https://[64:ff9b:1::a9fe:a9fe]/hook",  # local-use NAT64 of the metadata address
        "https://[fec0::1]/hook",
        "http://93.184.215.14/hook",  # not https
    ],
)
def test_unsafe_literal_targets_are_seen_as_unsafe(url: str) -> None:
    with pytest.raises(UnsafeTargetError):
        check_url(url)


def test_addresses_and_masks() -> None:
    assert public("93.184.215.14")
    assert not public("::ffff:10.1.2.3")
    assert not public("64:ff9b::7f00:1")  # NAT64 of 127.0.0.1
    assert not public("100.64.0.1")  # carrier-grade NAT
    assert mask("https://alarm.example.com/t/s3cret?k=1") == "https://alarm.example.com/…"
    assert mask("+15551234567") == "…567"
    assert retry_after("7", 0.0) == 7.0
    assert retry_after("Thu, 01 Jan 1970 00:01:00 GMT", 0.0) == 60.0
    assert retry_after("soon", 0.0) is None


async def test_a_customers_webhook_must_be_safe_and_a_redirect_or_a_rebound_name_fails(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1")) as stack:
        cloud, hooks = stack.cloud, stack.hooks
        token = await cloud.user("ana", "customer", customer="home-1")
        url = f"{cloud.url}/api/v1/customers/home-1/escalation"
        async with cloud.http(token) as http:
            for target in (
                "https://127.0.0.1/hook",
                "https://169.254.169.254/latest/meta-data",
                "https://[::ffff:127.0.0.1]/hook",
                "https://localhost/hook",
                f"{cloud.url}/api/v1/provision",
                "https://10.0.0.7/hook",
            ):
                body = [{"after_s": 0, "channel": "webhook", "target": target, "who": "customer"}]
                async with http.put(url, json=body) as response:
                    assert response.status == 400, (target, await response.text())
                    assert "private or local" in (await response.json())["detail"] or (
                        "https" in (await response.json())["detail"]
                    )
            public_hook = "https://93.184.215.14/continuo/s3cret"
            body = [{"after_s": 0, "channel": "webhook", "target": public_hook, "who": "customer"}]
            async with http.put(url, json=body) as response:
                assert response.status == 200
                (shown,) = await response.json()
                assert shown["secret"].startswith("whsec_")  # shown this once
                assert shown["target"] == "https://93.184.215.14/…"
            async with http.get(url) as response:
                (again,) = await response.json()
                assert "secret" not in again
            email = {"after_s": 0, "channel": "email", "target": "ana@example.org"}
            async with http.put(url, json=[email] * 11) as response:
                assert response.status == 400
                assert "at most 10 receivers" in (await response.json())["detail"]
            async with http.put(url, json=[email] * 12_000) as response:  # not even parsed
                assert response.status == 413
        async with cloud.http() as http:  # an operator may set any target (the demo's sinks)
            body = [{"after_s": 0, "channel": "webhook", "target": hooks.url("moved")}]
            async with http.put(url, json=body) as response:
                assert response.status == 200, await response.text()

        # A receiver that redirects to an inside address: a failed delivery, never followed.
        hooks.script("moved", (302, {"Location": "http://127.0.0.1:5432/"}))
        stack.fall("pi-1")
        await wait_until(lambda: _attempted(1), "the redirected attempt recorded")
        redirected = await Delivery.get()
        assert redirected.state.value == "pending"  # retried, as any failure
        assert redirected.last_error == "answered 302: redirects are not followed"
        assert [r.name for r in hooks.got] == ["moved"]

        # A customer's name that resolved outside when set and inside now (DNS rebinding):
        # refused where it connects.
        await EscalationStep.filter(customer_id="home-1").update(
            target="https://localhost:9/hook", trusted=False
        )
        await Incident.all().update(state="resolved", open_key=None)
        stack.fall("pi-1", sensor="wearable-2")
        await wait_until(lambda: _attempted(2), "the rebound name's attempt recorded")
        rebound = await Delivery.get(target="https://localhost:9/hook")
        assert rebound.state.value == "gone"
        assert "resolves only to private or local addresses" in rebound.last_error


async def _attempted(count: int) -> bool:
    return await Delivery.filter(attempts__gte=1).count() >= count

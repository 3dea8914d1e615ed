"""Alarm semantics and routes through the real broker and backend, on both databases.

A new fall after an acknowledged one is told again; an acknowledged fall left unresolved is
raised again; warnings reach the household and caregiver, never the alarm centre; reminders
reach the customer's own channel only; a silent Pi warns and clears itself.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from cloud.alerts.receivers import StepSpec
from cloud.api.context import SERVICES
from cloud.config import AlertSettings
from cloud.needs.reminders import Reminders
from cloud.store.models import Customer, Delivery, Device, Incident
from cloud.terms import Receiver
from common.messages import Severity, WearableReading
from tests.support.alarm import homes
from tests.support.backend import new_need
from tests.support.peers import Broker, get_json
from tests.support.wait import wait_until

CENTRE = Receiver.ALARM_CENTRE
CAREGIVER = Receiver.CAREGIVER
CUSTOMER = Receiver.CUSTOMER


def kinds(requests: list[Any]) -> list[tuple[str, str]]:
    """(type, kind) of each notice a receiver got."""
    return [(r.json["type"], r.data["kind"]) for r in requests]


async def test_a_fall_after_an_acknowledged_fall_is_told_again_and_an_unresolved_one_is_raised_again(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    rules = AlertSettings(merge_window_s=0.5, reraise_after_s=6.0)
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1"), alerts=rules) as stack:
        hooks, cloud = stack.hooks, stack.cloud
        await stack.ladder(
            "home-1",
            [
                StepSpec(0, "webhook", hooks.url("centre"), who=CENTRE),
                StepSpec(600, "webhook", hooks.url("caregiver"), who=CAREGIVER),
            ],
        )
        await Customer.filter(id="home-1").update(
            person_name="Ana Silva", address="12 Rua Nova, Lisboa", access_notes="key safe 4711"
        )
        stack.fall("pi-1")
        await wait_until(lambda: hooks.of("centre"), "the first fall reaches the alarm centre")
        first = hooks.of("centre")[0].data
        assert first["person"]["name"] == "Ana Silva"  # who, where, how to get in
        assert first["place"] == {
            "address": "12 Rua Nova, Lisboa",
            "access_notes": "key safe 4711",
            "site_id": "home-1",
        }
        assert first["body"].startswith("FALL: Ana Silva at 12 Rua Nova, Lisboa")
        async with cloud.http() as http:
            url = f"{cloud.url}/api/v1/alerts/{first['incident_id']}/acknowledge"
            async with http.post(url, json={"by": "the caregiver"}) as response:
                assert response.status == 200
        detected = time.time()
        await wait_until(lambda: time.time() > detected + 1, "past the first fall's own window")

        stack.fall("pi-1")  # the wearer falls again

        def alerts() -> list[Any]:
            return [r for r in hooks.of("centre") if r.json["type"] == "emergency.alert"]

        await wait_until(lambda: len(alerts()) >= 2, "the second fall is told")
        second = alerts()[1].data
        assert second["incident_id"] != first["incident_id"]  # a new incident, from rung 0
        wall: Any = await get_json(f"{cloud.url}/api/v1/alerts?state=open")
        assert [(a["id"], a["state"]) for a in wall] == [
            (second["incident_id"], "active"),  # unanswered comes first
            (first["incident_id"], "acknowledged"),
        ]

        # Nobody resolves the first fall: six seconds on it is raised again, from rung 0.
        await wait_until(
            lambda: any(r.json["type"] == "emergency.raised_again" for r in hooks.of("centre")),
            "the acknowledged, unresolved fall is raised again",
        )
        again = next(r for r in hooks.of("centre") if r.json["type"] == "emergency.raised_again")
        assert again.data["incident_id"] == first["incident_id"]
        assert "RAISED AGAIN: acknowledged by ops (for the caregiver)" in again.data["body"]
        incident = await Incident.get(id=first["incident_id"])
        assert (incident.state, incident.raised_again) == ("active", 1)


async def test_warnings_and_reminders_go_to_the_household_never_to_the_alarm_centre(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1")) as stack:
        hooks = stack.hooks
        await stack.ladder(
            "home-1",
            [
                StepSpec(0, "webhook", hooks.url("centre"), who=CENTRE),
                StepSpec(0, "webhook", hooks.url("customer"), who=CUSTOMER),
                StepSpec(300, "webhook", hooks.url("caregiver"), who=CAREGIVER),
            ],
        )
        agent = stack.agents["pi-1"]
        agent.alert("wearable", "battery_dying", Severity.WARNING, "empty in about 5 h")
        await wait_until(
            lambda: hooks.of("customer") and hooks.of("caregiver"),
            "the battery warning reaches the household and the caregiver at once",
        )
        assert kinds(hooks.of("caregiver")) == [("warning.alert", "battery_dying")]
        stack.fall("pi-1")  # the alarm centre is there, and hears of emergencies
        await wait_until(lambda: hooks.of("centre"), "the fall reaches the alarm centre")
        agent.event("wearable", "battery_dying.cleared", "charging")
        await wait_until(
            lambda: len(hooks.of("caregiver")) >= 2, "the caregiver hears the warning is over"
        )
        warning = await Incident.get(kind="battery_dying")
        assert (warning.state, warning.resolved_by) == ("resolved", "cleared: charging")

        # A reminder, through the backend's own delivery engine.
        deliveries = stack.cloud.app[SERVICES].deliveries
        reminders = Reminders(
            deliveries=deliveries, feed=stack.cloud.app[SERVICES].feed, counters=Counter()
        )
        need = await new_need("MILK-1G")
        customer = await Customer.get(id="home-1")
        await reminders.send(
            need, customer, "runout", "Milk runs out tomorrow", to="customer", now=time.time()
        )
        await wait_until(
            lambda: any(r.json["type"] == "reminder.reminder" for r in hooks.of("customer")),
            "the reminder reaches the customer's own channel",
        )

        assert kinds(hooks.of("centre")) == [("emergency.alert", "fall")]  # nothing else
        assert ("warning.cleared", "battery_dying") in kinds(hooks.of("caregiver"))
        assert not [r for r in hooks.of("caregiver") if r.json["type"].startswith("reminder")]
        assert not await Delivery.filter(who="alarm_centre", notice="warning").exists()


async def test_a_silent_pi_warns_the_caregiver_and_clears_when_it_returns_and_a_blip_does_not(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    rules = AlertSettings(site_silent_after_s=10.0, watchdog_s=0.5)
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1"), alerts=rules) as stack:
        hooks = stack.hooks
        await stack.ladder(
            "home-1",
            [
                StepSpec(0, "webhook", hooks.url("centre"), who=CENTRE),
                StepSpec(0, "webhook", hooks.url("caregiver"), who=CAREGIVER),
            ],
        )
        stack.agents["pi-1"].telemetry("wearable", WearableReading(connected=True))
        await wait_until(_watched, "the home is known to have a wearable")

        # A router's reboot: a second without the Pi, then it is back.
        await stack.stop("pi-1")
        back = time.time() + 1.0
        await wait_until(lambda: time.time() > back, "a second of silence")
        stack.start("pi-1")
        await wait_until(lambda: _heard_since(back), "the Pi heard again")
        rounds = _rounds(stack)
        await wait_until(lambda: _rounds(stack) >= rounds + 3, "three watchdog rounds since")
        assert not await Incident.exists(kind="site_silent")

        # A power cut: silent past the threshold.
        await stack.stop("pi-1")
        await wait_until(lambda: hooks.of("caregiver"), "the caregiver is warned", timeout_s=30)
        assert kinds(hooks.of("caregiver")) == [("warning.alert", "site_silent")]
        stack.start("pi-1")
        await wait_until(
            lambda: len(hooks.of("caregiver")) >= 2, "the caregiver hears the Pi is back"
        )
        assert kinds(hooks.of("caregiver"))[1] == ("warning.cleared", "site_silent")
        assert hooks.of("centre") == []  # a warning never reaches the alarm centre
        silent = await Incident.get(kind="site_silent")
        assert silent.state == "resolved"


async def _watched() -> bool:
    return bool(await Device.filter(id="pi-1", watched=True).exists())


async def _heard_since(at: float) -> bool:
    device = await Device.get(id="pi-1")
    return device.last_seen is not None and device.last_seen.timestamp() > at


def _rounds(stack: Any) -> int:
    unit = stack.supervisor.unit("site-watchdog")
    return int(unit.rounds)

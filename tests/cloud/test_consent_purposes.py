"""Every consent purpose is enforced where its data is used: safety alerts, population learning."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from cloud.alerts.receivers import StepSpec
from cloud.identity.registry import add_device
from cloud.needs.offer import Offers
from cloud.needs.population import Priors
from cloud.needs.snapshot import Snapshots
from cloud.orders.catalog import Catalog
from cloud.privacy import consent
from cloud.services import engine_policy
from cloud.store.models import Customer, Delivery, Incident, Need, Order
from cloud.terms import OrderStatus, Receiver
from common.clock import FakeClock, utc
from tests.support.alarm import homes
from tests.support.peers import Broker, cloud_config
from tests.support.wait import wait_until

T0 = 1_800_000_000.0
CATALOG = Catalog.load()


async def _withdraw(customer: str, stream: str, purpose: str) -> None:
    await consent.record(customer, [(stream, purpose, False, "")], by="the customer", now=utc(T0))


async def test_withdrawn_safety_alerts_tell_only_the_household_of_a_fall(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    async with homes(db_url, broker, tmp_path, ("home-1", "pi-1"), ("home-2", "pi-2")) as stack:
        hooks = stack.hooks
        for home in ("home-1", "home-2"):
            await stack.ladder(
                home,
                [
                    StepSpec(0, "webhook", hooks.url(f"{home}-self"), who=Receiver.CUSTOMER),
                    StepSpec(0, "webhook", hooks.url(f"{home}-carer"), who=Receiver.CAREGIVER),
                    StepSpec(0, "webhook", hooks.url(f"{home}-centre"), who=Receiver.ALARM_CENTRE),
                ],
            )
        await _withdraw("home-1", "accelerometer", "safety_alerts")
        choices = {(c.stream, c.purpose): c for c in await consent.choices("home-1")}
        assert not choices["accelerometer", "safety_alerts"].granted

        stack.fall("pi-1")
        stack.fall("pi-2")
        await wait_until(
            lambda: hooks.of("home-1-self") and hooks.of("home-2-centre"),
            "the first household told, and the second's alarm centre",
        )
        incident = await Incident.get(device_id="pi-1")
        await wait_until(
            lambda: _climbed(incident.id), "the first household's ladder climbed to its end"
        )
        told = {d.target for d in await Delivery.filter(incident_id=incident.id)}
        assert told == {hooks.url("home-1-self")}  # not the caregiver, not the centre
        assert not hooks.of("home-1-carer")
        assert not hooks.of("home-1-centre")
        assert hooks.of("home-2-carer")  # the neighbours consented: everyone hears


async def _climbed(incident_id: str) -> bool:
    incident = await Incident.get(id=incident_id)
    return incident.next_escalation_at is None


async def _household(customer: str, skus: list[str]) -> list[Need]:
    await add_device(site=customer, device_id=f"pi-{customer}")
    now = utc(T0)
    owner = await Customer.get(id=customer)
    needs = []
    for sku in skus:
        good = CATALOG.goods[sku]
        need = await Need.create(
            id=uuid.uuid4().hex,
            customer=owner,
            device_id=f"pi-{customer}",
            kind=good.kind,
            label=good.product,
            sku=good.sku,
            product=good.product,
            pack_units=good.grams,
            price_cents=good.price_cents,
            lead_hours=good.lead_hours,
            created_at=now,
        )
        await Order.create(
            id=uuid.uuid4().hex,
            device_id=f"pi-{customer}",
            sensor="scale",
            supply_index=0,
            supply_name="",
            sku=sku,
            product=good.product,
            price_cents=good.price_cents,
            status=OrderStatus.DELIVERED,
            reason={},
            need=need,
            created_at=now,
            updated_at=now,
        )
        needs.append(need)
    return needs


async def test_population_shares_count_only_households_that_teach(db: str, tmp_path: Path) -> None:
    clock = FakeClock(T0 + 3600)
    await _household("ana", ["MILK-1G", "PET-7KG"])
    await _household("bob", ["MILK-1G", "PET-7KG"])
    milk, pet = await _household("cy", ["MILK-1G", "PET-7KG"])
    await _household("dee", ["MILK-1G"])
    policy = engine_policy(cloud_config(db, 1883))
    offers = Offers(
        snapshots=Snapshots(policy=policy, clock=clock, priors=Priors(clock=clock)),
        policy=policy,
        clock=clock,
    )
    cy = await Customer.get(id="cy")

    async def pet_share() -> float:
        companions, _ = await offers._companions(milk, cy)
        ((_, share),) = companions
        return share

    async def milk_demand() -> int:
        insights: Any = await Priors(clock=clock).insights()
        return sum(int(d["quantity"]) for d in insights["demand"] if d["sku"] == "MILK-1G")

    assert await pet_share() == pytest.approx(3 / 4)  # ana, bob, cy of the four milk buyers
    assert await milk_demand() == 4
    await _withdraw("ana", "weights", "population_learning")
    await _withdraw("dee", "weights", "population_learning")
    assert await pet_share() == pytest.approx(2 / 2)  # bob and cy: both buy pet food
    assert await milk_demand() == 2
    del pet, tmp_path

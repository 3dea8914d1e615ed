"""The four connected experiences in the backend: real ingest, real database, fake clock."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from cloud.decide.learning import DAY
from cloud.identity.registry import add_device
from cloud.needs.errors import NeedError
from cloud.needs.estimators import learner_of, store_learner
from cloud.store.models import Customer, DecisionRecord, Need, Order, Reminder
from common.clock import FakeClock
from common.errors import Refusal
from tests.support.backend import T0, Site, milk_days, new_need


async def test_a_milk_scale_learns_through_lifts_and_orders_once_held_for_undo(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0))
    need = await new_need(
        "MILK-1G", sensor="fridge", experience="automatic_execution", authorized=True
    )
    await milk_days(site, 6, start_g=3900.0, per_day=700.0, until_order=need.id)
    need = await Need.get(id=need.id)
    assert need.level is not None
    assert need.level > 100  # never the 3 g of a lifted jug
    rate = learner_of(need).estimate().mean
    assert rate == pytest.approx(700.0, rel=0.1)
    (order,) = await Order.filter(need_id=need.id)
    assert (order.status, order.source, order.sku) == ("held", "engine", "MILK-1G")
    assert order.cancel_until is not None
    assert order.reason["inputs"]["rate_source"] == "own"
    assert "lead" in order.reason["rule"]
    assert await DecisionRecord.filter(need_id=need.id, action="order").count() == 1
    undone = await site.needs.held.cancel(order.id, by="customer")
    assert undone.status == "cancelled"
    await milk_days(site, 0.5, start_g=need.level - 50, per_day=700.0)
    assert await Order.filter(need_id=need.id).count() == 1  # undone: ask, do not reorder
    (ask,) = await Reminder.filter(need_id=need.id, topic="ask")
    assert "undid" in ask.message


async def test_an_order_of_two_packs_stays_open_until_both_are_in_use(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0), cancel_window_s=600.0)
    need = await new_need(
        "MILK-1G", sensor="fridge", experience="automatic_execution", authorized=True
    )
    await milk_days(site, 6, start_g=3900.0, per_day=700.0, until_order=need.id)
    (order,) = await Order.filter(need_id=need.id)
    assert order.quantity == 2  # a week of milk at 700 g a day
    level = (await Need.get(id=need.id)).level or 0.0
    site.clock.advance(DAY)
    await milk_days(site, 1, start_g=level + 3900.0, per_day=700.0)  # the first jug goes in
    await order.refresh_from_db()
    assert order.open_key is not None  # the second jug waits in the cupboard: still open
    assert await Order.filter(need_id=need.id).count() == 1
    level = (await Need.get(id=need.id)).level or 0.0
    site.clock.advance(3600)
    await milk_days(site, 0.5, start_g=level + 3900.0, per_day=700.0)  # and the second
    installed = await Order.get(id=order.id)
    assert (installed.status, installed.open_key) == ("installed", None)


async def test_the_cancel_window_closes_and_the_order_goes_out(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0), cancel_window_s=600.0)
    need = await new_need(
        "MILK-1G", sensor="fridge", experience="automatic_execution", authorized=True
    )
    await milk_days(site, 6, start_g=3900.0, per_day=700.0, until_order=need.id)
    (order,) = await Order.filter(need_id=need.id)
    site.clock.advance(601)
    await site.needs.held.release()
    await order.refresh_from_db()
    assert order.status == "placed"
    assert order.provider_ref is not None
    with pytest.raises(NeedError) as refused:
        await site.needs.held.cancel(order.id, by="customer")
    assert refused.value.refusal is Refusal.CONFLICT


async def test_no_milk_into_an_empty_house_and_the_spend_cap_asks(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0))
    feed = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\n"
        b"DTSTART;VALUE=DATE:20270104\r\nDTEND;VALUE=DATE:20270111\r\n"
        b"SUMMARY:Ski holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (away,) = await site.needs.calendar.set_calendar("home-1", feed, all_events=False)
    assert away.summary == "Ski holiday"
    need = await new_need(
        "MILK-1G", sensor="fridge", experience="automatic_execution", authorized=True
    )
    await milk_days(site, 3, start_g=1700.0, per_day=700.0, until_order=need.id)
    (order,) = await Order.filter(need_id=need.id)
    assert order.deliver_after == dt.datetime(2027, 1, 11, tzinfo=dt.UTC)  # shifted, not lost
    assert "household is back" in order.reason["summary"]
    site.clock.advance(1801)
    await site.needs.held.release()
    await order.refresh_from_db()
    assert order.eta is not None
    assert order.eta >= dt.datetime(2027, 1, 11, tzinfo=dt.UTC)

    await Customer.filter(id="home-1").update(spend_cap_cents=300)
    site.clock.advance(dt.datetime(2027, 1, 12, tzinfo=dt.UTC).timestamp() - site.clock.now())
    coffee = await new_need(
        "COF-1KG", sensor="pantry", experience="automatic_execution", authorized=True
    )
    for step in range(40):
        await site.weigh(1000.0 - step * 25.0, sensor="pantry")
        site.clock.advance(6 * 3600)
    assert await Order.filter(need_id=coffee.id).count() == 0
    asks = await Reminder.filter(need_id=coffee.id, topic="ask")
    assert asks
    assert "cap" in asks[0].message


async def test_a_double_press_and_retried_requests_make_one_order_each(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0))
    need = await new_need("PET-7KG", button="reorder", quantity=2)
    await site.press()
    site.clock.advance(0.8)
    await site.press()  # a double press
    (pressed,) = await Order.filter(need_id=need.id)
    assert (pressed.source, pressed.quantity, pressed.sku) == ("button", 2, "PET-7KG")
    assert pressed.status == "held"  # a slip of the finger can be undone for 5 minutes
    assert pressed.cancel_until == dt.datetime.fromtimestamp(T0 + 300, dt.UTC)
    site.clock.advance(300)
    await site.needs.held.release()
    await pressed.refresh_from_db()
    assert pressed.status == "placed"  # then out, with the fastest delivery
    assert pressed.eta == dt.datetime.fromtimestamp(T0 + 300.8 + DAY / 2, dt.UTC)
    results = await asyncio.gather(
        *(
            site.needs.requests.request(need.id, quantity=1, key="k-1", source="api")
            for _ in range(4)
        )
    )
    assert len({order.id for order, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert await Order.filter(need_id=need.id).count() == 2
    site.clock.advance(3600)
    await site.press()  # an hour later it is a new wish
    assert await Order.filter(need_id=need.id, source="button").count() == 2


async def test_two_workers_deciding_at_once_make_one_order(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    clock = FakeClock(T0)
    first, second = Site(clock), Site(clock)
    need = await new_need(
        "MILK-1G", sensor="fridge", experience="automatic_execution", authorized=True
    )
    learner = learner_of(need)
    for day in range(5):
        learner = learner.update(T0 + day * DAY, 3900.0 - 700.0 * day)
    store_learner(need, learner)
    need.level, need.level_at = 3900.0 - 700.0 * 4, dt.datetime.fromtimestamp(T0 + 4 * DAY, dt.UTC)
    await need.save()
    clock.advance(4 * DAY + 60)
    await asyncio.gather(first.needs.executor.evaluate(need), second.needs.executor.evaluate(need))
    assert await Order.filter(need_id=need.id).count() == 1


async def test_coaching_reminds_and_records_whether_the_nudge_was_followed(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0))
    await Customer.filter(id="home-1").update(quiet_start=22, quiet_end=7)
    need = await new_need("MILK-1G", sensor="fridge", experience="coach_behavior")
    await milk_days(site, 4.5, start_g=3900.0, per_day=700.0)
    reminders = await Reminder.filter(need_id=need.id).order_by("at")
    assert reminders
    assert reminders[0].topic == "runout"
    assert all(7 <= r.at.hour < 22 for r in reminders)  # never in quiet hours
    assert len(reminders) == 1  # one per need per period
    await site.needs.requests.request(need.id, quantity=None, key="tap", source="api")
    await reminders[0].refresh_from_db()
    assert reminders[0].followed_at is not None
    assert reminders[0].order_id is not None


async def test_a_missed_dose_reminds_the_patient_then_the_caregiver(db: str) -> None:
    del db
    await add_device(site="home-1", device_id="pi-1")
    site = Site(FakeClock(T0 + 6 * 3600))
    need = await new_need("MED-90", sensor="pills", dose_times=["08:00", "20:00"], dose_grams=0.5)
    await site.weigh(40.0, sensor="pills")
    site.clock.advance(2 * 3600)  # 08:00
    await site.weigh(39.5, sensor="pills")  # the morning pill is taken
    site.clock.advance(13 * 3600)  # 21:00: the evening pill is not
    await site.weigh(39.5, sensor="pills")
    await site.needs.doses.check(need)
    (patient,) = await Reminder.filter(need_id=need.id)
    assert (patient.topic, patient.recipient) == ("dose_missed", "customer")
    assert "20:00" in patient.message
    site.clock.advance(2 * 3600)  # 23:00: still not
    await site.needs.doses.check(need)
    await site.needs.doses.check(need)  # a repeated sweep tells no one twice
    told = await Reminder.filter(need_id=need.id).order_by("at")
    assert [r.recipient for r in told] == ["customer", "caregiver"]

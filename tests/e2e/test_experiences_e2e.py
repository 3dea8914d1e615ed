"""The experiences end to end: a real agent's button and load cell, Mosquitto, the backend API."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
from pathlib import Path
from typing import Any

import aiohttp
import msgspec

from cloud.api.context import SERVICES
from cloud.decide.learning import DAY
from cloud.needs.estimators import learner_of, store_learner
from cloud.store.models import Need
from common.clock import SystemClock
from edge.agent import Agent, Hardware
from edge.config import ButtonSettings, LoadCellSettings
from firmware_sim.gpio import SimButton, SimHX711, SimPins
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.peers import (
    Broker,
    accounts,
    agent_config,
    cloud_config,
    get_json,
    register,
    running_cloud,
)
from tests.support.wait import wait_until

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\n"
    b"DTSTART;VALUE=DATE:20990704\r\nDTEND;VALUE=DATE:20990718\r\n"
    b"SUMMARY:Summer vacation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


async def call(http: aiohttp.ClientSession, method: str, url: str, **kw: Any) -> tuple[int, Any]:
    async with http.request(method, url, **kw) as response:
        return response.status, await response.json(content_type=None)


async def test_a_press_an_api_order_a_menu_pick_and_a_change_of_mind(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    clock = SystemClock()
    grams = {"now": 5200.0}
    hx711 = SimHX711(
        dout=5,
        sck=6,
        clock=clock,
        rng=random.Random(2),
        grams=lambda: grams["now"],
        power_down_s=1.0,
    )
    button = SimButton(pin=17, clock=clock, rng=random.Random(3))
    (device,) = await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    config = msgspec.structs.replace(
        agent_config(device, broker.port, tmp_path / "edge"),
        load_cells=[
            LoadCellSettings(
                name="petfood", dout=5, sck=6, offset=84_000, counts_per_gram=420.0, poll_s=0.3
            )
        ],
        buttons=[ButtonSettings(name="reorder", pin=17)],
    )
    agent = Agent(
        config, clock=clock, rng=random.Random(0), hardware=Hardware(pins=SimPins(hx711, button))
    )
    agent_task = asyncio.create_task(agent.run())
    try:
        async with (
            running_cloud(cloud_config(db_url, broker.port)) as cloud,
            cloud.http() as http,
        ):
            api = cloud.url + "/api/v1"
            status, need = await call(
                http,
                "POST",
                f"{api}/customers/home-1/needs",
                json={
                    "device_id": "pi-1",
                    "sku": "PET-7KG",
                    "label": "Dog food",
                    "sensor": "petfood",
                    "button": "reorder",
                    "quantity": 1,
                },
            )
            assert status == 201, need
            assert (need["kind"], need["experience"]) == ("pet_food", "respond_to_desire")
            bad, problem = await call(
                http, "POST", f"{api}/customers/home-1/needs", json={"sku": "NOPE"}
            )
            assert bad == 400, problem

            # respond to desire: a double press is one order
            button.press(hold_s=0.15)
            await asyncio.sleep(0.6)  # pacing, not waiting: the second press comes 0.6 s later
            button.press(hold_s=0.15)

            async def orders() -> list[dict[str, Any]]:
                found = await get_json(f"{api}/orders")
                assert isinstance(found, list)
                return [o for o in found if o["need_id"] == need["id"]]

            await wait_until(orders, "the button press placed an order", timeout_s=20)
            counters = cloud.app[SERVICES].needs.counters
            await wait_until(
                lambda: counters["presses_merged"] >= 1, "the second press merged into the first"
            )
            (pressed,) = await orders()
            assert (pressed["source"], pressed["sku"], pressed["quantity"]) == (
                "button",
                "PET-7KG",
                1,
            )

            # an API order retried, and sent four times at once, is one order
            url = f"{api}/needs/{need['id']}/orders"
            no_key, _ = await call(http, "POST", url, json={})
            assert no_key == 400
            headers = {"Idempotency-Key": "tap-1"}
            answers = await asyncio.gather(
                *(call(http, "POST", url, json={"quantity": 2}, headers=headers) for _ in range(4))
            )
            assert sorted(s for s, _ in answers) == [200, 200, 200, 201]
            assert len({o["id"] for _, o in answers}) == 1
            assert len(await orders()) == 2

            # curated offering: every pack that fits, ranked by pace; the pick is one request
            status, menu = await call(http, "GET", f"{api}/needs/{need['id']}/offer")
            assert status == 200
            assert {o["sku"] for o in menu} == {"PET-3KG", "PET-7KG", "PET-14KG"}
            status, picked = await call(
                http, "POST", url, json={"sku": "PET-14KG"}, headers={"Idempotency-Key": "m"}
            )
            assert (status, picked["sku"], picked["price_cents"]) == (201, "PET-14KG", 6499)
            wrong, _ = await call(
                http, "POST", url, json={"sku": "MILK-1G"}, headers={"Idempotency-Key": "w"}
            )
            assert wrong == 400  # milk does not fit a dog-food need
            status, now = await call(http, "GET", f"{api}/needs/{need['id']}")
            assert now["sku"] == "PET-14KG"  # the pick is the preferred pack from now on
            status, learned = await call(http, "GET", f"{api}/insights")
            assert status == 200
            assert {d["sku"] for d in learned["demand"]} == {"PET-7KG", "PET-14KG"}

            # the customer moves the need to automatic execution, with a calendar
            status, changed = await call(
                http,
                "PATCH",
                f"{api}/needs/{need['id']}",
                json={"experience": "automatic_execution", "authorized": True},
            )
            assert (status, changed["experience"], changed["authorized"]) == (
                200,
                "automatic_execution",
                True,
            )
            status, away = await call(
                http,
                "PUT",
                f"{api}/customers/home-1/calendar",
                data=CALENDAR,
                headers={"Content-Type": "text/calendar"},
            )
            assert status == 200
            assert [a["summary"] for a in away] == ["Summer vacation"]
            status, _ = await call(
                http, "PATCH", f"{api}/customers/home-1", json={"spend_cap_cents": 20000}
            )
            assert status == 200
            status, decisions = await call(http, "GET", f"{api}/needs/{need['id']}/decisions")
            assert any("customer changed" in d["note"] for d in decisions)

            # one timeline: the readings, the presses, the orders and the decisions
            status, timeline = await call(http, "GET", f"{api}/customers/home-1/timeline")
            kinds = {entry["kind"] for entry in timeline}
            assert {"reading", "event", "order", "decision"} <= kinds, kinds
    finally:
        agent_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await agent_task
        agent.close()


async def test_operators_change_an_experience_order_and_undo_on_the_dashboard(
    db_url: str, broker: Broker
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with (
        running_cloud(cloud_config(db_url, broker.port)) as cloud,
        cloud.http() as http,
        async_playwright() as pw,
    ):
        api = cloud.url + "/api/v1"
        _, milk = await call(
            http,
            "POST",
            f"{api}/customers/home-1/needs",
            json={"device_id": "pi-1", "sku": "MILK-1G", "label": "Milk", "sensor": "fridge"},
        )
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await cloud.login_browser(page)
            await page.goto(cloud.url + "/#/customer/home-1")
            await expect(page.locator("#live")).to_have_text("live", timeout=10_000)
            row = page.locator(f"#needs article[data-need='{milk['id']}']")
            await expect(row).to_contain_text("Milk", timeout=10_000)
            await expect(row).to_contain_text("MILK-1G")  # operators see the SKU

            await row.locator("select.experience").select_option("coach_behavior")

            async def coaching() -> bool:
                need: Any = await get_json(f"{api}/needs/{milk['id']}")
                return bool(need["experience"] == "coach_behavior")

            await wait_until(coaching, "the milk's experience is coach_behavior", timeout_s=10)

            await row.locator("button.order-now").click()
            await page.click("#confirm-yes")
            placed = page.locator("#orders tbody tr[data-order]", has_text="MILK-1G")
            await expect(placed).to_have_count(1, timeout=10_000)
            await expect(placed).to_contain_text("placed")

            await row.locator("button.menu").click()
            await row.locator("button.pick[data-sku='MILK-2X1G']").click()
            await page.click("#confirm-yes")
            await expect(
                page.locator("#orders tbody tr[data-order]", has_text="MILK-2X1G")
            ).to_have_count(1, timeout=10_000)

            # an automatic order, held for its cancel window, undone from the dashboard
            await row.locator("select.experience").select_option("automatic_execution")
            await row.locator("input.authorized").check()
            stored: list[Need] = []

            async def automatic() -> bool:
                stored[:] = [await Need.get(id=milk["id"])]
                return stored[0].authorized and stored[0].experience == "automatic_execution"

            await wait_until(
                automatic, "the milk is authorized for automatic execution", timeout_s=10
            )
            (n,) = stored
            clock = SystemClock()
            learner = learner_of(n)
            for day in range(4, 0, -1):
                learner = learner.update(clock.now() - day * DAY, 3900.0 - 800.0 * (4 - day))
            store_learner(n, learner)
            await Need.filter(id=n.id).update(
                learner=n.learner,
                level=700.0,
                level_at=dt.datetime.fromtimestamp(clock.now() - 60, dt.UTC),
            )
            await cloud.app[SERVICES].needs.executor.evaluate(await Need.get(id=n.id))
            held = page.locator("#orders tbody tr[data-order]", has_text="held")
            await expect(held).to_have_count(1, timeout=10_000)
            await held.locator("button.undo").click()
            await expect(
                page.locator("#orders tbody tr[data-order]", has_text="cancelled")
            ).to_have_count(1, timeout=10_000)
        finally:
            await browser.close()


async def test_a_customer_logs_in_and_sees_and_changes_only_their_own_home(
    db_url: str, broker: Broker
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with (
        running_cloud(cloud_config(db_url, broker.port)) as cloud,
        cloud.http() as http,
        async_playwright() as pw,
    ):
        api = cloud.url + "/api/v1"
        needs = {}
        for home, label in (("home-1", "Ana's milk"), ("home-2", "Ben's coffee")):
            device = "pi-1" if home == "home-1" else "pi-2"
            sku = "MILK-1G" if home == "home-1" else "COF-1KG"
            _, needs[home] = await call(
                http,
                "POST",
                f"{api}/customers/{home}/needs",
                json={"device_id": device, "sku": sku, "label": label},
            )
        await cloud.user("ana", "customer", customer="home-1")
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(cloud.url + "/")
            await page.fill("#login-user", "ana")
            await page.fill("#login-password", "wrong password")
            await page.click("#login button")
            await expect(page.locator("#login-error")).to_contain_text("wrong")
            await page.fill("#login-password", "correct horse battery")
            await page.click("#login button")
            await expect(page.locator("header h1")).to_have_text("Continuo: your home")
            await expect(page.locator("#fleet")).to_be_hidden()
            row = page.locator(f"#needs article[data-need='{needs['home-1']['id']}']")
            await expect(row).to_contain_text("Ana's milk", timeout=10_000)
            await expect(page.locator("#needs")).not_to_contain_text("Ben's coffee")

            await row.locator("select.experience").select_option("curated_offering")

            async def curated() -> bool:
                need: Any = await get_json(f"{api}/needs/{needs['home-1']['id']}")
                return bool(need["experience"] == "curated_offering")

            await wait_until(  # a change through the cookie session and its CSRF
                curated, "Ana's milk's experience is curated_offering", timeout_s=10
            )
            await row.locator("button.order-now").click()
            await page.click("#confirm-yes")
            await expect(
                page.locator("#orders tbody tr[data-order]", has_text="Whole milk, 1 gallon")
            ).to_have_count(1, timeout=15_000)
        finally:
            await browser.close()

"""The dashboard in Debian's Chromium, against a live stack: every role, charts, live updates,
a phone's width, order and undo, and axe-core's accessibility check."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from cloud.alerts.receivers import StepSpec, set_ladder
from cloud.store.models import EscalationStep
from cloud.terms import Receiver
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    artifact,
    serious_accessibility_violations,
)
from tests.support.peers import (
    Broker,
    RunningCloud,
    get_json,
    printer_site,
)
from tests.support.wait import wait_until

PHONE_WIDTH = 390  # px, a phone held upright


def household(
    tmp_path: Path, db_url: str, broker: Broker
) -> AbstractAsyncContextManager[RunningCloud]:
    """A home whose agent reads a fast-draining simulated printer; orders can be undone."""
    return printer_site(
        tmp_path,
        db_url,
        broker,
        level=70,
        pages_per_minute=600,
        seed=7,
        auto_replenish=False,
        others=(("home-2", "pi-never", False),),  # registered, never connected
        request_undo_s=120,
    )


async def _needs(cloud: RunningCloud, at_least: int) -> list[Any]:
    seen: list[Any] = []

    async def enough() -> bool:
        needs: Any = await get_json(f"{cloud.url}/api/v1/customers/home-1/needs")
        seen[:] = needs
        return len(needs) >= at_least and all(n["level"] is not None for n in needs)

    await wait_until(
        enough, f"home-1 has at least {at_least} needs, each with a level", timeout_s=30
    )
    return list(seen)


async def _refreshed(page: Any, times: int) -> None:
    """Wait until the page has redrawn its view `times` more times (polled from here: the
    page's CSP lets no test code be evaluated inside it as a string)."""
    count = "Number(document.body.dataset.refreshes ?? 0)"
    start = int(await page.evaluate(count))

    async def redrawn() -> bool:
        return int(await page.evaluate(count)) >= start + times

    await wait_until(redrawn, f"the page has redrawn {times} more times", timeout_s=60)


async def _accessible(page: Any, where: str) -> None:
    assert await serious_accessibility_violations(page) == [], where


async def test_operators_see_health_charts_from_real_data_and_a_menu_survives_live_updates(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    async with household(tmp_path, db_url, broker) as cloud, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(  # the page's Content-Security-Policy refuses nothing it needs
                "console",
                lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
            )
            await cloud.login_browser(page)
            await page.goto(cloud.url + "/#/overview")
            await expect(page.locator("#live")).to_have_text("live", timeout=10_000)
            await expect(page.locator("[data-tile='never seen'] b")).to_have_text("1")
            await _accessible(page, "overview")

            # the fleet: health in words, search and filter in the database
            await page.click("#nav a[data-route='fleet']")
            row = page.locator("#fleet tbody tr[data-device='pi-1']")
            await expect(row.locator(".badge")).to_have_text("ok", timeout=20_000)
            never = page.locator("#fleet tbody tr[data-device='pi-never']")
            await expect(never.locator(".badge")).to_have_text("never seen")
            await page.click(".chips button[data-health='never_seen']")
            await expect(page.locator("#fleet tbody tr[data-device]")).to_have_count(1)
            await expect(page.locator("#fleet-range")).to_have_text("1–1 of 1")
            await page.click(".chips button[data-health='all']")
            await page.fill("#fleet-q", "nothing-like-this")
            await expect(page.locator("#fleet tbody")).to_contain_text("No devices match.")
            await page.fill("#fleet-q", "")
            await _accessible(page, "fleet")

            # the device page: a chart drawn from the supply's stored level history
            await page.goto(cloud.url + "/#/device/pi-1")
            black = page.locator("article[data-supply='pi-1/printer/1']")
            await expect(black).to_contain_text("Black Cartridge HP 952", timeout=20_000)
            chart = black.locator(".chart[data-ready='1']")
            await expect(chart.locator("canvas")).to_have_count(1, timeout=20_000)
            drawn = int(await chart.get_attribute("data-points") or 0)
            levels: Any = await get_json(
                f"{cloud.url}/api/v1/devices/pi-1/supplies/printer/1/levels?limit=500"
            )
            assert 1 <= drawn <= len(levels)
            await page.screenshot(path=str(artifact("device.png")), full_page=True)
            await _accessible(page, "device")

            # the customer page: each need's chart with its forecast, and the curated menu
            needs = await _needs(cloud, 4)
            await page.goto(cloud.url + "/#/customer/home-1")
            ink = page.locator(f"article.need[data-need='{needs[0]['id']}']")
            await expect(ink.locator(".chart[data-ready='1'] canvas")).to_have_count(1)
            await ink.locator("button.menu").click()
            picks = ink.locator(".menu button.pick")
            await expect(picks.first).to_be_visible()
            offered = await picks.count()
            await _refreshed(page, 3)  # the printer drains: several live updates arrive
            await expect(picks).to_have_count(offered)  # the open menu is still there
            await expect(picks.first).to_be_visible()
            pick = ink.locator("select.experience")
            await pick.focus()
            await _refreshed(page, 2)
            assert await pick.evaluate("e => e === document.activeElement")  # not lost
            await page.screenshot(path=str(artifact("customer-operator.png")), full_page=True)
            await _accessible(page, "customer page")

            await page.click("#nav a[data-route='audit']")
            await expect(page.locator("#audit tbody tr").first).to_be_visible()
            await page.click("#logout")
            await expect(page.locator("#login")).to_be_visible()
            assert errors == []
        finally:
            await browser.close()


async def test_a_customer_on_a_phone_orders_confirms_and_undoes_in_plain_words(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    async with household(tmp_path, db_url, broker) as cloud, async_playwright() as pw:
        await cloud.user("ana", "customer", customer="home-1")
        needs = await _needs(cloud, 1)
        centre_url = "https://alarm.example/k/s3cret"
        await set_ladder(
            "home-1",
            [
                StepSpec(0, "webhook", centre_url, who=Receiver.ALARM_CENTRE),
                StepSpec(0, "email", "ana@example.org", who=Receiver.CUSTOMER),
            ],
            trusted=True,
        )
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(
                viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True
            )
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            await cloud.log_in_form(page, "ana")
            await expect(page.locator("#brand")).to_have_text("Continuo: your home")
            card = page.locator(f"article.need[data-need='{needs[0]['id']}']")
            await expect(card.locator(".stock")).to_contain_text("left", timeout=15_000)
            await expect(card.locator(".plan")).to_contain_text("Order")
            await expect(card.locator(".chart[data-ready='1']")).to_have_count(1)
            assert "pi-1" not in await card.inner_text()  # no staff words for a customer
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"the page is {width} px wide"
            await _accessible(page, "customer on a phone")
            await page.screenshot(path=str(artifact("customer-phone.png")), full_page=True)

            await card.locator("button.order-now").click()
            await expect(page.locator("#confirm")).to_be_visible()
            await page.click("#confirm-no")  # a change of mind: nothing is ordered
            await expect(page.locator("#confirm")).to_be_hidden()
            orders: Any = await get_json(f"{cloud.url}/api/v1/customers/home-1/orders")
            assert orders == []
            await card.locator("button.order-now").click()
            await page.click("#confirm-yes")
            held = page.locator("#orders tbody tr[data-order]", has_text="held")
            await expect(held).to_have_count(1, timeout=10_000)
            await page.click("#toast button")  # Undo, from the confirmation itself
            cancelled = page.locator("#orders tbody tr[data-order]", has_text="cancelled")
            await expect(cancelled).to_have_count(1, timeout=10_000)
            # Who is told: the alarm centre's URL is masked, it takes no reminders, and the
            # household asks it for warnings too; the whole ladder goes back, unmasked.
            centre = page.locator("#receivers tr[data-receiver='0']")
            await expect(centre).to_contain_text("webhook https://alarm.example/…")
            await expect(centre.locator("input[data-gets='reminder']")).to_be_disabled()
            await centre.locator("input[data-gets='warning']").check()
            await wait_until(
                lambda: _gets(0, "warning"), "the alarm centre now gets warnings", timeout_s=10
            )
            stored = await EscalationStep.get(customer_id="home-1", position=0)
            assert stored.target == centre_url  # the masked target meant the same receiver
            assert (await EscalationStep.get(customer_id="home-1", position=1)).gets == [
                "emergency",
                "reminder",
                "warning",
            ]
            await page.uncheck("#consent-weights-coaching")  # no reminders from the scales

            async def coaching_withdrawn() -> bool:
                given: Any = await get_json(f"{cloud.url}/api/v1/customers/home-1/consents")
                return not next(
                    c["granted"]
                    for c in given
                    if (c["stream"], c["purpose"]) == ("weights", "coaching")
                )

            await wait_until(
                coaching_withdrawn,
                "the consent to coach from the weights is withdrawn",
                timeout_s=10,
            )
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"the page is {width} px wide"
            assert errors == []
        finally:
            await browser.close()


async def _gets(position: int, kind: str) -> bool:
    step = await EscalationStep.get(customer_id="home-1", position=position)
    return kind in step.gets


async def test_caregivers_and_installers_see_only_their_part(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    async with household(tmp_path, db_url, broker) as cloud, async_playwright() as pw:
        await cloud.user("cara", "caregiver", customer="home-1")
        await cloud.user("ian", "installer", sites=["home-2"])
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for user, brand, nav in (
                ("cara", "Continuo: alerts", ["Alerts"]),
                ("ian", "Continuo: your sites", ["Devices"]),
            ):
                page = await browser.new_page()
                await cloud.log_in_form(page, user)
                await expect(page.locator("#brand")).to_have_text(brand)
                await expect(page.locator("#nav a")).to_have_text(nav)
                if user == "ian":  # their site's device only
                    await expect(page.locator("#fleet tbody tr[data-device]")).to_have_count(1)
                    await expect(page.locator("#fleet tbody")).to_contain_text("pi-never")
                else:
                    await expect(page.locator("#alert-list")).to_contain_text("No alerts.")
                await _accessible(page, user)
                await page.close()
        finally:
            await browser.close()

"""The REST API, its OpenAPI document, and the live dashboard in a real Chromium."""

from __future__ import annotations

import asyncio
import re
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from cloud.api.routes import openapi_document
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    printer_site,
    register,
    running_cloud,
)
from tests.support.wait import wait_until


def test_openapi_document_describes_every_route_with_schemas() -> None:
    doc = openapi_document()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/v1/devices",
        "/api/v1/orders",
        "/api/v1/supplies",
        "/api/v1/devices/{device_id}/supplies/{sensor}/{index}/levels",
    ):
        assert "get" in doc["paths"][path]
    order = doc["components"]["schemas"]["OrderOut"]
    assert {"sku", "supply", "device_id", "status", "reason"} <= set(order["properties"])


def stack(tmp_path: Path, db_url: str, broker: Broker) -> AbstractAsyncContextManager[RunningCloud]:
    """Cloud, broker, and a site whose agent reads a fast-draining simulated printer."""
    return printer_site(
        tmp_path, db_url, broker, level=30, pages_per_minute=900, seed=4, auto_replenish=True
    )


async def test_api_rejects_bad_requests_with_problem_responses(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    async with stack(tmp_path, db_url, broker) as cloud, cloud.http() as http:
        async with http.get(f"{cloud.url}/api/v1/openapi.json") as r:
            assert r.status == 200
            assert "paths" in await r.json()
        for path, status in (
            ("/api/v1/orders?limit=abc", 400),
            ("/api/v1/orders?limit=0", 400),
            ("/api/v1/orders?status=failed", 400),  # no such status: said, not a 500
            ("/api/v1/alerts?state=nope", 400),
            ("/api/v1/alerts?state=open&offset=-1", 400),
            ("/api/v1/deliveries?state=lost", 400),
            ("/api/v1/devices/nope", 404),
            ("/api/v1/no-such-route", 404),
            ("/api/v1/devices/pi-1/supplies/printer/x/levels", 400),
            ("/api/v1/devices/pi-1/supplies/printer/99/levels", 404),
        ):
            async with http.get(cloud.url + path) as r:
                assert r.status == status, path
                assert r.content_type == "application/problem+json", path
                body = await r.json()
                assert body["status"] == status
                assert body["detail"]
        async with http.get(f"{cloud.url}/api/v1/devices") as r:
            (device,) = await r.json()
            assert device["id"] == "pi-1"
            assert device["site"] == "home-1"


async def test_health_says_503_and_which_part_is_down_when_the_broker_goes(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    async with stack(tmp_path, db_url, broker) as cloud, cloud.http() as http:
        async with http.get(f"{cloud.url}/healthz") as r:
            assert r.status == 200
            assert await r.json() == {
                "ok": True,
                "broker_connected": True,
                "database_ok": True,
                "units": [],
            }
        async with http.get(f"{cloud.url}/") as r:  # the page: its own files only, no framing
            assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
            assert "script-src 'self';" in r.headers["Content-Security-Policy"]
            assert r.headers["X-Frame-Options"] == "DENY"
        broker.stop()
        seen: list[Any] = []

        async def unhealthy() -> bool:
            async with http.get(f"{cloud.url}/healthz") as r:
                if r.status == 503:
                    seen.append(await r.json())
                    return True
                return False

        await wait_until(unhealthy, "/healthz answers 503 without the broker", timeout_s=30)
        (body,) = seen
        assert (body["ok"], body["broker_connected"], body["database_ok"]) == (False, False, True)
        down = {u["unit"]: u for u in body["units"] if u["unit"].startswith("ingest-")}
        assert down  # which part, since when, why
        for unit in down.values():
            assert unit["state"] == "failing"
            assert "lost the broker" in unit["error"]
            assert unit["since"]
        async with http.get(f"{cloud.url}/livez") as r:  # a restart would not help: still live
            assert r.status == 200
        broker.start()

        async def healthy() -> bool:
            async with http.get(f"{cloud.url}/healthz") as r:
                return r.status == 200

        await wait_until(healthy, "/healthz answers 200 with the broker back", timeout_s=60)


async def test_dashboard_shows_fleet_supplies_and_a_new_order_live_without_reload(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect  # noqa: PLC0415

    async with stack(tmp_path, db_url, broker) as cloud, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await cloud.login_browser(page)
            await page.goto(cloud.url + "/#/fleet")
            await expect(page.locator("#live")).to_have_text("live", timeout=10_000)
            fleet = page.locator("#fleet tbody tr[data-device='pi-1']")
            # online: ok, or (as its cartridges drain fast, on a slow machine) needing a look
            online = re.compile(r"^\s*(ok|needs a look)\s*$")
            await expect(fleet.locator(".badge")).to_have_text(online, timeout=20_000)
            await fleet.locator("a").first.click()
            black = page.locator("article[data-supply='pi-1/printer/1']")
            await expect(black).to_contain_text("Black Cartridge HP 952", timeout=20_000)
            await page.click("#nav a[data-route='orders']")
            navigations: list[str] = []
            page.on("framenavigated", lambda frame: navigations.append(frame.url))
            # every cartridge drains fast here, so find the black one's order among them
            order = page.locator("#orders tbody tr[data-order]", has_text="F6U15AN")
            await expect(order).to_have_count(1, timeout=40_000)
            await expect(order.locator(".reason")).to_contain_text("runs out in")
            await page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            assert navigations == []  # it all arrived over server-sent events
        finally:
            await browser.close()


async def test_schemathesis_finds_no_server_error_or_contract_violation(
    tmp_path: Path, broker: Broker
) -> None:
    """Property-based requests generated from the OpenAPI document, against a live backend."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from tests.support.peers import database_url  # noqa: PLC0415

    async with database_url("sqlite", tmp_path) as db_url:
        await register(db_url, ("home-1", "pi-1", True))
        broker.configure(await accounts(db_url))
        broker.start()
        async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
            st = Path(sys.executable).with_name("st")
            result = await asyncio.to_thread(
                subprocess.run,
                [
                    str(st),
                    "run",
                    f"{cloud.url}/api/v1/openapi.json",
                    "--header",
                    f"Authorization: Bearer {cloud.token}",
                    "--exclude-path",
                    "/api/v1/logout",
                    "--checks",
                    "all",
                    # Schema-valid is not always valid: a catalog SKU, an email target, an
                    # iCalendar feed, quiet hours given as a pair are checked past the schema
                    # and answered 400 with the reason, which this check would call a bug.
                    "--exclude-checks",
                    "positive_data_acceptance",
                    "--max-examples",
                    "25",
                    "--seed",
                    "1",
                    "--no-color",
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
    assert result.returncode == 0, result.stdout[-4000:]

"""The fleet API: health that means something, search, filters, sort and paging."""

from __future__ import annotations

import datetime as dt

from cloud.store.db import database
from cloud.store.models import Device, PrinterInfo, Supply
from tests.support.peers import Broker, accounts, cloud_config, register, running_cloud

NOW = dt.datetime.now(dt.UTC)


async def _arrange(db_url: str) -> None:
    """Eight devices, each in one state a real agent's messages would leave it in."""
    await register(
        db_url,
        ("home-a", "pi-never", False),
        ("home-b", "pi-ok", False),
        ("home-c", "pi-offline", False),
        ("home-d", "pi-stopped", False),
        ("home-e", "pi-empty", False),
        ("home-f", "pi-drops", False),
        ("shop-g", "pi-quarantined", False),
        ("home-h", "pi-revoked", False),
    )
    async with database(db_url):
        for i, device_id in enumerate(
            ("pi-ok", "pi-offline", "pi-stopped", "pi-empty", "pi-drops", "pi-quarantined")
        ):
            await Device.filter(id=device_id).update(
                online=device_id != "pi-offline", last_seen=NOW - dt.timedelta(minutes=i)
            )
        await Device.filter(id="pi-drops").update(outbox_dropped=12)
        await Device.filter(id="pi-revoked").update(
            revoked=True, last_seen=NOW - dt.timedelta(days=1), online=False
        )
        await Device.filter(id="pi-quarantined").update(quarantined_at=NOW, quarantine_reason="x")
        for device_id, state in (
            ("pi-stopped", "stopped"),
            ("pi-empty", "idle"),
            ("pi-ok", "idle"),
        ):
            await PrinterInfo.create(
                device_id=device_id, sensor="printer", state=state, updated_at=NOW
            )
        for device_id, level in (("pi-empty", 0), ("pi-ok", 60)):
            await Supply.create(
                device_id=device_id,
                sensor="printer",
                index=1,
                name="Black Cartridge HP 952",
                kind="inkCartridge",
                color="black",
                level=level,
                level_state="known",
                updated_at=NOW,
            )


async def test_health_search_sort_and_paging_run_in_the_database(
    db_url: str, broker: Broker
) -> None:
    await _arrange(db_url)
    broker.configure(await accounts(db_url))
    broker.start()
    # No sweep while it runs: the arranged last-seen times are minutes old, on purpose.
    config = cloud_config(db_url, broker.port, sweep_s=3600)
    async with running_cloud(config) as cloud, cloud.http() as http:

        async def ids(query: str) -> tuple[list[str], int]:
            async with http.get(f"{cloud.url}/api/v1/devices?{query}") as r:
                assert r.status == 200, await r.text()
                return [d["id"] for d in await r.json()], int(r.headers["X-Total-Count"])

        async with http.get(f"{cloud.url}/api/v1/devices") as r:
            health = {d["id"]: (d["health"], d["problems"]) for d in await r.json()}
        assert health["pi-never"] == ("never_seen", [])
        assert health["pi-ok"] == ("ok", [])
        assert health["pi-offline"][0] == "offline"
        assert health["pi-quarantined"][0] == "quarantined"
        assert health["pi-revoked"][0] == "revoked"  # not counted as offline
        assert health["pi-stopped"] == ("attention", ["printer printer stopped"])
        assert health["pi-empty"] == ("attention", ["printer: Black Cartridge HP 952 empty (0 %)"])
        assert health["pi-drops"][0] == "attention"
        assert "dropped 12 readings" in health["pi-drops"][1][0]

        assert await ids("health=attention") == (["pi-drops", "pi-empty", "pi-stopped"], 3)
        assert await ids("health=ok") == (["pi-ok"], 1)
        assert await ids("health=never_seen") == (["pi-never"], 1)
        assert await ids("health=offline") == (["pi-offline"], 1)
        assert await ids("health=revoked") == (["pi-revoked"], 1)
        assert await ids("q=shop") == (["pi-quarantined"], 1)
        assert await ids("q=OFF") == (["pi-offline"], 1)  # case does not matter
        assert await ids("sort=-last_seen&limit=2") == (["pi-ok", "pi-offline"], 8)
        assert await ids("sort=id&limit=3&offset=3") == (
            ["pi-offline", "pi-ok", "pi-quarantined"],
            8,
        )
        for bad in ("health=fine", "sort=colour", "limit=0", "offset=-1"):
            async with http.get(f"{cloud.url}/api/v1/devices?{bad}") as r:
                assert r.status == 400, bad
                assert (await r.json())["detail"]

"""Data rights: an export of everything, an erasure that leaves no trace, the audit log."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from tortoise import Tortoise

from cloud.api.context import SERVICES
from cloud.identity.provisioning import refresh_broker
from cloud.identity.registry import device_accounts
from cloud.privacy import data_rights
from cloud.privacy.data_rights import export_path
from cloud.store.models import AuditEntry, Customer, ErasureRecord
from common import topics
from common.messages import (
    Alert,
    Event,
    ScaleReading,
    ScaleState,
    Severity,
    Telemetry,
    encode,
    new_id,
)
from common.topics import UplinkKind
from tests.support.backend import Acks
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    register,
    running_cloud,
)

SECRET_TOKEN = "tok_live_4242424242"


async def _household(cloud: RunningCloud) -> str:
    """home-1 with everything a household leaves behind; returns the customer's API token."""
    api = cloud.url + "/api/v1"
    ingest = cloud.app[SERVICES].ingest
    messages: list[Telemetry | Event | Alert] = [
        Telemetry(
            id=new_id(),
            device_id="pi-1",
            seq=1,
            sent_at=1_800_000_000.0,
            sensor="fridge",
            reading=ScaleReading(state=ScaleState.STABLE, grams=2100.0),
        ),
        Event(
            id=new_id(),
            device_id="pi-1",
            seq=2,
            sent_at=1_800_000_001.0,
            sensor="reorder",
            name="press.short",
        ),
        Alert(
            id=new_id(),
            device_id="pi-1",
            seq=3,
            sent_at=1_800_000_002.0,
            sensor="wearable",
            name="fall",
            severity=Severity.CRITICAL,
            detected_at=1_800_000_002.0,
        ),
    ]
    for message in messages:
        kind = (
            UplinkKind.ALERT
            if isinstance(message, Alert)
            else (UplinkKind.EVENT if isinstance(message, Event) else UplinkKind.TELEMETRY)
        )
        await ingest.handle(topics.uplink("home-1", "pi-1", kind), encode(message), Acks())
    token = await cloud.user("ana.lovelace", "customer", customer="home-1")
    async with cloud.http(token) as http:
        async with http.patch(
            f"{api}/customers/home-1",
            json={"address": "12 Analytical Row, London", "payment_token": SECRET_TOKEN},
        ) as r:
            assert r.status == 200
        async with http.post(
            f"{api}/customers/home-1/needs",
            json={
                "device_id": "pi-1",
                "sku": "MILK-1G",
                "label": "Milk in Ada's fridge",
                "sensor": "fridge",
                "button": "reorder",
            },
        ) as r:
            need = await r.json()
        async with http.post(
            f"{api}/needs/{need['id']}/orders", json={}, headers={"Idempotency-Key": "k"}
        ) as r:
            assert r.status == 201
        async with http.put(
            f"{api}/customers/home-1/escalation",
            json=[{"after_s": 0, "channel": "email", "target": "ada@example.org"}],
        ) as r:
            assert r.status == 200
    return token


async def test_a_customer_takes_everything_away_without_secrets(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        token = await _household(cloud)
        other = await cloud.user("ben", "customer", customer="home-2")
        url = f"{cloud.url}/api/v1/customers/home-1/export"
        async with cloud.http(token) as http, http.get(url) as r:
            assert r.status == 200
            raw = await r.read()
        async with cloud.http(other) as http, http.get(url) as r:
            assert r.status == 403
    document: dict[str, Any] = json.loads(raw)
    assert document["format"] == "continuo-export/1"
    assert document["customer"]["address"] == "12 Analytical Row, London"
    assert document["customer"]["has_payment_token"] is True
    assert [d["id"] for d in document["devices"]] == ["pi-1"]
    assert document["sensor_readings"][0]["grams"] == 2100.0
    assert document["events"]
    assert document["alerts"]
    assert document["needs"][0]["label"] == "Milk in Ada's fridge"
    assert document["orders"]
    assert document["decisions"] is not None
    assert document["escalation"][0]["target"] == "ada@example.org"
    text = raw.decode()
    assert SECRET_TOKEN not in text
    assert "password_hash" not in text
    assert "token_hash" not in text
    assert "pi-2" not in text  # nothing of the other household


async def _every_row() -> str:
    """Every row of every table, as text (what an erasure must have left clean)."""
    connection = Tortoise.get_connection("default")
    dialect = connection.capabilities.dialect
    if dialect == "sqlite":
        _, tables = await connection.execute_query(
            "SELECT name FROM sqlite_master WHERE type='table'"
        )
        names = [t["name"] for t in tables]
    else:
        _, tables = await connection.execute_query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        names = [t["tablename"] for t in tables]
    dump = []
    for name in names:
        _, rows = await connection.execute_query(f'SELECT * FROM "{name}"')  # noqa: S608
        dump.append(f"{name}: " + json.dumps([dict(r) for r in rows], default=str))
    return "\n".join(dump)


async def test_erasure_leaves_no_trace_and_revokes_the_devices(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    exports = tmp_path / "exports"
    exports.mkdir()
    config = msgspec.structs.replace(cloud_config(db_url, broker.port), exports_dir=str(exports))
    async with running_cloud(config) as cloud:
        token = await _household(cloud)
        stale_export = export_path(exports, "home-1", dt.datetime.now(tz=dt.UTC))
        stale_export.write_text('{"customer": "home-1"}')
        (exports / "home-2-20260101T000000Z.json").write_text("{}")
        async with (
            cloud.http() as http,
            http.get(
                f"{cloud.url}/api/v1/customers/home-1/timeline",
                headers={"X-Access-Reason": "ticket 4711"},
            ) as r,
        ):
            assert r.status == 200
        before = await _every_row()
        for trace in ("home-1", "pi-1", "Analytical Row", "Ada's fridge", "ana.lovelace"):
            assert trace in before, trace  # the scan below can see them
        async with cloud.http(token) as http:
            async with http.delete(f"{cloud.url}/api/v1/customers/home-1") as r:
                assert r.status == 200
                erased = await r.json()
            async with http.get(f"{cloud.url}/api/v1/me") as r:
                assert r.status == 401
        after = await _every_row()
        for trace in (
            "home-1",
            "pi-1",
            "Analytical Row",
            "Ada's fridge",
            "ana.lovelace",
            "ada@example.org",
            SECRET_TOKEN,
        ):
            assert trace not in after, trace
        assert "pi-2" in after  # the neighbours keep theirs
        assert not stale_export.exists()
        assert (exports / "home-2-20260101T000000Z.json").exists()
        assert [a.device_id for a in await device_accounts()] == ["pi-2"]
        (record,) = await ErasureRecord.all()
        assert record.by == "the customer"
        assert record.subject_digest == erased["subject_digest"]
        assert erased["removed"]["devices"] == 1
        assert erased["removed"]["export_files"] == 1
        audit = await AuditEntry.filter(why="ticket 4711")
        assert audit  # the operator's look is still on record, anonymised
        assert audit[0].customer_id.startswith("erased:")


async def test_the_audit_log_is_append_only_and_answers_a_breach(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        await _household(cloud)
        snoop = await cloud.user("sam", "operator")
        async with (
            cloud.http(snoop) as http,
            http.get(
                f"{cloud.url}/api/v1/customers/home-1/timeline",
                headers={"X-Access-Reason": "checking a complaint"},
            ) as r,
        ):
            assert r.status == 200
        async with cloud.http() as http:
            async with http.get(f"{cloud.url}/api/v1/audit?actor=sam") as r:
                (entry,) = await r.json()
            async with http.get(
                f"{cloud.url}/api/v1/breach-report/users/sam?since=2000-01-01T00:00:00"
            ) as r:
                report = await r.json()
            async with http.get(f"{cloud.url}/api/v1/breach-report/devices/pi-2") as r:
                device_report = await r.json()
        assert (entry["actor"], entry["customer_id"], entry["why"]) == (
            "sam",
            "home-1",
            "checking a complaint",
        )
        assert entry["action"] == "GET /api/v1/customers/{customer_id}/timeline"
        assert [c["customer_id"] for c in report["customers"]] == ["home-1"]
        assert [c["customer_id"] for c in device_report["customers"]] == ["home-2"]
        row = await AuditEntry.filter(actor="sam").first()
        assert row is not None
        row.why = "nothing to see"
        with pytest.raises(PermissionError):
            await row.save()
        with pytest.raises(PermissionError):
            await row.delete()


async def test_bad_requests_get_a_clear_problem_and_change_nothing(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud, cloud.http() as http:
        api = cloud.url + "/api/v1"
        for method, path, kwargs, status, says in (
            ("PUT", "/customers/home-1/calendar", {"data": b"not a calendar"}, 400, "iCalendar"),
            (
                "PUT",
                "/customers/home-1/consents",
                {"json": [{"stream": "dreams", "purpose": "coaching", "granted": False}]},
                400,
                "invalid consent",
            ),
            ("PUT", "/customers/home-1/consents", {"data": b"[{"}, 400, "invalid consent"),
            ("PATCH", "/customers/home-1", {"json": {"quiet_start": 22}}, 400, "together"),
            ("PATCH", "/customers/home-1", {"json": {"spend_cap_cents": -5}}, 400, "invalid"),
            ("POST", "/login", {"json": {}}, 400, "user name and password"),
            ("POST", "/login", {"data": b"{}"}, 415, "JSON"),  # not sent as JSON
            ("GET", "/audit?since=yesterday", {}, 400, "ISO 8601"),
        ):
            async with http.request(method, api + path, **kwargs) as r:
                body = await r.json(content_type=None)
                assert (r.status, r.content_type) == (status, "application/problem+json"), path
                assert says in body["detail"], body
        withdraw = [
            {"stream": "calendar", "purpose": p, "granted": False}
            for p in ("replenishment", "coaching", "safety_alerts", "population_learning")
        ]
        async with http.put(f"{api}/customers/home-1/consents", json=withdraw) as r:
            assert r.status == 200
        feed = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"
        async with http.put(f"{api}/customers/home-1/calendar", data=feed) as r:
            assert r.status == 409  # no calendar is kept without consent
            assert "consented" in (await r.json())["detail"]
        async with http.get(f"{api}/customers/home-1") as r:
            assert (await r.json())["quiet_start"] is None  # the bad requests changed nothing


async def test_a_crash_between_erasures_commit_and_its_clean_up_is_finished_by_a_retry(
    db_url: str, broker: Broker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    exports = tmp_path / "exports"
    exports.mkdir()
    config = cloud_config(db_url, broker.port)
    managed = msgspec.structs.replace(config.broker, config_dir=str(broker.workdir))
    config = msgspec.structs.replace(config, broker=managed, exports_dir=str(exports))
    async with running_cloud(config) as cloud:
        export = export_path(exports, "home-1", dt.datetime.now(tz=dt.UTC))
        export.write_text('{"customer": "home-1"}')
        await refresh_broker(managed)
        passwords = broker.workdir / "passwords"
        assert "pi-1:" in passwords.read_text()

        def crash(_exports: Path, _customer: str) -> int:
            raise OSError("the power went")  # after the rows are gone, before the files

        monkeypatch.setattr(data_rights, "_remove_exports", crash)
        url = f"{cloud.url}/api/v1/customers/home-1"
        async with cloud.http() as http, http.delete(url) as r:
            assert r.status == 500
        assert not await Customer.exists(id="home-1")  # the rows went, in one transaction
        assert export.exists()
        assert "pi-1:" in passwords.read_text()  # and the broker was never told

        monkeypatch.undo()
        async with cloud.http() as http, http.delete(url) as r:  # the operator tries again
            assert r.status == 200, await r.text()
            again = await r.json()
        (record,) = await ErasureRecord.all()  # one erasure, finished
        assert again["subject_digest"] == record.subject_digest
        assert record.removed["export_files"] == 1
        assert not export.exists()
        assert "pi-1:" not in passwords.read_text()
        assert "pi-2:" in passwords.read_text()
        async with cloud.http() as http, http.delete(f"{cloud.url}/api/v1/customers/nobody") as r:
            assert r.status == 404  # only an erasure that happened is finished

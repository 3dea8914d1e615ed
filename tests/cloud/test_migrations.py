"""An existing database upgrades with the project's aerich migrations, open orders intact."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from aerich import Command
from tortoise import Tortoise, connections

from cloud.store.db import MIGRATIONS, close_database, dialect, open_database, tortoise_config
from cloud.store.models import (
    Delivery,
    DeliveryAttempt,
    EscalationStep,
    Incident,
    Need,
    Order,
)
from common.clock import FakeClock
from tests.support.backend import feed_levels, make_ingest

T0 = 1_800_000_000.0
OLD_DEVICE = """
INSERT INTO "device" ("id", "password_hash", "revoked", "created_at", "online", "last_seq",
    "high_water", "sensors_ok", "sensors_detail", "outbox_dropped", "site_id")
VALUES ('pi-1', 'x', {false}, '2027-01-01 00:00:00+00:00', {false}, 0, 0, {true}, '', 0,
    'home-1')
"""
OLD_CUSTOMER = """
INSERT INTO "customer" ("id", "name", "auto_replenish", "preferred_pack", "created_at", "address",
    "payment_token", "utc_offset_min")
VALUES ('home-1', 'home-1', {true}, 'standard', '2027-01-01 00:00:00+00:00', '', '', 0)
"""
OLD_SITE = """
INSERT INTO "site" ("id", "customer_id", "created_at")
VALUES ('home-1', 'home-1', '2027-01-01 00:00:00+00:00')
"""
OLD_ALERT = """
INSERT INTO "incident" ("id", "sensor", "kind", "severity", "state", "detail", "open_key",
    "raised_at", "occurrences", "samples", "escalation_next", "device_id")
VALUES ('incident-old', 'wearable', 'battery_low', 'warning', 'active', 'low', 'k',
    '2027-01-01 00:00:00+00:00', 1, '[]', 1, 'pi-1');
INSERT INTO "incident" ("id", "sensor", "kind", "severity", "state", "detail", "open_key",
    "raised_at", "occurrences", "samples", "escalation_next", "device_id", "acknowledged_by",
    "acknowledged_at")
VALUES ('fall-old', 'wearable', 'fall', 'critical', 'acknowledged', 'fall', 'k2',
    '2026-01-01 00:00:00+00:00', 1, '[]', 2, 'pi-1', 'Ana', '2026-01-01 00:05:00+00:00');
INSERT INTO "escalationstep" ("position", "after_s", "channel", "target", "customer_id")
VALUES (0, 0, 'sms', '+15551234567', 'home-1');
INSERT INTO "escalationstep" ("position", "after_s", "channel", "target", "customer_id")
VALUES (1, 60, 'webhook', 'https://alarm.example/hook', 'home-1');
INSERT INTO "notificationrecord" ("position", "channel", "target", "at", "ok", "detail",
    "incident_id")
VALUES (0, 'sms', '+15551234567', '2027-01-01 00:00:01+00:00', {true}, 'sent', 'incident-old')
"""
OLD_NEED = """
INSERT INTO "need" ("id", "customer_id", "device_id", "kind", "label", "sensor", "supply_index",
    "sku", "product", "pack_units", "price_cents", "lead_hours", "quantity", "experience",
    "authorized", "learner", "note", "dose_times", "created_at")
VALUES ('need-ink', 'home-1', 'pi-1', 'cartridge', 'Black Cartridge HP 952 (printer)', 'printer',
    1, 'F6U15AN', 'HP 952 Black', 100.0, 3599, 72.0, 1, 'automatic_execution', {true}, '{{}}', '',
    '[]', '2027-01-01 00:00:00+00:00')
"""
OLD_SUPPLY = """
INSERT INTO "supply" ("device_id", "sensor", "index", "name", "kind", "color", "level",
    "level_state", "updated_at", "episode_start", "rate_per_day", "confident", "note")
VALUES ('pi-1', 'printer', 1, 'Black Cartridge HP 952', 'inkCartridge', 'black', 12,
    'known', '2027-01-15 00:00:00+00:00', '2027-01-01 00:00:00+00:00', 3.5, {true},
    'ordered')
"""


async def make_release_0_database(url: str, tmp_path: Path) -> None:
    """A database made by the first release's schema, holding an open printer order."""
    only_first = tmp_path / "release-0"
    source = MIGRATIONS / dialect(url) / "models"
    (only_first / "models").mkdir(parents=True)
    for first in source.glob("0_*.py"):
        shutil.copy(first, only_first / "models" / first.name)
    command = Command(tortoise_config=tortoise_config(url), app="models", location=str(only_first))
    await command.init()
    await command.upgrade(run_in_transaction=True)
    await Tortoise.close_connections()
    await Tortoise.init(config=tortoise_config(url))  # tables other than device did not change
    true, false = ("TRUE", "FALSE") if dialect(url) == "postgres" else ("1", "0")
    try:
        db = connections.get("default")
        await db.execute_script(OLD_CUSTOMER.format(true=true))
        await db.execute_script(OLD_SITE)
        await connections.get("default").execute_script(OLD_DEVICE.format(true=true, false=false))
        await db.execute_script(OLD_ALERT.format(true=true))
        at = dt.datetime.fromtimestamp(T0, dt.UTC)
        await connections.get("default").execute_script(OLD_NEED.format(true=true))
        await Order.create(  # placed by the old printer engine: its own key, no need
            id="order-old",
            device_id="pi-1",
            sensor="printer",
            supply_index=1,
            supply_name="Black Cartridge HP 952",
            sku="F6U15AN",
            product="HP 952 Black",
            price_cents=3599,
            status="placed",
            open_key="pi-1/printer/1",
            reason={"rule": "order when predicted run-out is within delivery lead time"},
            created_at=at,
            updated_at=at,
        )
        sql = OLD_SUPPLY.format(true=true)
        await connections.get("default").execute_script(sql)
    finally:
        await close_database()


async def test_release_0_database_upgrades_and_its_open_order_still_counts(
    db_url: str, tmp_path: Path
) -> None:
    await make_release_0_database(db_url, tmp_path)
    await open_database(db_url)  # applies every pending migration, as `cloud serve` does
    try:
        order = await Order.get(id="order-old")
        assert (order.need_id, order.open_key) == ("need-ink", "need/need-ink")
        # An old alert's notification is now a delivery with its attempt; the old ladder's
        # receivers keep getting emergencies and warnings, and the warning is one.
        (told,) = await Delivery.filter(incident_id="incident-old")
        assert (told.channel, told.state.value, told.purpose, told.notice.value) == (
            "sms",
            "delivered",
            "alert",
            "warning",
        )
        assert await DeliveryAttempt.filter(delivery_id=told.id, ok=True).count() == 1
        customer, centre = await EscalationStep.all().order_by("position")
        assert (customer.who, sorted(customer.gets)) == (
            "customer",
            ["emergency", "reminder", "warning"],
        )
        assert (centre.who, sorted(centre.gets)) == ("other", ["emergency", "warning"])
        # A fall acknowledged long ago and never resolved is not raised again at the upgrade.
        old_fall = await Incident.get(id="fall-old")
        assert (old_fall.state, old_fall.notice.value) == ("resolved", "emergency")
        assert old_fall.resolved_by == "upgrade: acknowledged a day before, never resolved"
        assert order.reason["rule"].startswith("order when")  # an old reason is kept as it was
        # The printer keeps falling: the engine sees the open order and orders nothing more.
        clock = FakeClock(T0 + 14 * 86_400)
        await feed_levels(make_ingest(clock), clock, [10, 8, 6, 4])
        assert await Order.all().count() == 1
        need = await Need.get(id="need-ink")
        assert need.level == 4
        assert need.note == "an order is already on its way"
        # Once the new cartridge is in, the old order's loop closes through the new path.
        await feed_levels(make_ingest(clock), clock, [100], first_seq=10)
        await order.refresh_from_db()
        assert (order.status, order.open_key) == ("installed", None)
    finally:
        await close_database()

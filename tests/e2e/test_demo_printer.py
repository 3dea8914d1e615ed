"""`continuo demo --printer-uri` against CUPS's ippeveprinter: coarse toner steps, one order."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tests.support.peers import ROOT, Ippeveprinter, free_port


def query(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read the demo's own database (it may not exist yet, or be busy)."""
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:  # not migrated yet, or locked for a moment
        return []


def stored(db: Path, level: int) -> bool:
    """Whether the cloud has stored this level of the black supply."""
    return bool(
        query(
            db,
            "SELECT 1 FROM supplylevel JOIN supply ON supply.id = supplylevel.supply_id "
            "WHERE supply.color = 'black' AND supplylevel.level = ?",
            level,
        )
    )


def count(db: Path, table: str) -> int:
    rows = query(db, f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own table names
    return int(str(rows[0][0])) if rows else 0


def wait_for(what: str, check: Callable[[], object], timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_demo_orders_one_fitting_cartridge_as_a_real_printer_falls_in_coarse_steps(
    ippeve: Ippeveprinter, tmp_path: Path
) -> None:
    workdir = tmp_path / "demo"
    db = workdir / "cloud.sqlite3"
    ippeve.set_levels(waste=25, black=40)
    demo = subprocess.Popen(
        [
            *(sys.executable, "-m", "continuo", "demo", "--printer-uri", ippeve.uri),
            *("--workdir", str(workdir), "--http-port", str(free_port())),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        text=True,
    )
    try:
        for level in (40, 25, 12, 6):  # an IPP printer's coarse, sparse readings
            ippeve.set_levels(waste=25, black=level)
            wait_for(f"the cloud to store {level} %", partial(stored, db, level))
        wait_for("an order", lambda: query(db, 'SELECT 1 FROM "order"'))
        seen = count(db, "ingestedmessage")
        wait_for("three more readings", lambda: count(db, "ingestedmessage") >= seen + 3)
        orders = query(db, 'SELECT sku, need_id, status FROM "order"')
        assert len(orders) == 1, orders
        sku, need_id, _ = orders[0]
        assert sku == "F6U15AN"  # HP 952 black, the cartridge the OfficeJet Pro 8710 takes
        assert need_id is not None
    finally:
        demo.send_signal(signal.SIGINT)
        out, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, out
    assert "Traceback" not in out, out
    assert "F6U15AN for Black" in out, out

"""The measuring side of ingest: `continuo sim fleet` and `continuo bench ingest`, tiny runs.

Both run as a user runs them (subprocesses of the real CLI, a real Mosquitto and real
backends); afterwards the databases are read directly: every reading sent is stored once.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

import asyncpg
import msgspec
import pytest

from cloud.config import dump_config
from cloud.store.models import IngestedMessage, SensorSample
from tests.support.peers import ROOT, Broker, cloud_config, continuo, running_cloud

DEVICES, MESSAGES = 3, 20
EXPECTED = sorted(
    (f"fleet-{d:04d}", seq) for d in range(1, DEVICES + 1) for seq in range(1, MESSAGES + 1)
)
_ROWS = "SELECT device_id, seq FROM ingestedmessage WHERE kind = 'telemetry'"
_SAMPLES = "SELECT count(*) FROM sensorsample"


async def test_sim_fleet_registers_its_devices_and_every_reading_is_stored_once(tmp_path):
    """`sim fleet --register` adds devices, reloads the broker, and is acked for each reading."""
    broker = Broker(tmp_path)
    broker.configure([])
    broker.start()
    try:
        config = cloud_config(f"sqlite://{tmp_path / 'cloud.sqlite3'}", broker.port)
        config = msgspec.structs.replace(
            config, broker=msgspec.structs.replace(config.broker, config_dir=str(tmp_path))
        )
        config_file = tmp_path / "cloud.toml"
        config_file.write_bytes(dump_config(config))
        async with running_cloud(config):
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                *("-m", "continuo", "sim", "fleet", "--register", str(DEVICES)),
                *("--config", str(config_file), "--devices", str(tmp_path / "fleet.json")),
                *("--messages", str(MESSAGES), "--timeout", "60", "--json"),
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(proc.communicate(), 120)
            assert proc.returncode == 0, err.decode()[-2000:]
            result = json.loads(out)
            rows = await IngestedMessage.filter(kind="telemetry").values_list("device_id", "seq")
            samples = await SensorSample.all().count()
    finally:
        broker.stop()
    assert result["connected"] == DEVICES
    assert result["produced"] == result["acked"] == DEVICES * MESSAGES
    assert result["msgs_per_s"] > 0
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    assert sorted(rows) == EXPECTED
    assert samples == DEVICES * MESSAGES
    assert (tmp_path / "fleet.json").stat().st_mode & 0o077 == 0


async def _stored(url: str) -> tuple[list[tuple[str, int]], int]:
    if url.startswith("sqlite://"):
        with sqlite3.connect(url.removeprefix("sqlite://")) as db:
            rows = [(d, int(s)) for d, s in db.execute(_ROWS)]
            return rows, int(db.execute(_SAMPLES).fetchone()[0])
    conn = await asyncpg.connect(url)
    try:
        rows = [(r[0], int(r[1])) for r in await conn.fetch(_ROWS)]
        return rows, int(await conn.fetchval(_SAMPLES))
    finally:
        await conn.close()


async def _drop(url: str) -> None:
    admin_url, name = url.rsplit("/", 1)
    admin = await asyncpg.connect(admin_url + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.mark.postgres
async def test_bench_ingest_measures_raw_and_persisted_and_stores_each_reading_once(tmp_path):
    """One tiny run: positive rates and latencies, and every database holds each reading once."""
    bench_md = tmp_path / "BENCHMARKS.md"
    bench_md.write_text("# Benchmarks\n\nOther sections stay.\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "continuo", "bench", "ingest", "--devices", str(DEVICES)),
        *("--messages", str(MESSAGES), "--pg-workers", "1", "--phase-timeout", "60"),
        *("--workdir", str(tmp_path / "run"), "--update", str(bench_md), "--json"),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 170)
    assert proc.returncode == 0, err.decode()[-2000:]
    result = json.loads(out)
    phases = result["phases"]
    try:
        assert result["raw"]["received"] == DEVICES * MESSAGES
        assert result["raw"]["msgs_per_s"] > 0
        assert result["broker_rss_mb"] > 0
        assert [(p["dialect"], p["workers"]) for p in phases] == [("sqlite", 1), ("postgres", 1)]
        for phase in phases:
            fleet = phase["fleet"]
            assert fleet["produced"] == fleet["acked"] == DEVICES * MESSAGES, phase
            assert fleet["msgs_per_s"] > 0
            assert 0 < fleet["p50_ms"] <= fleet["p99_ms"]
            assert all(rss > 0 for rss in phase["worker_rss_mb"])
            rows, samples = await _stored(phase["database_url"])
            assert sorted(rows) == EXPECTED, phase["dialect"]
            assert samples == DEVICES * MESSAGES, phase["dialect"]
    finally:
        for phase in phases:
            if phase["database_url"].startswith("postgres"):
                await _drop(phase["database_url"])
    text = bench_md.read_text()
    assert "Other sections stay." in text
    section = text[text.index("<!-- ingest-bench -->") : text.index("<!-- /ingest-bench -->")]
    assert "raw Mosquitto QoS 1" in section
    assert "PostgreSQL, one worker" in section
    assert "**Goal**" in section


def test_bench_ingest_refuses_bad_worker_counts_in_one_line_with_exit_code_2():
    """A user error is one clear line and exit code 2, before anything is started."""
    run = continuo("bench", "ingest", "--pg-workers", "two")
    assert run.returncode == 2
    assert run.stdout.strip().startswith("error: --pg-workers")
    assert "Traceback" not in run.stdout + run.stderr
    assert not Path(ROOT / "two").exists()

"""The installer's commands, end to end against the simulators, the broker and the cloud."""

from __future__ import annotations

import asyncio
import json
import random
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import msgspec
import pytest

from cloud.config import CloudConfig
from cloud.identity.provisioning import issue_token
from cloud.store.db import close_database, open_database
from common.clock import FakeClock, SystemClock
from edge import installer
from edge.agent import Hardware
from edge.config import (
    AgentConfig,
    ButtonSettings,
    LoadCellSettings,
    MqttSettings,
    ScaleSettings,
    WearableSettings,
    dump_config,
    load_config,
)
from firmware_sim.gpio import SimButton, SimHX711, SimPins
from firmware_sim.scale import PtyScale, ScaleModel
from firmware_sim.wearable import SimWearable, synthetic_motion
from hardware.errors import DeviceError
from tests.support.peers import (
    Broker,
    Ippeveprinter,
    accounts,
    agent_config,
    cloud_config,
    continuo,
    register,
    running_cloud,
)
from tests.support.wait import wait_until


@pytest.fixture
async def pty_scale() -> AsyncIterator[PtyScale]:
    sim = PtyScale(
        ScaleModel(clock=SystemClock(), rng=random.Random(3), settle_s=0.05, noise_g=0.1)
    )
    task = asyncio.create_task(sim.run())
    yield sim
    task.cancel()
    sim.close()


async def test_serial_scale_calibration_records_the_container_and_checks_the_reference(
    pty_scale: PtyScale,
) -> None:
    settings = ScaleSettings(name="milk", url=pty_scale.path)

    async def put_reference_on(text: str) -> None:
        if text.startswith("2/2"):
            pty_scale.model.content_g += 500.0

    updated = await installer.calibrate_serial(settings, 500.0, put_reference_on)
    assert updated.container_g == pytest.approx(1065, abs=2)

    async def forget_the_weight(text: str) -> None:
        del text

    with pytest.raises(DeviceError, match="more than 5% off"):
        await installer.calibrate_serial(settings, 500.0, forget_the_weight)


async def test_load_cell_calibration_learns_offset_and_counts_per_gram() -> None:
    clock = FakeClock()
    load = {"g": 0.0}
    sim = SimHX711(
        dout=5,
        sck=6,
        clock=clock,
        rng=random.Random(1),
        grams=lambda: load["g"],
        offset_counts=50_000,
        counts_per_gram=-310.0,
    )  # mounted upside down

    async def ticker() -> None:
        while True:
            clock.advance(0.005)
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())

    async def step(text: str) -> None:
        if text.startswith("2/2"):
            load["g"] = 1000.0

    try:
        cell = await installer.calibrate_cell(
            LoadCellSettings(name="petfood", dout=5, sck=6),
            1000.0,
            step,
            hardware=Hardware(pins=SimPins(sim)),
            clock=clock,
        )
    finally:
        task.cancel()
    assert cell.offset == pytest.approx(50_000, abs=100)
    assert cell.counts_per_gram == pytest.approx(-310.0, rel=0.01)


async def test_self_test_checks_every_sensor_and_the_broker(
    db_url: str, broker: Broker, tmp_path: Path, pty_scale: PtyScale
) -> None:
    clock = SystemClock()
    hx711 = SimHX711(
        dout=5, sck=6, clock=clock, rng=random.Random(2), grams=lambda: 250.0, power_down_s=1.0
    )  # real clock in a busy process: see SimHX711
    wearable = SimWearable(
        address="C0:FF:EE:00:00:01", clock=clock, motion=synthetic_motion(random.Random(4), 50)
    )
    hardware = Hardware(
        pins=SimPins(hx711, SimButton(pin=17, clock=clock, rng=random.Random(1))),
        ble_connect=wearable.connect_as_central,
    )
    (device,) = await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    config = msgspec.structs.replace(
        agent_config(device, broker.port, tmp_path / "edge"),
        scales=[ScaleSettings(name="milk", url=pty_scale.path, container_g=35.0)],
        load_cells=[
            LoadCellSettings(name="petfood", dout=5, sck=6, offset=84_000, counts_per_gram=420.0)
        ],
        buttons=[ButtonSettings(name="reorder", pin=17)],
        wearables=[WearableSettings(name="wearable", address=wearable.address)],
    )
    checks = await installer.self_test(config, hardware=hardware, clock=clock, timeout_s=5)
    assert {c.name: c.ok for c in checks} == {
        "broker": True,
        "scale milk": True,
        "load cell petfood": True,
        "button reorder": True,
        "wearable wearable": True,
    }, checks  # the details say why, if not
    assert "1030.0 g net" in next(c.detail for c in checks if c.name == "scale milk")

    pty_scale.unplug()
    wrong = msgspec.structs.replace(
        config, mqtt=msgspec.structs.replace(config.mqtt, password="wrong")
    )
    checks = await installer.self_test(wrong, hardware=hardware, clock=clock, timeout_s=3)
    results = {c.name: c.ok for c in checks}
    assert results["broker"] is False
    assert results["scale milk"] is False
    assert results["load cell petfood"] is True, checks  # one failure does not hide the rest


def test_self_test_cli_prints_a_table_and_fails_with_exit_code_1(tmp_path: Path) -> None:
    config = tmp_path / "agent.toml"
    config.write_bytes(
        dump_config(
            msgspec.structs.replace(
                installer_config(tmp_path),
                scales=[ScaleSettings(name="milk", url="/dev/no-such-scale")],
            )
        )
    )
    result = continuo("edge", "self-test", "--config", str(config), "--timeout", "3")
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "cannot open /dev/no-such-scale" in result.stdout
    as_json = continuo("edge", "self-test", "--config", str(config), "--timeout", "3", "--json")
    checks = {c["check"]: c for c in json.loads(as_json.stdout)}
    assert checks["scale milk"]["ok"] is False


def installer_config(tmp_path: Path) -> AgentConfig:
    return AgentConfig(
        site="home-1",
        device_id="pi-1",
        state_dir=str(tmp_path / "state"),
        mqtt=MqttSettings(port=9, username="pi-1", password="x"),
    )


def test_pair_wearable_stores_the_address_and_scanning_without_bluetooth_is_explained(
    tmp_path: Path,
) -> None:
    config = tmp_path / "agent.toml"
    config.write_bytes(dump_config(installer_config(tmp_path)))
    paired = continuo(
        "edge", "pair-wearable", "--config", str(config), "--address", "C0:FF:EE:00:00:01"
    )
    assert paired.returncode == 0, paired.stderr
    assert load_config(config).wearables == [WearableSettings(address="C0:FF:EE:00:00:01")]
    assert (config.stat().st_mode & 0o777) == 0o600  # it holds credentials
    scanned = continuo("edge", "pair-wearable", "--config", str(config), "--scan-s", "1")
    assert scanned.returncode == 1
    assert "Bluetooth" in scanned.stderr


def test_scan_finds_the_printer_on_the_lan(tmp_path: Path) -> None:
    ippeve = Ippeveprinter(tmp_path, announce=True)
    try:
        result = continuo("edge", "scan", "--seconds", "3", "--json")
    finally:
        ippeve.stop()
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # announced on every interface, so the printer is matched by its port and path
    ours = [p for p in found["printers"] if p["uri"].endswith(f":{ippeve.port}/ipp/print")]
    assert ours, (ippeve.port, found["printers"])
    assert all("OfficeJet Pro 8710" in p["make_and_model"] for p in ours)
    assert isinstance(found["serial_ports"], list)


async def test_provision_redeems_a_one_time_token_and_the_new_device_can_log_in(
    db_url: str, broker: Broker, tmp_path: Path
) -> None:
    broker.configure(await accounts(db_url))
    broker.start()
    await open_database(db_url)
    try:
        token = (await issue_token(site="home-9", clock=SystemClock())).token
        expired = (await issue_token(site="home-9", clock=FakeClock(1_000_000_000.0))).token
    finally:
        await close_database()
    config = cloud_config(db_url, broker.port)
    config = msgspec.structs.replace(
        config, broker=msgspec.structs.replace(config.broker, config_dir=str(broker.workdir))
    )
    async with running_cloud(config) as cloud:
        out = tmp_path / "agent.toml"
        args = ("edge", "provision", "--cloud", cloud.url, "--out")
        result = await asyncio.to_thread(
            continuo,
            *args,
            str(out),
            "--token",
            token,
            "--state-dir",
            str(tmp_path / "state"),
            "--id",
            "pi-new",
            "--printer",
            "ipp://192.0.2.1:631/ipp/print",
        )
        assert result.returncode == 0, result.stderr
        agent = load_config(out)
        assert (agent.device_id, agent.site) == ("pi-new", "home-9")
        assert agent.printers[0].uri == "ipp://192.0.2.1:631/ipp/print"
        bare = msgspec.structs.replace(agent, printers=[])

        async def in_broker() -> bool:  # mosquitto rereads its files on SIGHUP
            checks = await installer.self_test(bare, hardware=Hardware(), clock=SystemClock())
            return [(c.name, c.ok) for c in checks] == [("broker", True)]

        await wait_until(in_broker, "the broker takes the new device")

        async with aiohttp.ClientSession() as http:
            for body in (
                b"garbage",
                b'{"token": "short"}',
                b'{"token": "enr_aaaaaaaa", "x": 1}',
                b'{"token": "enr_aaaaaaaa", "device_id": "../../etc"}',
            ):
                async with http.post(f"{cloud.url}/api/v1/provision", data=body) as response:
                    assert response.status == 400, body
                    assert response.content_type == "application/problem+json"

        for used in (token, expired, "enr_made-up-token"):
            again = await asyncio.to_thread(
                continuo, *args, str(tmp_path / "again.toml"), "--token", used
            )
            assert again.returncode == 1
            assert "403" in again.stderr
            assert "unknown, used or expired" in again.stderr


async def _enrolling(db_url: str, broker: Broker, site: str) -> tuple[CloudConfig, str]:
    """A started broker that the cloud reloads, the cloud's config, and a token for `site`."""
    broker.configure(await accounts(db_url))
    broker.start()
    await open_database(db_url)
    try:
        token = (await issue_token(site=site, clock=SystemClock())).token
    finally:
        await close_database()
    config = cloud_config(db_url, broker.port)
    config = msgspec.structs.replace(
        config, broker=msgspec.structs.replace(config.broker, config_dir=str(broker.workdir))
    )
    return config, token


async def test_setup_walks_scan_register_calibrate_and_self_test_and_leaves_a_report(
    db_url: str, broker: Broker, tmp_path: Path, pty_scale: PtyScale
) -> None:
    config, token = await _enrolling(db_url, broker, "home-7")
    ippeve = Ippeveprinter(tmp_path, announce=True)
    try:
        async with running_cloud(config) as cloud:
            out = tmp_path / "agent.toml"
            result = await asyncio.to_thread(
                continuo,
                *("edge", "setup", "--cloud", cloud.url, "--token", token, "--out", str(out)),
                *("--state-dir", str(tmp_path / "state"), "--id", "pi-setup", "--yes"),
                *("--scale", pty_scale.path, "--scan-seconds", "3"),
                "--json",
            )
    finally:
        ippeve.stop()
    agent = load_config(out)
    assert (agent.device_id, agent.site) == ("pi-setup", "home-7")
    ours = [p for p in agent.printers if p.uri.endswith(f":{ippeve.port}/ipp/print")]
    assert len(ours) == 1, agent.printers  # the scan's printer, once
    report = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{")))
    assert report["device_id"] == "pi-setup"
    checks = {c["check"]: c["ok"] for c in report["checks"]}
    assert checks["broker"] is True
    assert checks[f"printer {ours[0].name}"] is True
    assert checks["scale scale"] is True
    (calibration,) = report["calibrations"]  # with --yes no one can place a reference weight
    assert "not calibrated" in calibration
    assert "calibrate-scale --name scale" in calibration
    handed_over = (tmp_path / "setup-report-pi-setup.md").read_text()
    assert "# Continuo installation: pi-setup at home-7" in handed_over
    assert "| broker | PASS |" in handed_over
    assert result.returncode == (0 if report["passed"] else 1), result.stderr


async def test_setup_asks_and_walks_the_installer_through_calibration(
    db_url: str, broker: Broker, tmp_path: Path, pty_scale: PtyScale
) -> None:
    """The questions as a person answers them, with the reference weight put on in step 2/2."""
    config, token = await _enrolling(db_url, broker, "home-8")
    out = tmp_path / "agent.toml"
    async with running_cloud(config) as cloud:
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "continuo", "edge", "setup", "--cloud", cloud.url),
            *("--token", token, "--out", str(out), "--state-dir", str(tmp_path / "state")),
            *("--id", "pi-ask", "--scale", pty_scale.path, "--known-grams", "500"),
            *("--printer", "ipp://192.0.2.1:631/ipp/print", "--scan-seconds", "1"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert proc.stdin is not None
        assert proc.stdout is not None
        said = ""

        async def until(text: str) -> None:
            nonlocal said
            try:
                async with asyncio.timeout(60):
                    while text not in said:
                        chunk = await proc.stdout.read(4096)  # type: ignore[union-attr]
                        assert chunk, f"setup ended before {text!r}: {said}"
                        said += chunk.decode(errors="replace")
            except TimeoutError:
                pytest.fail(f"setup never said {text!r}; it said: {said}")

        async def answer(line: str) -> None:
            proc.stdin.write(line.encode() + b"\n")  # type: ignore[union-attr]
            await proc.stdin.drain()  # type: ignore[union-attr]

        await until("1/2")  # --known-grams: straight to calibrating, step by step
        await until("Press Enter when ready")
        await answer("")
        await until("2/2")
        await until("Press Enter when ready")
        pty_scale.model.content_g += 500.0  # the installer puts the reference weight on
        await answer("")
        async with asyncio.timeout(120):
            rest, _ = await proc.communicate()
        said += rest.decode(errors="replace")
    agent = load_config(out)
    (scale,) = agent.scales
    assert scale.container_g > 0, said  # the empty container was weighed and stored
    report = (tmp_path / "setup-report-pi-ask.md").read_text()
    assert f"container {scale.container_g:g} g, the 500 g reference read within 5 %" in report
    assert "| broker | PASS |" in report
    assert "| scale scale | PASS |" in report
    assert "| printer printer | FAIL |" in report  # nothing answers at 192.0.2.1
    assert proc.returncode == 1, said  # a check failed, and the exit code says so


async def test_setup_fails_when_the_reference_weight_reads_nothing(
    db_url: str, broker: Broker, tmp_path: Path, pty_scale: PtyScale
) -> None:
    """Nothing put on the scale at step 2/2: the calibration fails, and so does the setup."""
    config, token = await _enrolling(db_url, broker, "home-9")
    out = tmp_path / "agent.toml"
    async with running_cloud(config) as cloud:
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "continuo", "edge", "setup", "--cloud", cloud.url),
            *("--token", token, "--out", str(out), "--state-dir", str(tmp_path / "state")),
            *("--id", "pi-empty", "--scale", pty_scale.path, "--known-grams", "500"),
            # a printer named, so printers other tests advertise raise no question
            *("--printer", "ipp://192.0.2.1:631/ipp/print", "--scan-seconds", "1"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with asyncio.timeout(120):  # Enter at both steps, the weight never put on
            said, _ = await proc.communicate(b"\n\n")
    text = said.decode(errors="replace")
    assert proc.returncode == 1, text
    assert "some checks failed" in text
    report = (tmp_path / "setup-report-pi-empty.md").read_text()
    assert "Result: **some checks failed**" in report
    assert "| calibration of scale | FAIL |" in report

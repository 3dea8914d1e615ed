"""The `continuo` command as users run it: exit codes, JSON output and clear errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from common.errors import ContinuoError
from continuo import cli
from edge.cli import ScaleProtocolName
from firmware_sim.cli import ConsumableName, ReportName
from firmware_sim.printer import Report
from firmware_sim.scale import Consumable
from hardware.serial_scale import ScaleProtocol
from tests.support.peers import ROOT, continuo, free_port


@pytest.fixture
def cloud_toml(tmp_path: Path) -> Path:
    path = tmp_path / "cloud.toml"
    result = continuo(
        "cloud",
        "init",
        "--out",
        str(path),
        "--database-url",
        f"sqlite://{tmp_path / 'c.sqlite3'}",
        "--broker-port",
        "18830",
    )
    assert result.returncode == 0, result.stderr
    return path


def test_device_add_prints_credentials_as_json_and_broker_config_grants_only_its_topics(
    cloud_toml: Path, tmp_path: Path
) -> None:
    result = continuo(
        "cloud",
        "device",
        "add",
        "--config",
        str(cloud_toml),
        "--site",
        "home-7",
        "--id",
        "pi-7",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    added = json.loads(result.stdout)
    assert added["device_id"] == "pi-7"
    assert added["mqtt_username"] == "pi-7"
    assert len(added["mqtt_password"]) >= 24
    assert added["mqtt_port"] == 18830

    out = tmp_path / "broker"
    assert (
        continuo(
            "cloud", "broker-config", "--config", str(cloud_toml), "--out", str(out)
        ).returncode
        == 0
    )
    acl = (out / "acl").read_text()
    assert (
        "user pi-7\ntopic write continuo/v1/home-7/pi-7/up/#\n"
        "topic read continuo/v1/home-7/pi-7/down\n" in acl
    )
    passwords = (out / "passwords").read_text()
    assert "pi-7:$7$101$" in passwords
    assert added["mqtt_password"] not in passwords  # only hashes are written
    assert "listener 18830 127.0.0.1" in (out / "mosquitto.conf").read_text()


def test_duplicate_and_invalid_device_ids_are_refused_with_exit_code_2(cloud_toml: Path) -> None:
    assert (
        continuo(
            "cloud", "device", "add", "--config", str(cloud_toml), "--site", "h", "--id", "pi-1"
        ).returncode
        == 0
    )
    again = continuo(
        "cloud", "device", "add", "--config", str(cloud_toml), "--site", "h", "--id", "pi-1"
    )
    assert again.returncode == 2
    assert "already exists" in again.stderr
    bad = continuo("cloud", "device", "add", "--config", str(cloud_toml), "--site", "Bad Site!")
    assert bad.returncode == 2
    assert "site id" in bad.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read config"),
        ("this is = = not toml", "not valid TOML"),
        ('site = "h"\n', "invalid config"),
        (
            (
                'site = "h"\ndevice_id = "d"\nstate_dir = "/tmp"\n[mqtt]\nusername = "d"\n'
                'password = "p"\nport = 99999\n'
            ),
            "invalid config",
        ),
    ],
)
def test_bad_agent_config_is_a_clear_error_with_exit_code_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "agent.toml"
    if content is not None:
        path.write_text(content)
    result = continuo("edge", "run", "--config", str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_probe_printer_reads_the_simulator_and_reports_unreachable_printers() -> None:
    sim = subprocess.Popen(
        [sys.executable, "-m", "continuo", "sim", "printer", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert sim.stdout is not None
        uri = sim.stdout.readline().strip()
        assert uri.startswith("ipp://127.0.0.1:")
        result = continuo("edge", "probe-printer", uri, "--json")
        assert result.returncode == 0, result.stderr
        reading = json.loads(result.stdout)
        assert reading["make"] == "HP"
        assert [s["color"] for s in reading["supplies"]] == ["black", "cyan", "magenta", "yellow"]
        table = continuo("edge", "probe-printer", uri)
        assert "Black Cartridge HP 952" in table.stdout
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    dead = continuo("edge", "probe-printer", "ipp://127.0.0.1:9/ipp/print", "--timeout", "2")
    assert dead.returncode == 1
    assert "unreachable" in dead.stderr
    wrong = continuo("edge", "probe-printer", "http://example.invalid/")
    assert wrong.returncode == 2


def test_demo_tells_the_whole_story_and_stops_everything_it_started(
    tmp_path: Path,
) -> None:
    with socket.socket() as busy:  # someone else already uses the port asked for
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        result = continuo(
            "demo",
            "--workdir",
            str(tmp_path / "demo"),
            "--http-port",
            str(taken),
            "--duration",
            "60",
            "--pages-per-minute",
            "240",
            "--fall-after",
            "15",
            timeout=150,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"port {taken} is taken" in out
    assert "Dashboard: http://127.0.0.1:" in out
    assert "F6U15AN for Black Cartridge HP 952 (printer): held" in out  # undoable at first
    assert "F6U15AN for Black Cartridge HP 952 (printer): placed" in out
    assert "runs out in" in out
    assert "delivered" in out
    assert "installed" in out
    for told in (
        "Cyan Cartridge HP 952 (printer): curated offering",  # the four experiences
        "Magenta Cartridge HP 952 (printer): coach behavior",
        "Yellow Cartridge HP 952 (printer): respond to desire",
        "reminder to the customer:",
        "PET-7KG for Pet food: held",  # the reorder button, then an undo
        "PET-7KG for Pet food: cancelled",
        "alert: fall",  # the wearable's fall climbs the ladder and is acknowledged
        "told the alarm centre by webhook (delivered",
        "told the caregiver by sms (delivered",
        "the caregiver acknowledged it",
        "stopped everything it started",
    ):
        assert told in out, (told, out)
    left = subprocess.run(
        ["pgrep", "-f", str(tmp_path / "demo")], capture_output=True, text=True, check=False
    )
    assert left.stdout == "", left.stdout  # mosquitto, the backend and the site are gone


def test_operators_manage_users_devices_tls_and_a_customers_data(
    cloud_toml: Path, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"  # init's default: by the config
    config = ["--config", str(cloud_toml)]
    added = continuo("cloud", "device", "add", *config, "--site", "home-7", "--id", "pi-7")
    assert added.returncode == 0, added.stderr
    user = continuo(
        "cloud",
        "user",
        "add",
        *config,
        "--username",
        "ana",
        "--role",
        "customer",
        "--customer",
        "home-7",
    )
    assert user.returncode == 0, user.stderr
    assert "password (shown once)" in user.stdout
    bad = continuo("cloud", "user", "add", *config, "--username", "x", "--role", "king")
    assert bad.returncode == 2
    token = continuo("cloud", "user", "token", *config, "--username", "ana")
    assert token.returncode == 0, token.stderr
    assert len(token.stdout.strip()) >= 40
    rotated = continuo("cloud", "device", "rotate", *config, "--id", "pi-7")
    assert rotated.returncode == 0, rotated.stderr
    assert "shown once" in rotated.stdout
    tls = continuo("cloud", "broker-config", *config, "--out", str(tmp_path / "b"), "--tls")
    assert tls.returncode == 0, tls.stderr
    assert "certfile" in (tmp_path / "b" / "mosquitto.conf").read_text()
    exported = continuo("cloud", "export", *config, "--customer", "home-7")
    assert exported.returncode == 0, exported.stderr
    (written,) = exports.glob("home-7-*.json")
    assert json.loads(written.read_text())["devices"][0]["id"] == "pi-7"
    refused = continuo("cloud", "erase", *config, "--customer", "home-7", "--by", "ops")
    assert refused.returncode == 2
    erased = continuo("cloud", "erase", *config, "--customer", "home-7", "--by", "ops", "--yes")
    assert erased.returncode == 0, erased.stderr
    assert not written.exists()
    listed = continuo("cloud", "device", "list", *config, "--json")
    assert json.loads(listed.stdout) == []


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (
            ("edge", "probe-printer", "ipp://127.0.0.1:99999999/ipp/print", "--timeout", "2"),
            2,
            "error: not a printer URI: ipp://127.0.0.1:99999999/ipp/print (Port out of range",
        ),
        (
            ("cloud", "init", "--out", "{tmp}/missing/cloud.toml"),
            2,
            "error: no directory {tmp}/missing; create it first",
        ),
        (
            ("cloud", "init", "--out", "{tmp}/m.toml", "--database-url", "mysql://u@h/db"),
            2,
            "error: --database-url: unsupported database URL scheme 'mysql'",
        ),
        (
            ("cloud", "broker-config", "--config", "{config}", "--out", "{config}"),
            2,
            "error: cannot write {config}: File exists",
        ),
        (
            ("cloud", "broker-config", "--config", "{config}", "--out", "/proc/continuo/broker"),
            2,
            "error: cannot write /proc/continuo: ",
        ),
        (
            (
                *("cloud", "user", "add", "--config", "{config}", "--username", "bo"),
                *("--role", "customer", "--customer", "nobody"),
            ),
            2,
            "error: no customer 'nobody'",
        ),
        (
            (
                "cloud",
                "escalation",
                "--config",
                "{config}",
                "--customer",
                "nobody",
                "--step",
                "alarm_centre=0:webhook:https://alarm.example/hook",
            ),
            2,
            "error: no customer 'nobody'",
        ),
        (
            (
                "cloud",
                "escalation",
                "--config",
                "{config}",
                "--customer",
                "c",
                "--step",
                "boss=0:sms:+15551234567",
            ),
            2,
            "error: step 'boss=0:sms:+15551234567': who must be one of customer, caregiver, alarm_centre, other",
        ),
        (
            ("cloud", "serve", "--config", "{mysql}"),
            2,
            "error: invalid config {mysql}: database_url: unsupported database URL scheme 'mysql'",
        ),
        (
            ("demo", "--fall-recording", "{tmp}/no-such-recording.txt"),
            2,
            "error: {tmp}/no-such-recording.txt is not a SisFall recording file",
        ),
        (
            ("sim", "site", "--config", "{tmp}/no-agent.toml"),
            2,
            "error: cannot read config {tmp}/no-agent.toml: No such file or directory",
        ),
        (
            (
                "edge",
                "setup",
                "--cloud",
                "http://127.0.0.1:9",
                "--token",
                "enr_x",
                "--out",
                "{config}",
            ),
            2,
            "error: {config} exists; move it away to set up again",
        ),
        (
            ("bench", "chaos", "--fault", "broker-kill", "--fault", "meteor"),
            2,
            "error: --fault takes broker-kill, worker-kill, db-lock, disk-full, link-cut",
        ),
        (
            ("bench", "chaos", "--database", "mysql"),
            2,
            "error: --database takes postgres or sqlite, not 'mysql'",
        ),
        (
            ("bench", "fleet", "--update", "{tmp}/missing/BENCHMARKS.md"),
            2,
            "error: --update: no directory {tmp}/missing",
        ),
        (
            ("edge", "run", "--config", "{agent}"),
            2,
            # rich markup would eat the [a-z0-9]
            "error: invalid config {agent}: Expected `str` matching regex '^[a-z0-9][a-z0-9-]{{0,62}}$'",
        ),
    ],
)
def test_user_errors_are_one_line_with_the_documented_exit_code(
    cloud_toml: Path, tmp_path: Path, args: tuple[str, ...], exit_code: int, message: str
) -> None:
    mysql = tmp_path / "mysql.toml"
    mysql.write_text(
        cloud_toml.read_text().replace("database_url = ", 'database_url = "mysql://u@h/db"\n#', 1)
    )
    agent = tmp_path / "agent.toml"
    agent.write_text(
        'site = "h"\ndevice_id = "Bad Id"\nstate_dir = "/tmp"\n[mqtt]\nusername = "d"\n'
        'password = "p"\n'
    )
    names = {"tmp": tmp_path, "config": cloud_toml, "mysql": mysql, "agent": agent}
    result = continuo(*(a.format(**names) for a in args))
    assert result.returncode == exit_code, result.stderr
    assert result.stderr.startswith(message.format(**names)), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_1(cloud_toml: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        cloud_toml.write_text(cloud_toml.read_text().replace("port = 8080", f"port = {taken}"))
        result = continuo("cloud", "serve", "--config", str(cloud_toml))
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: cannot serve on http://127.0.0.1:{taken}/: Address already in use "
        "(set [http] port in the config)\n"
    )


def test_help_keeps_brackets_and_colons_and_shows_flags_as_flags() -> None:
    escalation = continuo("cloud", "escalation", "--help")
    assert "0:email:ana@example.org" in escalation.stdout  # not an emoji
    probe = continuo("edge", "probe-printer", "--help")
    assert "--json " in probe.stdout
    assert "<bool>" not in probe.stdout


def test_help_imports_no_command_s_dependencies() -> None:
    heavy = {"aiohttp", "tortoise", "aerich", "numba", "numpy", "pyipp", "serial", "msgspec"}
    code = (
        "import sys\nfrom continuo.cli import main\nsys.argv = ['continuo', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r}), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stderr.strip() == "[]"


def test_the_cli_s_choices_are_the_drivers_and_simulators_values() -> None:
    assert get_args(ScaleProtocolName) == tuple(p.value for p in ScaleProtocol)
    assert get_args(ReportName) == tuple(r.value for r in Report)
    assert get_args(ConsumableName) == tuple(c.value for c in Consumable)


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (ContinuoError("no [broker]\nsection"), "error: no [broker] section\n"),
        (FileNotFoundError(2, "No such file or directory", "x.toml"), "error: x.toml: No such"),
        (RuntimeError("boom"), "error: unexpected RuntimeError: boom (run with CONTINUO_DEBUG=1"),
    ],
)
def test_the_entry_point_turns_what_escapes_a_command_into_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: Exception, line: str
) -> None:
    def failing() -> None:
        raise error

    monkeypatch.delenv("CONTINUO_DEBUG", raising=False)
    monkeypatch.setattr(cli, "app", failing)
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith(line)
    monkeypatch.setenv("CONTINUO_DEBUG", "1")
    with pytest.raises(type(error)):
        cli.main()


def test_first_run_init_names_the_broker_and_exports_dirs_and_serve_asks_for_an_operator(
    tmp_path: Path,
) -> None:
    config = tmp_path / "cloud.toml"
    init = continuo(
        *("cloud", "init", "--out", str(config), "--http-port", str(free_port())),
        *("--database-url", f"sqlite://{tmp_path / 'c.sqlite3'}"),
    )
    assert init.returncode == 0, init.stderr
    assert f"continuo cloud user add --config {config} --username admin --role operator" in (
        init.stdout
    )
    assert (tmp_path / "exports").is_dir()
    broker = continuo("cloud", "broker-config", "--config", str(config))  # into config_dir
    assert broker.returncode == 0, broker.stderr
    assert (tmp_path / "broker" / "mosquitto.conf").is_file()
    serve = subprocess.Popen(
        [sys.executable, "-m", "continuo", "cloud", "serve", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert serve.stdout is not None
        first = serve.stdout.readline()
    finally:
        serve.terminate()
        serve.wait(timeout=15)
    assert first.startswith("no one can log in yet; add the first operator with: continuo cloud")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (
            "postgres://postgres:hunter22@127.0.0.1:{port}/continuo",
            "error: cannot reach the database postgres://postgres@127.0.0.1:{port}/continuo:",
        ),
        (
            "postgres://postgres@127.0.0.1:5432/no_such_db_here",
            (
                "error: PostgreSQL at 127.0.0.1:5432 has no database 'no_such_db_here': create it "
                "(createdb -h 127.0.0.1 -p 5432 -U postgres no_such_db_here)"
            ),
        ),
        ("sqlite://{tmp}/missing/c.sqlite3", "error: the SQLite database's folder {tmp}/missing"),
    ],
)
def test_a_database_that_cannot_be_reached_is_named_with_what_to_check(
    cloud_toml: Path, tmp_path: Path, url: str, says: str
) -> None:
    names = {"port": free_port(), "tmp": tmp_path}
    text = cloud_toml.read_text().splitlines()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "\n".join(
            f'database_url = "{url.format(**names)}"' if line.startswith("database_url") else line
            for line in text
        )
    )
    result = continuo(
        "cloud",
        "escalation",
        "-c",
        str(bad),
        "--customer",
        "nobody",
        "--step",
        "0:sms:+15551234567",
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(says.format(**names)), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "hunter22" not in result.stderr


async def test_on_the_broker_cloud_init_writes_no_device_takes_another_devices_session(
    tmp_path: Path,
) -> None:
    import aiomqtt  # noqa: PLC0415

    from common import topics  # noqa: PLC0415
    from common.topics import UplinkKind  # noqa: PLC0415
    from continuo.stack import Processes, find_mosquitto, wait_for_port  # noqa: PLC0415

    config, devices, clouds = tmp_path / "cloud.toml", free_port(), free_port()
    made = continuo(
        "cloud", "init", "--out", str(config),
        "--database-url", f"sqlite://{tmp_path / 'c.sqlite3'}",
        "--broker-port", str(devices), "--cloud-broker-port", str(clouds),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    creds = {}
    for device in ("pi-1", "pi-2"):
        added = continuo(
            "cloud", "device", "add", "--config", str(config),
            "--site", f"home-{device}", "--id", device, "--json",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        creds[device] = json.loads(added.stdout)
    written = continuo("cloud", "broker-config", "--config", str(config))
    assert written.returncode == 0, written.stderr
    conf = tmp_path / "broker" / "mosquitto.conf"
    text = conf.read_text()
    assert f"listener {devices} 127.0.0.1" in text
    assert f"listener {clouds} 127.0.0.1" in text
    with Processes() as procs:
        procs.start([find_mosquitto(), "-c", str(conf)], tmp_path / "mosquitto.log")
        wait_for_port(devices)
        victim, thief = creds["pi-2"], creds["pi-1"]

        def client(who: dict[str, str], identifier: str) -> aiomqtt.Client:
            return aiomqtt.Client(
                "127.0.0.1",
                devices,
                username=who["mqtt_username"],
                password=who["mqtt_password"],
                identifier=identifier,
                protocol=aiomqtt.ProtocolVersion.V5,
            )

        up = topics.uplink("home-pi-2", "pi-2", UplinkKind.EVENT)
        async with client(victim, "pi-2") as pi2:
            async with client(thief, "pi-2") as stolen:  # pi-2's id, pi-1's account
                await stolen.publish(topics.uplink("home-pi-1", "pi-1", UplinkKind.EVENT), b"{}")
            await pi2.publish(up, b"{}", qos=1)  # still connected: acknowledged
    assert "pi-2 already connected" not in (tmp_path / "mosquitto.log").read_text()

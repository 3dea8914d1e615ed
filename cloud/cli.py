"""`continuo cloud ...`: run the backend and operate it."""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from common.clock import SystemClock, utc

if TYPE_CHECKING:
    from cloud.alerts.receivers import StepOut
    from cloud.config import CloudConfig

app = typer.Typer(
    help="The cloud backend: serve, register devices, configure the broker.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
device_app = typer.Typer(
    help="Register and list devices.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(device_app, name="device")
user_app = typer.Typer(
    help="People who log in, and API tokens.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(user_app, name="user")
err = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)
out = Console(soft_wrap=True, emoji=False)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="Backend config file (TOML).")]
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _load(path: Path) -> CloudConfig:
    from cloud.config import ConfigError, load_config  # noqa: PLC0415

    try:
        config = load_config(path)
        _check_database_url(config.database_url, f"invalid config {path}: database_url")
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    return config


def _check_database_url(url: str, where: str) -> None:
    """Refuse, before anything is written or served, a database the backend cannot use."""
    from cloud.config import ConfigError  # noqa: PLC0415
    from cloud.store.db import dialect  # noqa: PLC0415

    try:
        dialect(url)
    except ValueError as exc:
        msg = f"{where}: {exc}"
        raise ConfigError(msg) from exc


@app.command()
def init(
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the config.")],
    database_url: Annotated[str, typer.Option("--database-url")] = "sqlite://continuo.sqlite3",
    broker_port: Annotated[
        int, typer.Option(min=1, max=65535, help="The broker's port for devices.")
    ] = 1883,
    cloud_broker_port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="The broker's own listener for the cloud (loopback; default: --broker-port + 1).",
        ),
    ] = None,
    http_port: Annotated[int, typer.Option(min=0, max=65535)] = 8080,
    broker_dir: Annotated[
        Path | None,
        typer.Option(
            help="The broker's files, rewritten on each new device (default: broker/ by --out)."
        ),
    ] = None,
    exports_dir: Annotated[
        Path | None, typer.Option(help="Where exports are written (default: exports/ by --out).")
    ] = None,
) -> None:
    """Write a new backend config with a fresh password for the cloud's broker account.

    The broker it describes is secure by default: devices on their own listener, where each
    device's client id is its account (no device can take another's session), and the cloud
    on a listener of its own on loopback. It names a directory for the broker's files, so that a new device can log in at once,
    and one for exports; both are made. Prints what to do next.

    Example: continuo cloud init --out /etc/continuo/cloud.toml
    --database-url postgres://continuo@127.0.0.1/continuo
    """
    import shlex  # noqa: PLC0415

    from cloud.config import (  # noqa: PLC0415
        BrokerSettings,
        CloudConfig,
        ConfigError,
        HttpSettings,
        dump_config,
    )

    if out_path.exists():
        err.print(f"[red]error:[/red] {escape(str(out_path))} exists; not overwriting it")
        raise typer.Exit(EXIT_USAGE)
    if not out_path.parent.is_dir():
        err.print(f"[red]error:[/red] no directory {escape(str(out_path.parent))}; create it first")
        raise typer.Exit(EXIT_USAGE)
    try:
        _check_database_url(database_url, "--database-url")
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    if cloud_broker_port == broker_port:
        err.print("[red]error:[/red] --cloud-broker-port must differ from --broker-port")
        raise typer.Exit(EXIT_USAGE)
    broker_dir = (broker_dir or out_path.parent / "broker").absolute()
    exports_dir = (exports_dir or out_path.parent / "exports").absolute()
    config = CloudConfig(
        database_url=database_url,
        broker=BrokerSettings(
            port=cloud_broker_port or broker_port % 65535 + 1,
            device_port=broker_port,
            password=secrets.token_urlsafe(24),
            config_dir=str(broker_dir),
        ),
        http=HttpSettings(port=http_port),
        exports_dir=str(exports_dir),
    )
    try:
        broker_dir.mkdir(parents=True, exist_ok=True)  # mosquitto's own user reads it
        exports_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        out_path.write_bytes(dump_config(config))
        out_path.chmod(0o600)
    except OSError as exc:
        err.print(
            f"[red]error:[/red] cannot write {escape(str(exc.filename or out_path))}: "
            f"{exc.strerror or exc}"
        )
        raise typer.Exit(EXIT_USAGE) from exc
    c = shlex.quote(str(out_path))
    print(
        f"wrote {out_path}\nnext:\n"
        f"  continuo cloud broker-config --config {c}\n"
        f"  mosquitto -c {shlex.quote(str(broker_dir / 'mosquitto.conf'))} -d\n"
        f"  continuo cloud user add --config {c} --username admin --role operator\n"
        f"  continuo cloud serve --config {c}"
    )


class RedactSqlValues(logging.Filter):
    """Keep the ORM's SQL statements in the log, never the values bound to them.

    At DEBUG, tortoise logs every statement with its parameters (password hashes, token
    digests, CSRF tokens) and its connection parameters (the database password); aiosqlite
    logs each call with its arguments.
    """

    DATABASE_LOGGERS = ("tortoise", "aiosqlite", "asyncpg")

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite a database record's arguments in place; every record is kept."""
        if (
            record.name.startswith(self.DATABASE_LOGGERS)
            and isinstance(record.args, tuple)
            and record.args
        ):
            if record.msg == "%s: %s":  # statement: values
                record.args = (record.args[0], "[values redacted]")
            else:
                record.args = tuple("[redacted]" for _ in record.args)
        return True


@app.command()
def serve(config_path: ConfigOption, verbose: bool = False) -> None:
    """Run the API, the dashboard and MQTT ingest."""
    import asyncio  # noqa: PLC0415
    import errno  # noqa: PLC0415
    import os  # noqa: PLC0415
    import shlex  # noqa: PLC0415

    from cloud.app import create_app  # noqa: PLC0415 (heavy; only this command needs it)
    from cloud.serve import serve as serve_app  # noqa: PLC0415

    config = _load(config_path)
    handler = logging.StreamHandler()
    handler.addFilter(RedactSqlValues())
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[handler],
    )
    url = f"http://{config.http.host}:{config.http.port}/"
    try:
        _check_port_free(config.http.host, config.http.port)  # before anything starts
        if not asyncio.run(_anyone_can_log_in(config.database_url)):
            print(
                "no one can log in yet; add the first operator with: continuo cloud user add "
                f"--config {shlex.quote(str(config_path))} --username admin --role operator",
                flush=True,
            )

        async def run() -> None:
            await serve_app(
                create_app(config),
                config.http,
                started=lambda: out.print(f"dashboard: {url}", highlight=False),
            )

        asyncio.run(run())
    except OSError as exc:
        if exc.errno not in {errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL}:
            raise
        reason = f"cannot serve on {url}: {os.strerror(exc.errno)} (set [http] port in the config)"
        err.print(f"[red]error:[/red] {escape(reason)}")
        raise typer.Exit(EXIT_FAILURE) from exc


async def _anyone_can_log_in(database_url: str) -> bool:
    from cloud.store.db import database  # noqa: PLC0415
    from cloud.store.models import User  # noqa: PLC0415

    async with database(database_url):
        return await User.filter(disabled=False).exists()


def _check_port_free(host: str, port: int) -> None:
    """Raise the OSError that binding (host, port) would raise, before the app starts."""
    import socket  # noqa: PLC0415

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host, port), family=family):
        pass


@app.command("migrate")
def migrate_command(config_path: ConfigOption) -> None:
    """Create or upgrade the database schema."""
    import asyncio  # noqa: PLC0415

    from cloud.store.db import migrate  # noqa: PLC0415

    config = _load(config_path)
    asyncio.run(migrate(config.database_url))
    out.print("database is up to date")


@device_app.command("add")
def device_add(
    config_path: ConfigOption,
    site: Annotated[str, typer.Option(help="Site id (created if new).")],
    device_id: Annotated[
        str | None, typer.Option("--id", help="Device id (generated if absent).")
    ] = None,
    customer: Annotated[
        str | None, typer.Option(help="Customer id (defaults to the site id).")
    ] = None,
    auto_replenish: Annotated[
        bool, typer.Option(help="Customer authorizes automatic orders.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Register a device; prints its id and MQTT credentials (the password only this once)."""
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from cloud.identity.registry import RegistryError, add_device  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    config = _load(config_path)

    async def run() -> dict[str, str | int]:
        async with database(config.database_url):
            new = await add_device(
                site=site, device_id=device_id, customer=customer, auto_replenish=auto_replenish
            )
        return {
            "device_id": new.device_id,
            "site": new.site,
            "customer": new.customer,
            "mqtt_username": new.username,
            "mqtt_password": new.password,
            "mqtt_host": config.broker.host,
            "mqtt_port": config.broker.devices_port,
        }

    try:
        result = asyncio.run(run())
    except RegistryError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    if as_json:
        print(json.dumps(result))
        return
    table = Table(title="New device (the password is shown only once)")
    for key in ("device_id", "site", "customer", "mqtt_username", "mqtt_password"):
        table.add_row(key, str(result[key]))
    out.print(table)
    out.print("Run [bold]continuo cloud broker-config[/bold] so the broker knows it.")


@device_app.command("rotate")
def device_rotate(
    config_path: ConfigOption, device_id: Annotated[str, typer.Option("--id")]
) -> None:
    """Give a device a new broker password (printed once); the old one stops working."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.provisioning import refresh_broker  # noqa: PLC0415
    from cloud.identity.registry import RegistryError, rotate_password  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    config = _load(config_path)

    async def run() -> tuple[str, bool]:
        async with database(config.database_url):
            password = await rotate_password(device_id)
            return password, await refresh_broker(config.broker)

    try:
        password, reloaded = asyncio.run(run())
    except RegistryError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc
    out.print(f"new password for {device_id} (shown once): [bold]{password}[/bold]")
    if not reloaded:
        out.print("rewrite the broker config (broker-config) and send Mosquitto SIGHUP")


@device_app.command("revoke")
def device_revoke(
    config_path: ConfigOption, device_id: Annotated[str, typer.Option("--id")]
) -> None:
    """Take a device's broker access away, without restarting the broker."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.provisioning import refresh_broker  # noqa: PLC0415
    from cloud.identity.registry import RegistryError, revoke  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    config = _load(config_path)

    async def run() -> bool:
        async with database(config.database_url):
            await revoke(device_id)
            return await refresh_broker(config.broker)

    try:
        reloaded = asyncio.run(run())
    except RegistryError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc
    out.print(f"revoked {device_id}")
    if not reloaded:
        out.print("rewrite the broker config (broker-config) and send Mosquitto SIGHUP")


@device_app.command("list")
def device_list(
    config_path: ConfigOption, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """List devices that may connect."""
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from cloud.identity.registry import device_accounts  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    config = _load(config_path)

    async def run() -> list[dict[str, str]]:
        async with database(config.database_url):
            return [{"device_id": a.device_id, "site": a.site} for a in await device_accounts()]

    rows = asyncio.run(run())
    if as_json:
        print(json.dumps(rows))
        return
    table = Table("device", "site")
    for row in rows:
        table.add_row(row["device_id"], row["site"])
    out.print(table)


@app.command("broker-config")
def broker_config(
    config_path: ConfigOption,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Directory for mosquitto.conf, passwords, acl (default: [broker] config_dir).",
        ),
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Listener port (default: the config's).")
    ] = None,
    tls: Annotated[
        bool, typer.Option("--tls", help="TLS only, with a project CA made in OUT/tls once.")
    ] = False,
    bind: Annotated[str, typer.Option(help="The address the broker listens on.")] = "127.0.0.1",
) -> None:
    """Write a Mosquitto config in which each device may use only its own topics."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.broker_config import write_broker_config  # noqa: PLC0415
    from cloud.identity.registry import device_accounts  # noqa: PLC0415
    from cloud.identity.tls import ensure_tls  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    config = _load(config_path)
    if out_dir is None:
        if config.broker.config_dir is None:
            err.print("[red]error:[/red] give --out, or set \\[broker] config_dir in the config")
            raise typer.Exit(EXIT_USAGE)
        out_dir = Path(config.broker.config_dir)
    names = list(
        dict.fromkeys(
            [config.broker.public_host or config.broker.host, "localhost", "127.0.0.1", bind]
        )
    )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        files_tls = ensure_tls(out_dir / "tls", names=names) if tls else None
    except OSError as exc:
        _cannot_write(out_dir, exc)

    async def run() -> Path:
        async with database(config.database_url):
            accounts = await device_accounts()
        files = write_broker_config(
            out_dir,
            port=port or config.broker.devices_port,
            cloud_port=None if config.broker.device_port is None else config.broker.port,
            cloud_user=config.broker.username,
            cloud_password=config.broker.password,
            devices=accounts,
            bind=bind,
            tls=files_tls,
        )
        return files.config

    try:
        path = asyncio.run(run())
    except OSError as exc:
        _cannot_write(out_dir, exc)
    out.print(f"wrote {escape(str(path))}; start it with: mosquitto -c {escape(str(path))}")
    if files_tls is not None:
        out.print(
            escape(
                f"TLS only. Devices and the backend trust {files_tls.ca_cert} "
                "([mqtt] tls = true, ca_file = ...; [broker] ca_file = ...)."
            )
        )


def _cannot_write(out_dir: Path, exc: OSError) -> NoReturn:
    where = exc.filename or out_dir
    err.print(f"[red]error:[/red] cannot write {escape(str(where))}: {exc.strerror or exc}")
    raise typer.Exit(EXIT_USAGE) from exc


@app.command("installer-token")
def installer_token(
    config_path: ConfigOption,
    site: Annotated[str, typer.Option(help="The site the installer is setting up.")],
    hours: Annotated[float, typer.Option(min=0.1, max=24 * 30, help="Valid for this long.")] = 24.0,
    auto_replenish: Annotated[
        bool, typer.Option(help="Customer authorizes automatic orders.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue a one-time enrollment token for `continuo edge provision` (shown only once)."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.provisioning import issue_token  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415
    from common.clock import SystemClock  # noqa: PLC0415
    from common.errors import ContinuoError  # noqa: PLC0415

    config = _load(config_path)

    async def run() -> dict[str, str]:
        async with database(config.database_url):
            issued = await issue_token(
                site=site, clock=SystemClock(), hours=hours, auto_replenish=auto_replenish
            )
        return {
            "token": issued.token,
            "site": issued.site,
            "expires_at": issued.expires_at.isoformat(timespec="seconds"),
        }

    try:
        result = asyncio.run(run())
    except ContinuoError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    if as_json:
        print(json.dumps(result))
        return
    out.print(
        f"token for site {result['site']}, valid until {result['expires_at']}, "
        f"usable once:\n[bold]{result['token']}[/bold]"
    )


@app.command()
def escalation(
    config_path: ConfigOption,
    customer: Annotated[str, typer.Option(help="The customer whose receivers these are.")],
    step: Annotated[
        list[str],
        typer.Option(
            help="[WHO=]AFTER_S:CHANNEL:TARGET, e.g. alarm_centre=0:webhook:https://..., caregiver=300:sms:+15551234567, customer=0:email:ana@example.org; WHO is customer, caregiver, alarm_centre or other; repeat in order."
        ),
    ],
) -> None:
    """Set a household's receivers: who is told of emergencies, warnings and reminders, how and when.

    Staff may set any target (this command is the operator's own tool). A new webhook's
    signing secret is printed once.
    """
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from cloud.alerts.receivers import LadderError, parse_step, set_ladder  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415
    from cloud.store.models import Customer  # noqa: PLC0415

    config = _load(config_path)
    try:
        steps = [parse_step(s) for s in step]

        async def run() -> list[StepOut]:
            async with database(config.database_url):
                if not await Customer.exists(id=customer):
                    raise LadderError(f"no customer {customer!r}")  # noqa: TRY301
                return await set_ladder(
                    customer, steps, trusted=True, max_steps=config.alerts.max_ladder_steps
                )

        shown = asyncio.run(run())
    except LadderError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    table = Table("after", "who", "gets", "channel", "target", title=f"receivers of {customer}")
    for s in shown:
        table.add_row(
            f"{s.after_s:g} s", s.who.value, ", ".join(g.value for g in s.gets), s.channel, s.target
        )
    out.print(table)
    for s in shown:
        if s.secret:
            out.print(f"signing secret of step {s.position + 1} (shown once): {s.secret}")


@user_app.command("add")
def user_add(
    config_path: ConfigOption,
    username: Annotated[str, typer.Option(help="The login name.")],
    role: Annotated[str, typer.Option(help="operator, installer, customer or caregiver.")],
    customer: Annotated[
        str | None, typer.Option(help="The household of a customer or caregiver.")
    ] = None,
    site: Annotated[list[str] | None, typer.Option(help="An installer's site; repeat.")] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="CONTINUO_PASSWORD", help="Default: a generated one, printed once."),
    ] = None,
) -> None:
    """Add a user who logs in to the dashboard and the API."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.users import AuthError, Role, create_user  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415
    from cloud.store.models import Customer  # noqa: PLC0415
    from common.errors import ContinuoError  # noqa: PLC0415

    config = _load(config_path)
    try:
        chosen = Role(role)
    except ValueError:
        err.print(f"[red]error:[/red] role must be one of {', '.join(r.value for r in Role)}")
        raise typer.Exit(EXIT_USAGE) from None
    secret = password or secrets.token_urlsafe(12)

    async def run() -> None:
        async with database(config.database_url):
            if customer is not None and not await Customer.exists(id=customer):
                msg = (
                    f"no customer {customer!r}; a customer is made with their first device "
                    "(continuo cloud device add --site S --customer C)"
                )
                raise ContinuoError(msg)
            await create_user(
                username, secret, role=chosen, customer_id=customer, sites=list(site or [])
            )

    try:
        asyncio.run(run())
    except (AuthError, ContinuoError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    out.print(f"added {chosen.value} {username}")
    if password is None:
        out.print(f"password (shown once): [bold]{secret}[/bold]")


@user_app.command("token")
def user_token(
    config_path: ConfigOption,
    username: Annotated[str, typer.Option(help="Whose token.")],
    days: Annotated[float, typer.Option(min=0.01, max=366)] = 90.0,
) -> None:
    """An API token for a user (Authorization: Bearer ...), printed once."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.users import Authenticator  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415
    from cloud.store.models import User  # noqa: PLC0415
    from common.clock import SystemClock  # noqa: PLC0415

    config = _load(config_path)

    async def run() -> str | None:
        async with database(config.database_url):
            user = await User.get_or_none(username=username, disabled=False)
            if user is None:
                return None
            token, _ = await Authenticator(clock=SystemClock()).issue(
                user, kind="api", seconds=days * 86_400
            )
            return token

    token = asyncio.run(run())
    if token is None:
        err.print(f"[red]error:[/red] no user {username!r}")
        raise typer.Exit(EXIT_FAILURE)
    out.print(token)


@app.command("export")
def export_command(
    config_path: ConfigOption,
    customer: Annotated[str, typer.Option(help="Whose data.")],
) -> None:
    """Write everything held about a customer to the exports directory (JSON)."""
    import asyncio  # noqa: PLC0415

    import msgspec  # noqa: PLC0415

    from cloud.privacy import data_rights  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    config = _load(config_path)
    if config.exports_dir is None:
        err.print("[red]error:[/red] set exports_dir in the config (erasure cleans it up)")
        raise typer.Exit(EXIT_USAGE)
    now = utc(SystemClock().now())

    async def run() -> dict[str, object]:
        async with database(config.database_url):
            return await data_rights.export(customer, now=now)

    try:
        document = asyncio.run(run())
    except data_rights.DataRightsError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc
    path = data_rights.export_path(Path(config.exports_dir), customer, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msgspec.json.encode(document))
    path.chmod(0o600)
    out.print(f"wrote {path}")


@app.command("erase")
def erase_command(
    config_path: ConfigOption,
    customer: Annotated[str, typer.Option(help="Whose data.")],
    by: Annotated[str, typer.Option(help="Who asked for it (kept in the erasure record).")],
    yes: Annotated[bool, typer.Option("--yes", help="Really erase; it cannot be undone.")] = False,
) -> None:
    """Erase a customer: their data, devices (credentials), exports; keep a record of it."""
    import asyncio  # noqa: PLC0415

    from cloud.identity.provisioning import refresh_broker  # noqa: PLC0415
    from cloud.privacy import data_rights  # noqa: PLC0415
    from cloud.store.db import database  # noqa: PLC0415

    if not yes:
        err.print("[red]error:[/red] erasure cannot be undone; add --yes")
        raise typer.Exit(EXIT_USAGE)
    config = _load(config_path)
    exports = Path(config.exports_dir) if config.exports_dir else None

    async def run() -> dict[str, int]:
        async with database(config.database_url):
            record = await data_rights.erase(
                customer, by=by, now=utc(SystemClock().now()), exports_dir=exports
            )
            await refresh_broker(config.broker)
            return dict(record.removed)

    try:
        removed = asyncio.run(run())
    except data_rights.DataRightsError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILURE) from exc
    out.print(f"erased {customer}: {json.dumps(removed)}")

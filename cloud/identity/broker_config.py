"""Mosquitto configuration owned by the cloud: per-device accounts and ACLs.

Each device may publish only under ``continuo/v1/{site}/{device}/up/#`` and read only its
own ``.../down`` topic; the cloud's account reads every uplink and writes every downlink.
Passwords are stored in Mosquitto's own ``$7$`` format (PBKDF2-SHA512), so no plaintext
password is ever written.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cloud.identity.tls import TlsFiles
from common import topics
from common.messages import MAX_PAYLOAD_BYTES

_ITERATIONS = 101
_SALT_BYTES = 12


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A password hash in mosquitto_passwd's ``$7$`` format."""
    salt = salt or os.urandom(_SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, _ITERATIONS)
    return f"$7${_ITERATIONS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True if `password` matches a ``$7$`` hash."""
    try:
        _, kind, iterations, salt, digest = stored.split("$")
        if kind != "7":
            return False
        got = hashlib.pbkdf2_hmac(
            "sha512", password.encode(), base64.b64decode(salt), int(iterations)
        )
        return hmac.compare_digest(got, base64.b64decode(digest))
    except ValueError:
        return False


def new_password() -> str:
    """A fresh random password for a device."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class DeviceAccount:
    """What the broker needs to know about one device."""

    device_id: str
    site: str
    password_hash: str


@dataclass(frozen=True, slots=True)
class BrokerFiles:
    """Paths of a written broker configuration."""

    config: Path
    passwords: Path  # the device listener's accounts (and the cloud's, on a shared listener)
    acl: Path
    cloud_passwords: Path | None = None  # the cloud's own listener's one account


def acl_text(cloud_user: str, devices: list[DeviceAccount]) -> str:
    """The ACL file: the cloud sees everything device-side, each device only its own."""
    lines = [
        "# Written by `continuo cloud broker-config`; do not edit by hand.",
        f"user {cloud_user}",
        f"topic read {topics.uplink_filter()}",
        f"topic write {topics.PREFIX}/+/+/down",
        "topic read $SYS/broker/#",  # the broker's own counters, for /metrics
        "",
    ]
    for device in devices:
        lines += [
            f"user {device.device_id}",
            f"topic write {topics.device_uplink_pattern(device.site, device.device_id)}",
            f"topic read {topics.downlink(device.site, device.device_id)}",
            "",
        ]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BrokerLimits:
    """Per-client limits, sized from Mosquitto 2.0's measured defaults and our messages.

    Mosquitto 2.0.11 out of the box: no packet size limit and Receive Maximum 20 per client
    (both checked in tests/cloud/test_broker_identity.py), 1,000 queued messages per client
    session (1,000 of 1,500 arrived after a reconnect, measured by hand), no connection
    limit. A device never needs more than one message of
    `MAX_PAYLOAD_BYTES` (what ingest decodes at most), so a bigger packet is refused at the
    broker and the sender, not ingest, is disconnected. The queue and in-flight limits apply
    to every client alike in Mosquitto; they are sized for the one client that needs the
    most, the cloud (every device's uplink, queued across a backend restart), and capped in
    bytes so a backlog cannot take the broker's memory.
    """

    max_packet_size: int = MAX_PAYLOAD_BYTES + 4096  # the payload, topic and properties
    max_inflight_messages: int = 100  # per client: the device outbox keeps up to 100 in flight
    max_queued_messages: int = 100_000  # per client session, while it is away
    max_queued_bytes: int = 256 * 1024 * 1024  # the same queue, in bytes
    # Mosquitto 2.0.11 lets one more in for every connection that has closed (measured), so
    # this bounds a freshly started broker only; a firewall limit is the defence.
    max_device_connections: int = 10_000  # on the device listener
    max_cloud_connections: int = 64  # on the cloud's own listener: two per backend worker
    session_expiry: str = "14d"  # a device gone this long loses its queued downlink


def write_accounts(
    out: Path,
    *,
    cloud_user: str,
    cloud_password: str,
    devices: list[DeviceAccount],
    separate: bool,
) -> BrokerFiles:
    """Rewrite only the accounts (password files and ACL), as a SIGHUP reloads them.

    `separate`: the cloud has a listener of its own, with its own password file.
    """
    out.mkdir(parents=True, exist_ok=True)
    files = BrokerFiles(
        out / "mosquitto.conf",
        out / "passwords",
        out / "acl",
        out / "cloud-passwords" if separate else None,
    )
    cloud_line = f"{cloud_user}:{hash_password(cloud_password)}"
    device_lines = [f"{d.device_id}:{d.password_hash}" for d in devices]
    users = device_lines if separate else [cloud_line, *device_lines]
    _write_secret(files.passwords, "".join(f"{line}\n" for line in users))
    if files.cloud_passwords is not None:
        _write_secret(files.cloud_passwords, cloud_line + "\n")
    files.acl.write_text(acl_text(cloud_user, devices))
    return files


def _listener(
    port: int,
    bind: str,
    *,
    passwords: Path,
    acl: Path,
    max_connections: int,
    bind_client_ids: bool,
    tls: TlsFiles | None,
) -> list[str]:
    return [
        f"listener {port} {bind}",
        "allow_anonymous false",
        f"password_file {passwords.resolve()}",
        f"acl_file {acl.resolve()}",
        f"max_connections {max_connections}",
        # The client id is the account: no one can take over another's session.
        *(["use_username_as_clientid true"] if bind_client_ids else []),
        *(
            []
            if tls is None
            else [
                f"cafile {tls.ca_cert.resolve()}",
                f"certfile {tls.server_cert.resolve()}",
                f"keyfile {tls.server_key.resolve()}",
                "tls_version tlsv1.2",
            ]
        ),
    ]


def write_broker_config(
    out: Path,
    *,
    port: int,
    cloud_user: str,
    cloud_password: str,
    devices: list[DeviceAccount],
    bind: str = "127.0.0.1",
    tls: TlsFiles | None = None,
    cloud_port: int | None = None,
    cloud_bind: str = "127.0.0.1",
    limits: BrokerLimits = BrokerLimits(),
) -> BrokerFiles:
    """Write mosquitto.conf, the password files and the ACL into `out`.

    With `cloud_port`, devices get a listener of their own on `port`, where each device's
    MQTT client id is forced to its account name (``use_username_as_clientid``): a device
    can neither take over another device's session nor a backend worker's, and the cloud's
    account is not accepted there. The cloud connects on `cloud_port` (loopback by
    default), which accepts only the cloud's account. Without `cloud_port`, devices and the
    cloud share one listener and a device may pick any client id: use that for tests only.
    """
    files = write_accounts(
        out,
        cloud_user=cloud_user,
        cloud_password=cloud_password,
        devices=devices,
        separate=cloud_port is not None,
    )
    (out / "data").mkdir(exist_ok=True)
    separate = files.cloud_passwords is not None
    listeners = _listener(
        port,
        bind,
        passwords=files.passwords,
        acl=files.acl,
        max_connections=limits.max_device_connections,
        bind_client_ids=separate,
        tls=tls,
    )
    if cloud_port is not None and files.cloud_passwords is not None:
        listeners += _listener(
            cloud_port,
            cloud_bind,
            passwords=files.cloud_passwords,
            acl=files.acl,
            max_connections=limits.max_cloud_connections,
            bind_client_ids=False,
            tls=tls,
        )
    files.config.write_text(
        "\n".join(
            [
                "# Written by `continuo cloud broker-config`.",
                # Each listener has its own accounts: devices cannot log in on the cloud's.
                "per_listener_settings true",
                # Started as root, mosquitto would switch to its own user and lose access to
                # these 0600 files; keep the user that wrote them.
                f"user {getpass.getuser()}",
                "persistence true",
                f"persistence_location {(out / 'data').resolve()}/",
                "autosave_interval 1",
                "sys_interval 10",  # $SYS counters (dropped messages, clients) every 10 s
                f"max_packet_size {limits.max_packet_size}",
                f"max_inflight_messages {limits.max_inflight_messages}",
                f"max_queued_messages {limits.max_queued_messages}",
                f"max_queued_bytes {limits.max_queued_bytes}",
                f"persistent_client_expiration {limits.session_expiry}",
                f"pid_file {(out / 'mosquitto.pid').resolve()}",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "connection_messages true",
                *listeners,
                "",
            ]
        )
    )
    return files


def _write_secret(path: Path, text: str) -> None:
    """Write a file only its owner may read (created so, never briefly world-readable)."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)

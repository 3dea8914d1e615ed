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
    passwords: Path
    acl: Path


def acl_text(cloud_user: str, devices: list[DeviceAccount]) -> str:
    """The ACL file: the cloud sees everything device-side, each device only its own."""
    lines = [
        "# Written by `continuo cloud broker-config`; do not edit by hand.",
        f"user {cloud_user}",
        f"topic read {topics.uplink_filter()}",
        f"topic write {topics.PREFIX}/+/+/down",
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


def write_broker_config(
    out: Path,
    *,
    port: int,
    cloud_user: str,
    cloud_password: str,
    devices: list[DeviceAccount],
    bind: str = "127.0.0.1",
    tls: TlsFiles | None = None,
) -> BrokerFiles:
    """Write mosquitto.conf, the password file and the ACL into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    files = BrokerFiles(out / "mosquitto.conf", out / "passwords", out / "acl")
    users = [f"{cloud_user}:{hash_password(cloud_password)}"]
    users += [f"{d.device_id}:{d.password_hash}" for d in devices]
    files.passwords.write_text("\n".join(users) + "\n")
    files.passwords.chmod(0o600)
    files.acl.write_text(acl_text(cloud_user, devices))
    files.config.write_text(
        "\n".join(
            [
                "# Written by `continuo cloud broker-config`.",
                "per_listener_settings false",
                # Started as root, mosquitto would switch to its own user and lose access to
                # these 0600 files; keep the user that wrote them.
                f"user {getpass.getuser()}",
                "allow_anonymous false",
                f"password_file {files.passwords.resolve()}",
                f"acl_file {files.acl.resolve()}",
                "persistence true",
                f"persistence_location {(out / 'data').resolve()}/",
                "autosave_interval 1",
                "max_queued_messages 100000",
                "max_inflight_messages 100",
                f"pid_file {(out / 'mosquitto.pid').resolve()}",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "connection_messages true",
                f"listener {port} {bind}",
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
                "",
            ]
        )
    )
    return files

"""Safe targets: a webhook a customer sets may reach the internet and nothing else.

A customer's (or caregiver's) webhook must be https and must not reach loopback, private,
link-local, shared, metadata or other special addresses, in any spelling (an IPv4-mapped or
NAT64 IPv6 address names the IPv4 one inside). It is checked twice: when it is set (every
address its name resolves to) and at every send, against the address actually connected to
(`GuardedResolver` filters what aiohttp may connect to, so a name that resolves elsewhere
after the check, DNS rebinding, still reaches nothing inside). Targets that staff set with
`continuo cloud escalation` are trusted and not checked (the demo's loopback sinks).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from common.errors import ContinuoError

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible addresses
_NEVER_V6 = (
    ipaddress.ip_network("64:ff9b:1::/48"),  # local-use NAT64 (RFC 8215)
    ipaddress.ip_network("fec0::/10"),  # site-local (deprecated, still routed inside)
)
RESOLVE_TIMEOUT_S = 5.0


class UnsafeTargetError(ContinuoError, OSError):
    """A target that may not be used (an OSError too, so aiohttp fails the connection)."""


def public(address: str) -> bool:
    """Whether an IP address is a global unicast one (never loopback, private, metadata...).

    An IPv6 address that carries an IPv4 one (IPv4-mapped, IPv4-compatible, NAT64, 6to4) is
    judged by the IPv4 inside; local-use NAT64 and site-local IPv6 are never public.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _NEVER_V6):
            return False
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64 or ip in _COMPATIBLE:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def literal_host(url: URL) -> str | None:
    """The URL's host if it is an IP address (IPv6 without brackets), else None."""
    host = url.raw_host or ""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return host


def check_url(target: str) -> URL:
    """The parsed URL of a customer's webhook, if https and not naming an address inside.

    Raises:
        UnsafeTargetError: It is not https, or its host is an address inside (a name is
            resolved by `check_target`).
    """
    try:
        url = URL(target)
    except (ValueError, TypeError) as exc:
        raise UnsafeTargetError(f"{target!r} is not a URL") from exc
    if url.scheme != "https":
        raise UnsafeTargetError("a webhook must use https")
    if not url.raw_host:
        raise UnsafeTargetError("a webhook URL needs a host")
    if _numeric(url.raw_host):
        raise UnsafeTargetError("a webhook's host must be a name or a plain IP address")
    host = literal_host(url)
    if host is not None and not public(host):
        raise UnsafeTargetError("a webhook may not point at a private or local address")
    return url


def _numeric(host: str) -> bool:
    """An IPv4 address in a spelling other than a.b.c.d (2130706433, 127.1, 0x7f.0.0.1)."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return False  # a plain address: judged by `public`
    try:
        socket.inet_aton(host.rstrip("."))
    except OSError:
        return False
    return True


async def check_target(target: str) -> None:
    """Refuse a customer's webhook that is not https or resolves to any address inside."""
    url = check_url(target)
    if literal_host(url) is not None:
        return
    host = url.raw_host or ""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_S):
            infos = await loop.getaddrinfo(host, url.port or 443, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError) as exc:
        raise UnsafeTargetError(f"the webhook's host {host!r} cannot be resolved") from exc
    addresses = {str(info[4][0]) for info in infos}
    if not addresses or not all(public(a) for a in addresses):
        raise UnsafeTargetError("a webhook may not point at a private or local address")


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, keeping only public addresses: what a guarded session may reach."""

    def __init__(self) -> None:
        """Wrap the default resolver."""
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve, then drop every address inside; none left is a refused connection."""
        found = await self._inner.resolve(host, port, family)
        safe = [r for r in found if public(r["host"])]
        if not safe:
            raise UnsafeTargetError(f"{host} resolves only to private or local addresses")
        return safe

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()

    def __repr__(self) -> str:
        return "GuardedResolver()"


def scrub(text: str, target: str) -> str:
    """`text` (an error about `target`) with the target masked: no key in a URL reaches a log."""
    hidden = mask(target)
    for shown in (
        {target, str(URL(target))} if target.startswith(("http://", "https://")) else {target}
    ):
        text = text.replace(shown, hidden)
    return text


def mask(target: str) -> str:
    """A target as people see it: a URL's scheme and host only, a phone's last digits."""
    if target.startswith(("http://", "https://")):
        url = URL(target)
        return f"{url.scheme}://{url.host}/…"
    if "@" in target:
        local, _, domain = target.partition("@")
        return f"{local[:1]}…@{domain}"
    digits = target.lstrip("+")
    return f"…{digits[-3:]}" if len(digits) > 3 else "…"  # noqa: PLR2004

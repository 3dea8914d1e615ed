"""Login throttling on a running backend: the attacker slows down, the people they target don't."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from cloud.api.context import SERVICES
from cloud.identity.throttle import Delays, Throttle, ThrottlePolicy, client_address
from cloud.store.models import User
from common.clock import FakeClock
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    register,
    running_cloud,
)

PASSWORD = "correct horse battery"
PROXY = "127.0.0.1"  # the TLS-terminating proxy the README recommends, on loopback here
ATTACKER, HOME, OFFICE = "203.0.113.9", "198.51.100.7", "192.0.2.44"


@pytest.fixture
async def cloud(db_url: str, broker: Broker) -> AsyncIterator[tuple[RunningCloud, FakeClock]]:
    """A backend behind a trusted proxy, its throttle on a fake clock."""
    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as running:
        clock = FakeClock()
        auth = running.app[SERVICES].authenticator
        # What cloud/app.py sets from [http] trusted_proxies.
        auth.trusted_proxies = (PROXY,)
        auth.throttle = Throttle(clock)
        for name, home in (("ana", "home-1"), ("bob", "home-2"), ("cy", "home-2")):
            await running.user(name, "customer", customer=home)
        yield running, clock


async def login(
    cloud: RunningCloud, username: str, password: str, client: str
) -> tuple[int, int | None]:
    """Log in as the proxy would forward it; the status and any Retry-After."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{cloud.url}/api/v1/login",
            json={"username": username, "password": password},
            headers={"X-Forwarded-For": f"{client}, {PROXY}"},
        ) as r,
    ):
        retry = r.headers.get("Retry-After")
        return r.status, None if retry is None else int(retry)


async def test_an_attacker_slows_down_and_the_people_they_target_do_not(
    cloud: tuple[RunningCloud, FakeClock],
) -> None:
    """Guessing ana's password: growing delays for the attacker's address only."""
    running, clock = cloud
    assert (await login(running, "ana", PASSWORD, HOME))[0] == 200  # ana's own address
    assert (await login(running, "bob", PASSWORD, ATTACKER))[0] == 200  # bob shares the NAT
    statuses = [(await login(running, "ana", f"guess-{n}", ATTACKER))[0] for n in range(5)]
    assert statuses == [401] * 5
    delays = []
    for _ in range(2):
        status, retry = await login(running, "ana", PASSWORD, ATTACKER)  # even the right one
        assert status == 429
        assert retry is not None
        delays.append(retry)
        clock.advance(retry)
        assert (await login(running, "ana", "guess-again", ATTACKER))[0] == 401
    assert delays == [5, 10]  # the delays grow (5 s, 10 s, 20 s, ... 15 min)
    # The people the attacker targets, or stands next to, are not locked out:
    assert (await login(running, "ana", PASSWORD, HOME))[0] == 200
    assert (await login(running, "ana", PASSWORD, OFFICE))[0] == 200  # a new address too
    assert (await login(running, "bob", PASSWORD, ATTACKER))[0] == 200
    # The counters are in the database: another backend worker holds the attacker back too.
    refusal = await Throttle(clock).check("ana", ATTACKER)
    assert refusal is not None
    assert refusal.retry_after_s > 0

    # Operators see the lockout and clear it; no one else may.
    api = f"{running.url}/api/v1/lockouts"
    customer = await running.user("dee", "customer", customer="home-1")
    async with running.http(customer) as http:
        for method in ("GET", "DELETE"):
            async with http.request(method, api, params={"account": "ana"}) as r:
                assert r.status == 403
    async with running.http() as ops:
        async with ops.get(api) as r:
            assert r.status == 200
            rows = await r.json()
        pair = next(row for row in rows if row["kind"] == "pair")
        assert (pair["account"], pair["address"], pair["locked"]) == ("ana", ATTACKER, True)
        assert pair["failures"] == 7
        async with ops.delete(api, params={"account": "ana"}) as r:
            assert r.status == 200
            assert (await r.json())["cleared"] == 2  # the pair and the account
    assert (await login(running, "ana", PASSWORD, ATTACKER))[0] == 200


async def test_botnets_and_sprayers_slow_strangers_not_known_addresses(
    cloud: tuple[RunningCloud, FakeClock],
) -> None:
    running, clock = cloud
    # Thresholds of three instead of ten and five: the same rules, fewer slow Argon2 checks.
    policy = ThrottlePolicy(
        account=Delays(free=3, base_s=5.0, cap_s=300.0),
        address=Delays(free=3, base_s=5.0, cap_s=900.0),
        spray_accounts=3,
    )
    running.app[SERVICES].authenticator.throttle = Throttle(clock, policy)
    assert (await login(running, "ana", PASSWORD, HOME))[0] == 200
    assert (await login(running, "bob", PASSWORD, ATTACKER))[0] == 200
    for n in range(3):  # a botnet: one guess at ana from each of its addresses
        assert (await login(running, "ana", "guess", f"198.18.0.{n}"))[0] == 401
    assert (await login(running, "ana", PASSWORD, "198.18.1.1"))[0] == 429
    assert (await login(running, "ana", PASSWORD, HOME))[0] == 200  # where ana logs in from

    for target in ("cy", "dee", "eve"):  # one address, many accounts
        assert (await login(running, target, "Winter2026!", ATTACKER))[0] == 401
    assert (await login(running, "cy", PASSWORD, ATTACKER))[0] == 429  # a stranger here
    assert (await login(running, "bob", PASSWORD, ATTACKER))[0] == 200  # known here
    assert (await login(running, "cy", PASSWORD, OFFICE))[0] == 200  # elsewhere: fine

    running.app[SERVICES].authenticator.trusted_proxies = ()  # no proxy: the header is anyone's
    for n, target in enumerate(("dee", "eve", "fay")):
        # A made-up address on every try does not dodge the (real) address's counter.
        assert (await login(running, target, "guess", f"198.18.2.{n}"))[0] == 401
    assert (await login(running, "gus", "guess", "198.18.2.99"))[0] == 429
    auth = running.app[SERVICES].authenticator
    assert auth.counters["forwarded_for_ignored"] == 4  # each made-up header, counted
    async with running.http() as ops, ops.get(f"{running.url}/metrics") as r:
        assert 'continuo_auth_total{event="forwarded_for_ignored"} 4.0' in await r.text()
    assert client_address("10.1.2.3", "6.6.6.6, 10.0.0.7", ["10.0.0.0/8"]) == "6.6.6.6"
    assert client_address("10.1.2.3", "6.6.6.6", []) == "10.1.2.3"
    assert client_address("8.8.8.8", "6.6.6.6", ["10.0.0.0/8"]) == "8.8.8.8"


async def test_a_login_comes_only_as_json_from_the_dashboards_own_origin(
    cloud: tuple[RunningCloud, FakeClock],
) -> None:
    running, _ = cloud
    url = f"{running.url}/api/v1/login"
    good = f'{{"username": "ana", "password": "{PASSWORD}"}}'
    async with aiohttp.ClientSession() as http:
        for headers, status in (
            ({"Content-Type": "text/plain", "Origin": "https://evil.example"}, 415),
            ({"Content-Type": "text/plain"}, 415),  # a form's encoding, even from here
            ({"Content-Type": "application/json", "Origin": "https://evil.example"}, 403),
            ({"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}, 403),
            ({"Content-Type": "application/json", "Origin": running.url}, 200),
            ({"Content-Type": "application/json"}, 200),  # a script or the CLI: no browser
        ):
            async with http.post(url, data=good, headers=headers) as r:
                assert r.status == status, (headers, await r.text())
                if status != 200:
                    assert r.content_type == "application/problem+json"
                    assert "Set-Cookie" not in r.headers


async def _ended(stream: aiohttp.ClientResponse) -> None:
    """Read the event stream until the server ends it."""
    while await stream.content.readany():
        pass


async def test_a_change_stream_closes_when_its_login_ends(
    cloud: tuple[RunningCloud, FakeClock],
) -> None:
    running, _ = cloud
    for ending in ("logout", "user disabled"):
        username = "op-" + ending.split()[0]
        token = await running.user(username, "operator")
        auth = {"Authorization": f"Bearer {token}"}
        async with (
            aiohttp.ClientSession(headers=auth) as http,
            http.get(f"{running.url}/api/v1/stream") as stream,
        ):
            assert stream.status == 200
            assert b"event: hello" in await stream.content.readuntil(b"\n\n")
            if ending == "logout":
                async with http.post(f"{running.url}/api/v1/logout") as r:
                    assert r.status == 200
            else:
                await User.filter(username=username).update(disabled=True)
            async with asyncio.timeout(10):  # the stream checks its login every second
                await _ended(stream)


async def test_the_owner_logs_in_while_a_stranger_fails_at_the_same_address(
    cloud: tuple[RunningCloud, FakeClock],
) -> None:
    """A shared address (a NAT, the proxy): the owner's browser has its device cookie."""
    running, _ = cloud
    url = f"{running.url}/api/v1/login"
    forwarded = {"X-Forwarded-For": f"{HOME}, {PROXY}"}

    async def attempt(http: aiohttp.ClientSession, password: str) -> int:
        body = {"username": "ana", "password": password}
        async with http.post(url, json=body, headers=forwarded) as r:
            return r.status

    jar = aiohttp.CookieJar(unsafe=True)  # the test server is an IP address
    async with (
        aiohttp.ClientSession(cookie_jar=jar) as owner,
        aiohttp.ClientSession() as stranger,
    ):
        assert await attempt(owner, PASSWORD) == 200  # ana's browser, now with its cookie
        assert any(c.key == "continuo_device" for c in jar)
        assert [await attempt(stranger, f"guess-{n}") for n in range(5)] == [401] * 5
        assert await attempt(stranger, PASSWORD) == 429  # the stranger is slowed down
        assert await attempt(owner, PASSWORD) == 200  # the owner is not
        # The owner's browser has its own counter: its own failures slow it down.
        assert [await attempt(owner, "typo") for _ in range(5)] == [401] * 5
        assert await attempt(owner, PASSWORD) == 429

"""Access control: every route walked with every role, CSRF, logins, sessions, stored secrets."""

from __future__ import annotations

from typing import Any

import aiohttp

from cloud.api.access import SESSION_COOKIE
from cloud.api.context import SERVICES
from cloud.api.routes import API
from cloud.api.table import POLICY
from cloud.store.models import Incident, Session, User
from common import topics
from common.messages import Alert, Severity, encode, new_id
from common.topics import UplinkKind
from tests.support.backend import Acks
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    register,
    running_cloud,
)

OPS, CUSTOMER, OTHER, CAREGIVER, INSTALLER, STRANGER, NOBODY = (
    "operator",
    "customer of home-1",
    "customer of home-2",
    "caregiver of home-1",
    "installer of home-1",
    "installer of home-9",
    "anonymous",
)
# Who may reach home-1's resources on each route: the specification, written independently of
# cloud/access.py. The operator may reach everything.
CUSTOMER_ROUTES = {
    ("GET", "/api/v1/devices/{device_id}"),
    ("GET", "/api/v1/devices/{device_id}/supplies/{sensor}/{index}/levels"),
    ("GET", "/api/v1/devices/{device_id}/sensors/{sensor}/readings"),
    ("POST", "/api/v1/alerts/{incident_id}/acknowledge"),
    ("POST", "/api/v1/alerts/{incident_id}/resolve"),
    ("GET", "/api/v1/customers/{customer_id}/alerts"),
    ("GET", "/api/v1/customers/{customer_id}/escalation"),
    ("PUT", "/api/v1/customers/{customer_id}/escalation"),
    ("POST", "/api/v1/customers/{customer_id}/escalation/{position}/rotate-secret"),
    ("GET", "/api/v1/customers/{customer_id}"),
    ("PATCH", "/api/v1/customers/{customer_id}"),
    ("GET", "/api/v1/customers/{customer_id}/needs"),
    ("POST", "/api/v1/customers/{customer_id}/needs"),
    ("GET", "/api/v1/customers/{customer_id}/reminders"),
    ("GET", "/api/v1/customers/{customer_id}/orders"),
    ("GET", "/api/v1/customers/{customer_id}/timeline"),
    ("PUT", "/api/v1/customers/{customer_id}/calendar"),
    ("GET", "/api/v1/needs/{need_id}"),
    ("PATCH", "/api/v1/needs/{need_id}"),
    ("GET", "/api/v1/needs/{need_id}/decisions"),
    ("GET", "/api/v1/needs/{need_id}/offer"),
    ("POST", "/api/v1/needs/{need_id}/orders"),
    ("POST", "/api/v1/orders/{order_id}/cancel"),
    ("GET", "/api/v1/customers/{customer_id}/export"),
    ("DELETE", "/api/v1/customers/{customer_id}"),
    ("GET", "/api/v1/customers/{customer_id}/consents"),
    ("PUT", "/api/v1/customers/{customer_id}/consents"),
}
CAREGIVER_ROUTES = {
    ("POST", "/api/v1/alerts/{incident_id}/acknowledge"),
    ("POST", "/api/v1/alerts/{incident_id}/resolve"),
    ("GET", "/api/v1/customers/{customer_id}/alerts"),
}
INSTALLER_ROUTES = {
    ("GET", "/api/v1/devices"),
    ("GET", "/api/v1/devices/{device_id}"),
    ("GET", "/api/v1/devices/{device_id}/supplies/{sensor}/{index}/levels"),
    ("GET", "/api/v1/devices/{device_id}/sensors/{sensor}/readings"),
}
EVERYONE = {("GET", "/api/v1/me")}


def may(who: str, route: tuple[str, str]) -> bool:
    """The specification above."""
    if who == NOBODY:
        return False
    if who == OPS or route in EVERYONE:
        return True
    reachable = {
        CUSTOMER: CUSTOMER_ROUTES,
        CAREGIVER: CAREGIVER_ROUTES,
        INSTALLER: INSTALLER_ROUTES,
        STRANGER: {("GET", "/api/v1/devices")},  # an installer elsewhere lists none of home-1's
    }
    return route in reachable.get(who, set())  # the other household: nothing of home-1's


async def _setup(cloud: RunningCloud) -> dict[str, str]:
    """home-1's resources, created as the operator and a device would."""
    async with cloud.http() as http:
        async with http.post(
            f"{cloud.url}/api/v1/customers/home-1/needs",
            json={"device_id": "pi-1", "sku": "MILK-1G", "label": "Milk", "sensor": "fridge"},
        ) as r:
            need = await r.json()
        async with http.post(
            f"{cloud.url}/api/v1/needs/{need['id']}/orders",
            json={},
            headers={"Idempotency-Key": "one"},
        ) as r:
            order = await r.json()
    alert = Alert(
        id=new_id(),
        device_id="pi-1",
        seq=1,
        sent_at=1.0,
        sensor="wearable",
        name="fall",
        severity=Severity.CRITICAL,
        detected_at=1.0,
    )
    await cloud.app[SERVICES].ingest.handle(
        topics.uplink("home-1", "pi-1", UplinkKind.ALERT), encode(alert), Acks()
    )
    incident = await Incident.get(device_id="pi-1")
    return {
        "customer_id": "home-1",
        "need_id": need["id"],
        "order_id": order["id"],
        "incident_id": incident.id,
        "device_id": "pi-1",
        "sensor": "fridge",
        "index": "1",
        "username": "ops",
        "position": "0",
        "delivery_id": "msg_0",
    }


async def test_every_route_with_every_role(db_url: str, broker: Broker) -> None:
    await register(db_url, ("home-1", "pi-1", False), ("home-2", "pi-2", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        values = await _setup(cloud)
        tokens: dict[str, str | None] = {
            OPS: cloud.token,
            CUSTOMER: await cloud.user("ana", "customer", customer="home-1"),
            OTHER: await cloud.user("ben", "customer", customer="home-2"),
            CAREGIVER: await cloud.user("cat", "caregiver", customer="home-1"),
            INSTALLER: await cloud.user("ian", "installer", sites=["home-1"]),
            STRANGER: await cloud.user("ivy", "installer", sites=["home-9"]),
            NOBODY: None,
        }
        routes = sorted(r.key for r in API if r.roles is not None)
        routes.remove(("POST", "/api/v1/logout"))  # walked last: it ends the session
        routes.remove(("DELETE", "/api/v1/customers/{customer_id}"))  # last: it erases home-1
        wrong: list[str] = []
        async with aiohttp.ClientSession() as http:
            for who, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                for method, path in routes:
                    url = cloud.url + path.format(**values)
                    async with http.request(
                        method, url, headers=headers, data=b"{}", timeout=aiohttp.ClientTimeout(5)
                    ) as r:
                        expected = "allowed" if may(who, (method, path)) else "refused"
                        status = r.status
                        if method == "GET" and path == "/api/v1/stream" and status == 200:
                            r.close()  # a live stream: the headers are the answer
                    got = "allowed" if status not in {401, 403} else "refused"
                    if got != expected or (who == NOBODY and status != 401):
                        wrong.append(f"{who}: {method} {path} -> {status}, expected {expected}")
            erase = cloud.url + "/api/v1/customers/home-1"
            for who in (OTHER, CAREGIVER, INSTALLER, STRANGER, NOBODY, CUSTOMER):
                token = tokens[who]
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                async with http.delete(erase, headers=headers) as r:
                    want = 200 if who == CUSTOMER else 401 if who == NOBODY else 403
                    if r.status != want:
                        wrong.append(f"{who}: DELETE customer -> {r.status}, expected {want}")
            for who in (CUSTOMER, CAREGIVER):  # home-1's people went with the erasure
                async with http.get(
                    cloud.url + "/api/v1/me", headers={"Authorization": f"Bearer {tokens[who]}"}
                ) as r:
                    assert r.status == 401, who
            for who, token in tokens.items():
                if token is None or who in {CUSTOMER, CAREGIVER}:
                    continue
                async with http.post(
                    cloud.url + "/api/v1/logout", headers={"Authorization": f"Bearer {token}"}
                ) as r:
                    assert r.status == 200, who
                async with http.get(
                    cloud.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                ) as r:
                    assert r.status == 401, who
        assert not wrong, "\n".join(wrong)


async def test_every_route_has_a_rule(db_url: str, broker: Broker) -> None:
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        served = {
            (route.method, route.resource.canonical)
            for route in cloud.app.router.routes()
            if route.resource is not None and route.method not in {"HEAD", "*"}
        }
        rules = cloud.app[POLICY]
        assert served - set(rules) == set()  # nothing is served without a rule


async def test_dashboard_sessions_need_csrf_and_logins_are_limited(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        await cloud.user("ana", "customer", customer="home-1")
        api = cloud.url + "/api/v1"
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            async with http.post(
                f"{api}/login", json={"username": "ana", "password": "correct horse battery"}
            ) as r:
                assert r.status == 200
                assert "httponly" in r.headers["Set-Cookie"].lower()
                assert "samesite=strict" in r.headers["Set-Cookie"].lower()
                session: dict[str, Any] = await r.json()
            async with http.get(f"{api}/customers/home-1") as r:
                assert r.status == 200
            body = {"quiet_start": 22, "quiet_end": 7}
            async with http.patch(f"{api}/customers/home-1", json=body) as r:
                assert r.status == 403
            async with http.patch(
                f"{api}/customers/home-1", json=body, headers={"X-CSRF-Token": session["csrf"]}
            ) as r:
                assert r.status == 200
        async with aiohttp.ClientSession() as http:
            statuses = []
            for _ in range(7):
                async with http.post(
                    f"{api}/login", json={"username": "ana", "password": "guess"}
                ) as r:
                    statuses.append(r.status)
                    retry = r.headers.get("Retry-After")
            assert statuses[:5] == [401] * 5
            assert statuses[5:] == [429, 429]
            assert retry is not None
            assert int(retry) > 0
            async with http.post(  # locked out even with the right password, for now
                f"{api}/login", json={"username": "ana", "password": "correct horse battery"}
            ) as r:
                assert r.status == 429
        user = await User.get(username="ana")
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        stored = await Session.filter(user=user).values_list("token_hash", flat=True)
        assert session["token"] not in stored  # only digests are kept
        expired, _ = await cloud.app[SERVICES].authenticator.issue(user, kind="session", seconds=0)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{api}/me", headers={"Authorization": f"Bearer {expired}"}) as r:
                assert r.status == 401
            async with http.get(f"{api}/me", cookies={SESSION_COOKIE: session["token"]}) as r:
                assert r.status == 200

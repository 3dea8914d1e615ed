"""Hostile text on every route, for every role, on both databases: a 400 at worst, never a 500."""

from __future__ import annotations

import asyncio
import http.client
import json
import urllib.parse
from dataclasses import dataclass

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloud.api.routes import API
from cloud.store.models import AuditEntry
from tests.support.peers import (
    Broker,
    RunningCloud,
    accounts,
    cloud_config,
    register,
    running_cloud,
)

ROLES = ("operator", "customer", "caregiver", "installer", "anonymous")
SKIPPED = {
    ("POST", "/api/v1/logout"),  # ends the session the rest of the run needs
    ("DELETE", "/api/v1/customers/{customer_id}"),  # erases the household and its people
    ("GET", "/api/v1/stream"),  # never ends
}
ROUTES = sorted(r.key for r in API if r.key not in SKIPPED)
QUERY_NAMES = ("device_id", "customer_id", "status", "state", "limit", "actor", "since", "x")
HEADERS = ("X-Access-Reason", "Idempotency-Key", "X-CSRF-Token", "If-None-Match")
BODY_FIELDS = ("username", "password", "label", "sku", "token", "note", "device_id", "reason")

# Text that used to reach a database or a handler: NUL, lone surrogates, control and
# non-ASCII characters, over-long values, and bytes that are not UTF-8 at all.
hostile_text = st.one_of(
    st.text(max_size=20).map(lambda s: f"{s}\x00{s}"),
    st.text(max_size=20).map(lambda s: f"{s}\ud800"),
    st.text(st.characters(min_codepoint=1, max_codepoint=31), min_size=1, max_size=5),
    st.text(st.characters(min_codepoint=128), min_size=1, max_size=40),
    st.integers(min_value=257, max_value=6000).map(lambda n: "é" * n),
    st.text(max_size=60),
)
hostile_bytes = st.one_of(
    hostile_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(min_size=1, max_size=40),
    st.sampled_from([b"\xff\xfe", b"\xc3", b"\xe9t\xe9", b"\xed\xa0\x80"]),
)


@dataclass(frozen=True)
class Attack:
    """One request: a route, who sends it, and where the hostile value goes."""

    role: str
    path: str  # "METHOD /template"
    where: str  # path, query, header, json, body
    name: str
    value: bytes


attacks = st.builds(
    Attack,
    role=st.sampled_from(ROLES),
    path=st.sampled_from([f"{m} {p}" for m, p in ROUTES]),
    where=st.sampled_from(["path", "query", "header", "json", "body"]),
    name=st.sampled_from([*QUERY_NAMES, *HEADERS, *BODY_FIELDS]),
    value=hostile_bytes,
)


def _send(port: int, attack: Attack, tokens: dict[str, str], values: dict[str, str]) -> int:
    """Send one attack over a fresh connection; the status code (or 0: no answer)."""
    method, template = attack.path.split(" ", 1)
    names = template.replace("}", "{").split("{")[1::2]
    fill = dict(values)
    quoted = urllib.parse.quote_from_bytes(attack.value, safe="")
    if attack.where == "path" and names:
        fill[names[len(attack.value) % len(names)]] = quoted
    else:
        fill = {k: urllib.parse.quote(v, safe="") for k, v in fill.items()}
    target = template.format(**fill)
    if attack.where == "query":
        target += f"?{attack.name}={quoted}&limit=5"
    headers: dict[str, bytes] = {"Content-Type": b"application/json"}
    if attack.role != "anonymous":
        headers["Authorization"] = f"Bearer {tokens[attack.role]}".encode()
    if attack.where == "header":
        line = attack.value.replace(b"\r", b"").replace(b"\n", b"")  # one header, not two
        headers[attack.name if attack.name in HEADERS else "X-Access-Reason"] = line
    headers.setdefault("Idempotency-Key", b"fuzz")
    body = b"{}"
    if attack.where == "json":
        text = attack.value.decode("utf-8", "surrogateescape")
        body = json.dumps({attack.name: text}).encode()  # NUL and surrogates as \u escapes
    elif attack.where == "body":
        body = attack.value
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        response.read()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return 0
    finally:
        connection.close()
    return response.status


async def _people(cloud: RunningCloud) -> tuple[dict[str, str], dict[str, str]]:
    tokens = {
        "operator": cloud.token,
        "customer": await cloud.user("ana", "customer", customer="home-1"),
        "caregiver": await cloud.user("cat", "caregiver", customer="home-1"),
        "installer": await cloud.user("ian", "installer", sites=["home-1"]),
    }
    async with (
        cloud.http() as http,
        http.post(
            f"{cloud.url}/api/v1/customers/home-1/needs",
            json={"device_id": "pi-1", "sku": "MILK-1G", "label": "Milk", "sensor": "fridge"},
        ) as r,
    ):
        assert r.status in {200, 201}, await r.text()
        need = await r.json()
    values = {
        "customer_id": "home-1",
        "device_id": "pi-1",
        "need_id": need["id"],
        "order_id": "o-1",
        "incident_id": "i-1",
        "sensor": "fridge",
        "index": "1",
        "username": "ana",
        "position": "0",
        "delivery_id": "msg_0",
    }
    return tokens, values


async def test_no_route_answers_500_to_hostile_text_for_any_role(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        tokens, values = await _people(cloud)
        port = int(cloud.url.rsplit(":", 1)[1])
        answers: list[tuple[int, Attack]] = []

        @settings(
            max_examples=250,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(attack=attacks)
        def no_500(attack: Attack) -> None:
            status = _send(port, attack, tokens, values)
            answers.append((status, attack))
            assert 0 < status < 500, f"{status} for {attack}"

        await asyncio.to_thread(no_500)
        assert {status for status, _ in answers} & {400}  # the hostile ones were refused
        assert {a.role for _, a in answers} == set(ROLES)


async def test_bad_text_gets_a_400_that_says_why_and_an_accented_reason_works(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        tokens, values = await _people(cloud)
        port = int(cloud.url.rsplit(":", 1)[1])
        need = f"/api/v1/needs/{values['need_id']}"
        cases = {
            "NUL in a query": ("GET", "/api/v1/supplies?device_id=a%00b", {}, b""),
            "invalid UTF-8 in a query": ("GET", "/api/v1/orders?status=%ff", {}, b""),
            "over-long query": ("GET", "/api/v1/orders?device_id=" + "a" * 600, {}, b""),
            "latin-1 reason": (
                "GET",
                need,
                {"X-Access-Reason": "d\xe9j\xe0".encode("latin-1")},
                b"",
            ),
            "NUL in JSON": ("PATCH", need, {}, b'{"label": "a\\u0000b"}'),
            "lone surrogate in JSON": ("PATCH", need, {}, b'{"label": "\\ud800"}'),
            "invalid UTF-8 body": ("PATCH", need, {}, b'{"label": "\xff"}'),
            "non-ASCII token": ("GET", need, {"X-CSRF-Token": "tök".encode()}, b""),
        }

        def ask(method: str, target: str, extra: dict[str, bytes], body: bytes) -> tuple[int, str]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.putrequest(method, target)
                connection.putheader("Authorization", f"Bearer {tokens['operator']}")
                for name, value in extra.items():
                    connection.putheader(name, value)
                connection.putheader("Content-Length", str(len(body)))
                connection.endheaders(body)
                response = connection.getresponse()
                return response.status, json.loads(response.read())["detail"]
            finally:
                connection.close()

        for case, request in cases.items():
            status, detail = await asyncio.to_thread(ask, *request)
            assert status == 400, (case, detail)
            assert any(w in detail for w in ("UTF-8", "NUL", "ASCII", "longer")), (case, detail)
        # A path that no resource can have (a NUL in an id) is a 404 that says why.
        status, detail = await asyncio.to_thread(ask, "GET", "/api/v1/needs/a%00b", {}, b"")
        assert (status, detail) == (404, "no such resource: the path contains a NUL character")

        async with aiohttp.ClientSession() as http_session:
            for reason in ("déjà vu, réclamation n°5", urllib.parse.quote("Überprüfung")):
                async with http_session.get(
                    cloud.url + need,
                    headers={
                        "Authorization": f"Bearer {tokens['operator']}",
                        "X-Access-Reason": reason,
                    },
                ) as r:
                    assert r.status == 200, await r.text()
        reasons = set(await AuditEntry.all().values_list("why", flat=True))
        assert {"déjà vu, réclamation n°5", "Überprüfung"} <= reasons


async def test_json_nested_5000_deep_is_a_400_on_every_route_with_a_body(
    db_url: str, broker: Broker
) -> None:
    await register(db_url, ("home-1", "pi-1", False))
    broker.configure(await accounts(db_url))
    broker.start()
    async with running_cloud(cloud_config(db_url, broker.port)) as cloud:
        tokens, values = await _people(cloud)
        port = int(cloud.url.rsplit(":", 1)[1])
        deep = [b"[" * 5000 + b"]" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000]
        with_body = [
            r.key for r in API if r.method in {"POST", "PUT", "PATCH"} and r.key not in SKIPPED
        ]
        assert ("POST", "/api/v1/login") in with_body
        assert ("POST", "/api/v1/provision") in with_body
        for (method, template), body, role in (
            (key, body, role)
            for key in with_body
            for body in deep
            for role in ("operator", "anonymous")
        ):
            attack = Attack(role, f"{method} {template}", "body", "x", body)
            status = await asyncio.to_thread(_send, port, attack, tokens, values)
            assert status == 400, (method, template, role)

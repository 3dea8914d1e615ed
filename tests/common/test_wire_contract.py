"""The edge-cloud wire contract: golden messages, topics, and hostile payloads."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common import topics
from common.errors import InvalidMessageError
from common.messages import (
    KIND_OF,
    Command,
    DeliveryAck,
    Presence,
    PrinterReading,
    Telemetry,
    decode_downlink,
    decode_uplink,
    encode,
    kind_of,
)
from common.topics import UplinkKind
from tests.support.paths import FIXTURES

FIXTURES = FIXTURES / "messages"
UPLINK_FIXTURES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.startswith("down_"))
DOWNLINK_FIXTURES = sorted(FIXTURES.glob("down_*.json"))


@pytest.mark.parametrize("path", UPLINK_FIXTURES, ids=lambda p: p.stem)
def test_golden_uplink_messages_round_trip_byte_for_byte(path: Path) -> None:
    raw = path.read_bytes()
    message = decode_uplink(raw)
    assert encode(message) == raw


def test_every_uplink_kind_has_a_golden_fixture() -> None:
    kinds = {kind_of(decode_uplink(p.read_bytes())) for p in UPLINK_FIXTURES}
    assert kinds == set(KIND_OF.values())


@pytest.mark.parametrize("path", DOWNLINK_FIXTURES, ids=lambda p: p.stem)
def test_golden_downlink_messages_round_trip(path: Path) -> None:
    raw = path.read_bytes()
    message = decode_downlink(raw)
    assert isinstance(message, DeliveryAck | Command)
    assert encode(message) == raw


def test_unknown_level_is_never_a_number() -> None:
    message = decode_uplink((FIXTURES / "telemetry_printer.json").read_bytes())
    assert isinstance(message, Telemetry)
    assert isinstance(message.reading, PrinterReading)
    cyan = message.reading.supplies[1]
    assert (cyan.level, cyan.level_state.value) == (None, "some_remaining")


def _mutate(path: str, **changes: object) -> bytes:
    data = json.loads((FIXTURES / path).read_bytes())
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "malformed"),
        (b"{not json", "malformed"),
        (b"[]", "invalid"),
        (b'{"type":"telemetry"}', "invalid"),
        (_mutate("heartbeat.json", type="self-destruct"), "invalid"),
        (_mutate("heartbeat.json", id="not-hex"), "invalid"),
        (_mutate("heartbeat.json", seq=-1), "invalid"),
        (_mutate("heartbeat.json", device_id="Robert'); DROP TABLE"), "invalid"),
        (_mutate("heartbeat.json", sent_at=1e300), "invalid"),
        (_mutate("heartbeat.json", extra="field"), "invalid"),
        (_mutate("telemetry_printer.json", sensor=""), "invalid"),
        (b"x" * 300_000, "too_large"),
    ],
)
def test_bad_uplink_payloads_raise_invalid_message_error_with_reason(
    payload: bytes, reason: str
) -> None:
    with pytest.raises(InvalidMessageError) as info:
        decode_uplink(payload)
    assert info.value.reason == reason


def test_level_out_of_range_and_inconsistent_level_state_are_rejected() -> None:
    data = json.loads((FIXTURES / "telemetry_printer.json").read_bytes())
    data["reading"]["supplies"][0]["level"] = 140
    with pytest.raises(InvalidMessageError):
        decode_uplink(json.dumps(data).encode())
    data["reading"]["supplies"][0]["level"] = None  # "known" with no level
    with pytest.raises(InvalidMessageError):
        decode_uplink(json.dumps(data).encode())


def test_message_on_the_wrong_topic_kind_is_rejected() -> None:
    with pytest.raises(InvalidMessageError) as info:
        decode_uplink((FIXTURES / "heartbeat.json").read_bytes(), kind=UplinkKind.ALERT)
    assert info.value.reason == "kind_mismatch"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_only_ever_raise_invalid_message_error(payload: bytes) -> None:
    for decode in (decode_uplink, decode_downlink):
        with contextlib.suppress(InvalidMessageError):
            decode(payload)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "type",
                "id",
                "device_id",
                "seq",
                "sent_at",
                "sensor",
                "reading",
                "online",
                "ids",
                "name",
            ]
        ),
        json_values,
    )
)
def test_structured_garbage_only_ever_raises_invalid_message_error(data: dict[str, object]) -> None:
    for fixture in ("heartbeat.json", "telemetry_printer.json"):
        base = json.loads((FIXTURES / fixture).read_bytes())
        base.update(data)
        with contextlib.suppress(InvalidMessageError):
            decode_uplink(json.dumps(base).encode())


def test_topics_are_versioned_per_site_and_device() -> None:
    assert topics.uplink("home-1", "pi-1", UplinkKind.TELEMETRY) == (
        "continuo/v1/home-1/pi-1/up/telemetry"
    )
    assert topics.downlink("home-1", "pi-1") == "continuo/v1/home-1/pi-1/down"
    parsed = topics.parse_uplink("continuo/v1/home-1/pi-1/up/alert")
    assert (parsed.site, parsed.device, parsed.kind) == ("home-1", "pi-1", UplinkKind.ALERT)


@pytest.mark.parametrize(
    "topic",
    [
        "continuo/v2/home-1/pi-1/up/telemetry",
        "continuo/v1/home-1/pi-1/down",
        "continuo/v1/home-1/pi-1/up/unknown",
        "continuo/v1/Home/pi-1/up/telemetry",
        "continuo/v1/home-1/pi-1/up/telemetry/extra",
        "continuo/v1/+/pi-1/up/telemetry",
        "",
    ],
)
def test_bad_topics_are_rejected(topic: str) -> None:
    with pytest.raises(InvalidMessageError):
        topics.parse_uplink(topic)


@given(st.text(max_size=80))
def test_topic_parser_never_raises_anything_else(topic: str) -> None:
    with contextlib.suppress(InvalidMessageError):
        topics.parse_uplink(topic)


def test_last_will_is_a_presence_message() -> None:
    will = decode_uplink((FIXTURES / "presence_will.json").read_bytes())
    assert isinstance(will, Presence)
    assert will.online is False

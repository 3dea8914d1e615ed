"""IPP supply decoding: golden bytes from a real printer server, both attribute styles,
unknown levels, and malformed responses."""

from __future__ import annotations

import contextlib
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.clock import FakeClock
from common.messages import LevelState, PrinterState
from firmware_sim.ipp_wire import Status, Tag, encode_response
from firmware_sim.printer import Report, SimulatedPrinter
from hardware.errors import MalformedResponseError
from hardware.ipp_printer import decode_response
from hardware.printer_supplies import decode_printer_attributes
from tests.support.paths import FIXTURES


def test_golden_response_of_cups_ippeveprinter_decodes_to_make_model_and_supplies() -> None:
    raw = (FIXTURES / "ipp_ippeveprinter_hp8710.bin").read_bytes()
    reading = decode_response(raw, device="golden")
    assert (reading.make, reading.model, reading.state) == (
        "HP",
        "OfficeJet Pro 8710",
        PrinterState.IDLE,
    )
    waste, black = reading.supplies
    assert (black.name, black.color, black.level, black.consumed) == (
        "Black Toner",
        "black",
        75,
        True,
    )
    assert (waste.kind, waste.consumed, waste.level) == ("wasteToner", False, 25)


@pytest.mark.parametrize("report", list(Report))
def test_simulator_bytes_decode_identically_for_marker_and_supply_attributes(
    report: Report,
) -> None:
    sim = SimulatedPrinter(clock=FakeClock(), rng=random.Random(1), report=report)
    sim.set_level(1, 23)
    raw = encode_response(status=Status.OK, request_id=7, printer_attributes=sim.attributes())
    reading = decode_response(raw, device="sim")
    assert [(s.color, s.level) for s in reading.supplies] == [
        ("black", 23),
        ("cyan", 80),
        ("magenta", 85),
        ("yellow", 90),
    ]
    assert reading.model == "OfficeJet Pro 8710"


def test_printer_supply_wins_over_markers_and_scales_by_max_capacity() -> None:
    attrs = {
        "printer-make-and-model": "Brother HL-L2350DW series",
        "printer-state": 3,
        "marker-names": "Black Toner",
        "marker-levels": 99,
        "printer-supply": "index=1;class=supplyThatIsConsumed;type=tonerCartridge;unit=percent;"
        "maxcapacity=200;level=50;colorantname=black;",
        "printer-supply-description": "Black Toner Cartridge",
    }
    (toner,) = decode_printer_attributes(attrs, device="t").supplies
    assert (toner.level, toner.name) == (25, "Black Toner Cartridge")


@pytest.mark.parametrize(
    ("raw", "state"),
    [(-1, LevelState.UNAVAILABLE), (-2, LevelState.UNKNOWN), (-3, LevelState.SOME_REMAINING)],
)
def test_special_levels_are_states_never_levels(raw: int, state: LevelState) -> None:
    for attrs in (
        {"marker-names": ["Black"], "marker-levels": [raw], "marker-colors": ["#000000"]},
        {"printer-supply": f"index=1;type=toner;level={raw};maxcapacity=100;colorantname=black;"},
    ):
        (supply,) = decode_printer_attributes(attrs, device="t").supplies
        assert (supply.level, supply.level_state) == (None, state)


def test_a_printer_that_says_only_toner_low_marks_the_one_supply_it_can_mean() -> None:
    mono = {
        "marker-names": ["Black Toner", "Waste"],
        "marker-levels": [-3, 40],
        "marker-types": ["toner", "waste-toner"],
        "printer-state-reasons": ["toner-low-report"],
    }
    toner, waste = decode_printer_attributes(mono, device="t").supplies
    assert (toner.level, toner.level_state) == (None, LevelState.LOW)
    assert waste.level_state is LevelState.KNOWN
    color = {  # two supplies without a level: which one is low is not said, so none is marked
        "marker-names": ["Black", "Cyan"],
        "marker-levels": [-3, -3],
        "printer-state-reasons": ["marker-supply-low-warning"],
    }
    states = {s.level_state for s in decode_printer_attributes(color, device="t").supplies}
    assert states == {LevelState.SOME_REMAINING}


def test_tricolor_marker_colors_are_named() -> None:
    attrs = {
        "marker-names": ["Tri-color"],
        "marker-levels": [40],
        "marker-colors": ["#00FFFF#FF00FF#FFFF00"],
        "marker-types": ["ink-cartridge"],
    }
    (supply,) = decode_printer_attributes(attrs, device="t").supplies
    assert supply.color == "cyan+magenta+yellow"


def test_sleeping_printer_is_reported_as_sleeping() -> None:
    attrs = {"printer-state": 3, "printer-state-reasons": ["sleep-report"]}
    assert decode_printer_attributes(attrs, device="t").state is PrinterState.SLEEPING


@pytest.mark.parametrize(
    "attrs",
    [
        {"marker-names": ["Black", "Cyan"], "marker-levels": [40]},
        {"marker-names": ["Black"], "marker-levels": [140]},
        {"marker-names": ["Black"], "marker-levels": ["forty"]},
        {"printer-supply": "index=1;level=150;maxcapacity=100;"},
        {"printer-supply": "garbage-without-equals"},
        {"printer-supply": "level=abc;"},
        {"printer-state": 42},
    ],
)
def test_inconsistent_attributes_are_malformed(attrs: dict[str, object]) -> None:
    with pytest.raises(MalformedResponseError):
        decode_printer_attributes(attrs, device="t")


def test_ipp_error_status_and_truncation_are_malformed() -> None:
    raw = (FIXTURES / "ipp_ippeveprinter_hp8710.bin").read_bytes()
    for bad in (raw[:5], raw[: len(raw) // 2], b"", b"HTTP/1.1 200 OK\r\n\r\nhello"):
        with pytest.raises(MalformedResponseError):
            decode_response(bad, device="t")
    error = encode_response(status=Status.BAD_REQUEST, request_id=1, printer_attributes=[])
    with pytest.raises(MalformedResponseError, match="IPP status 0x0400"):
        decode_response(error, device="t")


def test_response_without_printer_group_is_malformed() -> None:
    raw = encode_response(status=Status.OK, request_id=1, printer_attributes=[])
    with pytest.raises(MalformedResponseError, match="no printer attributes"):
        decode_response(raw, device="t")


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_only_ever_raise_malformed_response(raw: bytes) -> None:
    with contextlib.suppress(MalformedResponseError):
        decode_response(raw, device="fuzz")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "marker-levels",
                    "marker-names",
                    "printer-supply",
                    "printer-state",
                    "marker-colors",
                ]
            ),
            st.sampled_from([Tag.INTEGER, Tag.TEXT, Tag.OCTET_STRING, Tag.ENUM]),
            st.lists(st.integers(-10, 300) | st.text(max_size=30), min_size=1, max_size=4),
        ),
        max_size=6,
    )
)
def test_well_framed_but_wrong_attributes_only_raise_malformed(attrs: list[Any]) -> None:
    typed = [
        (n, t, [v if t not in (Tag.INTEGER, Tag.ENUM) or isinstance(v, int) else 0 for v in vs])
        for n, t, vs in attrs
    ]
    raw = encode_response(status=Status.OK, request_id=1, printer_attributes=typed)
    with contextlib.suppress(MalformedResponseError):
        decode_response(raw, device="fuzz")

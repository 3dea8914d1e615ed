"""Decode what a serial scale sends, one line at a time (pure, no I/O).

Two protocols are understood:

* MT-SICS (Mettler Toledo's Standard Interface Command Set, spoken by many lab and retail
  scales): replies such as ``S S     100.00 g`` (stable), ``S D      99.98 g`` (dynamic),
  ``S I`` (cannot execute now), ``S +`` / ``S -`` (over- / underload), ``T S ...`` (tare),
  ``Z A`` (zeroed), ``I4 A "B123456789"`` (serial number), and the errors ``ES`` (syntax),
  ``ET`` (transmission), ``EL`` (logical).
* Continuous ASCII output, as A&D, CAS, Ohaus and most retail scales stream it:
  ``ST,+00123.45  g`` or ``ST,GS,+  1.234kg``; ``ST`` stable, ``US`` unstable, ``OL``
  overload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from common.errors import ContinuoError

MAX_LINE: Final = 128
UNIT_GRAMS: Final = {"g": 1.0, "kg": 1000.0, "mg": 0.001, "lb": 453.59237, "oz": 28.349523125}
_NUMBER: Final = r"[-+]?\s*\d+(?:\.\d+)?"
_WEIGHT = re.compile(rf"^(?P<value>{_NUMBER})\s*(?P<unit>[a-zA-Z]+)$")
_SICS = re.compile(r"^(?P<cmd>[A-Z][A-Z0-9]*)\s+(?P<status>[SDIA+\-])(?:\s+(?P<rest>.*))?$")
_CONTINUOUS = re.compile(
    r"^(?P<head>ST|US|OL|QT)\s*,\s*(?:(?P<kind>GS|NT|TR|GR)\s*,\s*)?(?P<body>.*)$"
)


class FrameError(ContinuoError):
    """A line from the scale is not a frame of the protocol (noise, truncation, garbage)."""


class ScaleState(StrEnum):
    """What a weight frame says about the reading."""

    STABLE = "stable"
    DYNAMIC = "dynamic"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"


class Status(StrEnum):
    """Non-weight outcomes of an MT-SICS command."""

    DONE = "done"  # Z A, T S (tare stored), I4 A
    BUSY = "busy"  # x I: the scale cannot execute it now
    SYNTAX_ERROR = "syntax_error"  # ES
    TRANSMISSION_ERROR = "transmission_error"  # ET
    LOGICAL_ERROR = "logical_error"  # EL


@dataclass(frozen=True, slots=True)
class Weight:
    """A weight frame, in grams whatever unit the scale used."""

    state: ScaleState
    grams: float | None
    unit: str | None
    value: float | None


@dataclass(frozen=True, slots=True)
class Reply:
    """Any decoded MT-SICS reply."""

    command: str
    status: Status
    weight: Weight | None = None
    text: str | None = None


def _decode_text(raw: bytes) -> str:
    if len(raw) > MAX_LINE:
        raise FrameError(f"line of {len(raw)} bytes is longer than any scale frame")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise FrameError(f"non-ASCII bytes on the line: {raw[:40]!r}") from None
    text = text.strip("\r\n")
    if any(ord(c) < 32 for c in text):  # noqa: PLR2004
        raise FrameError(f"control characters on the line: {raw[:40]!r}")
    return text.strip()


def parse_weight(text: str) -> tuple[float, str, float]:
    """'  -12.50 g' -> (value, unit, grams); FrameError if it is not a weight."""
    match = _WEIGHT.match(text.strip())
    if not match:
        raise FrameError(f"not a weight: {text!r}")
    unit = match["unit"].lower()
    if unit not in UNIT_GRAMS:
        raise FrameError(f"unknown unit {match['unit']!r}")
    value = float(match["value"].replace(" ", ""))
    return value, unit, value * UNIT_GRAMS[unit]


_ERRORS: Final = {
    "ES": Status.SYNTAX_ERROR,
    "ET": Status.TRANSMISSION_ERROR,
    "EL": Status.LOGICAL_ERROR,
}


def decode_sics(raw: bytes) -> Reply:
    """Decode one MT-SICS reply line.

    Raises:
        FrameError: The line is not an MT-SICS reply.
    """
    text = _decode_text(raw)
    if text in _ERRORS:
        return Reply(text, _ERRORS[text])
    match = _SICS.match(text)
    if not match:
        raise FrameError(f"not an MT-SICS reply: {text!r}")
    cmd, status, rest = match["cmd"], match["status"], (match["rest"] or "").strip()
    if status == "I":
        return Reply(cmd, Status.BUSY)
    if status in "+-":
        state = ScaleState.OVERLOAD if status == "+" else ScaleState.UNDERLOAD
        return Reply(cmd, Status.DONE, Weight(state, None, None, None))
    if status == "A":
        return Reply(cmd, Status.DONE, text=rest.strip('"') or None)
    value, unit, grams = parse_weight(rest)
    state = ScaleState.STABLE if status == "S" else ScaleState.DYNAMIC
    return Reply(cmd, Status.DONE, Weight(state, grams, unit, value))


def decode_continuous(raw: bytes) -> Weight:
    """Decode one line of continuous output.

    Raises:
        FrameError: The line is not a continuous-output frame.
    """
    text = _decode_text(raw)
    match = _CONTINUOUS.match(text)
    if not match:
        raise FrameError(f"not a continuous-output frame: {text!r}")
    if match["head"] == "OL":
        return Weight(ScaleState.OVERLOAD, None, None, None)
    value, unit, grams = parse_weight(match["body"])
    state = ScaleState.STABLE if match["head"] == "ST" else ScaleState.DYNAMIC
    return Weight(state, grams, unit, value)

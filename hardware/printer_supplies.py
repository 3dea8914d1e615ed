"""Decode a printer's IPP attributes into a typed reading (pure, no I/O).

Printers report supplies in two ways, both supported:

* ``marker-names`` / ``marker-colors`` / ``marker-levels`` / ``marker-types`` (CUPS, RFC 3995
  era), levels in percent;
* ``printer-supply`` (PWG 5100.13), one ``key=value;`` octet string per supply, with
  ``level`` relative to ``maxcapacity``, and ``printer-supply-description`` for the names.

When both are present ``printer-supply`` wins (it says whether a supply is consumed or a
receptacle that fills). Negative levels follow RFC 3805: -1 other/unavailable, -2 unknown,
-3 some remaining; they are reported as states, never as a level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import msgspec

from common.messages import LevelState, PrinterReading, PrinterState, Supply
from hardware.errors import MalformedResponseError

_COLOR_NAMES: Final = {
    "#000000": "black",
    "#00ffff": "cyan",
    "#ff00ff": "magenta",
    "#ffff00": "yellow",
    "#ffffff": "white",
    "#808080": "gray",
    "#c0c0c0": "light-gray",
    "#404040": "dark-gray",
}
_SPECIAL_LEVELS: Final = {
    -1: LevelState.UNAVAILABLE,
    -2: LevelState.UNKNOWN,
    -3: LevelState.SOME_REMAINING,
}
_STATES: Final = {3: PrinterState.IDLE, 4: PrinterState.PROCESSING, 5: PrinterState.STOPPED}
_MAX_SUPPLIES: Final = 64


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _color_name(raw: str) -> str:
    """Turn an IPP colour ("#00FFFF", "cyan", "#00FFFF#FF00FF") into a lower-case name."""
    value = raw.strip().lower()
    if not value or value in {"none", "unknown", "no-color"}:
        return "unknown"
    if value.startswith("#"):
        parts = ["#" + p for p in value.split("#") if p]
        return "+".join(_COLOR_NAMES.get(p, p) for p in parts)
    return value


def _level(raw: int, capacity: int, *, where: str) -> tuple[int | None, LevelState]:
    if raw in _SPECIAL_LEVELS:
        return None, _SPECIAL_LEVELS[raw]
    if raw < 0 or capacity <= 0 or raw > capacity:
        msg = f"{where}: level {raw} of capacity {capacity} is not a valid level"
        raise ValueError(msg)
    return round(raw * 100 / capacity), LevelState.KNOWN


def _int(value: object, *, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{where}: expected an integer, got {value!r}"
        raise ValueError(msg)  # noqa: TRY004  (ValueError is the decoder's one failure type)
    return int(value)


def _parse_supply_string(raw: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in raw.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            msg = f"printer-supply entry {part!r} is not key=value"
            raise ValueError(msg)
        fields[key.strip().lower()] = value.strip()
    return fields


def _from_printer_supply(entries: Sequence[object], names: Sequence[object]) -> list[Supply]:
    supplies = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, str):
            msg = f"printer-supply[{position}] is not a string"
            raise ValueError(msg)  # noqa: TRY004
        fields = _parse_supply_string(entry)
        where = f"printer-supply[{position}]"
        level_raw = _int(int(fields.get("level", "-2")), where=where)
        capacity = int(fields.get("maxcapacity", "100"))
        if fields.get("unit", "percent") == "percent" and capacity <= 0:
            capacity = 100
        if level_raw >= 0 and capacity <= 0:
            level, state = None, LevelState.UNKNOWN
        else:
            level, state = _level(level_raw, capacity, where=where)
        name = str(names[position]) if position < len(names) else ""
        kind = fields.get("type", "other")
        supplies.append(
            Supply(
                index=int(fields.get("index", position + 1)),
                name=(name or kind)[:128],
                kind=kind[:256],
                color=_color_name(fields.get("colorantname", "unknown"))[:256],
                consumed=fields.get("class", "supplyThatIsConsumed") != "receptacleThatIsFilled",
                level=level,
                level_state=state,
            ),
        )
    return supplies


def _from_markers(attrs: Mapping[str, object]) -> list[Supply]:
    names = _as_list(attrs.get("marker-names"))
    levels = _as_list(attrs.get("marker-levels"))
    colors = _as_list(attrs.get("marker-colors"))
    kinds = _as_list(attrs.get("marker-types"))
    if len(levels) != len(names):
        msg = f"{len(names)} marker-names but {len(levels)} marker-levels"
        raise ValueError(msg)
    supplies = []
    for i, name in enumerate(names):
        level, state = _level(
            _int(levels[i], where=f"marker-levels[{i}]"), 100, where=f"marker-levels[{i}]"
        )
        kind = str(kinds[i]) if i < len(kinds) else "other"
        supplies.append(
            Supply(
                index=i + 1,
                name=(str(name) or kind)[:128],
                kind=kind[:256],
                color=_color_name(str(colors[i]) if i < len(colors) else "")[:256],
                consumed=not kind.startswith("waste"),
                level=level,
                level_state=state,
            ),
        )
    return supplies


_LOW_REASONS = ("marker-supply-low", "marker-supply-empty", "toner-low", "toner-empty")


def _mark_low(supplies: list[Supply], attrs: Mapping[str, object]) -> list[Supply]:
    """A printer that says only "toner low" (no percentage): mark the supply it must mean.

    The state reasons name no supply, so only when exactly one consumed supply has no known
    level is it that one; with several, nobody guesses which.
    """
    reasons = " ".join(str(r) for r in _as_list(attrs.get("printer-state-reasons")))
    if not any(low in reasons for low in _LOW_REASONS):
        return supplies
    unknown = [s for s in supplies if s.consumed and s.level_state is not LevelState.KNOWN]
    if len(unknown) != 1:
        return supplies
    return [
        msgspec.structs.replace(s, level_state=LevelState.LOW) if s is unknown[0] else s
        for s in supplies
    ]


def _make_and_model(attrs: Mapping[str, object]) -> tuple[str | None, str | None]:
    raw = str(attrs.get("printer-make-and-model") or "").strip()
    if not raw:
        return None, None
    make, _, model = raw.partition(" ")
    return make[:256], (model.strip() or None) and model.strip()[:256]


def _state(attrs: Mapping[str, object]) -> PrinterState:
    reasons = " ".join(str(r) for r in _as_list(attrs.get("printer-state-reasons")))
    if "sleep" in reasons or "power-off" in reasons:
        return PrinterState.SLEEPING
    raw = attrs.get("printer-state")
    if raw is None:
        return PrinterState.IDLE
    try:
        return _STATES[raw if isinstance(raw, int) else int(str(raw))]
    except (KeyError, ValueError):
        msg = f"printer-state {raw!r} is not 3, 4 or 5"
        raise ValueError(msg) from None


def decode_printer_attributes(attrs: Mapping[str, object], *, device: str) -> PrinterReading:
    """Build a reading from the printer-attributes group of a Get-Printer-Attributes response.

    Raises:
        MalformedResponseError: The attributes are inconsistent or out of range.
    """
    try:
        entries = _as_list(attrs.get("printer-supply"))
        if entries:
            names = _as_list(attrs.get("printer-supply-description"))
            supplies = _from_printer_supply(entries, names)
        else:
            supplies = _from_markers(attrs)
        if len(supplies) > _MAX_SUPPLIES:
            msg = f"{len(supplies)} supplies is more than any printer has"
            raise ValueError(msg)  # noqa: TRY301
        supplies = _mark_low(supplies, attrs)
        make, model = _make_and_model(attrs)
        state = _state(attrs)
    except ValueError as exc:
        raise MalformedResponseError(str(exc), device=device) from exc
    return PrinterReading(state=state, make=make, model=model, supplies=supplies)

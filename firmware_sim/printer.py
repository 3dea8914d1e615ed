"""A simulated IPP Everywhere printer whose ink drains as pages print.

It answers Get-Printer-Attributes at ``/ipp/print`` with both ``marker-*`` and
``printer-supply`` attributes (or one of them), and, like CUPS's ippeveprinter, lets a test
or the demo set levels with ``GET /supplies?supply1=100`` (1-based supply numbers).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from aiohttp import web

from common.clock import Clock
from firmware_sim.ipp_wire import (
    GET_PRINTER_ATTRIBUTES,
    Attribute,
    BadRequestError,
    Status,
    Tag,
    encode_response,
    parse_request_header,
)

_STATE_IDLE: Final = 3
_STATE_PROCESSING: Final = 4
_STATE_STOPPED: Final = 5


class Report(StrEnum):
    """Which supply attributes the printer reports."""

    MARKERS = "markers"
    SUPPLY = "supply"
    BOTH = "both"


@dataclass
class SimSupply:
    """One cartridge in the simulated printer."""

    name: str
    color: str
    color_hex: str
    percent_per_page: float
    level: float = 100.0
    kind: str = "inkCartridge"


def default_supplies() -> list[SimSupply]:
    """The four HP 952 cartridges of an OfficeJet Pro 8710; black drains fastest."""
    return [
        SimSupply("Black Cartridge HP 952", "black", "#000000", 0.50, level=62.0),
        SimSupply("Cyan Cartridge HP 952", "cyan", "#00FFFF", 0.12, level=80.0),
        SimSupply("Magenta Cartridge HP 952", "magenta", "#FF00FF", 0.10, level=85.0),
        SimSupply("Yellow Cartridge HP 952", "yellow", "#FFFF00", 0.08, level=90.0),
    ]


@dataclass
class SimulatedPrinter:
    """State and behaviour of the simulated printer; time and chance are injected."""

    clock: Clock
    rng: random.Random
    make_and_model: str = "HP OfficeJet Pro 8710"
    supplies: list[SimSupply] = field(default_factory=default_supplies)
    pages_per_minute: float = 60.0
    report: Report = Report.BOTH
    pages_printed: int = 0
    printing: bool = False

    @property
    def empty(self) -> bool:
        """True when a cartridge is empty and the printer has stopped."""
        return any(s.level <= 0 for s in self.supplies)

    def print_pages(self, pages: int) -> int:
        """Print up to `pages` pages; returns how many printed before a cartridge ran dry."""
        printed = 0
        for _ in range(pages):
            if self.empty:
                break
            for supply in self.supplies:
                use = supply.percent_per_page * self.rng.uniform(0.5, 1.5)
                supply.level = max(0.0, supply.level - use)
            printed += 1
        self.pages_printed += printed
        return printed

    def set_level(self, number: int, level: float) -> None:
        """Set supply `number` (1-based) to `level` percent, as installing a cartridge does."""
        if not 1 <= number <= len(self.supplies):
            msg = f"no supply {number}; this printer has {len(self.supplies)}"
            raise ValueError(msg)
        if not 0 <= level <= 100:  # noqa: PLR2004
            msg = f"level {level} is outside 0-100"
            raise ValueError(msg)
        self.supplies[number - 1].level = level

    async def run(self) -> None:
        """Print jobs of random size at the configured speed, forever."""
        while True:
            job = self.rng.randint(1, 6)
            self.printing = True
            for _ in range(job):
                if not self.print_pages(1):
                    break
                await self.clock.sleep(60.0 / self.pages_per_minute)
            self.printing = False
            await self.clock.sleep(self.rng.uniform(0.0, 120.0 / self.pages_per_minute))

    def attributes(self) -> list[Attribute]:
        """The printer attributes group of a Get-Printer-Attributes response."""
        state = (
            _STATE_STOPPED if self.empty else _STATE_PROCESSING if self.printing else _STATE_IDLE
        )
        reasons = ["marker-supply-empty-error"] if self.empty else ["none"]
        attrs: list[Attribute] = [
            ("printer-make-and-model", Tag.TEXT, [self.make_and_model]),
            ("printer-state", Tag.ENUM, [state]),
            ("printer-state-reasons", Tag.KEYWORD, list(reasons)),
        ]
        levels = [round(s.level) for s in self.supplies]
        if self.report in (Report.MARKERS, Report.BOTH):
            attrs += [
                ("marker-names", Tag.NAME, [s.name for s in self.supplies]),
                ("marker-colors", Tag.NAME, [s.color_hex for s in self.supplies]),
                ("marker-types", Tag.KEYWORD, ["ink-cartridge" for _ in self.supplies]),
                ("marker-levels", Tag.INTEGER, list(levels)),
            ]
        if self.report in (Report.SUPPLY, Report.BOTH):
            entries: list[int | str | bytes] = [
                (
                    f"index={i};class=supplyThatIsConsumed;type={s.kind};unit=percent;"
                    f"maxcapacity=100;level={levels[i - 1]};colorantname={s.color};"
                ).encode()
                for i, s in enumerate(self.supplies, start=1)
            ]
            attrs += [
                ("printer-supply", Tag.OCTET_STRING, entries),
                ("printer-supply-description", Tag.TEXT, [s.name for s in self.supplies]),
            ]
        return attrs


def create_printer_app(printer: SimulatedPrinter) -> web.Application:
    """The printer's HTTP face: IPP at /ipp/print, levels at /supplies."""

    async def ipp(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            header = parse_request_header(body)
        except BadRequestError:
            return web.Response(status=400, text="not an IPP request")
        if header.operation != GET_PRINTER_ATTRIBUTES:
            payload = encode_response(
                status=Status.OPERATION_NOT_SUPPORTED,
                request_id=header.request_id,
                printer_attributes=[],
            )
        else:
            payload = encode_response(
                status=Status.OK,
                request_id=header.request_id,
                printer_attributes=printer.attributes(),
            )
        return web.Response(body=payload, content_type="application/ipp")

    async def supplies(request: web.Request) -> web.Response:
        try:
            for key, value in request.query.items():
                if key.startswith("supply"):
                    printer.set_level(int(key.removeprefix("supply")), float(value))
        except ValueError as exc:
            return web.Response(status=400, text=str(exc))
        lines = [f"supply{i}={s.level:.1f} {s.name}" for i, s in enumerate(printer.supplies, 1)]
        return web.Response(text="\n".join(lines) + "\n")

    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/ipp/print", ipp)
    app.router.add_get("/supplies", supplies)
    return app

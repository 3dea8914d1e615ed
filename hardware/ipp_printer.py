"""Read a network printer over IPP (Get-Printer-Attributes), using pyipp as the transport."""

from __future__ import annotations

import struct
from typing import Final

import aiohttp
from pyipp import IPP
from pyipp.enums import IppOperation
from pyipp.exceptions import IPPConnectionError, IPPConnectionUpgradeRequired, IPPError
from pyipp.parser import parse as parse_ipp

from common.messages import PrinterReading
from hardware.errors import DeviceUnreachableError, MalformedResponseError
from hardware.printer_supplies import decode_printer_attributes

REQUESTED_ATTRIBUTES: Final = (
    "printer-make-and-model",
    "printer-state",
    "printer-state-reasons",
    "printer-supply",
    "printer-supply-description",
    "marker-names",
    "marker-colors",
    "marker-levels",
    "marker-types",
)
_IPP_OK_LIMIT: Final = 0x0200


def decode_response(raw: bytes, *, device: str) -> PrinterReading:
    """Decode a raw Get-Printer-Attributes response (pure; used by tests on golden bytes).

    Raises:
        MalformedResponseError: The bytes are not a successful IPP response with printer
            attributes, or the attributes are inconsistent.
    """
    try:
        parsed = parse_ipp(raw)
    except (
        struct.error,
        UnicodeDecodeError,
        IPPError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
    ) as exc:
        msg = f"not a valid IPP response ({type(exc).__name__})"
        raise MalformedResponseError(msg, device=device) from exc
    status = parsed.get("status-code", -1)
    if not isinstance(status, int) or not 0 <= status < _IPP_OK_LIMIT:
        msg = f"printer answered with IPP status 0x{int(status):04x}"
        raise MalformedResponseError(msg, device=device)
    printers = parsed.get("printers") or []
    if not printers or not isinstance(printers[0], dict):
        msg = "IPP response holds no printer attributes"
        raise MalformedResponseError(msg, device=device)
    return decode_printer_attributes(printers[0], device=device)


class IppPrinter:
    """One printer, read by URI (``ipp://host:port/path`` or ``ipps://...``)."""

    def __init__(self, *, uri: str, timeout_s: float = 8.0) -> None:
        """Create a reader; nothing is sent until `read` is called."""
        if not uri.startswith(("ipp://", "ipps://")):
            msg = f"printer URI must start with ipp:// or ipps://, got {uri!r}"
            raise ValueError(msg)
        self.uri = uri
        self._timeout_s = timeout_s

    async def fetch_raw(self) -> bytes:
        """Send Get-Printer-Attributes and return the raw IPP response bytes.

        Raises:
            DeviceUnreachableError: The printer did not answer or refused the connection.
            MalformedResponseError: The HTTP exchange failed in a way only a broken server causes.
        """
        message = {"operation-attributes-tag": {"requested-attributes": list(REQUESTED_ATTRIBUTES)}}
        try:
            async with aiohttp.ClientSession() as session:
                client = IPP(
                    self.uri, session=session, request_timeout=int(max(1, self._timeout_s))
                )
                return await client.raw(IppOperation.GET_PRINTER_ATTRIBUTES, message)
        except (
            IPPConnectionError,
            IPPConnectionUpgradeRequired,
            aiohttp.ClientError,
            TimeoutError,
            OSError,
        ) as exc:
            msg = f"printer at {self.uri} did not answer: {exc or type(exc).__name__}"
            raise DeviceUnreachableError(msg, device=self.uri) from exc
        except (IPPError, UnicodeDecodeError) as exc:
            msg = f"printer at {self.uri} answered with an HTTP error: {exc}"
            raise MalformedResponseError(msg, device=self.uri) from exc

    async def read(self) -> PrinterReading:
        """Poll the printer once.

        Raises:
            DeviceUnreachableError: The printer did not answer.
            MalformedResponseError: The answer was not a valid printer-attributes response.
        """
        return decode_response(await self.fetch_raw(), device=self.uri)

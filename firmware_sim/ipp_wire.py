"""A minimal IPP/1.1-2.0 encoder for the simulated printer (RFC 8010).

It is written apart from the driver's codec, so that a bug in one cannot hide in the other.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

IPP_HEADER_LEN: Final = 8


class Tag(IntEnum):
    """Delimiter and value tags used here."""

    OPERATION = 0x01
    END = 0x03
    PRINTER = 0x04
    INTEGER = 0x21
    ENUM = 0x23
    OCTET_STRING = 0x30
    TEXT = 0x41
    NAME = 0x42
    KEYWORD = 0x44
    URI = 0x45
    CHARSET = 0x47
    LANGUAGE = 0x48


class Status(IntEnum):
    """Response status codes used here."""

    OK = 0x0000
    BAD_REQUEST = 0x0400
    OPERATION_NOT_SUPPORTED = 0x0501


GET_PRINTER_ATTRIBUTES: Final = 0x000B

Value = int | str | bytes
Attribute = tuple[str, Tag, list[Value]]


@dataclass(frozen=True)
class RequestHeader:
    """The fixed part of an IPP request."""

    version: tuple[int, int]
    operation: int
    request_id: int


class BadRequestError(ValueError):
    """The request is not IPP."""


def parse_request_header(body: bytes) -> RequestHeader:
    """Read version, operation and request id; raise BadRequestError on short input."""
    if len(body) < IPP_HEADER_LEN:
        msg = f"IPP request of {len(body)} bytes is shorter than its header"
        raise BadRequestError(msg)
    major, minor, operation, request_id = struct.unpack_from(">bbhi", body)
    return RequestHeader((major, minor), operation, request_id)


def _value_bytes(tag: Tag, value: Value) -> bytes:
    if tag in (Tag.INTEGER, Tag.ENUM):
        return struct.pack(">i", int(value))
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def _attribute(name: str, tag: Tag, values: list[Value]) -> bytes:
    out = bytearray()
    for i, value in enumerate(values):
        raw_name = name.encode() if i == 0 else b""
        data = _value_bytes(tag, value)
        out += struct.pack(">bh", tag, len(raw_name)) + raw_name
        out += struct.pack(">h", len(data)) + data
    return bytes(out)


def encode_response(
    *,
    status: Status,
    request_id: int,
    printer_attributes: list[Attribute],
    version: tuple[int, int] = (2, 0),
) -> bytes:
    """Encode a response with the operation group and, if given, a printer group."""
    out = bytearray(struct.pack(">bbhi", version[0], version[1], status, request_id))
    out.append(Tag.OPERATION)
    out += _attribute("attributes-charset", Tag.CHARSET, ["utf-8"])
    out += _attribute("attributes-natural-language", Tag.LANGUAGE, ["en"])
    if printer_attributes:
        out.append(Tag.PRINTER)
        for name, tag, values in printer_attributes:
            out += _attribute(name, tag, values)
    out.append(Tag.END)
    return bytes(out)

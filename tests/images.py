"""Small images made in the tests with the standard library: a logo to set in a profile."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 240, height: int = 80, colour: tuple[int, int, int] = (31, 56, 100)) -> bytes:
    """A PNG `width` × `height`: a coloured band on white with a square at the left, so
    that a picture of a page shows where it went (and that it is this one)."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            inside = height // 5 <= y < height - height // 5
            square = x < height and inside
            band = x >= height + height // 5 and height * 2 // 5 <= y < height * 3 // 5
            row += bytes(colour) if square or band else b"\xff\xff\xff"
        rows.append(bytes(row))
    return _png(width, height, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg_header(width: int = 300, height: int = 100) -> bytes:
    """The start of a baseline JPEG as far as its frame header (what the profile reads to
    know the size), then an end: enough to be taken for a JPEG of that size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def svg(width: str | None = "120", height: str | None = "40", view_box: str | None = None) -> bytes:
    size = "".join(f' {k}="{v}"' for k, v in (("width", width), ("height", height), ("viewBox", view_box)) if v)
    return (f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"{size}>'
            '<rect x="0" y="0" width="40" height="40" fill="#1f3864"/></svg>').encode()

"""The zip format, written by hand: parts are packed once (or copied still compressed
from another zip) and only the headers are written per file, which is what makes a
Word document or an annotated copy cost milliseconds rather than a recompression of
every part. Plain zip only (no ZIP64): an Office file never comes near 4 GiB."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from . import Unpatchable

DateTime = tuple[int, int, int, int, int, int]
EPOCH: DateTime = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same content
_LOCAL, _CENTRAL, _END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Packed:
    """A part as a zip stores it."""
    crc: int
    size: int  # uncompressed
    method: int  # zipfile.ZIP_STORED or zipfile.ZIP_DEFLATED
    data: bytes  # as stored: a raw deflate stream, or the bytes themselves


def pack(raw: bytes, level: int) -> Packed:
    """The part deflated at `level`, or stored where deflating does not make it smaller."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = packer.compress(raw) + packer.flush()
    if len(data) >= len(raw):
        return Packed(zlib.crc32(raw), len(raw), zipfile.ZIP_STORED, raw)
    return Packed(zlib.crc32(raw), len(raw), zipfile.ZIP_DEFLATED, data)


def stored(file: BinaryIO, info: zipfile.ZipInfo) -> Packed:
    """A part of an open zip as it is stored, to be copied without inflating it."""
    file.seek(info.header_offset)
    header = file.read(30)
    if header[:4] != _LOCAL:
        raise Unpatchable(f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<2H", header[26:30])
    file.seek(info.header_offset + 30 + name_len + extra_len)
    return Packed(info.CRC, info.file_size, info.compress_type, file.read(info.compress_size))


def unpack(part: Packed, name: str) -> bytes:
    """The part's bytes, checked against its CRC and size."""
    data = zlib.decompress(part.data, -15) if part.method == zipfile.ZIP_DEFLATED else part.data
    if zlib.crc32(data) != part.crc or len(data) != part.size:
        raise zipfile.BadZipFile(f"{name}: bad CRC")
    return data


def write_zip(entries: Iterable[tuple[str, Packed, DateTime]]) -> bytes:
    """A zip of (name, part, modified) entries, in that order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, part, date_time in entries:
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        dos_time, dos_date = _dos(date_time)
        if max(part.size, len(part.data), offset) >= 0xFFFFFFFF or len(central) >= 0xFFFF:
            raise Unpatchable("too big for a plain zip")
        local = struct.pack("<4s5H3L2H", _LOCAL, 20, flags, part.method, dos_time, dos_date, part.crc,
                            len(part.data), part.size, len(encoded), 0) + encoded
        central.append(struct.pack("<4s6H3L5H2L", _CENTRAL, 20, 20, flags, part.method, dos_time, dos_date,
                                   part.crc, len(part.data), part.size, len(encoded), 0, 0, 0, 0, 0, offset)
                       + encoded)
        out += (local, part.data)
        offset += len(local) + len(part.data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", _END, 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join([*out, directory, end])  # one copy of the whole: a copy is 10 MB for 10,000 visits


def _dos(date_time: DateTime) -> tuple[int, int]:
    """(time, date) as MS-DOS packs them; years before 1980 read as 1980."""
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), (max(year, 1980) - 1980) << 9 | (month << 5) | day

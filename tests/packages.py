"""Workbook packages taken apart and put together again, for the tests of bad and hostile
files: a part replaced or added, sizes the package declares falsely, bytes that are no
package at all (an Office binary file, a CSV, a web page)."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def write_package(path: Path, contents: dict[str, bytes] | list[tuple[str, bytes]]) -> Path:
    items = contents.items() if isinstance(contents, dict) else contents
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            z.writestr(name, data)
    return path


def replace_part(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    contents = parts(src)
    contents[part] = change(contents[part])
    return write_package(dst, contents)


def sheet_part(path: Path, index: int = 1) -> str:
    """The part of the index-th sheet (openpyxl's naming: the contract's order)."""
    return f"xl/worksheets/sheet{index}.xml"


def add_rows(xml: bytes, rows: bytes) -> bytes:
    """Sheet XML with `rows` (row elements) added at the end of its data."""
    if b"<sheetData/>" in xml:
        return xml.replace(b"<sheetData/>", b"<sheetData>" + rows + b"</sheetData>")
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def deflate(chunks) -> tuple[bytes, int, int]:
    """The raw deflate stream of the byte chunks, their total size and CRC-32 (a large
    part made without holding it in memory)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    body, size, crc = bytearray(), 0, 0
    for chunk in chunks:
        body += compressor.compress(chunk)
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
    body += compressor.flush()
    return bytes(body), size, crc


def write_raw_part(path: Path, contents: dict[str, bytes], name: str, stream: tuple[bytes, int, int]) -> Path:
    """A package of `contents` in which the part `name` is the deflate `stream` (body,
    size, CRC) as given: the size and CRC it declares may be false (a lying header)."""
    body, size, crc = stream
    write_package(path, {k: v for k, v in contents.items() if k != name})
    raw = path.read_bytes()
    end = raw.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack_from("<HII", raw, end + 10)
    encoded = name.encode()
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), size, len(encoded), 0)
    entry = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(body), size, len(encoded),
                        0, 0, 0, 0, 0, cd_offset)
    central = raw[cd_offset:end] + entry + encoded
    tail = bytearray(raw[end:])
    struct.pack_into("<HHII", tail, 8, count + 1, count + 1, len(central), cd_offset + len(local) + len(encoded)
                     + len(body))
    path.write_bytes(raw[:cd_offset] + local + encoded + body + central + bytes(tail))
    return path


def office_binary(*streams: str) -> bytes:
    """The start of an Office binary (compound) file whose directory names `streams`:
    an old .xls holds `Workbook`; a password-protected .xlsx is such a file holding
    `EncryptionInfo` and `EncryptedPackage` (MS-OFFCRYPTO 2.3.4) instead of a zip."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + bytes(512 - 30)
    directory = b"".join(s.encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 2 * len(s) + 2) + bytes(62)
                         for s in ("Root Entry", *streams))
    return header + directory.ljust(512 * 4, b"\0")

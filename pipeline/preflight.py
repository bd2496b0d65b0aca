"""Before a workbook is opened: is it one, and is it safe to open?

Workbooks come from staff and from other systems: some are not workbooks at all (a CSV,
a Word file or an old .xls renamed .xlsx, a password-protected file, half a download),
and a hostile one can be built to exhaust memory. `inspect` looks at the file before
any parser does and raises a WorkbookError that says what the file is and what to do:

- not a zip package: empty, text (CSV), a web page, an old .xls or a password-protected
  workbook (both Office binary files, told apart by the encryption stream), or damaged;
- a zip package that is not an .xlsx workbook: a Word or PowerPoint file, an .ods or an
  .xlsb (each: save it as .xlsx);
- an .xlsx too big to read safely: too many parts, a part or all parts too large once
  inflated, or compressed more than any spreadsheet is (a zip bomb). The sizes are those
  the package declares; both zip readers (Python's and calamine's) refuse a part that
  inflates beyond its declared size, so the declared sizes bound the memory;
- two parts of one name (readers may pick different ones), or an XML part with a
  document type declaration (which Excel never writes: it is how entity bombs and
  external entities get in). Calamine does not expand entities and defusedxml refuses
  them; this refuses the file with a clear message before either sees it.

`check_sheet` is for the reader, on a worksheet part's XML before calamine parses it:
calamine allocates the whole rectangle from the first to the last cell holding a value,
so one value in XFD1048576 asks for 17 billion cells and aborts the process (calamine
issue 693). Two patterns pass the sheets where every cell is written the usual way with
a reference within BZ99999 or within Z299999 (at most 7.8 million cells); any other sheet
is counted cell by cell, as calamine reads it, and refused when its rectangle exceeds
MAX_SHEET_CELLS. (The patterns cost about 0.5 s of CPU on the 128 MB of sheet XML of
the 10,000-visit benchmark; the count is for the rare sheet they do not pass.)

The limits are the named constants below; each has a test.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from .errors import WorkbookError

MAX_PARTS = 10_000  # parts in one package (a real workbook has tens; with images hundreds)
MAX_PART_BYTES = 256 * 2**20  # one part, inflated (the 10,000-visit benchmark's largest is 42 MiB)
MAX_TOTAL_BYTES = 1024 * 2**20  # all parts together, inflated
MAX_COMPRESSION_RATIO = 250  # inflated ÷ compressed, for parts over RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 2**20  # small parts may be compressed any amount
MAX_SHEET_CELLS = 8_000_000  # rows × columns from a sheet's first to its last value
PROLOG_BYTES = 64 * 2**10  # how far into an XML part its root element must start

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office binary files (.xls, .doc, encrypted .xlsx)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def inspect(path: Path) -> None:
    """Raise a WorkbookError naming what the file at `path` is, unless it is an .xlsx
    package that is safe to hand to the readers."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as e:
        raise WorkbookError.of(path, "file.cannot_open", reason=e.strerror or str(e)) from None
    if size == 0:
        raise WorkbookError.of(path, "file.empty")
    if head.startswith(_OLE):
        raise WorkbookError.of(path, _ole_kind(path))
    if not head.startswith(_ZIP):
        raise WorkbookError.of(path, _text_kind(head))
    try:
        with zipfile.ZipFile(path) as z:
            _check_package(path, z)
    except zipfile.BadZipFile:
        raise WorkbookError.of(path, "file.damaged") from None
    except (zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, ValueError, OSError):
        # zip64 oddities, a corrupt stream, unknown compression methods, zip encryption, a torn archive
        raise WorkbookError.of(path, "file.damaged") from None


# ---- not a zip package -------------------------------------------------------------------

def _ole_kind(path: Path) -> str:
    """An Office binary file: its directory names its streams (UTF-16), and an encrypted
    .xlsx holds `EncryptionInfo` where an old .xls holds `Workbook` (or `Book`)."""
    data = path.read_bytes()[: 64 * 2**20]
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return "file.password"
    if "WordDocument".encode("utf-16-le") in data:
        return "file.document"
    return "file.old_xls"


def _text_kind(head: bytes) -> str:
    """What a file that is no package at all looks like from its first bytes."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 ("Unicode text" from Excel)
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return "file.web_page"
    if b"\0" not in head:
        try:
            head.decode("utf-8")
            return "file.text"
        except UnicodeDecodeError as e:
            if e.start >= len(head) - 3:  # a character cut by the 4 KiB window
                return "file.text"
        try:
            head.decode("gb18030")
            return "file.text"
        except UnicodeDecodeError:
            pass
    return "file.damaged"


# ---- a zip package -----------------------------------------------------------------------

def _check_package(path: Path, z: zipfile.ZipFile) -> None:
    infos = z.infolist()
    if len(infos) > MAX_PARTS:
        raise WorkbookError.of(path, "file.too_many_parts", parts=f"{len(infos):,}", limit=f"{MAX_PARTS:,}")
    names = [i.filename for i in infos]
    kind = _package_kind(z, set(names))
    if kind:
        raise WorkbookError.of(path, kind)
    if len({n.replace("\\", "/").casefold() for n in names}) != len(names):
        raise WorkbookError.of(path, "file.duplicate_parts")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookError.of(path, "file.password")
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookError.of(path, "file.part_too_large", part=info.filename, size=_mib(info.file_size),
                                   limit=_mib(MAX_PART_BYTES))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise WorkbookError.of(path, "file.compression", part=info.filename, ratio=f"{ratio:,.0f}",
                                   limit=MAX_COMPRESSION_RATIO)
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError.of(path, "file.too_large", size=_mib(total), limit=_mib(MAX_TOTAL_BYTES))
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_doctype(z, info):
            raise WorkbookError.of(path, "file.doctype", part=info.filename)


def _package_kind(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The message key for a zip package that is not an .xlsx workbook, else None."""
    if "xl/workbook.xml" in names:
        return None
    if "mimetype" in names:
        mimetype = z.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return "file.ods"
        if b"opendocument.presentation" in mimetype:
            return "file.presentation"
        if b"opendocument" in mimetype:
            return "file.document"
    if "word/document.xml" in names:
        return "file.document"
    if "xl/workbook.bin" in names:
        return "file.xlsb"
    if any(n.startswith("ppt/") for n in names):
        return "file.presentation"
    return "file.not_workbook"


_XML_DECL = re.compile(rb"<\?.*?\?>", re.S)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)


def _has_doctype(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part declares a document type before its root element (or is so odd
    that its root element does not start within PROLOG_BYTES)."""
    with z.open(info) as f:
        head = f.read(PROLOG_BYTES)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    pos = 0
    while True:
        while pos < len(head) and head[pos] in b" \t\r\n\xef\xbb\xbf":
            pos += 1
        if head.startswith(b"<?", pos):
            m = _XML_DECL.match(head, pos)
        elif head.startswith(b"<!--", pos):
            m = _COMMENT.match(head, pos)
        elif head.startswith(b"<!", pos):
            return True  # <!DOCTYPE …
        else:
            # the root element, text that no reader accepts, or an empty part
            return pos >= len(head) and len(head) == PROLOG_BYTES
        if m is None:
            return len(head) == PROLOG_BYTES  # a prolog longer than any writer makes
        pos = m.end()


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


# ---- the cells of a worksheet ------------------------------------------------------------

def _usual_cells(reference: bytes) -> re.Pattern:
    """A `<c` tag that is not written as every writer writes a cell: its reference first,
    matching `reference`, then only short attributes that are not `r` (s, t, cm, vm, ph).
    (A self-closing `<c …/>` holds no value, so calamine does not place it at all.)"""
    return re.compile(rb'<c(?! r="' + reference + rb'"(?: [a-qs-z]\w?="\w*+")*+/?>)[\s>/]')


# Where no tag fails one of these, no value lies beyond BZ99999 (78 × 99,999 cells), or
# beyond Z299999 (26 × 299,999: a long sheet of few columns).
_UNUSUAL_CELLS = (_usual_cells(rb"[A-Ba-b]?[A-Za-z][0-9]{1,5}"), _usual_cells(rb"[A-Za-z][0-2]?[0-9]{1,5}"))
_PREFIXED_CELL = re.compile(rb":c[\s>/]")  # <x:c …>: a namespace prefix, which no pattern covers
assert max(78 * 99_999, 26 * 299_999) <= MAX_SHEET_CELLS

# Every row and cell start tag and every row end tag, as calamine reads them: any
# namespace prefix, attribute values in either quotes (they may hold `>`).
_TAG = re.compile(rb"""<(?:/(?:[\w.-]+:)?row\s*>|(?:[\w.-]+:)?(row|c)(?=[\s>/])((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>)""")
_R_ATTR = re.compile(rb"""(?<![\w:.-])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")


def check_sheet(data: bytes, path: Path, sheet: str) -> None:
    """Raise a WorkbookError when the worksheet XML `data` spans more than MAX_SHEET_CELLS."""
    if _PREFIXED_CELL.search(data) is None and any(p.search(data) is None for p in _UNUSUAL_CELLS):
        return
    rows, cols = sheet_extent(data)
    if rows * cols > MAX_SHEET_CELLS:
        raise WorkbookError.of(path, "file.sheet_too_large", sheet=sheet, rows=f"{rows:,}", columns=f"{cols:,}",
                               cells=f"{rows * cols:,}", limit=f"{MAX_SHEET_CELLS:,}")


def sheet_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) of the rectangle calamine allocates for the worksheet XML `data`,
    at most: from the first to the last cell it reads. A cell with a reference (`r`; the
    last, if given twice) is there; one without follows the cell before it in its row; a
    row without one follows the row before it; empty tags (`<c …/>`) hold nothing."""
    top = left = 2**63
    bottom = right = -1
    row = col = 0
    for m in _TAG.finditer(data):
        name, attrs = m.groups()
        if name is None:  # </row>
            row, col = row + 1, 0
            continue
        if attrs.endswith(b"/") or attrs.rstrip().endswith(b"/"):
            continue
        ref = reference_of(attrs)
        if name == b"row":
            if ref is not None and ref.isdigit():
                row = int(ref) - 1
            continue
        if ref is None:
            r, c = row, col
        else:
            at = position(ref)
            if at is None:
                continue  # calamine refuses the sheet
            r, c = at
        col = c + 1
        top, bottom, left, right = min(top, r), max(bottom, r), min(left, c), max(right, c)
    if bottom < 0:
        return 0, 0
    return bottom - top + 1, right - left + 1


def reference_of(attrs: bytes) -> bytes | None:
    """The reference a tag's attributes give (its last `r`, in either quotes), as
    calamine reads it; None when it has none."""
    refs = _R_ATTR.findall(attrs)
    return (refs[-1][0] or refs[-1][1]) if refs else None


def position(reference: bytes) -> tuple[int, int] | None:
    """The 0-based (row, column) of a cell reference (`B12`, in either case); None when
    it is none calamine reads."""
    parts = _REF.fullmatch(reference)
    return (int(parts[2]) - 1, _column(parts[1])) if parts else None


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1

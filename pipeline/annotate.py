"""An annotated copy of the checked workbook: each cell at fault coloured by severity and
carrying a comment that lists its findings. Findings that have no cell (a missing sheet)
are listed on a "Check notes" sheet added at the front, with a legend of the colours.

The copy is made by patching the user's .xlsx package, not by loading and re-saving the
workbook. Every part is copied byte for byte (still compressed) except:

- the styles part: for each style a marked cell uses, a clone with the severity's fill
  is appended to `cellXfs` (the fills and the bold fonts of the notes sheet too);
- each sheet with marked cells: the `s` attribute of those cells (a blank cell at fault
  is created, and its row if the sheet has none), the dimension if it grows, and a
  `<legacyDrawing>` for the comments; the other sheets only lose `tabSelected`;
- comments: a comments part and a legacy VML drawing per marked sheet, with their
  relationships and content types. Where the sheet already has comments, ours are
  added to its comments part and drawing; on a cell that already has the user's comment
  our text goes above theirs and the whole comment becomes plain text (its runs'
  formatting is lost, as it was when openpyxl saved the copy);
- the notes sheet: a new worksheet part written here (inline strings), first in
  workbook.xml (the sheet indexes of defined names shift by one), with its relationship,
  content type and docProps/app.xml title;
- a macro-enabled workbook loses its VBA project (the copy is an .xlsx).

So values, number formats, shared strings, validation, conditional formats, images,
charts and whatever else the workbook holds are kept exactly (the date system does not
matter: nothing written here is a date), and the cost is a few regular-expression passes
over the marked sheets' XML plus compressing them again. The small parts are parsed with
defusedxml (no DTDs, no entity expansion); sheets are patched as text with patterns
that rely on what any writer produces: no DTD, comments, CDATA or processing
instructions, UTF-8, rows and cells with their `r` reference in ascending order. A
package that breaks one of those assumptions raises `Unpatchable` and is annotated the
old way instead: loaded with openpyxl (formatting kept), marked and saved
(`_annotate_with_openpyxl`), which is slower and drops what openpyxl does not support.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import warnings
import zipfile
import zlib
from bisect import bisect_right
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook as Book
from openpyxl.worksheet.worksheet import Worksheet

from .checks import CheckResult
from .errors import WorkbookError
from .findings import SEVERITIES, SEVERITY_ORDER, Finding, worst
from .i18n import t
from .model import Workbook
from .report import HEADER_COLOUR, LINE_HEIGHT, SEVERITY_COLOURS, legal, safe_sheet_name, wrapped_lines

AUTHOR = "reception pipeline"
FILLS = {s: PatternFill(fill_type="solid", start_color=fill, end_color=fill)
         for s, (fill, _) in SEVERITY_COLOURS.items()}
COMMENT_WIDTH_PX = 320
COMMENT_LINE_UNITS = 48  # digit widths of comment text (Tahoma 9) on one line of that width
COMMENT_LINE_PX = 15
COMMENT_MAX_HEIGHT_PX = 420
HEADER_FILL = PatternFill(fill_type="solid", start_color=HEADER_COLOUR, end_color=HEADER_COLOUR)
NOTE_COLUMNS = ("severity", "clause", "visit_id", "sheet", "row", "column", "rule", "message")
NOTE_WIDTHS = {"severity": 14, "clause": 12, "visit_id": 14, "sheet": 14, "row": 7, "column": 16, "rule": 24,
               "message": 80}


@dataclass(frozen=True)
class Place:
    sheet: str  # the sheet name as written
    row: int  # Excel row
    col: int  # Excel column (1-based)


class Unpatchable(Exception):
    """The package holds something the patcher does not handle safely."""


def annotate_copy(result: CheckResult) -> bytes:
    """The checked workbook with its findings marked on their cells, as .xlsx bytes.

    Raises WorkbookError when neither way can make it: a package damaged in a part
    calamine never reads (no content types, a broken style or relationship part)."""
    try:
        return _annotate_by_patching(result)
    except Exception:  # noqa: BLE001 - Unpatchable, XML the parser refuses, or a case the patcher
        # got wrong: the copy is still made, the slow way (the tests make sure the usual
        # workbooks never get here)
        pass
    try:
        return _annotate_with_openpyxl(result)
    except Exception:  # noqa: BLE001 - openpyxl's errors on a damaged package are of every kind
        raise WorkbookError.of(result.workbook.path, "file.cannot_annotate") from None


def place_findings(findings: list[Finding], wb: Workbook, sheet_names: set[str]
                   ) -> tuple[dict[Place, list[Finding]], list[Finding]]:
    """The findings grouped by the cell they go on, and those that have no cell."""
    infos = {info.name: info for info in wb.sheets.values()}
    placed: dict[Place, list[Finding]] = defaultdict(list)
    unplaced: list[Finding] = []
    for f in findings:
        if f.sheet not in sheet_names or f.row is None:
            unplaced.append(f)
            continue
        info = infos.get(f.sheet)
        columns = info.columns if info else {}
        index = columns.get(f.field) if f.field else None
        if index is None:  # the whole row, or a column the sheet lacks: the row's first cell
            index = columns.get("visit_id", 0)
        placed[Place(f.sheet, f.row, index + 1)].append(f)
    return dict(placed), unplaced


def comment_line(f: Finding, lang: str) -> str:
    """`[error] §3.1.1 visit.client_org: 'Client organisation' is blank: …`"""
    head = " ".join(p for p in (f"[{t(lang, f'severity.{f.severity}')}]", f"§{f.clause}" if f.clause else "",
                                f.rule) if p)
    return f"{head}: {f.message}"


def _comment_text(findings: list[Finding], lang: str) -> str:
    """Our comment for one cell: its findings, the worst first."""
    findings = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    return legal("\n".join(comment_line(f, lang) for f in findings))


def _comment_height(text: str) -> int:
    return min(COMMENT_LINE_PX * wrapped_lines(text, COMMENT_LINE_UNITS) + 12, COMMENT_MAX_HEIGHT_PX)


def _notes_lines(result: CheckResult, unplaced: list[Finding], placed: int) -> list[str]:
    lang = result.lang
    lines = []
    if not result.findings:
        lines.append(t(lang, "report.annotated.none"))
    if placed:
        lines.append(t(lang, "report.annotated.placed", count=placed))
    if unplaced:
        lines.append(t(lang, "report.annotated.unplaced", count=len(unplaced)))
    elif result.findings:
        lines.append(t(lang, "report.annotated.all_placed"))
    return lines


def _note_values(f: Finding, lang: str) -> dict:
    return {"severity": t(lang, f"severity.{f.severity}"), "clause": f"§{f.clause}" if f.clause else "",
            "rule": f.rule, "visit_id": f.visit_id or t(lang, "report.workbook_level"),
            "sheet": f.sheet or "", "row": f.row, "column": f.column or "", "message": f.message}


def _free_name(taken_names, name: str) -> str:
    name = safe_sheet_name(name)
    taken = {n.casefold() for n in taken_names}
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name[:27]} ({n})"
    return candidate


# =================================================================================================
# Patching the package
# =================================================================================================

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_OFFICE_DOCUMENT = REL_NS + "/officeDocument"
REL_WORKSHEET = REL_NS + "/worksheet"
REL_STYLES = REL_NS + "/styles"
REL_COMMENTS = REL_NS + "/comments"
REL_VML = REL_NS + "/vmlDrawing"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
CT_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_MACRO_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
VML_NS = {b"v": b"urn:schemas-microsoft-com:vml", b"o": b"urn:schemas-microsoft-com:office:office",
          b"x": b"urn:schemas-microsoft-com:office:excel"}
VML_BLOCK = 1024  # shape ids come in blocks of 1024, listed in <o:idmap data="...">
DEFAULT_COL_PX, DEFAULT_ROW_PX = 64, 20
DEFLATE_LEVEL = 6

_ATTR = re.compile(rb'\s+([\w.:-]+)\s*=\s*("[^"]*"|\'[^\']*\')')
_NAME = rb"[A-Za-z_][\w.-]*"
_XMLDECL = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*(<\?xml\b[^>]*\?>)?\s*')
_ENCODING = re.compile(rb'encoding\s*=\s*["\']([^"\']+)')
_ROOT = re.compile(rb'<(?:(' + _NAME + rb'):)?(' + _NAME + rb')\b[^>]*>')
_XMLNS = re.compile(rb'\sxmlns(?::(' + _NAME + rb'))?\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_TRUE = (b"1", b"true")


def _annotate_by_patching(result: CheckResult) -> bytes:
    with _Package(result.workbook.path) as pkg:
        book = _BookParts(pkg)
        placed, unplaced = place_findings(result.findings, result.workbook, set(book.sheet_parts))
        by_sheet: dict[str, dict[Place, list[Finding]]] = defaultdict(dict)
        for where, findings in placed.items():
            by_sheet[where.sheet][where] = findings
        pkg.prefetch(book.sheet_parts[name] for name in by_sheet)
        styles = book.styles()
        shape_blocks = _VmlBlocks(pkg)
        for name, part in book.sheet_parts.items():
            if name in by_sheet:
                _annotate_sheet(pkg, part, by_sheet[name], styles, shape_blocks, result.lang)
            else:
                book.unselect(part)
        for part in book.chart_sheet_parts:
            book.unselect_chart_sheet(part)
        notes_name = _free_name(book.sheet_parts, t(result.lang, "report.annotated.notes_sheet"))
        notes = _NotesSheet(result, unplaced, sum(len(fs) for fs in placed.values()), styles, notes_name)
        book.add_first_sheet(notes_name, notes.xml(), notes.defined_names())
        pkg.put(book.styles_part, styles.xml())
        book.save()
        return pkg.write()


def _annotate_sheet(pkg: _Package, part: str, places: dict[Place, list[Finding]], styles: _StyleSheet,
                    blocks: _VmlBlocks, lang: str) -> None:
    """Mark one sheet's cells and put the comments on them."""
    sheet = _SheetXml(pkg.read(part))
    cells: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    for where, findings in places.items():  # inside a merged range: on the range's top-left cell
        cells[sheet.top_left(where.row, where.col)].extend(findings)
    sheet.mark({cell: worst(fs) for cell, fs in cells.items()}, styles)
    rels = _Rels(pkg, _rels_part(part))
    comments_part = rels.target_of_type(REL_COMMENTS)
    vml_id = sheet.legacy_drawing_id()
    vml_part = rels.target(vml_id) if vml_id else None
    if vml_id and (vml_part is None or not pkg.has(vml_part)):
        raise Unpatchable(f"{part}: its legacy drawing is missing")
    if comments_part is not None and not pkg.has(comments_part):
        raise Unpatchable(f"{part}: its comments part is missing")

    ours = {cell: _comment_text(fs, lang) for cell, fs in cells.items()}
    comments = _Comments(pkg.read(comments_part) if comments_part else None)
    new_cells = comments.add(ours)  # cells that had no comment yet: they need a shape
    if comments_part is None:
        comments_part = pkg.new_name(posixpath.join(_folder_up(part), "comments{}.xml"))
        rels.add(REL_COMMENTS, comments_part)
        pkg.content_types.override(comments_part, CT_COMMENTS)
    pkg.put(comments_part, comments.xml())

    geometry = sheet.geometry()
    if vml_part is None:  # a drawing with a box for every comment
        vml_part = pkg.new_name(posixpath.join(_folder_up(part), "drawings/vmlDrawing{}.vml"))
        rid = rels.add(REL_VML, vml_part)
        pkg.content_types.vml(vml_part)
        shapes = [(r, c, _comment_height(comments.text(r, c))) for r, c in sorted(comments.cells())]
        pkg.put(vml_part, _new_vml(shapes, blocks, geometry))
        sheet.add_legacy_drawing(rid)
    elif new_cells:  # the user's drawing, with boxes for the comments that are new
        shapes = [(r, c, _comment_height(comments.text(r, c))) for r, c in sorted(new_cells)]
        pkg.put(vml_part, _extend_vml(pkg.read(vml_part), shapes, blocks, geometry))
    rels.save()
    sheet.unselect()
    pkg.put(part, sheet.bytes(), compress_later=True)


def _folder_up(part: str) -> str:
    """The folder above a sheet's (`xl` for xl/worksheets/sheet1.xml): where comments go."""
    return posixpath.dirname(posixpath.dirname(part))


# ---- the package -------------------------------------------------------------------------------

class _Package:
    """The zip package: parts read on demand, parts replaced or added, and written again
    with every untouched part's compressed bytes copied as they are."""

    def __init__(self, path):
        self._file = open(path, "rb")
        self._zip = None
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        self._zip = zipfile.ZipFile(self._file)
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            if info.flag_bits & 0x1:
                raise Unpatchable("an encrypted part")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unpatchable(f"{info.filename}: compression {info.compress_type}")
            if info.filename.lower() in self._infos:
                raise Unpatchable(f"{info.filename} twice in the package")
            self._infos[info.filename.lower()] = info
        self._new: dict[str, bytes | Future] = {}  # by lower-case name
        self._inflating: dict[str, Future] = {}
        self._names: dict[str, str] = {}  # lower-case -> as written, for added parts
        self._removed: set[str] = set()
        self.content_types = _ContentTypes(self)

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._zip is not None:
            self._zip.close()
        self._file.close()

    def has(self, name: str) -> bool:
        key = name.lower()
        return key not in self._removed and (key in self._new or key in self._infos)

    def read(self, name: str) -> bytes:
        key = name.lower()
        if key in self._removed:
            raise Unpatchable(f"{name} was removed")
        if key in self._new:
            data = self._new[key]
            return data.result()[2] if isinstance(data, Future) else data
        if key not in self._infos:
            raise Unpatchable(f"{name} is not in the package")
        if key in self._inflating:
            return self._inflating.pop(key).result()
        return self._zip.read(self._infos[key])

    def prefetch(self, names) -> None:
        """Start decompressing these parts in threads (zlib lets go of the GIL)."""
        for name in names:
            key = name.lower()
            if key in self._infos and key not in self._new and key not in self._inflating:
                info = self._infos[key]
                self._inflating[key] = self._pool.submit(_inflate, self._raw(info), info)

    def put(self, name: str, data: bytes, compress_later: bool = False) -> None:
        """Replace or add a part; a big one is compressed in a thread at once (zlib lets go
        of the GIL), while the next sheet is patched."""
        key = name.lower()
        self._removed.discard(key)
        if key not in self._infos:
            self._names[key] = name
        self._new[key] = self._pool.submit(_deflate, data) if compress_later else data

    def remove(self, name: str) -> None:
        self._removed.add(name.lower())
        self._new.pop(name.lower(), None)

    def names(self) -> list[str]:
        return [i.filename for k, i in self._infos.items() if k not in self._removed] + list(self._names.values())

    def new_name(self, pattern: str) -> str:
        """The first unused part name of `pattern` with a number from 1."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    def write(self) -> bytes:
        self.content_types.save()
        out = io.BytesIO()
        central = []
        modified = {k: v for k, v in self._new.items() if not isinstance(v, Future)}
        jobs = {k: self._pool.submit(_deflate, v) for k, v in modified.items() if len(v) > 1 << 16}
        default_time = self._infos.get("xl/workbook.xml", next(iter(self._infos.values()))).date_time
        for key, info in [*self._infos.items(), *((k, None) for k in self._names)]:
            if key in self._removed:
                continue
            name = info.filename if info is not None else self._names[key]
            date_time = info.date_time if info is not None else default_time
            if key in self._new:
                value = self._new[key]
                job = value if isinstance(value, Future) else jobs.get(key)
                crc, size, _, packed = job.result() if job is not None else _deflate(value)
                method = zipfile.ZIP_DEFLATED
            else:
                packed, crc, size, method = self._raw(info), info.CRC, info.file_size, info.compress_type
            if max(size, len(packed), out.tell()) >= 0xFFFFFFFF or len(central) >= 0xFFFF:
                raise Unpatchable("too big for a plain zip")
            central.append(_zip_entry(out, name, date_time, method, crc, len(packed), size, packed))
        start = out.tell()
        for entry in central:
            out.write(entry)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                              out.tell() - start, start, 0))
        return out.getvalue()

    def _raw(self, info: zipfile.ZipInfo) -> bytes:
        """A part's compressed bytes as they are stored."""
        self._file.seek(info.header_offset)
        header = self._file.read(30)
        if header[:4] != b"PK\x03\x04":
            raise Unpatchable(f"{info.filename}: bad local header")
        name_len, extra_len = struct.unpack("<2H", header[26:30])
        self._file.seek(info.header_offset + 30 + name_len + extra_len)
        return self._file.read(info.compress_size)


def _inflate(raw: bytes, info: zipfile.ZipInfo) -> bytes:
    data = zlib.decompress(raw, -15) if info.compress_type == zipfile.ZIP_DEFLATED else raw
    if zlib.crc32(data) != info.CRC or len(data) != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename}: bad CRC")
    return data


def _deflate(data: bytes) -> tuple[int, int, bytes, bytes]:
    """(CRC-32, size, the data, its raw deflate stream)."""
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(data), len(data), data, packer.compress(data) + packer.flush()


def _zip_entry(out: io.BytesIO, name: str, date_time, method: int, crc: int, packed_size: int, size: int,
               packed: bytes) -> bytes:
    """Write one local header and the data; the central directory record for it."""
    encoded = name.encode("utf-8")
    flags = 0x800 if not name.isascii() else 0
    year, month, day, hour, minute, second = date_time
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = (max(year, 1980) - 1980) << 9 | (month << 5) | day
    offset = out.tell()
    out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, dos_time, dos_date, crc, packed_size, size,
                          len(encoded), 0))
    out.write(encoded)
    out.write(packed)
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, dos_time, dos_date, crc, packed_size,
                       size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded


# ---- XML as text -------------------------------------------------------------------------------

def _prolog(data: bytes, part: str) -> int:
    """Where the root element starts, after checking the XML declaration: UTF-8, no DTD."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Unpatchable(f"{part}: UTF-16")
    m = _XMLDECL.match(data)
    if m.group(1):
        enc = _ENCODING.search(m.group(1))
        if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            raise Unpatchable(f"{part}: encoding {enc.group(1)!r}")
    if data.startswith(b"<!", m.end()) or data.startswith(b"<?", m.end()):
        raise Unpatchable(f"{part}: a DTD, comment or processing instruction before the root")
    return m.end()


def _root(data: bytes, part: str, ns: str, local: bytes) -> tuple[bytes, re.Match]:
    """The prefix (b"" or b"x:") the root element `local` of namespace `ns` is written with,
    and the root's start tag."""
    m = _ROOT.match(data, _prolog(data, part))
    if not m or m.group(2) != local:
        raise Unpatchable(f"{part}: the root is not <{local.decode()}>")
    prefix = m.group(1) or b""
    if _namespaces(m.group(0)).get(prefix) != ns.encode():
        raise Unpatchable(f"{part}: <{local.decode()}> is not in {ns}")
    return (prefix + b":" if prefix else b""), m


def _namespaces(tag: bytes) -> dict[bytes, bytes]:
    """Prefix (b"" for the default) -> namespace, as declared on one start tag."""
    return {m.group(1) or b"": m.group(2) if m.group(2) is not None else m.group(3) for m in _XMLNS.finditer(tag)}


def _no_markup_surprises(data: bytes, part: str, start: int) -> None:
    """Refuse `<!--`, `<![CDATA[`, `<!DOCTYPE` and `<?...?>` after the prolog. Looked for
    as the rare `!` and `?` (a one-byte search is a fast memchr) preceded by `<`."""
    for mark in (b"!", b"?"):
        at = data.find(mark, start)
        while at >= 0:
            if data[at - 1:at] == b"<":
                raise Unpatchable(f"{part}: comments, CDATA, DTD or processing instructions")
            at = data.find(mark, at + 1)


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    """A start tag's attributes, values as written (still escaped)."""
    return {m.group(1): m.group(2)[1:-1] for m in _ATTR.finditer(tag)}


def _set_attr(tag: bytes, name: bytes, value: bytes | None) -> bytes:
    """The start tag with attribute `name` set to `value` (or removed, for None)."""
    for m in _ATTR.finditer(tag):
        if m.group(1) == name:
            if value is None:
                return tag[:m.start()] + tag[m.end():]
            return tag[:m.start()] + b" " + name + b'="' + value + b'"' + tag[m.end():]
    if value is None:
        return tag
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    while tag[end - 1:end].isspace():
        end -= 1
    return tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]


def _esc(text: str) -> bytes:
    return escape(text).encode("utf-8", "replace")


def _esc_attr(text: str) -> bytes:
    return escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}).encode("utf-8", "replace")


def _parse(data: bytes):
    return SafeET.fromstring(data, forbid_dtd=True)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element(data: bytes, prefix: bytes, local: bytes, start: int = 0, end: int | None = None,
             last: bool = False) -> tuple[int, int, int, int] | None:
    """(start of the start tag, its end, start of the end tag, end of the element) of the
    first element `local` from `start`; an empty element has its end tag where its start
    tag ends. `last`: the element is the only one of its name and its end tag is looked
    for from the end (sheetData: the end of a big part is near)."""
    pattern = re.compile(rb"<" + re.escape(prefix + local) + rb"(?=[\s/>])[^>]*>")
    m = pattern.search(data, start, len(data) if end is None else end)
    if not m:
        return None
    if m.group(0).endswith(b"/>"):
        return m.start(), m.end(), m.end(), m.end()
    end_tag = b"</" + prefix + local + b">"
    close = data.rfind(end_tag, m.end()) if last else data.find(end_tag, m.end())
    if close < 0:
        raise Unpatchable(f"<{local.decode()}> is not closed")
    return m.start(), m.end(), close, close + len(prefix) + len(local) + 3


def _insert_children(data: bytes, prefix: bytes, local: bytes, children: bytes, count_delta: int | None = None
                     ) -> bytes:
    """Append `children` to the first element `local` (opening an empty one), adding
    `count_delta` to its count attribute if it has one."""
    span = _element(data, prefix, local)
    if span is None:
        raise Unpatchable(f"no <{local.decode()}>")
    start, tag_end, close, end = span
    tag = data[start:tag_end]
    if count_delta is not None and b"count" in _attrs(tag):
        count = int(_attrs(tag)[b"count"]) + count_delta
        tag = _set_attr(tag, b"count", str(count).encode())
    if close == tag_end and data[start:tag_end].endswith(b"/>"):  # <x/>: open it
        tag = tag[:-2].rstrip() + b">"
        return data[:start] + tag + children + b"</" + prefix + local + b">" + data[end:]
    return data[:start] + tag + data[tag_end:close] + children + data[close:]


# ---- relationships and content types -----------------------------------------------------------

def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    """The part name a relationship target points to, from the part `source`."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relative(source: str, part: str) -> str:
    return quote(posixpath.relpath(part, posixpath.dirname(source) or "."), safe="/")


class _Rels:
    """One relationships part: read, added to, written back as text."""

    def __init__(self, pkg: _Package, name: str):
        self.pkg, self.name = pkg, name
        self.source = posixpath.join(posixpath.dirname(posixpath.dirname(name)),
                                     posixpath.basename(name)[:-len(".rels")])
        self.data = pkg.read(name) if pkg.has(name) else None
        self.rels: list[tuple[str, str, str, str]] = []  # (id, type, target part, mode)
        self.added: list[bytes] = []
        self.removed: set[str] = set()
        self.prefix = b""
        if self.data is not None:
            self.prefix = _root(self.data, name, PKG_REL_NS, b"Relationships")[0]
            for el in _parse(self.data):
                if _local(el.tag) == "Relationship":
                    mode = el.get("TargetMode", "Internal")
                    target = el.get("Target", "")
                    self.rels.append((el.get("Id", ""), el.get("Type", ""),
                                      target if mode == "External" else _resolve(self.source, target), mode))

    def target(self, rid: str) -> str | None:
        return next((target for i, _, target, mode in self.rels if i == rid and mode != "External"), None)

    def target_of_type(self, rtype: str) -> str | None:
        found = [target for _, kind, target, mode in self.rels if kind == rtype and mode != "External"]
        if len(found) > 1:
            raise Unpatchable(f"{self.name}: {len(found)} relationships of type {rtype}")
        return found[0] if found else None

    def of_type(self, rtype: str) -> list[tuple[str, str]]:
        return [(i, target) for i, kind, target, mode in self.rels if kind == rtype and mode != "External"]

    def add(self, rtype: str, part: str) -> str:
        taken = {i for i, *_ in self.rels}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        rid = f"rId{n}"
        self.rels.append((rid, rtype, part, "Internal"))
        self.added.append(b'<%sRelationship Id="%s" Type="%s" Target="%s"/>' % (
            self.prefix, rid.encode(), _esc_attr(rtype), _esc_attr(_relative(self.source, part))))
        return rid

    def remove(self, rid: str) -> None:
        self.removed.add(rid)

    def save(self) -> None:
        if not self.added and not self.removed:
            return
        if self.data is None:
            self.data = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         b'<Relationships xmlns="%s"></Relationships>' % PKG_REL_NS.encode())
            if self.pkg.content_types.of(self.name) is None:  # a package with no Default for .rels
                self.pkg.content_types.override(self.name, CT_RELS)
        data = self.data
        for rid in self.removed:
            data = re.sub(rb"<" + re.escape(self.prefix) + rb"Relationship\b[^>]*\sId\s*=\s*[\"']"
                          + re.escape(rid.encode()) + rb"[\"'][^>]*?(?:/>|>\s*</" + re.escape(self.prefix)
                          + rb"Relationship>)", b"", data)
        if self.added:
            data = _insert_children(data, self.prefix, b"Relationships", b"".join(self.added))
        self.pkg.put(self.name, data)
        self.added, self.removed, self.data = [], set(), data


class _ContentTypes:
    NAME = "[Content_Types].xml"

    def __init__(self, pkg: _Package):
        self.pkg = pkg
        self.data = pkg.read(self.NAME)
        self.prefix = _root(self.data, self.NAME, CT_NS, b"Types")[0]
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for el in _parse(self.data):
            if _local(el.tag) == "Default":
                self.defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif _local(el.tag) == "Override":
                self.overrides[el.get("PartName", "").lower()] = el.get("ContentType", "")
        self.added: list[bytes] = []
        self.changed = False

    def of(self, part: str) -> str | None:
        key = "/" + part.lower()
        if key in self.overrides:
            return self.overrides[key]
        name = posixpath.basename(key)
        return self.defaults.get(name.rsplit(".", 1)[-1]) if "." in name else None

    def override(self, part: str, content_type: str) -> None:
        self.overrides["/" + part.lower()] = content_type
        self.added.append(b'<%sOverride PartName="/%s" ContentType="%s"/>' % (
            self.prefix, _esc_attr(part), content_type.encode()))

    def vml(self, part: str) -> None:
        ext = part.rsplit(".", 1)[-1].lower()
        if self.of(part) == CT_VML:
            return
        if ext not in self.defaults:
            self.defaults[ext] = CT_VML
            self.added.append(b'<%sDefault Extension="%s" ContentType="%s"/>' % (self.prefix, ext.encode(),
                                                                                CT_VML.encode()))
        else:
            self.override(part, CT_VML)

    def replace(self, old: str, new: str) -> None:
        """Every Override of content type `old` becomes `new`."""
        pattern = rb'(ContentType\s*=\s*["\'])' + re.escape(old.encode()) + rb'(["\'])'
        self.data, n = re.subn(pattern, rb"\g<1>" + new.encode() + rb"\g<2>", self.data)
        self.changed = self.changed or n > 0

    def drop(self, part: str) -> None:
        pattern = (rb"<" + re.escape(self.prefix) + rb"Override\b[^>]*\sPartName\s*=\s*[\"']/"
                   + re.escape(part.encode()) + rb"[\"'][^>]*/>")
        self.data, n = re.subn(pattern, b"", self.data, flags=re.IGNORECASE)
        self.changed = self.changed or n > 0

    def save(self) -> None:
        if self.added:
            self.data = _insert_children(self.data, self.prefix, b"Types", b"".join(self.added))
            self.added, self.changed = [], True
        if self.changed:
            self.pkg.put(self.NAME, self.data)
            self.changed = False


# ---- the workbook part -------------------------------------------------------------------------

class _BookParts:
    """workbook.xml, its relationships, and the sheets it lists."""

    def __init__(self, pkg: _Package):
        self.pkg = pkg
        root_rels = _Rels(pkg, "_rels/.rels")
        found = root_rels.of_type(REL_OFFICE_DOCUMENT)
        if len(found) != 1:
            raise Unpatchable("no single office document")
        self.part = found[0][1]
        kind = pkg.content_types.of(self.part)
        if kind not in (CT_WORKBOOK, CT_MACRO_WORKBOOK):
            raise Unpatchable(f"the workbook's content type is {kind}")
        self.data = pkg.read(self.part)
        self.prefix, root = _root(self.data, self.part, MAIN_NS, b"workbook")
        _no_markup_surprises(self.data, self.part, root.start())
        self.r_prefix = next((p for p, ns in _namespaces(root.group(0)).items() if ns == REL_NS.encode() and p), None)
        self.rels = _Rels(pkg, _rels_part(self.part))
        self.sheets: list[tuple[str, str, str]] = []  # (name, sheetId, r:id) in order
        tree = _parse(self.data)
        sheets = tree.find(f"{{{MAIN_NS}}}sheets")
        for el in sheets if sheets is not None else []:
            self.sheets.append((el.get("name", ""), el.get("sheetId", "0"), el.get(f"{{{REL_NS}}}id", "")))
        self.sheet_parts: dict[str, str] = {}  # name -> worksheet part
        self.chart_sheet_parts: list[str] = []
        for name, _, rid in self.sheets:
            rel = next((r for r in self.rels.rels if r[0] == rid), None)
            if rel and rel[3] != "External":
                if rel[1] == REL_WORKSHEET:
                    self.sheet_parts[name] = rel[2]
                elif rel[1] == REL_NS + "/chartsheet":
                    self.chart_sheet_parts.append(rel[2])
        self.styles_part = self.rels.target_of_type(REL_STYLES)
        if kind == CT_MACRO_WORKBOOK:
            self._drop_macros()

    def styles(self) -> _StyleSheet:
        if self.styles_part is None:  # a workbook without styles: give it the default ones
            self.styles_part = posixpath.join(posixpath.dirname(self.part), "styles.xml")
            if self.pkg.has(self.styles_part):
                raise Unpatchable("styles.xml exists but is not the workbook's styles")
            self.rels.add(REL_STYLES, self.styles_part)
            self.pkg.content_types.override(self.styles_part, CT_STYLES)
            return _StyleSheet(_DEFAULT_STYLES, self.styles_part)
        return _StyleSheet(self.pkg.read(self.styles_part), self.styles_part)

    def _drop_macros(self) -> None:
        """The copy is an .xlsx: no VBA project, and the plain workbook content type."""
        self.pkg.content_types.replace(CT_MACRO_WORKBOOK, CT_WORKBOOK)
        for rid, target in self.rels.of_type(REL_VBA):
            self.rels.remove(rid)
            for part in (target, *(t for _, t in _Rels(self.pkg, _rels_part(target)).of_type(
                    "http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature"))):
                self.pkg.remove(part)
                self.pkg.remove(_rels_part(part))
                self.pkg.content_types.drop(part)
            self.pkg.remove(_rels_part(target))

    def unselect(self, part: str) -> None:
        """A sheet that is not marked loses `tabSelected` (the notes sheet is the selected one)."""
        data = self.pkg.read(part)
        head_end = data.find(b"sheetData")
        if re.search(rb"tabSelected\s*=\s*[\"'](?:1|true)", data[:head_end]):
            sheet = _SheetXml(data)
            sheet.unselect()
            self.pkg.put(part, sheet.bytes(), compress_later=True)

    def unselect_chart_sheet(self, part: str) -> None:
        data = self.pkg.read(part)
        view = re.compile(rb"<(?:" + _NAME + rb":)?sheetView(?=[\s/>])[^>]*>")
        new = view.sub(lambda m: _set_attr(m.group(0), b"tabSelected", None), data)
        if new != data:
            self.pkg.put(part, new)

    def add_first_sheet(self, name: str, xml: bytes, defined_names: list[tuple[str, str]]) -> None:
        part = self.pkg.new_name(posixpath.join(posixpath.dirname(self.part), "worksheets/sheet{}.xml"))
        self.pkg.put(part, xml)
        self.pkg.content_types.override(part, CT_WORKSHEET)
        rid = self.rels.add(REL_WORKSHEET, part)
        sheet_id = max((int(i) for _, i, _ in self.sheets if i.isdigit()), default=0) + 1
        p = self.prefix
        r_attr = (self.r_prefix + b":id" if self.r_prefix else b'xmlns:r="%s" r:id' % REL_NS.encode())
        tag = b'<%ssheet name="%s" sheetId="%d" %s="%s"/>' % (p, _esc_attr(name), sheet_id, r_attr, rid.encode())
        data = self.data
        sheets = _element(data, p, b"sheets")
        if sheets is None:
            raise Unpatchable("workbook.xml has no <sheets>")
        start, tag_end, close, end = sheets
        if close == tag_end:
            raise Unpatchable("workbook.xml has no sheets")
        data = data[:tag_end] + tag + data[tag_end:]
        data = self._shift_defined_names(data, name, defined_names)
        data = self._first_tab_active(data)
        self.data = data
        self._app_titles(name)

    def _shift_defined_names(self, data: bytes, sheet: str, added: list[tuple[str, str]]) -> bytes:
        p = self.prefix
        span = _element(data, p, b"definedNames")

        def shift(m: re.Match) -> bytes:
            return m.group(1) + str(int(m.group(2)) + 1).encode() + m.group(3)

        if span is not None:
            start, _, _, end = span
            data = data[:start] + re.sub(rb'(\slocalSheetId\s*=\s*["\'])(\d+)(["\'])', shift, data[start:end]) \
                + data[end:]
        if not added:
            return data
        quoted = "'" + sheet.replace("'", "''") + "'"
        names = b"".join(b'<%sdefinedName name="%s" localSheetId="0"%s>%s</%sdefinedName>' % (
            p, name.encode(), b' hidden="1"' if name == "_xlnm._FilterDatabase" else b"",
            _esc(f"{quoted}!{ref}"), p) for name, ref in added)
        if span is not None:
            return _insert_children(data, p, b"definedNames", names)
        # definedNames follows sheets, functionGroups and externalReferences
        after = None
        for local in (b"externalReferences", b"functionGroups", b"sheets"):
            after = _element(data, p, local)
            if after is not None:
                break
        at = after[3]
        return data[:at] + b"<%sdefinedNames>%s</%sdefinedNames>" % (p, names, p) + data[at:]

    def _first_tab_active(self, data: bytes) -> bytes:
        p = self.prefix
        view = _element(data, p, b"workbookView")
        if view is None:
            if _element(data, p, b"bookViews") is not None:
                raise Unpatchable("bookViews without a workbookView")
            sheets = _element(data, p, b"sheets")
            return data[:sheets[0]] + b"<%sbookViews><%sworkbookView/></%sbookViews>" % (p, p, p) + data[sheets[0]:]
        start, tag_end = view[0], view[1]
        tag = data[start:tag_end]
        tag = _set_attr(tag, b"activeTab", None)
        tag = _set_attr(tag, b"firstSheet", None)
        return data[:start] + tag + data[tag_end:]

    def _app_titles(self, name: str) -> None:
        """docProps/app.xml lists the sheet names after the count of worksheets: put ours
        first. A list that does not match the workbook's sheets is left alone (it is only
        metadata; Excel writes it anew)."""
        app = "docProps/app.xml"
        if not self.pkg.has(app):
            return
        data = self.pkg.read(app)
        try:
            tree = _parse(data)
        except (SafeET.ParseError, DefusedXmlException):
            return
        ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
        vt = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
        titles = tree.find(f"{ep}TitlesOfParts/{vt}vector")
        pairs = tree.find(f"{ep}HeadingPairs/{vt}vector")
        if titles is None or pairs is None:
            return
        names = [el.text or "" for el in titles.findall(f"{vt}lpstr")]
        counts = [int(el.text) for el in pairs.iter(f"{vt}i4") if (el.text or "").strip().isdigit()]
        sheet_names = [n for n, _, _ in self.sheets]
        if not sheet_names or not counts or names[:len(sheet_names)] != sheet_names or counts[0] != len(sheet_names):
            return
        # text edits: the first <vt:i4>, the vector's size, a first <vt:lpstr>
        pairs_at = data.find(b"HeadingPairs")
        i4 = re.compile(rb"(<(?:" + _NAME + rb":)?i4>)\s*(\d+)\s*(</)").search(data, max(pairs_at, 0))
        vec = re.search(rb"<(" + _NAME + rb":)?TitlesOfParts>\s*(<(?:" + _NAME + rb":)?vector\b[^>]*>)", data)
        if not i4 or not vec:
            return
        tag = vec.group(2)
        size = _attrs(tag).get(b"size")
        if size is None or not size.isdigit():
            return
        new_tag = _set_attr(tag, b"size", str(int(size) + 1).encode())
        vt_prefix = re.match(rb"<(" + _NAME + rb":)?", tag).group(1) or b""
        first = b"<%slpstr>%s</%slpstr>" % (vt_prefix, _esc(name), vt_prefix)
        edits = [(vec.start(2), vec.end(2), new_tag + first), (i4.start(2), i4.end(2), str(counts[0] + 1).encode())]
        for start, end, new in sorted(edits, reverse=True):  # the later first: offsets stay right
            data = data[:start] + new + data[end:]
        self.pkg.put(app, data)

    def save(self) -> None:
        self.rels.save()
        self.pkg.put(self.part, self.data)


# ---- styles ------------------------------------------------------------------------------------

_DEFAULT_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    b'</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


class _StyleSheet:
    """The styles part, to which cell formats, fills and fonts are appended."""

    def __init__(self, data: bytes, part: str):
        self.data = data
        self.prefix, root = _root(data, part, MAIN_NS, b"styleSheet")
        _no_markup_surprises(data, part, root.start())
        tree = _parse(data)
        ns = f"{{{MAIN_NS}}}"
        fills, fonts, xfs = tree.find(f"{ns}fills"), tree.find(f"{ns}fonts"), tree.find(f"{ns}cellXfs")
        style_xfs = tree.find(f"{ns}cellStyleXfs")
        if any(x is None or not len(x) for x in (fills, fonts, xfs, style_xfs)):
            raise Unpatchable(f"{part}: no fills, fonts, cell formats or cell styles")
        self.n_fills, self.n_fonts = len(fills), len(fonts)
        span = _element(data, self.prefix, b"cellXfs")
        xf = re.compile(rb"<" + re.escape(self.prefix) + rb"xf(?=[\s/>])[^>]*?(?:/>|>.*?</"
                        + re.escape(self.prefix) + rb"xf>)", re.S)
        self.xfs = xf.findall(data, span[1], span[2])
        if len(self.xfs) != len(xfs):
            raise Unpatchable(f"{part}: cell formats do not read the same as text and as XML")
        base = fonts[0]
        self.base_font = {_local(el.tag): el.get("val") for el in base}
        self.base_font_colour = base.find(f"{ns}color") is not None
        self.new_fills: list[bytes] = []
        self.new_fonts: list[bytes] = []
        self.new_xfs: list[bytes] = []
        self._made: dict[tuple, int] = {}

    def marked(self, style: int, severity: str) -> int:
        """The index of a clone of cell format `style` with the severity's fill."""
        key = ("marked", style, severity)
        if key not in self._made:
            if not 0 <= style < len(self.xfs):
                style = 0  # an index out of range reads as the default format
            m = re.match(rb"<[^>]*>", self.xfs[style])
            tag = _set_attr(m.group(0), b"fillId", str(self.fill(severity)).encode())
            tag = _set_attr(tag, b"applyFill", b"1")
            self._made[key] = self._xf(tag + self.xfs[style][m.end():])
        return self._made[key]

    def note(self, bold: bool = False, size: float | None = None, colour: str | None = None,
             fill: str | None = None, wrap: bool = False) -> int:
        """A cell format for the notes sheet: the workbook's default font, made bold."""
        key = ("note", bold, size, colour, fill, wrap)
        if key not in self._made:
            attrs = b'numFmtId="0" fontId="%d" fillId="%d" borderId="0" xfId="0"' % (
                self.font(size, colour) if bold else 0, self.fill(fill) if fill else 0)
            if bold:
                attrs += b' applyFont="1"'
            if fill:
                attrs += b' applyFill="1"'
            p = self.prefix
            if wrap:
                xf = b'<%sxf %s applyAlignment="1"><%salignment vertical="top" wrapText="1"/></%sxf>' % (
                    p, attrs, p, p)
            else:
                xf = b"<%sxf %s/>" % (p, attrs)
            self._made[key] = self._xf(xf)
        return self._made[key]

    def fill(self, severity_or_rgb: str) -> int:
        rgb = SEVERITY_COLOURS[severity_or_rgb][0] if severity_or_rgb in SEVERITY_COLOURS else severity_or_rgb
        key = ("fill", rgb)
        if key not in self._made:
            p = self.prefix
            self.new_fills.append(b'<%sfill><%spatternFill patternType="solid"><%sfgColor rgb="FF%s"/>'
                                  b'<%sbgColor rgb="FF%s"/></%spatternFill></%sfill>'
                                  % (p, p, p, rgb.encode(), p, rgb.encode(), p, p))
            self._made[key] = self.n_fills + len(self.new_fills) - 1
        return self._made[key]

    def font(self, size: float | None, colour: str | None) -> int:
        key = ("font", size, colour)
        if key not in self._made:
            p, base = self.prefix, self.base_font
            parts = [b"<%sb/>" % p]
            size = size or base.get("sz")
            if size:
                parts.append(b'<%ssz val="%s"/>' % (p, _esc_attr(str(size))))
            if colour:
                parts.append(b'<%scolor rgb="FF%s"/>' % (p, colour.encode()))
            for local in ("name", "family", "charset", "scheme"):
                if base.get(local) is not None:
                    parts.append(b'<%s%s val="%s"/>' % (p, local.encode(), _esc_attr(base[local])))
            self.new_fonts.append(b"<%sfont>%s</%sfont>" % (p, b"".join(parts), p))
            self._made[key] = self.n_fonts + len(self.new_fonts) - 1
        return self._made[key]

    def _xf(self, xf: bytes) -> int:
        self.new_xfs.append(xf)
        return len(self.xfs) + len(self.new_xfs) - 1

    def xml(self) -> bytes:
        data, p = self.data, self.prefix
        if self.new_fonts:
            data = _insert_children(data, p, b"fonts", b"".join(self.new_fonts), len(self.new_fonts))
        if self.new_fills:
            data = _insert_children(data, p, b"fills", b"".join(self.new_fills), len(self.new_fills))
        if self.new_xfs:
            data = _insert_children(data, p, b"cellXfs", b"".join(self.new_xfs), len(self.new_xfs))
        return data


# ---- a worksheet -------------------------------------------------------------------------------

# the worksheet's children that come after <legacyDrawing>, in schema order
_AFTER_LEGACY = (b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls", b"webPublishItems",
                 b"tableParts", b"extLst")


class _SheetXml:
    """One worksheet part as text. Changes are kept as edits at the original offsets
    (a cell's start tag, a row, a place to insert at) and applied in one pass by bytes()."""

    def __init__(self, data: bytes):
        self.data = data
        self.p, root = _root(data, "worksheet", MAIN_NS, b"worksheet")
        self.root_tag = root.group(0)
        _no_markup_surprises(data, "worksheet", root.start())
        span = _element(data, self.p, b"sheetData", last=True)
        if span is None:
            raise Unpatchable("a worksheet without sheetData")
        self.sd = span  # (start, tag end, end tag start, end)
        p = re.escape(self.p)
        self._row = re.compile(rb"<" + p + rb"row(?=[\s/>])[^>]*>")
        # a row's start tag and its number, a cell's start tag and its reference (None without)
        self._row_number = re.compile(rb"<" + p + rb"row(?=[\s/>])(?:[^>]*?\sr\s*=\s*[\"'](\d+)[\"'])?[^>]*>")
        self._cell_ref = re.compile(rb"<" + p + rb"c(?=[\s/>])(?:[^>]*?\sr\s*=\s*[\"']([A-Za-z]{1,3})(\d+)[\"'])?"
                                    rb"[^>]*>")
        self.edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement), not overlapping
        self._merges: list[tuple[int, int, int, int]] | None = None
        self._grown: list[tuple[int, int]] = []

    # -- reading

    def _tail(self) -> bytes:
        return self.data[self.sd[3]:]

    def _head_element(self, local: bytes):
        return _element(self.data, self.p, local, 0, self.sd[0])

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """(row, col), or the top-left cell of the merged range it is in."""
        if self._merges is None:
            self._merges = []
            pattern = re.compile(rb"<" + re.escape(self.p) + rb"mergeCell(?=[\s/>])[^>]*>")
            for m in pattern.finditer(self.data, self.sd[3]):
                bounds = _range(_attrs(m.group(0)).get(b"ref", b"").decode())
                if bounds:
                    self._merges.append(bounds)
            self._merges.sort()
            self._merge_rows = [m[0] for m in self._merges]
        for r1, c1, r2, c2 in self._merges[:bisect_right(self._merge_rows, row)]:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return r1, c1
        return row, col

    def _column_styles(self) -> list[tuple[int, int, int, float | None, bool]]:
        """(min, max, style, width, hidden) of each <col>."""
        cols = []
        span = self._head_element(b"cols")
        if span:
            col = re.compile(rb"<" + re.escape(self.p) + rb"col(?=[\s/>])[^>]*>")
            for m in col.finditer(self.data, span[1], span[2]):
                a = _attrs(m.group(0))
                try:
                    width = float(a[b"width"]) if b"width" in a else None
                    cols.append((int(a.get(b"min", 0)), int(a.get(b"max", 0)), int(a.get(b"style", 0)), width,
                                 a.get(b"hidden") in _TRUE))
                except ValueError as e:
                    raise Unpatchable(f"a bad <col>: {e}") from None
        return cols

    def geometry(self) -> _Geometry:
        fmt = self._head_element(b"sheetFormatPr")
        a = _attrs(self.data[fmt[0]:fmt[1]]) if fmt else {}
        try:
            col_px = _col_px(float(a[b"defaultColWidth"])) if b"defaultColWidth" in a else DEFAULT_COL_PX
            row_px = round(float(a[b"defaultRowHeight"]) * 4 / 3) if b"defaultRowHeight" in a else DEFAULT_ROW_PX
        except ValueError:
            col_px, row_px = DEFAULT_COL_PX, DEFAULT_ROW_PX
        widths = {}
        for lo, hi, _, width, hidden in self._column_styles():
            for c in range(lo, min(hi, lo + 64) + 1):  # the columns next to a comment are what matters
                widths[c] = 0 if hidden else (_col_px(width) if width is not None else col_px)
        return _Geometry(col_px, max(row_px, 1), widths)

    def legacy_drawing_id(self) -> str | None:
        m = re.compile(rb"<" + re.escape(self.p) + rb"legacyDrawing(?=[\s/>])[^>]*>").search(self.data, self.sd[3])
        if not m:
            return None
        declared = {**_namespaces(self.root_tag), **_namespaces(m.group(0))}  # openpyxl declares it on the element
        for name, value in _attrs(m.group(0)).items():
            if name.endswith(b":id") and declared.get(name[:-3]) == REL_NS.encode():
                return value.decode()
        raise Unpatchable("a legacyDrawing without a relationship id")

    # -- marking cells

    def mark(self, cells: dict[tuple[int, int], str], styles: _StyleSheet) -> None:
        """Give each (row, col) the severity's fill on top of its own format, creating blank
        cells and rows where the sheet has none."""
        if not cells:
            return
        by_row: dict[int, dict[int, str]] = defaultdict(dict)
        for (row, col), severity in cells.items():
            by_row[row][col] = severity
        col_styles = self._column_styles()
        data, p, (start, tag_end, close, end) = self.data, self.p, self.sd
        new_rows: list[bytes] = []  # rows the sheet lacks, to go in at one place
        new_rows_at = None
        first_edit = len(self.edits)

        def flush(at: int | None) -> None:
            nonlocal new_rows, new_rows_at
            if new_rows:
                self.edits.append((new_rows_at, new_rows_at, b"".join(new_rows)))
            new_rows, new_rows_at = [], at

        for r, at, exists in self._find_rows(sorted(by_row)):
            if not exists:
                if new_rows_at != at:
                    flush(at)
                new_rows.append(self._new_row(r, by_row[r], col_styles, styles))
                continue
            m = self._row.match(data, at)
            if m.group(0).endswith(b"/>"):  # <row r="7"/>
                body = self._rebuild_row(m.group(0), b"", r, by_row[r], col_styles, styles)
                self.edits.append((m.start(), m.end(), self._open_row(m.group(0), by_row[r]) + body
                                   + b"</%srow>" % p))
                continue
            row_close = data.find(b"</%srow>" % p, m.end(), close)
            if row_close < 0:
                raise Unpatchable("a row that is not closed")
            self._mark_row(m, row_close, r, by_row[r], col_styles, styles)
        flush(None)
        if close == tag_end:  # <sheetData/> or <sheetData></sheetData>: it holds our new rows only
            rows = b"".join(e[2] for e in self.edits[first_edit:])
            self.edits[first_edit:] = [(start, end, b"<%ssheetData>%s</%ssheetData>" % (p, rows, p))]
        self._grow_dimension()

    def _find_rows(self, targets: list[int]) -> list[tuple[int, int, bool]]:
        """(row, where its <row> starts, True) for each target row, or (row, where it goes,
        False) for a row the sheet lacks. Every writer puts `r` first, so each row is
        looked for as `<row r="N"`; if one is not found that way, every row is walked."""
        data, p, (_, tag_end, close, _) = self.data, self.p, self.sd
        found, pos = [], tag_end
        for r in targets:
            at = data.find(b'<%srow r="%d"' % (p, r), pos, close)
            if at < 0:
                return self._walk_rows(targets)
            found.append((r, at, True))
            pos = at + 1
        return found

    def _walk_rows(self, targets: list[int]) -> list[tuple[int, int, bool]]:
        data, (_, tag_end, close, _) = self.data, self.sd
        found, last, i = [], 0, 0
        if close > tag_end:
            for m in self._row_number.finditer(data, tag_end, close):
                if i == len(targets):
                    break
                if m.group(1) is None:
                    raise Unpatchable("a row without its number")
                r = int(m.group(1))
                if r <= last:
                    raise Unpatchable("rows out of order")
                last = r
                while i < len(targets) and targets[i] < r:
                    found.append((targets[i], m.start(), False))
                    i += 1
                if i < len(targets) and targets[i] == r:
                    found.append((r, m.start(), True))
                    i += 1
        found.extend((r, close, False) for r in targets[i:])
        return found

    def _mark_row(self, m: re.Match, row_close: int, row: int, cols: dict[int, str], col_styles,
                  styles: _StyleSheet) -> None:
        """Edits for one row: restyled cell tags, blank cells inserted before the next cell.
        Where every cell of the row is written `<c r="..."` (as every writer does) cells are
        found by searching for their reference; otherwise the row is rebuilt cell by cell."""
        data, p = self.data, self.p
        lo, hi = m.end(), row_close
        cell_open = b"<%sc" % p
        n_cells = sum(data.count(cell_open + end, lo, hi) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
        if data.count(b'<%sc r="' % p, lo, hi) != n_cells:
            body = self._rebuild_row(m.group(0), data[lo:hi], row, cols, col_styles, styles)
            self.edits.append((m.start(), row_close, self._open_row(m.group(0), cols) + body))
            return
        edits = []
        last_cell = None
        for col in sorted(cols):
            at = data.find(b'<%sc r="%s%d"' % (p, get_column_letter(col).encode(), row), lo, hi)
            if at >= 0:
                tag_end = data.find(b">", at, hi) + 1
                edits.append((at, tag_end, self._restyle(data[at:tag_end], cols[col], styles)))
                continue
            if last_cell is None:  # the last cell's column: beyond it, blanks go at the row's end
                last = data.rfind(b'<%sc r="' % p, lo, hi)
                ref = re.match(rb'<' + re.escape(p) + rb'c r="([A-Z]{1,3})(\d+)"', data[last:last + 32]) \
                    if last >= 0 else None
                if last >= 0 and (ref is None or int(ref.group(2)) != row):
                    raise Unpatchable("a cell of another row")
                last_cell = column_index_from_string(ref.group(1).decode()) if ref else 0
            at = hi
            for later in range(col + 1, last_cell + 1):  # the next cell there is
                found = data.find(b'<%sc r="%s%d"' % (p, get_column_letter(later).encode(), row), lo, hi)
                if found >= 0:
                    at = found
                    break
            edits.append((at, at, self._blank(row, col, m.group(0), col_styles, styles, cols[col])))
        tag = self._open_row(m.group(0), cols)
        if tag != m.group(0):
            edits.append((m.start(), m.end(), tag))
        self.edits.extend(edits)

    def _open_row(self, tag: bytes, cols: dict[int, str]) -> bytes:
        """The row's start tag, opened if empty, its `spans` grown to the marked columns."""
        if tag.endswith(b"/>"):
            tag = tag[:-2].rstrip() + b">"
        spans = _attrs(tag).get(b"spans")
        if spans and re.fullmatch(rb"\d+:\d+", spans):
            lo, hi = (int(x) for x in spans.split(b":"))
            new_lo, new_hi = min(lo, *cols), max(hi, *cols)
            if (new_lo, new_hi) != (lo, hi):
                return _set_attr(tag, b"spans", b"%d:%d" % (new_lo, new_hi))
        return tag

    def _restyle(self, cell_tag: bytes, severity: str, styles: _StyleSheet) -> bytes:
        own = _attrs(cell_tag).get(b"s", b"0")
        return _set_attr(cell_tag, b"s", str(styles.marked(int(own) if own.isdigit() else 0, severity)).encode())

    def _rebuild_row(self, tag: bytes, content: bytes, row: int, cols: dict[int, str], col_styles, styles
                     ) -> bytes:
        """The row's content with the target cells restyled and blank ones inserted in order."""
        if b"extLst" in content:
            raise Unpatchable("a row with extensions")
        out, copied, todo, prev = [], 0, sorted(cols), 0
        for m in self._cell_ref.finditer(content):
            if m.group(1) is None or int(m.group(2)) != row:
                raise Unpatchable("a cell without its reference")
            col = column_index_from_string(m.group(1).decode().upper())
            if col <= prev:
                raise Unpatchable("cells out of order")
            prev = col
            while todo and todo[0] < col:
                out += [content[copied:m.start()], self._blank(row, todo[0], tag, col_styles, styles, cols[todo[0]])]
                copied = m.start()
                todo.pop(0)
            if todo and todo[0] == col:
                out += [content[copied:m.start()], self._restyle(m.group(0), cols[col], styles)]
                copied = m.end()
                todo.pop(0)
        out.append(content[copied:])  # a row holds nothing but cells (extensions were refused above)
        out += [self._blank(row, c, tag, col_styles, styles, cols[c]) for c in todo]  # after the last cell
        return b"".join(out)

    def _blank(self, row: int, col: int, row_tag: bytes, col_styles, styles: _StyleSheet, severity: str) -> bytes:
        """A blank cell at fault, in the row's format if the row has one, else its column's."""
        a = _attrs(row_tag)
        if a.get(b"customFormat") in _TRUE and (a.get(b"s") or b"").isdigit():
            base = int(a[b"s"])
        else:
            base = next((s for lo, hi, s, _, _ in col_styles if lo <= col <= hi), 0)
        self._grown.append((row, col))
        return b'<%sc r="%s%d" s="%d"/>' % (self.p, get_column_letter(col).encode(), row,
                                             styles.marked(base, severity))

    def _new_row(self, row: int, cols: dict[int, str], col_styles, styles: _StyleSheet) -> bytes:
        tag = b'<%srow r="%d">' % (self.p, row)
        cells = b"".join(self._blank(row, c, tag, col_styles, styles, cols[c]) for c in sorted(cols))
        return tag + cells + b"</%srow>" % self.p

    def _grow_dimension(self) -> None:
        if not self._grown:
            return
        span = self._head_element(b"dimension")
        if not span:
            return
        tag = self.data[span[0]:span[1]]
        bounds = _range(_attrs(tag).get(b"ref", b"").decode())
        if not bounds:
            return
        r1, c1, r2, c2 = bounds
        for row, col in self._grown:
            r1, c1, r2, c2 = min(r1, row), min(c1, col), max(r2, row), max(c2, col)
        if (r1, c1, r2, c2) != bounds:
            ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}".encode()
            self.edits.append((span[0], span[1], _set_attr(tag, b"ref", ref)))

    # -- the rest

    def add_legacy_drawing(self, rid: str) -> None:
        p = self.p
        r_prefix = next((k for k, ns in _namespaces(self.root_tag).items() if ns == REL_NS.encode() and k), None)
        attr = b"%s:id" % r_prefix if r_prefix else b'xmlns:r="%s" r:id' % REL_NS.encode()
        tag = b'<%slegacyDrawing %s="%s"/>' % (p, attr, rid.encode())
        followers = re.compile(rb"<(?:" + re.escape(p) + rb"(?:" + b"|".join(_AFTER_LEGACY) + rb")|"
                               + _NAME + rb":AlternateContent)(?=[\s/>])")
        m = followers.search(self.data, self.sd[3])
        at = m.start() if m else self.data.rfind(b"</" + p + b"worksheet>")
        if at < self.sd[3]:
            raise Unpatchable("no place for the legacy drawing")
        self.edits.append((at, at, tag))

    def unselect(self) -> None:
        """Remove `tabSelected` from the sheet views."""
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"sheetView(?=[\s/>])[^>]*>")
        for m in pattern.finditer(self.data, 0, self.sd[0]):
            if b"tabSelected" in m.group(0):
                self.edits.append((m.start(), m.end(), _set_attr(m.group(0), b"tabSelected", None)))

    def bytes(self) -> bytes:
        out, copied = [], 0
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1])):
            if start < copied:
                raise Unpatchable("overlapping edits")  # a bug, but never a broken file
            out += [self.data[copied:start], new]
            copied = end
        out.append(self.data[copied:])
        return b"".join(out)


def _range(ref: str) -> tuple[int, int, int, int] | None:
    parts = ref.split(":")
    if not 1 <= len(parts) <= 2:
        return None
    cells = [_REF.fullmatch(x) for x in parts]
    if not all(cells):
        return None
    (c1, r1), (c2, r2) = [(column_index_from_string(m.group(1).upper()), int(m.group(2)))
                          for m in (cells[0], cells[-1])]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _col_px(width: float) -> int:
    """A column width in characters (as stored) in pixels, for Calibri 11."""
    return max(0, int(width * 7 + 0.5))


@dataclass
class _Geometry:
    col_px: int
    row_px: int
    widths: dict[int, int]  # 1-based column -> pixels, where not the default

    def anchor(self, row: int, col: int, width: int, height: int) -> str:
        """VML's `x:Anchor` for a comment box next to cell (row, col), 1-based: the box
        starts one column right and a row up, as Excel places it."""
        c0 = col  # 0-based column to the right
        r0 = max(row - 2, 0)
        x1, y1 = 15, 10 if row > 1 else 2

        def size_col(c: int) -> int:
            return self.widths.get(c + 1, self.col_px)

        c_end, w = c0, width + x1
        while w >= size_col(c_end) and size_col(c_end) > 0 and c_end < 16383:
            w -= size_col(c_end)
            c_end += 1
        r_end, h = r0 + (height + y1) // self.row_px, (height + y1) % self.row_px
        return f"{c0}, {x1}, {r0}, {y1}, {c_end}, {w}, {r_end}, {h}"


# ---- comments ----------------------------------------------------------------------------------

_EMPTY_COMMENTS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   b"<authors></authors><commentList></commentList></comments>")


class _Comments:
    """A sheet's comments part: the user's comments kept as written, ours added."""

    def __init__(self, data: bytes | None):
        self.data = data or _EMPTY_COMMENTS
        self.p, root = _root(self.data, "comments", MAIN_NS, b"comments")
        _no_markup_surprises(self.data, "comments", root.start())
        tree = _parse(self.data)
        ns = f"{{{MAIN_NS}}}"
        self.authors = [el.text or "" for el in tree.iterfind(f"{ns}authors/{ns}author")]
        parsed = list(tree.iterfind(f"{ns}commentList/{ns}comment"))
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"comment(?=[\s/>])[^>]*?(?:/>|>.*?</" + re.escape(self.p)
                             + rb"comment>)", re.S)
        span = _element(self.data, self.p, b"commentList")
        raw = pattern.findall(self.data, span[1], span[2]) if span else []
        if len(raw) != len(parsed):
            raise Unpatchable("comments do not read the same as text and as XML")
        self.kept: dict[tuple[int, int], bytes] = {}
        self.theirs: dict[tuple[int, int], tuple[str, str]] = {}  # cell -> (author, text)
        self.texts: dict[tuple[int, int], str] = {}
        for el, snippet in zip(parsed, raw):
            bounds = _range(el.get("ref", ""))
            if not bounds:
                raise Unpatchable(f"a comment on {el.get('ref')!r}")
            cell = bounds[:2]
            author_id = el.get("authorId", "0")
            author = self.authors[int(author_id)] if author_id.isdigit() and int(author_id) < len(self.authors) else ""
            text_el = el.find(f"{ns}text")
            text = "".join(x.text or "" for x in text_el.iter(f"{ns}t")
                           if not _inside_phonetic(text_el, x)) if text_el is not None else ""
            self.kept[cell] = snippet
            self.theirs[cell] = (author, text)
            self.texts[cell] = text
        self.ours: dict[tuple[int, int], str] = {}

    def add(self, ours: dict[tuple[int, int], str]) -> set[tuple[int, int]]:
        """Put our text on these cells (above the user's own comment); the cells that had no
        comment before."""
        new = set()
        for cell, text in ours.items():
            if cell in self.theirs:
                author, theirs = self.theirs[cell]
                if author != AUTHOR:  # keep the user's own comment below ours
                    text += "\n\n" + legal(theirs)
                del self.kept[cell]
            else:
                new.add(cell)
            self.ours[cell] = text
            self.texts[cell] = text
        return new

    def cells(self) -> list[tuple[int, int]]:
        return list(self.texts)

    def text(self, row: int, col: int) -> str:
        return self.texts[(row, col)]

    def xml(self) -> bytes:
        p, data = self.p, self.data
        if AUTHOR in self.authors:
            author_id = self.authors.index(AUTHOR)
        else:
            author_id = len(self.authors)
            data = _insert_children(data, p, b"authors", b"<%sauthor>%s</%sauthor>" % (p, _esc(AUTHOR), p))
        entries = dict(self.kept)
        for (row, col), text in self.ours.items():
            entries[(row, col)] = (b'<%scomment ref="%s%d" authorId="%d"><%stext><%st xml:space="preserve">%s</%st>'
                                   b"</%stext></%scomment>" % (p, get_column_letter(col).encode(), row, author_id,
                                                               p, p, _esc(text), p, p, p))
        body = b"".join(entries[cell] for cell in sorted(entries))
        span = _element(data, p, b"commentList")
        if span is None:
            authors = _element(data, p, b"authors")
            if authors is None:
                raise Unpatchable("comments without authors")
            at = authors[3]
            return data[:at] + b"<%scommentList>%s</%scommentList>" % (p, body, p) + data[at:]
        start, tag_end, close, end = span
        if close == tag_end:
            return data[:start] + b"<%scommentList>%s</%scommentList>" % (p, body, p) + data[end:]
        return data[:tag_end] + body + data[close:]


def _inside_phonetic(root, node) -> bool:
    for rph in root.iter(f"{{{MAIN_NS}}}rPh"):
        if any(x is node for x in rph.iter()):
            return True
    return False


# ---- the legacy VML drawing --------------------------------------------------------------------

_SHAPETYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              b'<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


class _VmlBlocks:
    """Blocks of 1024 shape ids not used by any drawing of the workbook."""

    def __init__(self, pkg: _Package):
        self.used: set[int] = set()
        for name in pkg.names():
            if name.lower().endswith(".vml") or pkg.content_types.of(name) == CT_VML:
                data = pkg.read(name)
                for m in re.finditer(rb'<(?:' + _NAME + rb':)?idmap\b[^>]*\bdata\s*=\s*["\']([\d,\s]*)["\']', data):
                    self.used.update(int(x) for x in re.findall(rb"\d+", m.group(1)))
                for m in re.finditer(rb'_x0000_s(\d+)', data):
                    self.used.add(int(m.group(1)) // VML_BLOCK)
        self.next = max(self.used, default=0) + 1

    def take(self, shapes: int) -> list[int]:
        """Consecutive blocks for `shapes` shapes; the first id is block * 1024 + 1."""
        n = (shapes + 1 + VML_BLOCK - 1) // VML_BLOCK
        blocks = list(range(self.next, self.next + n))
        self.next += n
        return blocks


_VML_DECLARATIONS = b" ".join(b'xmlns:%s="%s"' % item for item in VML_NS.items())


def _vml_shapes(shapes: list[tuple[int, int, int]], first_id: int, geometry: _Geometry, declare: bool = False
                ) -> bytes:
    """A comment box per (row, col, height); `declare` puts the v:, o: and x: namespace
    declarations on each shape, for a drawing whose root does not declare them."""
    out = []
    declarations = b" " + _VML_DECLARATIONS if declare else b""
    for i, (row, col, height) in enumerate(shapes):
        anchor = geometry.anchor(row, col, COMMENT_WIDTH_PX, height)
        out.append(
            b'<v:shape%s id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
            b'margin-top:1.5pt;width:%dpx;height:%dpx;z-index:%d;visibility:hidden" fillcolor="#ffffe1" '
            b'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            b'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            b'<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
            b"<x:SizeWithCells/><x:Anchor>%s</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row>"
            b"<x:Column>%d</x:Column></x:ClientData></v:shape>"
            % (declarations, first_id + i, COMMENT_WIDTH_PX, height, i + 1, anchor.encode(), row - 1, col - 1))
    return b"".join(out)


def _shapetype(declare: bool) -> bytes:
    return _SHAPETYPE.replace(b"<v:shapetype ", b"<v:shapetype " + _VML_DECLARATIONS + b" ") if declare \
        else _SHAPETYPE


def _new_vml(shapes: list[tuple[int, int, int]], blocks: _VmlBlocks, geometry: _Geometry) -> bytes:
    taken = blocks.take(len(shapes))
    return (b'<xml %s><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%s"/></o:shapelayout>'
            % (_VML_DECLARATIONS, ",".join(map(str, taken)).encode())
            + _SHAPETYPE + _vml_shapes(shapes, taken[0] * VML_BLOCK + 1, geometry) + b"</xml>")


def _extend_vml(data: bytes, shapes: list[tuple[int, int, int]], blocks: _VmlBlocks, geometry: _Geometry) -> bytes:
    """The user's drawing with shapes for our new comments: in blocks of their own, listed
    in its idmap (added if it has none). Whatever prefixes the drawing uses (openpyxl
    writes ns0:, ns1: ...), ours are declared where the root does not declare them."""
    root = re.match(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml\b[^>]*\?>\s*)?<xml\b[^>]*>", data)
    end = data.rfind(b"</xml>")
    if not root or end < root.end() or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unpatchable("a legacy drawing that is not the usual VML")
    declare = any(_namespaces(root.group(0)).get(k) != v for k, v in VML_NS.items())
    taken = blocks.take(len(shapes))
    ids = ",".join(map(str, taken)).encode()
    idmap = re.search(rb"<(?:" + _NAME + rb":)?idmap\b[^>]*>", data)
    if idmap:
        old = _attrs(idmap.group(0)).get(b"data", b"").strip()
        tag = _set_attr(idmap.group(0), b"data", old + b"," + ids if old else ids)
        data = data[:idmap.start()] + tag + data[idmap.end():]
    else:
        layout = b'<o:shapelayout%s v:ext="edit"><o:idmap v:ext="edit" data="%s"/></o:shapelayout>' % (
            b" " + _VML_DECLARATIONS if declare else b"", ids)
        data = data[:root.end()] + layout + data[root.end():]
    has_type = re.search(rb"<(?:" + _NAME + rb":)?shapetype\b[^>]*\bid\s*=\s*[\"']_x0000_t202[\"']", data)
    end = data.rfind(b"</xml>")
    return (data[:end] + (b"" if has_type else _shapetype(declare))
            + _vml_shapes(shapes, taken[0] * VML_BLOCK + 1, geometry, declare) + data[end:])


# ---- the notes sheet, as XML -------------------------------------------------------------------

class _NotesSheet:
    """The "Check notes" worksheet: title, legend, counts and the findings without a cell."""

    def __init__(self, result: CheckResult, unplaced: list[Finding], placed: int, styles: _StyleSheet, name: str):
        self.result, self.unplaced, self.styles, self.name = result, unplaced, styles, name
        self.lines = _notes_lines(result, unplaced, placed)
        self.top = 5 + len(self.lines) + 1  # the table's header row

    def xml(self) -> bytes:
        lang, st = self.result.lang, self.styles
        rows: dict[int, list[bytes]] = defaultdict(list)
        heights: dict[int, float] = {}

        def put(row: int, col: int, value, style: int = 0) -> None:
            ref = f"{get_column_letter(col)}{row}".encode()
            s = b' s="%d"' % style if style else b""
            if isinstance(value, str) and value:
                rows[row].append(b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
                                 % (ref, s, _esc(legal(value))))
            elif value is None or value == "":
                if style:
                    rows[row].append(b'<c r="%s"%s/>' % (ref, s))
            else:
                rows[row].append(b'<c r="%s"%s><v>%s</v></c>' % (ref, s, str(value).encode()))

        put(1, 1, t(lang, "report.annotated.title", workbook=self.result.workbook.name,
                    date=self.result.today.isoformat()), st.note(bold=True, size=14))
        put(3, 1, t(lang, "report.annotated.legend"), st.note(bold=True))
        for j, severity in enumerate(SEVERITIES, start=2):
            fill, font = SEVERITY_COLOURS[severity]
            put(3, j, t(lang, f"severity.{severity}"), st.note(bold=True, colour=font, fill=fill))
        put(3, len(SEVERITIES) + 2, t(lang, "report.annotated.legend_hint"))
        for i, line in enumerate(self.lines, start=5):
            put(i, 1, line)
        if self.unplaced:
            header = st.note(bold=True, fill=HEADER_COLOUR)
            for j, key in enumerate(NOTE_COLUMNS, start=1):
                put(self.top, j, t(lang, f"report.columns.{key}"), header)
            wrap = st.note(wrap=True)
            for i, f in enumerate(self.unplaced, start=self.top + 1):
                values = _note_values(f, lang)
                fill, font = SEVERITY_COLOURS[f.severity]
                for j, key in enumerate(NOTE_COLUMNS, start=1):
                    style = st.note(bold=True, colour=font, fill=fill, wrap=True) if key == "severity" else wrap
                    put(i, j, values[key] if values[key] is not None else None, style)
                lines = wrapped_lines(f.message, NOTE_WIDTHS["message"])
                if lines > 1:
                    heights[i] = LINE_HEIGHT * lines

        last_row = max(rows)
        last_col = len(NOTE_COLUMNS) if self.unplaced else len(SEVERITIES) + 2
        view = b'<sheetView tabSelected="1" workbookViewId="0">'
        if self.unplaced:
            view += (b'<pane ySplit="%d" topLeftCell="A%d" activePane="bottomLeft" state="frozen"/>'
                     b'<selection pane="bottomLeft" activeCell="A%d" sqref="A%d"/>'
                     % (self.top, self.top + 1, self.top + 1, self.top + 1))
        view += b"</sheetView>"
        cols = b"".join(b'<col min="%d" max="%d" width="%s" customWidth="1"/>' % (j, j, str(NOTE_WIDTHS[k]).encode())
                        for j, k in enumerate(NOTE_COLUMNS, start=1))
        body = []
        for r in sorted(rows):
            height = b' ht="%s" customHeight="1"' % str(heights[r]).encode() if r in heights else b""
            body.append(b'<row r="%d"%s>%s</row>' % (r, height, b"".join(rows[r])))
        autofilter = (b'<autoFilter ref="A%d:%s%d"/>' % (self.top, get_column_letter(len(NOTE_COLUMNS)).encode(),
                                                          self.top + len(self.unplaced))
                      if self.unplaced else b"")
        return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="%s" xmlns:r="%s"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                b'<dimension ref="A1:%s%d"/><sheetViews>%s</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                b"<cols>%s</cols><sheetData>%s</sheetData>%s"
                b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                b'<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
                % (MAIN_NS.encode(), REL_NS.encode(), get_column_letter(last_col).encode(), last_row, view, cols,
                   b"".join(body), autofilter))

    def defined_names(self) -> list[tuple[str, str]]:
        if not self.unplaced:
            return []
        last = get_column_letter(len(NOTE_COLUMNS))
        return [("_xlnm._FilterDatabase", f"$A${self.top}:${last}${self.top + len(self.unplaced)}"),
                ("_xlnm.Print_Titles", f"${self.top}:${self.top}")]


# =================================================================================================
# The fallback: through openpyxl
# =================================================================================================

def _annotate_with_openpyxl(result: CheckResult) -> bytes:
    """Load the workbook with openpyxl (formatting kept), mark it, save it into memory."""
    with warnings.catch_warnings():  # openpyxl warns about features it drops; the library never prints
        warnings.simplefilter("ignore")
        book = load_workbook(result.workbook.path)
    placed, unplaced = place_findings(result.findings, result.workbook, set(book.sheetnames))
    for where, findings in placed.items():
        _mark(_cell(book[where.sheet], where.row, where.col), findings, result.lang)
    _notes_sheet(book, result, unplaced, sum(len(fs) for fs in placed.values()))
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book.save(buf)
    return buf.getvalue()


def _cell(ws: Worksheet, row: int, col: int):
    """The cell at (row, col); inside a merged range, the range's top-left cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _mark(cell, findings: list[Finding], lang: str) -> None:
    cell.fill = FILLS[worst(findings)]
    text = _comment_text(findings, lang)
    if cell.comment is not None and cell.comment.author != AUTHOR:
        text += "\n\n" + legal(cell.comment.text)  # keep the user's own comment below ours
    cell.comment = Comment(text, AUTHOR, height=_comment_height(text), width=COMMENT_WIDTH_PX)


def _notes_sheet(book: Book, result: CheckResult, unplaced: list[Finding], placed: int) -> None:
    lang = result.lang
    ws = book.create_sheet(_free_name(book.sheetnames, t(lang, "report.annotated.notes_sheet")), 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = False
    book.active = 0
    ws.sheet_view.tabSelected = True
    font = _FontMaker(ws.cell(row=1, column=1).font)

    _put(ws, 1, 1, t(lang, "report.annotated.title", workbook=result.workbook.name, date=result.today.isoformat()),
         font(size=14))
    _put(ws, 3, 1, t(lang, "report.annotated.legend"), font())
    for j, severity in enumerate(SEVERITIES, start=2):
        label = _put(ws, 3, j, t(lang, f"severity.{severity}"), font(color=SEVERITY_COLOURS[severity][1]))
        label.fill = FILLS[severity]
    _put(ws, 3, len(SEVERITIES) + 2, t(lang, "report.annotated.legend_hint"))
    lines = _notes_lines(result, unplaced, placed)
    for i, line in enumerate(lines, start=5):
        _put(ws, i, 1, line)
    for j, key in enumerate(NOTE_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = NOTE_WIDTHS[key]
    if unplaced:
        _notes_table(ws, 5 + len(lines) + 1, unplaced, lang, font)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _notes_table(ws: Worksheet, top: int, findings: list[Finding], lang: str, font: _FontMaker) -> None:
    for j, key in enumerate(NOTE_COLUMNS, start=1):
        _put(ws, top, j, t(lang, f"report.columns.{key}"), font()).fill = HEADER_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(findings, start=top + 1):
        values = _note_values(f, lang)
        for j, key in enumerate(NOTE_COLUMNS, start=1):
            _put(ws, i, j, values[key]).alignment = wrap
        severity = ws.cell(row=i, column=1)
        severity.fill, severity.font = FILLS[f.severity], font(color=SEVERITY_COLOURS[f.severity][1])
        lines = wrapped_lines(f.message, NOTE_WIDTHS["message"])
        if lines > 1:
            ws.row_dimensions[i].height = LINE_HEIGHT * lines
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(NOTE_COLUMNS))}{top + len(findings)}"
    ws.freeze_panes = f"A{top + 1}"
    ws.print_title_rows = f"{top}:{top}"


class _FontMaker:
    """Bold fonts in the workbook's own default typeface (a theme font stays a theme font)."""

    def __init__(self, base: Font):
        self.base = base

    def __call__(self, size: float | None = None, color: str | None = None) -> Font:
        b = self.base
        return Font(name=b.name, size=size or b.size, family=b.family, scheme=b.scheme, bold=True, color=color)


def _put(ws: Worksheet, row: int, col: int, value, font: Font | None = None):
    """Write a value; text always stays text (openpyxl would take `=…` for a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = legal(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    return cell

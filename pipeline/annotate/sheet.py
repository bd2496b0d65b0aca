"""A worksheet part as text: its marked cells given the severity's fill (a blank cell at
fault is created, and its row if the sheet has none), its dimension grown to them, a
`<legacyDrawing>` for the comments, `tabSelected` removed; and what the comment boxes
need to know of it (merged ranges, column widths, row height).

The part is never parsed: a sheet of 10,000 rows is patched by searching for the rows
and cells to change, which relies on what every writer produces (rows and cells with
their `r` reference, in ascending order); where that does not hold, Unpatchable."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter

from ..layout.sheets import column_px
from ..ooxml import Unpatchable
from ..ooxml.schema import MAIN_NS, REL_NS
from ..ooxml.xmltext import NAME, attrs, element, namespaces, no_markup_surprises, root, set_attr
from .styles import StyleSheet

DEFAULT_COL_PX, DEFAULT_ROW_PX = 64, 20
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_TRUE = (b"1", b"true")

# the worksheet's children that come after <legacyDrawing>, in schema order
_AFTER_LEGACY = (b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls", b"webPublishItems",
                 b"tableParts", b"extLst")


class SheetXml:
    """One worksheet part as text. Changes are kept as edits at the original offsets
    (a cell's start tag, a row, a place to insert at) and applied in one pass by bytes()."""

    def __init__(self, data: bytes, part: str):
        self.data = data
        self.p, start = root(data, part, MAIN_NS, b"worksheet")
        self.root_tag = start.group(0)
        no_markup_surprises(data, part, start.start())
        span = element(data, self.p, b"sheetData", last=True)
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
        return element(self.data, self.p, local, 0, self.sd[0])

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """(row, col), or the top-left cell of the merged range it is in."""
        if self._merges is None:
            self._merges = []
            pattern = re.compile(rb"<" + re.escape(self.p) + rb"mergeCell(?=[\s/>])[^>]*>")
            for m in pattern.finditer(self.data, self.sd[3]):
                bounds = cell_range(attrs(m.group(0)).get(b"ref", b"").decode())
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
                a = attrs(m.group(0))
                try:
                    width = float(a[b"width"]) if b"width" in a else None
                    cols.append((int(a.get(b"min", 0)), int(a.get(b"max", 0)), int(a.get(b"style", 0)), width,
                                 a.get(b"hidden") in _TRUE))
                except ValueError as e:
                    raise Unpatchable(f"a bad <col>: {e}") from None
        return cols

    def geometry(self) -> Geometry:
        fmt = self._head_element(b"sheetFormatPr")
        a = attrs(self.data[fmt[0]:fmt[1]]) if fmt else {}
        try:
            col_px = column_px(float(a[b"defaultColWidth"])) if b"defaultColWidth" in a else DEFAULT_COL_PX
            row_px = round(float(a[b"defaultRowHeight"]) * 4 / 3) if b"defaultRowHeight" in a else DEFAULT_ROW_PX
        except ValueError:
            col_px, row_px = DEFAULT_COL_PX, DEFAULT_ROW_PX
        widths = {}
        for lo, hi, _, width, hidden in self._column_styles():
            for c in range(lo, min(hi, lo + 64) + 1):  # the columns next to a comment are what matters
                widths[c] = 0 if hidden else (column_px(width) if width is not None else col_px)
        return Geometry(col_px, max(row_px, 1), widths)

    def legacy_drawing_id(self) -> str | None:
        m = re.compile(rb"<" + re.escape(self.p) + rb"legacyDrawing(?=[\s/>])[^>]*>").search(self.data, self.sd[3])
        if not m:
            return None
        declared = {**namespaces(self.root_tag), **namespaces(m.group(0))}  # openpyxl declares it on the element
        for name, value in attrs(m.group(0)).items():
            if name.endswith(b":id") and declared.get(name[:-3]) == REL_NS.encode():
                return value.decode()
        raise Unpatchable("a legacyDrawing without a relationship id")

    # -- marking cells

    def mark(self, cells: dict[tuple[int, int], str], styles: StyleSheet) -> None:
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
                  styles: StyleSheet) -> None:
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
        spans = attrs(tag).get(b"spans")
        if spans and re.fullmatch(rb"\d+:\d+", spans):
            lo, hi = (int(x) for x in spans.split(b":"))
            new_lo, new_hi = min(lo, *cols), max(hi, *cols)
            if (new_lo, new_hi) != (lo, hi):
                return set_attr(tag, b"spans", b"%d:%d" % (new_lo, new_hi))
        return tag

    def _restyle(self, cell_tag: bytes, severity: str, styles: StyleSheet) -> bytes:
        own = attrs(cell_tag).get(b"s", b"0")
        return set_attr(cell_tag, b"s", str(styles.marked(int(own) if own.isdigit() else 0, severity)).encode())

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

    def _blank(self, row: int, col: int, row_tag: bytes, col_styles, styles: StyleSheet, severity: str) -> bytes:
        """A blank cell at fault, in the row's format if the row has one, else its column's."""
        a = attrs(row_tag)
        if a.get(b"customFormat") in _TRUE and (a.get(b"s") or b"").isdigit():
            base = int(a[b"s"])
        else:
            base = next((s for lo, hi, s, _, _ in col_styles if lo <= col <= hi), 0)
        self._grown.append((row, col))
        return b'<%sc r="%s%d" s="%d"/>' % (self.p, get_column_letter(col).encode(), row,
                                             styles.marked(base, severity))

    def _new_row(self, row: int, cols: dict[int, str], col_styles, styles: StyleSheet) -> bytes:
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
        bounds = cell_range(attrs(tag).get(b"ref", b"").decode())
        if not bounds:
            return
        r1, c1, r2, c2 = bounds
        for row, col in self._grown:
            r1, c1, r2, c2 = min(r1, row), min(c1, col), max(r2, row), max(c2, col)
        if (r1, c1, r2, c2) != bounds:
            ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}".encode()
            self.edits.append((span[0], span[1], set_attr(tag, b"ref", ref)))

    # -- the rest

    def add_legacy_drawing(self, rid: str) -> None:
        p = self.p
        r_prefix = next((k for k, ns in namespaces(self.root_tag).items() if ns == REL_NS.encode() and k), None)
        attr = b"%s:id" % r_prefix if r_prefix else b'xmlns:r="%s" r:id' % REL_NS.encode()
        tag = b'<%slegacyDrawing %s="%s"/>' % (p, attr, rid.encode())
        followers = re.compile(rb"<(?:" + re.escape(p) + rb"(?:" + b"|".join(_AFTER_LEGACY) + rb")|"
                               + NAME + rb":AlternateContent)(?=[\s/>])")
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
                self.edits.append((m.start(), m.end(), set_attr(m.group(0), b"tabSelected", None)))

    def bytes(self) -> bytes:
        out, copied = [], 0
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1])):
            if start < copied:
                raise Unpatchable("overlapping edits")  # a bug, but never a broken file
            out += [self.data[copied:start], new]
            copied = end
        out.append(self.data[copied:])
        return b"".join(out)


def cell_range(ref: str) -> tuple[int, int, int, int] | None:
    parts = ref.split(":")
    if not 1 <= len(parts) <= 2:
        return None
    cells = [_REF.fullmatch(x) for x in parts]
    if not all(cells):
        return None
    (c1, r1), (c2, r2) = [(column_index_from_string(m.group(1).upper()), int(m.group(2)))
                          for m in (cells[0], cells[-1])]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


@dataclass
class Geometry:
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


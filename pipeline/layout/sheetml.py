"""A small SpreadsheetML writer for the workbooks made once per visit (the role sheets).

xlsxwriter spends ~9 ms on a role workbook of five sheets, most of it in its generic
per-cell bookkeeping and in parts such a workbook does not need; a thousand visits make
that the largest share of a build. This writes the same workbook as text, part by part,
zipped by pipeline.ooxml.zip, in a fraction of that; the styles part, the same for every
visit, is written and packed once per set of formats.

It writes what the role sheets use and nothing else: text cells (in the shared-strings
table, so `=SUM(A1)` stays text, as Excel saves text), blank cells with a format, row
heights and column widths stored as Excel and xlsxwriter store them, merged cells, links
to a sheet of the same workbook, frozen top rows, and a print setup (A4, orientation,
fixed scale, margins, rows repeated on each page, centred, page header and footer).
A format property it does not know is an error rather than silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

from ..ooxml.schema import CT_CORE_PROPERTIES, CT_EXTENDED_PROPERTIES, CT_NS, CT_RELS, CT_SHARED_STRINGS, CT_STYLES, \
    CT_WORKBOOK, CT_WORKSHEET, EXTENDED_PROPERTIES_NS, MAIN_NS, PKG_REL_NS, REL_CORE_PROPERTIES, \
    REL_EXTENDED_PROPERTIES, REL_NS, REL_OFFICE_DOCUMENT, REL_SHARED_STRINGS, REL_STYLES, REL_WORKSHEET
from ..ooxml.xmltext import DECLARATION
from ..ooxml.xmltext import attr_escaped as _attr
from ..ooxml.xmltext import text_escaped as _text
from ..ooxml.zip import EPOCH, Packed, pack, write_zip
from .sheets import A4, cut_utf16, fit_sheet_name, quote_sheet, without_bad_characters
from .text import legal

LEVEL = 1  # per workbook: fast (as a Word document's parts are packed)
ONCE_LEVEL = 9  # the parts packed once per run (styles, content types, relationships)
MAX_ROW_HEIGHT = 409.5  # points: Excel's limit
MAX_STRING = 32767  # characters in a cell: Excel's limit
DEFAULT_MARGINS = {"left": 0.7, "right": 0.7, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
_DECLARATION = DECLARATION.decode()
_ESCAPED = re.compile(r"_x[0-9a-fA-F]{4}_")  # how Excel writes a control character: a literal one is escaped
_VALIGN = {"top": "top", "vcenter": "center", "bottom": "bottom"}
_COLOUR = re.compile(r"#?[0-9A-Fa-f]{6}")
RESERVED_SHEET_NAMES = {"history"}  # Excel keeps it for itself

# ---- formats ---------------------------------------------------------------------------

_FONT_PROPS = ("font_name", "font_size", "bold", "italic", "underline", "font_color")
_BORDER_PROPS = ("border", "border_color", "left", "right", "top", "bottom")
KNOWN_PROPS = frozenset((*_FONT_PROPS, *_BORDER_PROPS, "bg_color", "valign", "text_wrap"))


class Styles:
    """Cell formats, each a set of properties named as xlsxwriter names them (font_name,
    font_size, bold, italic, underline, font_color, bg_color, border, border_color, left,
    right, top, bottom, valign, text_wrap), made once per distinct set on top of `base`.
    A format is its index in the styles part. A property or a value it does not know
    is a ValueError naming it."""

    def __init__(self, base: Mapping | None = None):
        self._base = dict(base or {})
        self._fonts: dict[tuple, int] = {("Calibri", 11, False, False, False, None): 0}
        self._fills: dict[str | None, int] = {None: 0, "gray125": 1}
        self._borders: dict[tuple, int] = {((0, None),) * 4: 0}
        self._xfs: dict[tuple, int] = {(0, 0, 0, None): 0}
        self._made: dict[tuple, int] = {}
        self._packed: Packed | None = None

    def __call__(self, *layers: Mapping, **props) -> int:
        merged = dict(self._base)
        for layer in layers:
            merged.update(layer)
        merged.update(props)
        key = tuple(sorted(merged.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._xf(merged)
        return made

    def _xf(self, props: dict) -> int:
        unknown = set(props) - KNOWN_PROPS
        if unknown:
            raise ValueError(f"format properties this writer does not know: {sorted(unknown)}")
        _check_values(props)
        font = (props.get("font_name", "Calibri"), props.get("font_size", 11), bool(props.get("bold")),
                bool(props.get("italic")), bool(props.get("underline")), _argb(props.get("font_color")))
        every = props.get("border", 0)
        colour = _argb(props.get("border_color"))
        border = tuple((style, colour if style else None)
                       for style in (props.get(side, every) for side in ("left", "right", "top", "bottom")))
        align = (_VALIGN[props["valign"]] if "valign" in props else None, bool(props.get("text_wrap")))
        key = (_index(self._fonts, font), _index(self._fills, _argb(props.get("bg_color"))),
               _index(self._borders, border), align if align != (None, False) else None)
        self._packed = None
        return _index(self._xfs, key)

    def packed(self) -> Packed:
        """The styles part, packed (again only after a new format was made)."""
        if self._packed is None:
            self._packed = pack(self.xml().encode("utf-8"), ONCE_LEVEL)
        return self._packed

    def xml(self) -> str:
        fonts = "".join(_font_xml(*f) for f in self._fonts)
        fills = "".join('<fill><patternFill patternType="none"/></fill>' if f is None else
                        f'<fill><patternFill patternType="{f}"/></fill>' if f == "gray125" else
                        f'<fill><patternFill patternType="solid"><fgColor rgb="{f}"/><bgColor indexed="64"/>'
                        f'</patternFill></fill>' for f in self._fills)
        borders = "".join(_border_xml(b) for b in self._borders)
        xfs = "".join(_xf_xml(*x) for x in self._xfs)
        return (f'{_DECLARATION}<styleSheet xmlns="{MAIN_NS}">'
                f'<fonts count="{len(self._fonts)}">{fonts}</fonts><fills count="{len(self._fills)}">{fills}</fills>'
                f'<borders count="{len(self._borders)}">{borders}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self._xfs)}">{xfs}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '<dxfs count="0"/></styleSheet>')


def _check_values(props: dict) -> None:
    """Values the styles part can hold: a colour as #RRGGBB, a border style it writes, a
    vertical alignment, a single underline."""
    bad = [k for k in ("font_color", "bg_color", "border_color") if k in props and not _COLOUR.fullmatch(props[k])]
    bad += [k for k in ("border", "left", "right", "top", "bottom") if props.get(k, 0) not in (0, *_BORDER_STYLE)]
    bad += [k for k in ("valign",) if k in props and props[k] not in _VALIGN]
    bad += [k for k in ("underline",) if props.get(k, 0) not in (0, 1, True, False)]
    if bad:
        raise ValueError("format values this writer does not know: "
                         + ", ".join(f"{k}={props[k]!r}" for k in bad))


def _index(table: dict, key) -> int:
    found = table.get(key)
    if found is None:
        found = table[key] = len(table)
    return found


def _argb(colour: str | None) -> str | None:
    return None if colour is None else "FF" + colour.lstrip("#").upper()


def _font_xml(name: str, size: float, bold: bool, italic: bool, underline: bool, colour: str | None) -> str:
    # the schema's order: b, i, u, sz, color, name, family
    colour_xml = f'<color rgb="{colour}"/>' if colour else ""
    return (f'<font>{"<b/>" if bold else ""}{"<i/>" if italic else ""}{"<u/>" if underline else ""}'
            f'<sz val="{_num(size)}"/>{colour_xml}<name val="{_attr(name)}"/><family val="2"/></font>')


def _border_xml(edges: tuple) -> str:
    out = []
    for side, (style, colour) in zip(("left", "right", "top", "bottom"), edges):
        if not style:
            out.append(f"<{side}/>")
        else:
            inner = f'<color rgb="{colour}"/>' if colour else ""
            out.append(f'<{side} style="{_BORDER_STYLE[style]}">{inner}</{side}>')
    return f"<border>{''.join(out)}<diagonal/></border>"


_BORDER_STYLE = {1: "thin", 2: "medium", 5: "thick"}


def _xf_xml(font: int, fill: int, border: int, align: tuple | None) -> str:
    applies = "".join((' applyFont="1"' if font else "", ' applyFill="1"' if fill else "",
                       ' applyBorder="1"' if border else "", ' applyAlignment="1"' if align else ""))
    head = f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"{applies}'
    if not align:
        return head + "/>"
    valign, wrap = align
    attrs = (f' vertical="{valign}"' if valign else "") + (' wrapText="1"' if wrap else "")
    return f"{head}><alignment{attrs}/></xf>"


# ---- sheets ----------------------------------------------------------------------------

class Sheet:
    """One worksheet: cells by (row, column), counted from 0 as xlsxwriter counts."""

    def __init__(self, name: str, index: int):
        self.name = name
        self.index = index
        self._cells: dict[int, dict[int, tuple[str | None, int]]] = {}
        self._heights: dict[int, float] = {}
        self._widths: dict[int, float] = {}
        self._merged: list[str] = []
        self._links: list[tuple[str, str, str]] = []
        self._frozen = 0
        self._print = ""
        self.repeat_rows: tuple[int, int] | None = None

    def write(self, row: int, col: int, text: str, style: int) -> None:
        """A text cell: always text, never a formula or a number; without the characters
        XML cannot hold, cut to Excel's limit; an empty text is a blank cell."""
        self._cells.setdefault(row, {})[col] = (cut_utf16(legal(text), MAX_STRING) or None, style)

    def write_blank(self, row: int, col: int, style: int) -> None:
        self._cells.setdefault(row, {})[col] = (None, style)

    def merge(self, row: int, first: int, last: int, style: int) -> None:
        """Merge the columns `first`..`last` of a row; the rest of the range gets the format
        (the caller writes the first cell)."""
        for col in range(first + 1, last + 1):
            self.write_blank(row, col, style)
        self._merged.append(f"{cell_ref(row, first)}:{cell_ref(row, last)}")

    def write_link(self, row: int, col: int, sheet: str, text: str, style: int) -> None:
        """A text cell that links to cell A1 of another sheet of the workbook."""
        self.write(row, col, text, style)
        self._links.append((cell_ref(row, col), f"{quote_sheet(sheet)}!A1", legal(text)))

    def set_row(self, row: int, height: float) -> None:
        """The row's height in points, stored as Excel does: whole pixels (4/3 a point),
        no taller than Excel allows."""
        self._heights[row] = min(int(height * 4 / 3 + 0.5) * 0.75, MAX_ROW_HEIGHT)

    def set_column(self, col: int, width: float) -> None:
        """The column's width in characters of the default font, stored as Excel does: in
        whole pixels (7 a character) with its 5 pixels of padding, in 1/256ths."""
        if width < 1:
            pixels = int(width * 12 + 0.5)
        else:
            pixels = int(width * 7 + 0.5) + 5
        self._widths[col] = int(pixels / 7 * 256) / 256

    def freeze_rows(self, rows: int) -> None:
        """Keep the top `rows` in view while the rest scrolls."""
        self._frozen = rows

    def print_setup(self, *, landscape: bool = True, scale: int = 100, margins: Mapping[str, float] | None = None,
                    repeat_rows: tuple[int, int] | None = None, centre: bool = False, header: str = "",
                    footer: str = "") -> None:
        """How the sheet prints on A4: at `scale` percent; `margins` in inches (Excel's own
        where not given); `repeat_rows` (first, last) on every page; `centre`d across the
        page; page `header` and `footer` (Excel's &L/&C/&R codes, escaped by the caller)."""
        m = {**DEFAULT_MARGINS, **(margins or {})}
        self.repeat_rows = repeat_rows
        self._print = "".join((
            '<printOptions horizontalCentered="1"/>' if centre else "",
            f'<pageMargins left="{_num(m["left"])}" right="{_num(m["right"])}" top="{_num(m["top"])}" '
            f'bottom="{_num(m["bottom"])}" header="{_num(m["header"])}" footer="{_num(m["footer"])}"/>',
            f'<pageSetup paperSize="{A4}" scale="{int(scale)}" orientation="{"landscape" if landscape else "portrait"}"/>',
            f"<headerFooter><oddHeader>{_text(legal(header))}</oddHeader><oddFooter>{_text(legal(footer))}</oddFooter>"
            "</headerFooter>" if header or footer else "",
        ))

    def xml(self, strings: dict[str, int], selected: bool) -> str:
        """The worksheet part; its texts go into `strings` (text -> index in the table)."""
        rows = sorted(self._cells.keys() | self._heights.keys())
        cols = sorted({c for cells in self._cells.values() for c in cells})
        dimension = f"{cell_ref(rows[0], cols[0])}:{cell_ref(rows[-1], cols[-1])}" if cols else "A1"
        tab = ' tabSelected="1"' if selected else ""
        out = [f'{_DECLARATION}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><dimension ref="{dimension}"/>'
               f'<sheetViews><sheetView{tab} workbookViewId="0">']
        if self._frozen:
            out.append(f'<pane ySplit="{self._frozen}" topLeftCell="A{self._frozen + 1}" activePane="bottomLeft" '
                       'state="frozen"/><selection pane="bottomLeft"/>')
        out.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if self._widths:
            out.append("<cols>")
            out.extend(f'<col min="{c + 1}" max="{c + 1}" width="{_num(w)}" customWidth="1"/>'
                       for c, w in sorted(self._widths.items()))
            out.append("</cols>")
        out.append("<sheetData>")
        heights = self._heights
        for r in rows:
            number = r + 1
            height = heights.get(r)
            out.append(f'<row r="{number}" ht="{_num(height)}" customHeight="1">' if height is not None
                       else f'<row r="{number}">')
            for c, (text, style) in sorted(self._cells.get(r, {}).items()):
                ref = f"{column_letter(c)}{number}"
                if text is None:
                    out.append(f'<c r="{ref}" s="{style}"/>')
                else:
                    index = strings.get(text)
                    if index is None:
                        index = strings[text] = len(strings)
                    out.append(f'<c r="{ref}" s="{style}" t="s"><v>{index}</v></c>')
            out.append("</row>")
        out.append("</sheetData>")
        if self._merged:
            out.append(f'<mergeCells count="{len(self._merged)}">')
            out.extend(f'<mergeCell ref="{ref}"/>' for ref in self._merged)
            out.append("</mergeCells>")
        if self._links:
            out.append("<hyperlinks>")
            out.extend(f'<hyperlink ref="{ref}" location="{_attr(location)}" display="{_attr(text)}"/>'
                       for ref, location, text in self._links)
            out.append("</hyperlinks>")
        out.append(self._print)
        out.append("</worksheet>")
        return "".join(out)


# ---- the workbook ----------------------------------------------------------------------

class Book:
    """A workbook of `Sheet`s sharing one `Styles`; `to_bytes` writes the .xlsx."""

    def __init__(self, styles: Styles, *, title: str = "", company: str = "", created: datetime | None = None):
        self.styles = styles
        self.title, self.company, self.created = title, company, created or datetime(2000, 1, 1)
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str) -> Sheet:
        """A new sheet; `name` must be a valid, distinct sheet name (pipeline.layout.sheets
        makes them): a file Excel would have to repair is never written."""
        if (not name or without_bad_characters(name) != name or fit_sheet_name(name) != name
                or name.startswith("'") or name.casefold() in RESERVED_SHEET_NAMES
                or name.casefold() in {s.name.casefold() for s in self.sheets}):
            raise ValueError(f"not a valid sheet name, or one taken: {name!r}")
        sheet = Sheet(name, len(self.sheets))
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        strings: dict[str, int] = {}
        sheets = [(f"xl/worksheets/sheet{s.index + 1}.xml", s.xml(strings, s.index == 0)) for s in self.sheets]
        parts = [
            ("[Content_Types].xml", _packed(_content_types(len(self.sheets)))),
            ("_rels/.rels", _packed(_ROOT_RELS)),
            ("docProps/app.xml", _packed(_app(self.company))),
            ("docProps/core.xml", _packed(_core(self.title, self.created))),
            ("xl/workbook.xml", pack(self._workbook().encode("utf-8"), LEVEL)),
            ("xl/_rels/workbook.xml.rels", _packed(_workbook_rels(len(self.sheets)))),
            ("xl/styles.xml", self.styles.packed()),
            *((name, pack(xml.encode("utf-8"), LEVEL)) for name, xml in sheets),
            ("xl/sharedStrings.xml", pack(_shared_strings(strings, self._text_cells()).encode("utf-8"), LEVEL)),
        ]
        return write_zip((name, part, EPOCH) for name, part in parts)

    def _text_cells(self) -> int:
        return sum(text is not None for s in self.sheets for cells in s._cells.values() for text, _ in cells.values())

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{_attr(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
                         for s in self.sheets)
        names = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{s.index}">'
                        f'{_text(quote_sheet(s.name))}!${s.repeat_rows[0] + 1}:${s.repeat_rows[1] + 1}</definedName>'
                        for s in self.sheets if s.repeat_rows)
        return (f'{_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/>'
                f'<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
                f'{f"<definedNames>{names}</definedNames>" if names else ""}</workbook>')


def _shared_strings(strings: dict[str, int], references: int) -> str:
    """The table of texts (`strings`, in the order of their indexes) and how many cells
    refer to them."""
    out = [f'{_DECLARATION}<sst xmlns="{MAIN_NS}" count="{references}" uniqueCount="{len(strings)}">']
    for text in strings:
        if "_x" in text:
            text = _ESCAPED.sub(r"_x005F\g<0>", text)
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        out.append(f"<si><t{space}>{_text(text)}</t></si>")
    out.append("</sst>")
    return "".join(out)


@lru_cache(maxsize=64)
def _packed(xml: str) -> Packed:
    """A part that is the same for every visit of a run (the number of sheets, the
    company, today): packed once."""
    return pack(xml.encode("utf-8"), ONCE_LEVEL)


@lru_cache(maxsize=64)
def _content_types(sheets: int) -> str:
    overrides = [("/xl/workbook.xml", CT_WORKBOOK), ("/xl/styles.xml", CT_STYLES),
                 ("/xl/sharedStrings.xml", CT_SHARED_STRINGS), ("/docProps/core.xml", CT_CORE_PROPERTIES),
                 ("/docProps/app.xml", CT_EXTENDED_PROPERTIES),
                 *((f"/xl/worksheets/sheet{n}.xml", CT_WORKSHEET) for n in range(1, sheets + 1))]
    return (f'{_DECLARATION}<Types xmlns="{CT_NS}"><Default Extension="rels" ContentType="{CT_RELS}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in overrides) + "</Types>")


_ROOT_RELS = (f'{_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
              f'<Relationship Id="rId1" Type="{REL_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>'
              f'<Relationship Id="rId2" Type="{REL_CORE_PROPERTIES}" Target="docProps/core.xml"/>'
              f'<Relationship Id="rId3" Type="{REL_EXTENDED_PROPERTIES}" Target="docProps/app.xml"/></Relationships>')


@lru_cache(maxsize=64)
def _workbook_rels(sheets: int) -> str:
    rels = [(REL_WORKSHEET, f"worksheets/sheet{n}.xml") for n in range(1, sheets + 1)]
    rels += [(REL_STYLES, "styles.xml"), (REL_SHARED_STRINGS, "sharedStrings.xml")]
    return (f'{_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
                      for n, (kind, target) in enumerate(rels, start=1)) + "</Relationships>")


def _core(title: str, created: datetime) -> str:
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{_text(legal(title))}</dc:title>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def _app(company: str) -> str:
    # "Microsoft Excel", as xlsxwriter writes it: some readers expect an Excel file to say so
    return (f'{_DECLARATION}<Properties xmlns="{EXTENDED_PROPERTIES_NS}"><Application>Microsoft Excel</Application>'
            f'<Company>{_text(legal(company))}</Company></Properties>')


# ---- small helpers ---------------------------------------------------------------------

@lru_cache(maxsize=256)
def column_letter(col: int) -> str:
    """`A` for 0, `AA` for 26."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"




def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))

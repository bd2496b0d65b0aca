"""Write templates/plan.docx, templates/itinerary.docx and templates/seating.docx: the Word
templates a company restyles (letterhead, logo, fonts, colours, wording) in Word or
LibreOffice.

    python scripts/make_templates.py [--fonts windows|noto] [--output templates]

The templates hold Jinja2 tags (`{{ L.guests }}`, `{%tr for g in guests %}`); the fields
they may use are PLAN_FIELDS and ITINERARY_FIELDS in pipeline/documents/plan.py (and
SEATING_FIELDS in pipeline/documents/seating.py) and
every label is in the `docs` section of pipeline/locale/*.yaml, so one template serves
both languages. Formatting lives in real Word styles (Title, Heading 1/2, Table Text,
the "Reception Table" table style with a shaded header row), so restyling a style
restyles every document.

Fonts: every style names its Latin and its East Asian font explicitly (no theme fonts),
so Chinese text never falls back to a font nobody chose.
- `windows` (default): headings Arial + Microsoft YaHei (微软雅黑), body Times New Roman +
  SimSun (宋体): fonts every Chinese Windows and Office has. Where they are missing
  (Linux), LibreOffice substitutes Liberation Sans/Serif for the Latin fonts (same
  metrics) and Noto Sans CJK SC / Noto Serif CJK SC for the Chinese ones: sans headings
  and serif body stay sans and serif, with simplified-Chinese glyph forms. The fonts are
  named in English on purpose: LibreOffice knows "SimSun" as a CJK serif font, while for
  "宋体" it falls back to a sans one.
- `noto`: Noto Sans CJK SC / Noto Serif CJK SC for both scripts, for offices whose
  machines have the Noto CJK fonts and not the Windows ones.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
FONTS = {
    "windows": {"heading": ("Arial", "Microsoft YaHei"), "body": ("Times New Roman", "SimSun")},
    "noto": {"heading": ("Noto Sans CJK SC", "Noto Sans CJK SC"), "body": ("Noto Serif CJK SC", "Noto Serif CJK SC")},
}
TEXT_WIDTH = 16.6  # cm: A4 (21 cm) less 2.2 cm margins
NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x59, 0x59, 0x59)
RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "DCE6F2"
LABEL_FILL = "F2F2F2"
DAY_FILL = "EEF3F8"
BORDER = "A6A6A6"
HEADING_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading")


# --------------------------------------------------------------------------------------
# Styles


def set_fonts(rpr, latin: str, east_asian: str) -> None:
    """Name both fonts explicitly; theme fonts would override them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(attr), value)


def setup_styles(doc, fonts: dict) -> None:
    styles = doc.styles
    body, heading = fonts["body"], fonts["heading"]
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, *body)
    rpr.find(qn("w:sz")).set(qn("w:val"), "21")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "21")
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "80")
    spacing.set(qn("w:line"), "264")

    # Every style names its fonts: headings the heading pair, the rest the body pair.
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            pair = heading if style.name in HEADING_STYLES or style.name.startswith("Heading") else body
            set_fonts(style.element.get_or_add_rPr(), *pair)

    normal = styles["Normal"]
    normal.font.size = Pt(10.5)

    def para(name: str, base: str = "Normal", size: float | None = None, bold: bool | None = None,
             color: RGBColor | None = None, before: float = 0, after: float = 4, keep: bool = False):
        style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base and name != base:
            style.base_style = styles[base]
        style.quick_style = True
        if size:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        style.font.color.rgb = color
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        pf.keep_with_next = keep
        set_fonts(style.element.get_or_add_rPr(), *(heading if name in HEADING_STYLES or name.startswith("Heading")
                                                     else body))
        return style

    title = para("Title", size=20, bold=True, color=NAVY, before=0, after=2)
    title.font.italic = False
    _clear_border(title)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = para("Subtitle", size=12, bold=False, color=GREY, after=10)
    subtitle.font.italic = False
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h1 = para("Heading 1", size=13, bold=True, color=NAVY, before=14, after=6, keep=True)
    _bottom_border(h1.element.get_or_add_pPr(), "1F3864", 6)
    para("Heading 2", size=11, bold=True, color=NAVY, before=8, after=4, keep=True)
    table_text = para("Table Text", size=9, after=0)
    table_text.paragraph_format.line_spacing = 1.0
    para("Table Label", base="Table Text", bold=True, after=0)
    para("Table Heading", base="Table Text", bold=True, after=0, color=NAVY)
    para("Note", size=9, color=GREY, after=4, keep=True)
    notice = para("Draft Notice", size=10.5, bold=True, color=RED, before=4, after=8)
    _box(notice.element.get_or_add_pPr(), "C00000", "FDECEA")
    for name in ("Header", "Footer"):
        style = para(name, size=8.5, color=GREY, after=0)
        _right_tab_only(style.element.get_or_add_pPr())
    para("Signature", after=0, keep=True)
    _table_style(styles, "Reception Table", header=True)
    _table_style(styles, "Info Table", header=False)
    _prune_table_styles(styles)


def _right_tab_only(ppr) -> None:
    """One right-aligned tab stop at the right margin (Word's default has a centre one)."""
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(round(TEXT_WIDTH * 567)))
    tabs.append(tab)
    _insert_ppr(ppr, tabs)


def _clear_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)


def _bottom_border(ppr, color: str, size: int) -> None:
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "2"), ("w:color", color)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    _insert_ppr(ppr, bdr)


def _box(ppr, color: str, fill: str) -> None:
    bdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        e = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", color)):
            e.set(qn(k), v)
        bdr.append(e)
    _insert_ppr(ppr, bdr)
    _insert_ppr(ppr, _shading(fill))


_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc"]


def _insert_ordered(parent, child, order: list[str]) -> None:
    """Put `child` into `parent` in schema order, replacing one of its kind (Word rejects
    misordered properties)."""
    name = child.tag.split("}")[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(name)
    for i, existing in enumerate(parent):
        other = existing.tag.split("}")[1]
        if other in order and order.index(other) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def _insert_ppr(ppr, child) -> None:
    _insert_ordered(ppr, child, _PPR_ORDER)


def _shading(fill: str):
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _borders(tag: str, color: str = BORDER, size: int = 4, sides=("top", "left", "bottom", "right", "insideH",
                                                                     "insideV"), val: str = "single"):
    borders = OxmlElement(tag)
    for side in sides:
        e = OxmlElement(f"w:{side}")
        for k, v in (("w:val", val), ("w:sz", str(size)), ("w:space", "0"), ("w:color", color)):
            e.set(qn(k), v)
        borders.append(e)
    return borders


def _table_style(styles, name: str, header: bool) -> None:
    """Thin grey grid and roomy cells; with `header`, a shaded bold first row."""
    style = styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    style.quick_style = True
    el = style.element
    tblpr = OxmlElement("w:tblPr")
    tblpr.append(_borders("w:tblBorders"))
    margins = OxmlElement("w:tblCellMar")
    for side, w in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(w))
        e.set(qn("w:type"), "dxa")
        margins.append(e)
    tblpr.append(margins)
    el.append(tblpr)
    if not header:
        return
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    rpr.append(OxmlElement("w:bCs"))
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F3864")
    rpr.append(color)
    first.append(rpr)
    first.append(OxmlElement("w:tblPr"))
    tcpr = OxmlElement("w:tcPr")
    tcpr.append(_shading(HEADER_FILL))
    first.append(tcpr)
    el.append(first)


def _prune_table_styles(styles) -> None:
    """Keep the table styles the templates use; Word still offers its built-in ones."""
    keep = {"Normal Table", "Table Grid", "Reception Table", "Info Table"}
    for style in list(styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in keep:
            style.element.getparent().remove(style.element)


# --------------------------------------------------------------------------------------
# Page, header and footer


# The company's letterhead: the fields of the profile ([company] in reception.toml,
# pipeline/documents/letterhead.py), each blank when it is not set, so that a document
# without a profile shows no placeholder. A company that puts its own letterhead here
# deletes these runs and leaves the profile empty.
COMPANY = [("{{ company.logo }}",), ("{{ company.name }}", "bold", NAVY, 11)]
COMPANY_OTHER = [("{% if company.other_name %}  {{ company.other_name }}{% endif %}", GREY, 8.5)]


def setup_page(doc, letterhead: list[tuple], footer: str, other_name: bool = False) -> None:
    """A4; the header: the company (its logo and name; `other_name`: its name in the
    other language too), then `letterhead`'s runs after a right tab, then a line of the
    company's address, switchboard and website where it has them; ruled below."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    # Room for the letterhead above the text: the logo (1 cm) and the contact line from
    # 1 cm below the page's edge, then a clear gap before the text at 3 cm.
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = doc.styles["Header"]
    _add_runs(p, [*COMPANY, *(COMPANY_OTHER if other_name else []), *([("\t",), *letterhead] if letterhead else [])])
    block_tag(header, "{%p if company.contact_line %}")
    contact = header.add_paragraph(style=doc.styles["Header"])
    _add_runs(contact, [("{{ company.contact_line }}",)])
    block_tag(header, "{%p endif %}")
    # Both ruled alike: Word and LibreOffice draw one rule under the pair (or under the
    # first alone, when there is no contact line).
    for ruled in (p, contact):
        _bottom_border(ruled._p.get_or_add_pPr(), BORDER, 4)
    p = section.footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.add_run(f"{footer}\t{{{{ L.page_before }}}}")
    _field(p, "PAGE")
    p.add_run("{{ L.page_middle }}")
    _field(p, "NUMPAGES")
    p.add_run("{{ L.page_after }}")


def _add_runs(p, runs) -> None:
    for text, *fmt in runs:
        run = p.add_run(text)
        for f in fmt:
            if f == "bold":
                run.bold = True
            elif isinstance(f, RGBColor):
                run.font.color.rgb = f
            elif isinstance(f, (int, float)):
                run.font.size = Pt(f)


def _field(p, code: str) -> None:
    """A PAGE / NUMPAGES field (the number Word and LibreOffice fill in)."""
    def fld(kind):
        r = OxmlElement("w:r")
        c = OxmlElement("w:fldChar")
        c.set(qn("w:fldCharType"), kind)
        r.append(c)
        return r
    p._p.append(fld("begin"))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    r.append(instr)
    p._p.append(r)
    p._p.append(fld("separate"))
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    p._p.append(r)
    p._p.append(fld("end"))


# --------------------------------------------------------------------------------------
# Building blocks of the body


def heading(doc, text: str, level: int = 1, page_break: bool = False):
    p = doc.add_paragraph(text, style=f"Heading {level}")
    if page_break:
        p.paragraph_format.page_break_before = True
    return p


def block_tag(container, tag: str) -> None:
    """A paragraph holding only a docxtpl block tag (`{%p if … %}`): it disappears."""
    container.add_paragraph(tag)


def _table(doc, widths: list[float], style: str = "Reception Table", header: bool = True):
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    look.attrib.clear()
    # firstRow 0x20, noHBand 0x200, noVBand 0x400
    for k, v in (("w:val", "0620" if header else "0600"), ("w:firstRow", "1" if header else "0"),
                 ("w:lastRow", "0"), ("w:firstColumn", "0"), ("w:lastColumn", "0"), ("w:noHBand", "1"),
                 ("w:noVBand", "1")):
        look.set(qn(k), v)
    width = tblpr.find(qn("w:tblW"))
    width.set(qn("w:w"), str(round(sum(widths) * 567)))
    width.set(qn("w:type"), "dxa")
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)
    return table


_TCPR_ORDER = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark"]


def _insert_tcpr(cell, child) -> None:
    _insert_ordered(cell._tc.get_or_add_tcPr(), child, _TCPR_ORDER)


def _row(table, widths: list[float], cells: list, style: str = "Table Text", header: bool = False,
         fill: str | None = None, cant_split: bool = True):
    """A row; a cell is a text, a list of runs (text, fmt…) or None to merge into the left one."""
    row = table.add_row()
    trpr = row._tr.get_or_add_trPr()
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    elif cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    for cell, w in zip(row.cells, widths):
        cell.width = Cm(w)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER if header else WD_CELL_VERTICAL_ALIGNMENT.TOP
    start = 0
    for i, content in enumerate(cells):
        if content is None:
            row.cells[start].merge(row.cells[i])
            continue
        start = i
        cell = row.cells[i]
        p = cell.paragraphs[0]
        p.style = table.part.document.styles["Table Heading" if header else style]
        if isinstance(content, str):
            p.add_run(content)
        else:
            _add_runs(p, content)
        if fill:
            _insert_tcpr(cell, _shading(fill))
    return row


def list_table(doc, widths: list[float], headers: list[str], cells: list, loop: str, empty: str | None = None):
    """A table with a repeated header row and one row per item of a `{%tr for %}` loop."""
    table = _table(doc, widths)
    _row(table, widths, headers, header=True)
    _row(table, widths, [f"{{%tr {loop} %}}"] + [""] * (len(widths) - 1))
    _row(table, widths, cells)
    if empty:  # a row in place of an empty list
        _row(table, widths, ["{%tr else %}"] + [""] * (len(widths) - 1))
        _row(table, widths, [empty] + [None] * (len(widths) - 1))
    _row(table, widths, ["{%tr endfor %}"] + [""] * (len(widths) - 1))
    return table


def info_table(doc, widths: list[float], rows: list[list], keep: bool = False):
    """A key–value table: label cells shaded and bold; None merges a cell into the left one;
    a row given as a string is a row tag.
    With `keep`, the table stays on one page with what follows it."""
    table = _table(doc, widths, "Info Table", header=False)
    for cells in rows:
        if isinstance(cells, str):  # a row tag: `{%tr if … %}`
            _row(table, widths, [cells] + [""] * (len(widths) - 1))
            continue
        row = _row(table, widths, cells)
        if keep:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        for i, content in enumerate(cells):
            if content is not None and i % 2 == 0 and _is_label(content):
                cell = row.cells[i]
                cell.paragraphs[0].style = doc.styles["Table Label"]
                _insert_tcpr(cell, _shading(LABEL_FILL))
    return table


def _is_label(content) -> bool:
    return isinstance(content, str) and content.startswith("{{ L.")


def day_table(doc, widths: list[float], headers: list[str], cells: list[str]):
    """The itinerary: a header row, then per day a shaded date row and its items."""
    table = _table(doc, widths)
    n = len(widths)
    _row(table, widths, headers, header=True)
    _row(table, widths, ["{%tr for day in days %}"] + [""] * (n - 1))
    _row(table, widths, [[("{{ day.date }}", "bold")]] + [None] * (n - 1), fill=DAY_FILL)
    _row(table, widths, ["{%tr for it in day.entries %}"] + [""] * (n - 1))
    _row(table, widths, cells)
    _row(table, widths, ["{%tr endfor %}"] + [""] * (n - 1))
    _row(table, widths, ["{%tr endfor %}"] + [""] * (n - 1))
    return table


def spacer(doc, points: float = 4) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.line_spacing = Pt(points)


def signature_block(doc) -> None:
    """Signature lines: a label and a ruled blank per line (printed and signed by hand)."""
    widths = [4.6, 6.0]
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)
    for label in ("{{ L.sign_prepared }}", "{{ L.sign_approver }}", "{{ L.sign_date }}"):
        row = table.add_row()
        row.height = Cm(1.0)
        for cell, w in zip(row.cells, widths):
            cell.width = Cm(w)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        row.cells[0].paragraphs[0].add_run(label)
        row.cells[0].paragraphs[0].style = doc.styles["Signature"]
        row.cells[1].paragraphs[0].style = doc.styles["Signature"]
        _insert_tcpr(row.cells[1], _borders("w:tcBorders", "000000", 6, sides=("bottom",)))


# --------------------------------------------------------------------------------------
# The two templates


def make_plan(fonts: dict) -> Document:
    doc = Document()
    setup_styles(doc, fonts)
    setup_page(doc, [("{{ L.confidential }}", "bold", RED)], footer="{{ L.doc_title }}  {{ visit.id }}")
    header = doc.sections[0].header
    block_tag(header, "{%p if draft %}")
    p = header.add_paragraph(style=doc.styles["Header"])
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_runs(p, [("{{ L.draft_banner }}", "bold", RED, 10)])
    block_tag(header, "{%p endif %}")

    p = doc.add_paragraph(style="Title")
    p.add_run("{{ L.doc_title }}")
    _add_runs(p, [("{% if draft %}{{ L.draft_mark }}{% endif %}", RED)])
    doc.add_paragraph("{{ visit.theme }}", style="Subtitle")
    block_tag(doc, "{%p if draft %}")
    doc.add_paragraph("{{ draft_notice }}", style="Draft Notice")
    block_tag(doc, "{%p endif %}")

    w4 = [2.8, 5.5, 2.8, 5.5]
    info_table(doc, w4, [
        ["{{ L.visit_id }}", "{{ visit.id }}", "{{ L.version }}", "{{ version }}"],
        ["{{ L.client_org }}", "{{ visit.client_org }}", None, None],
        ["{{ L.arrival }}", "{{ visit.arrival }}", "{{ L.departure }}", "{{ visit.departure }}"],
        ["{{ L.level }}", "{{ visit.level }}", "{{ L.status }}", "{{ visit.status }}"],
        ["{{ L.approval }}", "{{ visit.approval }}", "{{ L.approver }}", "{{ visit.approver }}"],
    ])

    # While the plan differs from the version approved: what changed, first thing the
    # approver reads (§3.2.3).
    block_tag(doc, "{%p if changes.rows %}")
    heading(doc, "{{ L.sec_changes }}")
    doc.add_paragraph("{{ changes.intro }}", style="Draft Notice")
    list_table(doc, [1.8, 1.9, 4.9, 4.0, 4.0],
               ["{{ L.changes_sheet }}", "{{ L.changes_change }}", "{{ L.changes_what }}", "{{ L.changes_before }}",
                "{{ L.changes_after }}"],
               ["{{ c.sheet }}", "{{ c.label }}", "{{ c.what }}", "{{ c.before }}", "{{ c.after }}"],
               "for c in changes.rows")
    block_tag(doc, "{%p endif %}")

    heading(doc, "{{ L.sec_client }}")
    info_table(doc, w4, [
        ["{{ L.client_org }}", "{{ visit.client_org }}", "{{ L.client_type }}", "{{ visit.client_type }}"],
        ["{{ L.headcount }}", "{{ visit.headcount }}", "{{ L.requester }}", "{{ visit.requester }}"],
        ["{{ L.contact_name }}", "{{ visit.contact_name }}", "{{ L.contact_phone }}", "{{ visit.contact_phone }}"],
        ["{{ L.contact_email }}", "{{ visit.contact_email }}", None, None],
        ["{{ L.org_profile }}", "{{ visit.org_profile }}", None, None],
        ["{{ L.business_domain }}", "{{ visit.business_domain }}", "{{ L.industry_position }}",
         "{{ visit.industry_position }}"],
        ["{{ L.notes }}", "{{ visit.notes }}", None, None],
    ])

    heading(doc, "{{ L.sec_objective }}")
    w2 = [3.0, 13.6]
    info_table(doc, w2, [
        ["{{ L.purpose }}", "{{ visit.purpose }}"],
        ["{{ L.objective }}", "{{ visit.objective }}"],
        ["{{ L.emphasis }}", "{{ visit.emphasis }}"],
    ])

    heading(doc, "{{ L.sec_guests }}")
    list_table(doc, [1.0, 1.9, 2.3, 1.4, 1.7, 1.0, 2.5, 1.4, 3.4],
               ["{{ L.num }}", "{{ L.name }}", "{{ L.title }}", "{{ L.gender }}", "{{ L.ethnicity }}",
                "{{ L.core }}", "{{ L.dietary }}", "{{ L.smoker }}", "{{ L.preferences }}"],
               ["{{ g.no }}", "{{ g.name }}", "{{ g.title }}", "{{ g.gender }}", "{{ g.ethnicity }}",
                "{{ g.core }}", "{{ g.dietary }}", "{{ g.smoker }}", "{{ g.preferences }}"],
               "for g in guests")
    block_tag(doc, "{%p if profiles %}")
    heading(doc, "{{ L.sub_profiles }}", 2)
    block_tag(doc, "{%p endif %}")
    block_tag(doc, "{%p for pr in profiles %}")
    p = doc.add_paragraph()
    _add_runs(p, [("{{ pr.name }}", "bold"), ("{% if pr.title %}  {{ pr.title }}{% endif %}", GREY)])
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.keep_with_next = True
    p = doc.add_paragraph("{{ pr.details }}")
    p.paragraph_format.left_indent = Cm(0.6)
    block_tag(doc, "{%p endfor %}")

    heading(doc, "{{ L.sec_staff }}")
    list_table(doc, [2.0, 2.2, 2.4, 2.8, 7.2],
               ["{{ L.name }}", "{{ L.role }}", "{{ L.department }}", "{{ L.phone }}", "{{ L.duties }}"],
               ["{{ s.name }}", "{{ s.role }}", "{{ s.department }}", "{{ s.phone }}", "{{ s.duties }}"],
               "for s in staff")

    heading(doc, "{{ L.sec_itinerary }}")
    day_table(doc, [2.4, 6.6, 4.2, 3.4],
              ["{{ L.time }}", "{{ L.activity }}", "{{ L.location }}", "{{ L.owner }}"],
              ["{{ it.time }}", "{{ it.activity }}", "{{ it.location }}", "{{ it.owner }}"])

    heading(doc, "{{ L.sec_bookings }}")
    table = list_table(doc, [1.8, 2.7, 3.4, 1.0, 2.0, 2.0, 3.7],
                       ["{{ L.kind }}", "{{ L.resource }}", "{{ L.booking_time }}", "{{ L.quantity }}",
                        "{{ L.booking_status }}", "{{ L.reference }}", "{{ L.details }}"],
                       ["{{ b.kind }}", "{{ b.resource }}", "{{ b.time }}", "{{ b.quantity }}", "{{ b.status }}",
                        "{{ b.reference }}", "{{ b.details }}"],
                       "for b in bookings")
    status = table.rows[2].cells[4]  # reconfirmation on a second line, for hotels and restaurants
    block_tag(status, "{%p if b.reconfirmed %}")
    status.add_paragraph("{{ b.reconfirmed }}", style="Table Text")
    block_tag(status, "{%p endif %}")

    heading(doc, "{{ L.sec_prep }}")
    p = doc.add_paragraph()
    _add_runs(p, [("{{ L.prep_owner }}{{ L.colon }}", "bold"), ("{{ prep_owner }}",)])
    table = list_table(doc, [1.2, 11.4, 4.0],
                       ["{{ L.num }}", "{{ L.item }}", "{{ L.prep_status }}"],
                       ["{{ pi.no }}", "{{ pi.item }}", ""],
                       "for pi in prep")
    _conditional_cell(table.rows[2].cells[2], "pi.pending", "{{ pi.status }}")

    heading(doc, "{{ L.sec_lodging }}")
    p = doc.add_paragraph()
    _add_runs(p, [("{{ L.catering }}{{ L.colon }}", "bold"), ("{{ visit.catering }}\t",),
                  ("{{ L.accommodation }}{{ L.colon }}", "bold"), ("{{ visit.accommodation }}",)])
    p.paragraph_format.tab_stops.add_tab_stop(Cm(5.5))
    block_tag(doc, "{%p if lodging %}")
    list_table(doc, [2.6, 4.2, 3.8, 6.0],
               ["{{ L.lodging_kind }}", "{{ L.time }}", "{{ L.place }}", "{{ L.arrangement }}"],
               ["{{ lo.kind }}", "{{ lo.time }}", "{{ lo.place }}", "{{ lo.arrangement }}"],
               "for lo in lodging")
    block_tag(doc, "{%p else %}")
    doc.add_paragraph("{{ L.no_lodging }}")
    block_tag(doc, "{%p endif %}")

    heading(doc, "{{ L.sec_transport }}")
    info_table(doc, w4, [
        ["{{ L.transport }}", "{{ visit.transport }}", None, None],
        ["{{ L.arrival }}", "{{ transport.arrival }}", "{{ L.arrival_ref }}", "{{ transport.arrival_ref }}"],
        ["{{ L.arrival_point }}", "{{ transport.arrival_point }}", None, None],
        ["{{ L.departure }}", "{{ transport.departure }}", "{{ L.departure_ref }}", "{{ transport.departure_ref }}"],
        ["{{ L.departure_point }}", "{{ transport.departure_point }}", None, None],
        ["{{ L.vehicles }}", "{{ transport.vehicles }}", None, None],
        ["{{ L.transfers }}", "{{ transport.transfers }}", None, None],
    ])

    heading(doc, "{{ L.sec_gifts }}")
    info_table(doc, w2, [
        ["{{ L.gifts }}", "{{ visit.gifts }}"],
        ["{{ L.security }}", "{{ visit.security }}"],
        ["{{ L.emergency }}", "{{ visit.emergency }}"],
    ])

    heading(doc, "{{ L.sec_aids }}")
    doc.add_paragraph("{{ L.aids_intro }}", style="Note")
    heading(doc, "{{ L.sub_welcome }}", 2)
    doc.add_paragraph("{{ L.welcome_note }}", style="Note")
    p = doc.add_paragraph()  # the wording: replace the field with the company's own line
    _add_runs(p, [("{{ welcome_line }}", "bold", NAVY, 14)])
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading(doc, "{{ L.sub_wait }}", 2)
    doc.add_paragraph("{{ aids.host }}").paragraph_format.keep_with_next = True
    block_tag(doc, "{%p if aids.waits %}")
    list_table(doc, [5.6, 4.6, 3.2, 3.2],
               ["{{ L.wait_what }}", "{{ L.place }}", "{{ L.wait_at }}", "{{ L.be_there }}"],
               ["{{ w.what }}", "{{ w.place }}", "{{ w.at }}", [("{{ w.be_there }}", "bold")]],
               "for w in aids.waits")
    block_tag(doc, "{%p endif %}")
    heading(doc, "{{ L.sub_intro }}", 2)
    doc.add_paragraph("{{ L.intro_note }}")
    list_table(doc, [1.2, 7.7, 7.7], ["{{ L.num }}", "{{ L.ours }}", "{{ L.theirs }}"],
               ["{{ i.no }}", "{{ i.ours }}", "{{ i.theirs }}"], "for i in aids.intro")
    heading(doc, "{{ L.sub_boarding }}", 2)
    doc.add_paragraph("{{ L.boarding_note }}")
    p = doc.add_paragraph("{{ aids.boarding }}")
    p.paragraph_format.left_indent = Cm(0.6)
    heading(doc, "{{ L.sub_diet }}", 2)
    doc.add_paragraph("{{ aids.diet_note }}")
    table = list_table(doc, [6.0, 10.6], ["{{ L.name }}", "{{ L.need }}"], ["{{ d.name }}", ""],
                       "for d in aids.diet")
    _conditional_cell(table.rows[2].cells[1], "d.unknown", "{{ d.need }}")
    block_tag(doc, "{%p if aids.ethnicity_note %}")
    spacer(doc)
    doc.add_paragraph("{{ aids.ethnicity_note }}")
    block_tag(doc, "{%p endif %}")
    block_tag(doc, "{%p if aids.smoking_note %}")
    spacer(doc)
    doc.add_paragraph("{{ aids.smoking_note }}")
    block_tag(doc, "{%p endif %}")

    heading(doc, "{{ L.sec_approval }}")
    info_table(doc, w4, [
        ["{{ L.approval }}", "{{ visit.approval }}", "{{ L.approver }}", "{{ visit.approver }}"],
        ["{{ L.approved_on }}", "{{ visit.approved_on }}", "{{ L.briefed_on }}", "{{ visit.briefed_on }}"],
        ["{{ L.approval_notes }}", "{{ visit.approval_notes }}", None, None],
    ], keep=True)
    spacer(doc, 8)
    signature_block(doc)

    block_tag(doc, "{%p if draft %}")
    heading(doc, "{{ L.sec_open }}", page_break=True)
    doc.add_paragraph("{{ L.open_intro }}")
    list_table(doc, [1.0, 1.5, 1.3, 3.6, 9.2],
               ["{{ L.num }}", "{{ L.severity }}", "{{ L.clause }}", "{{ L.where }}", "{{ L.message }}"],
               ["{{ o.no }}", "{{ o.severity }}", "{{ o.clause }}", "{{ o.place }}", "{{ o.message }}"],
               "for o in open_items")
    block_tag(doc, "{%p endif %}")
    return doc


def _conditional_cell(cell, flag: str, value: str) -> None:
    """A value shown in red bold when `flag` is set (an open or unknown item)."""
    p = cell.paragraphs[0]
    p.add_run(f"{{% if {flag} %}}")
    _add_runs(p, [(value, "bold", RED)])
    p.add_run("{% else %}")
    p.add_run(value)
    p.add_run("{% endif %}")


def make_itinerary(fonts: dict) -> Document:
    doc = Document()
    setup_styles(doc, fonts)
    setup_page(doc, [], footer="{{ L.doc_title }}", other_name=True)
    doc.add_paragraph("{{ L.doc_title }}", style="Title")
    doc.add_paragraph("{{ visit.theme }}", style="Subtitle")
    p = doc.add_paragraph("{{ welcome.greeting }}")
    p.paragraph_format.space_before = Pt(6)
    p = doc.add_paragraph("{{ welcome.text }}")
    p.paragraph_format.space_after = Pt(8)

    heading(doc, "{{ L.sec_overview }}")
    info_table(doc, [3.2, 13.4], [
        ["{{ L.client_org }}", "{{ visit.client_org }}"],
        ["{{ L.dates }}", "{{ visit.dates }}"],
        ["{{ L.arrival }}", "{{ meeting.arrival }}"],
        ["{{ L.meeting_point }}", "{{ meeting.point }}"],
        ["{{ L.greeter }}", "{{ meeting.person }}"],
        "{%tr if hotel %}",
        ["{{ L.hotel }}", "{{ hotel }}"],
        "{%tr endif %}",
        ["{{ L.contact }}", "{{ contact.name }}\t{{ L.phone }}{{ L.colon }}{{ contact.phone }}"],
    ])

    heading(doc, "{{ L.sec_schedule }}")
    day_table(doc, [3.0, 8.0, 5.6], ["{{ L.time }}", "{{ L.activity }}", "{{ L.location }}"],
              ["{{ it.time }}", "{{ it.activity }}", "{{ it.location }}"])

    p = doc.add_paragraph("{{ L.closing }}")
    p.paragraph_format.space_before = Pt(12)
    block_tag(doc, "{%p if company.name %}")
    p = doc.add_paragraph("{{ company.name }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.space_before = Pt(12)
    block_tag(doc, "{%p endif %}")
    return doc


def make_seating(fonts: dict) -> Document:
    """Seating plans and name cards (座次与桌签, §4.2.1, §4.3.1), with the pick-up signs
    (§4.1.1) first. Each sign is a section of its own (A4 landscape), which also puts
    each on a page of its own; the plans and cards follow in
    portrait. The diagrams, the sizes of the signs' lines and the card faces are drawn by
    pipeline/documents/seating.py, which also starts each plan and each card on a new
    page (`plan.new_page`, `c.faces`): no page break or empty paragraph here for Word or
    LibreOffice to move when the template is saved. They take their fonts from the styles
    "Seat Text", "Seat Title", "Diagram Label" and "Sign Text"."""
    doc = Document()
    setup_styles(doc, fonts)
    _seating_styles(doc, fonts)
    block_tag(doc, "{%p for s in signs %}")
    p = doc.add_paragraph("{{ s.text }}", style="Sign Text")
    _page_setup(p._p.get_or_add_pPr().get_or_add_sectPr(), landscape=True)
    block_tag(doc, "{%p endfor %}")

    # The letterhead on the first page of the plans (the pages are drawn to the edge:
    # no page header, which would print on the name cards too).
    block_tag(doc, "{%p if company.name or company.logo %}")
    p = doc.add_paragraph(style="Header")
    _add_runs(p, COMPANY)
    _bottom_border(p._p.get_or_add_pPr(), BORDER, 4)
    p.paragraph_format.space_after = Pt(10)
    block_tag(doc, "{%p endif %}")
    doc.add_paragraph("{{ L.doc_title }}", style="Title")
    doc.add_paragraph("{{ visit.id }}  {{ visit.client_org }}  {{ visit.dates }}", style="Subtitle")
    doc.add_paragraph("{{ L.internal_note }}", style="Draft Notice")
    doc.add_paragraph("{{ rules_note }}", style="Note")
    block_tag(doc, "{%p if cards %}")
    doc.add_paragraph("{{ L.cards_note }}", style="Note")
    block_tag(doc, "{%p endif %}")

    block_tag(doc, "{%p for plan in plans %}")
    heading(doc, "{{ plan.new_page }}{{ plan.title }}")
    doc.add_paragraph("{{ plan.layout }}", style="Note")
    p = doc.add_paragraph("{{ plan.diagram }}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    block_tag(doc, "{%p if plan.overflow %}")
    doc.add_paragraph("{{ plan.overflow }}", style="Draft Notice")
    block_tag(doc, "{%p endif %}")
    list_table(doc, [1.0, 4.6, 3.4, 4.8, 2.8],
               ["{{ L.num }}", "{{ L.seat }}", "{{ L.name }}", "{{ L.title }}", "{{ L.side }}"],
               ["{{ s.no }}", "{{ s.seat }}", "{{ s.name }}", "{{ s.title }}", "{{ s.side }}"],
               "for s in plan.seats")
    block_tag(doc, "{%p endfor %}")

    block_tag(doc, "{%p for c in cards %}")
    doc.add_paragraph("{{ c.faces }}")
    block_tag(doc, "{%p endfor %}")
    _page_setup(doc.sections[-1]._sectPr, landscape=False)
    return doc


def _seating_styles(doc, fonts: dict) -> None:
    """The styles the drawn parts use: seat boxes, labels and the pick-up signs."""
    styles = doc.styles

    def add(name: str, size: float, bold: bool = False, color: RGBColor | None = None, font: str = "heading"):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size, style.font.bold = Pt(size), bold
        if color is not None:
            style.font.color.rgb = color
        pf = style.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        set_fonts(style.element.get_or_add_rPr(), *fonts[font])
        return style

    add("Seat Text", 7.5)
    add("Seat Title", 6.5, color=GREY)
    add("Diagram Label", 8, bold=True, color=NAVY)
    add("Sign Text", 72, bold=True)


def _page_setup(sect, landscape: bool) -> None:
    """A section's A4 page, without header or footer: a sign's (landscape) or the
    document's last one."""
    for child in list(sect):
        sect.remove(child)
    size = OxmlElement("w:pgSz")
    w, h = (16838, 11906) if landscape else (11906, 16838)
    size.set(qn("w:w"), str(w))
    size.set(qn("w:h"), str(h))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    margin = OxmlElement("w:pgMar")
    m = round((1.5 if landscape else 2.2) * 567)
    for side in ("top", "right", "bottom", "left"):
        margin.set(qn(f"w:{side}"), str(m))
    for k in ("header", "footer", "gutter"):
        margin.set(qn(f"w:{k}"), "0" if k == "gutter" else "567")
    sect.append(size)
    sect.append(margin)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:space"), "425")
    sect.append(cols)


# --------------------------------------------------------------------------------------
# Saving: Word's core properties, no leftovers of python-docx's default, fixed timestamps

_DROP_RELS = ("stylesWithEffects", "customXml", "thumbnail")


def finish(doc, title: str) -> bytes:
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(_DROP_RELS):
            doc.part.rels.pop(rid)
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith(_DROP_RELS):
            doc.part.package.rels.pop(rid)
    props = doc.core_properties
    props.title, props.subject, props.author, props.last_modified_by = title, "", "", ""
    props.comments, props.keywords, props.category = "", "", ""
    props.revision = 1
    from datetime import datetime
    props.created = props.modified = datetime(2027, 1, 1)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _deterministic(buffer.getvalue())


def _deterministic(data: bytes) -> bytes:
    """The same zip bytes for the same content (no timestamps), so a diff means a change."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fonts", choices=sorted(FONTS), default="windows")
    parser.add_argument("--output", type=Path, default=ROOT / "templates")
    args = parser.parse_args(argv)
    fonts = FONTS[args.fonts]
    args.output.mkdir(parents=True, exist_ok=True)
    for name, make, title in (("plan.docx", make_plan, "接待方案 Reception plan"),
                              ("itinerary.docx", make_itinerary, "客户行程 Client itinerary"),
                              ("seating.docx", make_seating, "座次与桌签 Seating plans and name cards")):
        path = args.output / name
        path.write_bytes(finish(make(fonts), title))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

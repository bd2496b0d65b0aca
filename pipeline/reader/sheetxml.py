"""What a workbook's XML tells that calamine's values do not: which part holds each
sheet, whether dates count from 1904, which number cells are shown zero-padded, and
which formula cells have no calculated value (calamine cannot tell one from a blank).
Cells are (Excel row, 0-based column)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import NamedTuple

from defusedxml import ElementTree as SafeET

from .. import preflight


class SheetXml(NamedTuple):
    """What one sheet's XML tells beyond its values."""

    uncached: set[tuple[int, int]]  # formula cells without a cached value
    padded: dict[tuple[int, int], int]  # number cells shown zero-padded -> digits shown


def scan(data: bytes, padded_styles: dict[int, int]) -> SheetXml:
    """The sheet part `data` scanned (`padded_styles`: see `padded_styles`)."""
    return SheetXml(_uncached_in_part(data), _padded_in_part(data, padded_styles))


# ---- the workbook part ---------------------------------------------------------------------

_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, from workbook.xml and its relationships, found
    the way calamine finds it (so that the part checked here is the part it parses): a
    target under `/xl/` or `xl/` as it is, any other under `xl/`; of two sheets of one
    name, the first."""
    wb_xml = SafeET.fromstring(z.read("xl/workbook.xml"))
    rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    parts: dict[str, str] = {}
    for el in wb_xml.iter():
        if el.tag.endswith("}sheet"):
            target = targets.get(el.get(_NS_REL), "")
            part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
            parts.setdefault(el.get("name"), part)
    return parts


def date1904(z: zipfile.ZipFile) -> bool:
    """Whether the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`)."""
    for el in SafeET.fromstring(z.read("xl/workbook.xml")).iter():
        if el.tag.endswith("}workbookPr"):
            return el.get("date1904", "0").strip().lower() in ("1", "true")
    return False


# ---- numbers shown with leading zeros -----------------------------------------------------

_ZERO_PADDING = re.compile(r"0{2,}")


def padded_styles(z: zipfile.ZipFile) -> dict[int, int]:
    """Cell style (its index in cellXfs) -> digits, of the styles whose number format
    pads with zeros (`00000000000`: a phone 021… typed as a number keeps its 0 on
    screen). Excel has no such built-in format, so only the workbook's own count."""
    try:
        root = SafeET.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return {}
    widths: dict[str, int] = {}
    for el in root.iter():
        if el.tag.endswith("}numFmt"):
            code = (el.get("formatCode") or "").split(";")[0].strip()
            if _ZERO_PADDING.fullmatch(code):
                widths[el.get("numFmtId") or ""] = len(code)
    if not widths:
        return {}
    styles: dict[int, int] = {}
    for el in root.iter():
        if el.tag.endswith("}cellXfs"):
            for i, xf in enumerate(x for x in el if x.tag.endswith("}xf")):
                if xf.get("numFmtId") in widths:
                    styles[i] = widths[xf.get("numFmtId")]
    return styles


def _padded_in_part(data: bytes, styles: dict[int, int]) -> dict[tuple[int, int], int]:
    """The cells of the sheet XML with one of those styles -> digits shown. Most
    workbooks have no such style, and then the sheet is not searched."""
    if not styles:
        return {}
    ids = b"|".join(str(i).encode() for i in styles)
    tag = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?(?<=\s)s\s*=\s*[\"'](" + ids + rb")[\"'][^>]*>")
    found = {}
    for m in tag.finditer(data):
        ref = preflight.reference_of(m[0])
        at = preflight.position(ref) if ref else None
        if at:
            found[(at[0] + 1, at[1])] = styles[int(m[1])]
    return found


# ---- formulas without a cached value -----------------------------------------------------

_TAG_NAME = re.compile(rb"\w+")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_TAG = re.compile(rb":f[\s>/]")


def _uncached_in_part(data: bytes) -> set[tuple[int, int]]:
    """The (Excel row, 0-based column) of the sheet part's formula cells with no cached
    value. Most sheets hold no formula at all: a plain byte search tells, and only a
    sheet with one is parsed as XML."""
    if not has_formula(data):
        return set()
    return set(formula_cells_without_value(data))


def has_formula(data: bytes) -> bool:
    """Whether the sheet XML has an <f> element (or <x:f> with a namespace prefix). A `<`
    in text or an attribute is always escaped, so every `<f` starts a tag. (Two searches
    for a literal each are many times faster than one for either.)"""
    if _FORMULA_TAG.search(data):
        return True
    for m in _PREFIXED_FORMULA_TAG.finditer(data):
        lt = data.rfind(b"<", max(0, m.start() - 100), m.start())
        if lt != -1 and _TAG_NAME.fullmatch(data, lt + 1, m.start()):
            return True
    return False


def formula_cells_without_value(data: bytes) -> Iterator[tuple[int, int]]:
    root = SafeET.fromstring(data)
    for c in root.iter():
        if not c.tag.endswith("}c"):
            continue
        children = {ch.tag.rsplit("}", 1)[-1]: ch for ch in c}
        if "f" not in children:
            continue
        v = children.get("v")
        is_ = children.get("is")
        if (v is None or not (v.text or "").strip()) and is_ is None:
            at = preflight.position((c.get("r") or "").encode())
            if at:
                yield at[0] + 1, at[1]

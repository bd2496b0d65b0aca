"""The fast way: the copy patched into the user's package. Every part is copied byte
for byte (still compressed) except the styles part, the marked sheets, their comments
and drawings, the workbook part and the new notes sheet (see the package's docstring)."""

from __future__ import annotations

import posixpath
from collections import defaultdict

from ..checks import CheckResult
from ..findings import Finding, worst
from ..ooxml import Unpatchable
from ..ooxml.package import Package
from ..ooxml.rels import Rels, rels_part
from ..ooxml.schema import CT_COMMENTS, CT_VML, REL_COMMENTS, REL_VML
from .book import BookParts
from .comments import Comments
from .marks import Place, comment_height, comment_text, place_findings
from .notes import defined_names, notes_sheet, notes_xml
from .sheet import SheetXml
from .styles import StyleSheet
from .vml import VmlBlocks, extend_vml, new_vml


def annotate_by_patching(result: CheckResult) -> bytes:
    """The copy, patched into the workbook's package; Unpatchable where it cannot be."""
    with Package(result.workbook.path) as pkg:
        book = BookParts(pkg)
        placed, unplaced = place_findings(result.findings, result.workbook, set(book.sheet_parts))
        by_sheet: dict[str, dict[Place, list[Finding]]] = defaultdict(dict)
        for where, findings in placed.items():
            by_sheet[where.sheet][where] = findings
        pkg.prefetch(book.sheet_parts[name] for name in by_sheet)
        styles = book.styles()
        shape_blocks = VmlBlocks(pkg)
        for name, part in book.sheet_parts.items():
            try:
                if name in by_sheet:
                    _annotate_sheet(pkg, part, by_sheet[name], styles, shape_blocks, result.lang)
                else:
                    book.unselect(part)
            except Unpatchable as e:  # the sheet's name says more to the user than its part's
                raise Unpatchable(f"sheet '{name}': {e}") from None
        for part in book.chart_sheet_parts:
            book.unselect_chart_sheet(part)
        notes = notes_sheet(result, unplaced, sum(len(fs) for fs in placed.values()),
                            (name for name, _, _ in book.sheets))
        book.add_first_sheet(notes.name, notes_xml(notes, styles), defined_names(notes))
        pkg.put(book.styles_part, styles.xml())
        book.save()
        return pkg.write()


def _annotate_sheet(pkg: Package, part: str, places: dict[Place, list[Finding]], styles: StyleSheet,
                    blocks: VmlBlocks, lang: str) -> None:
    """Mark one sheet's cells and put the comments on them."""
    sheet = SheetXml(pkg.read(part), part)
    cells: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    for where, findings in places.items():  # inside a merged range: on the range's top-left cell
        cells[sheet.top_left(where.row, where.col)].extend(findings)
    sheet.mark({cell: worst(fs) for cell, fs in cells.items()}, styles)
    rels = Rels(pkg, rels_part(part))
    comments_part = rels.target_of_type(REL_COMMENTS)
    vml_id = sheet.legacy_drawing_id()
    vml_part = rels.target(vml_id) if vml_id else None
    if vml_id and (vml_part is None or not pkg.has(vml_part)):
        raise Unpatchable(f"{part}: its legacy drawing is missing")
    if comments_part is not None and not pkg.has(comments_part):
        raise Unpatchable(f"{part}: its comments part is missing")

    ours = {cell: comment_text(fs, lang) for cell, fs in cells.items()}
    comments = Comments(pkg.read(comments_part) if comments_part else None, comments_part or "comments")
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
        pkg.content_types.by_extension(vml_part, CT_VML)
        shapes = [(r, c, comment_height(comments.text(r, c))) for r, c in sorted(comments.cells())]
        pkg.put(vml_part, new_vml(shapes, blocks, geometry))
        sheet.add_legacy_drawing(rid)
    elif new_cells:  # the user's drawing, with boxes for the comments that are new
        shapes = [(r, c, comment_height(comments.text(r, c))) for r, c in sorted(new_cells)]
        pkg.put(vml_part, extend_vml(pkg.read(vml_part), shapes, blocks, geometry))
    rels.save()
    sheet.unselect()
    pkg.put(part, sheet.bytes(), compress_later=True)


def _folder_up(part: str) -> str:
    """The folder above a sheet's (`xl` for xl/worksheets/sheet1.xml): where comments go."""
    return posixpath.dirname(posixpath.dirname(part))



"""The workbook part and what hangs on it: the sheets it lists and their parts, the
styles part, the notes sheet put first (the sheet indexes of defined names shift by
one, the first tab becomes the active one, docProps/app.xml lists it), the other
sheets unselected, and a macro-enabled workbook's VBA project dropped (the copy is an
.xlsx)."""

from __future__ import annotations

import posixpath
import re

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..layout.sheets import quote_sheet
from ..ooxml import Unpatchable
from ..ooxml.package import Package
from ..ooxml.rels import Rels, rels_part
from ..ooxml.schema import CT_MACRO_WORKBOOK, CT_STYLES, CT_WORKBOOK, CT_WORKSHEET, EXTENDED_PROPERTIES_NS, MAIN_NS, \
    REL_CHARTSHEET, REL_NS, REL_OFFICE_DOCUMENT, REL_STYLES, REL_VBA, REL_VBA_SIGNATURE, REL_WORKSHEET, VT_NS
from ..ooxml.xmltext import NAME, attrs, element, esc, esc_attr, insert_children, namespaces, no_markup_surprises, \
    parse, root, set_attr
from .sheet import SheetXml
from .styles import DEFAULT_STYLES, StyleSheet


class BookParts:
    """workbook.xml, its relationships, and the sheets it lists."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        root_rels = Rels(pkg, "_rels/.rels")
        found = root_rels.of_type(REL_OFFICE_DOCUMENT)
        if len(found) != 1:
            raise Unpatchable("no single office document")
        self.part = found[0][1]
        kind = pkg.content_types.of(self.part)
        if kind not in (CT_WORKBOOK, CT_MACRO_WORKBOOK):
            raise Unpatchable(f"the workbook's content type is {kind}")
        self.data = pkg.read(self.part)
        self.prefix, start = root(self.data, self.part, MAIN_NS, b"workbook")
        no_markup_surprises(self.data, self.part, start.start())
        self.r_prefix = next((p for p, ns in namespaces(start.group(0)).items() if ns == REL_NS.encode() and p), None)
        self.rels = Rels(pkg, rels_part(self.part))
        self.sheets: list[tuple[str, str, str]] = []  # (name, sheetId, r:id) in order
        tree = parse(self.data)
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
                elif rel[1] == REL_CHARTSHEET:
                    self.chart_sheet_parts.append(rel[2])
        self.styles_part = self.rels.target_of_type(REL_STYLES)
        if kind == CT_MACRO_WORKBOOK:
            self._drop_macros()

    def styles(self) -> StyleSheet:
        if self.styles_part is None:  # a workbook without styles: give it the default ones
            self.styles_part = posixpath.join(posixpath.dirname(self.part), "styles.xml")
            if self.pkg.has(self.styles_part):
                raise Unpatchable("styles.xml exists but is not the workbook's styles")
            self.rels.add(REL_STYLES, self.styles_part)
            self.pkg.content_types.override(self.styles_part, CT_STYLES)
            return StyleSheet(DEFAULT_STYLES, self.styles_part)
        return StyleSheet(self.pkg.read(self.styles_part), self.styles_part)

    def _drop_macros(self) -> None:
        """The copy is an .xlsx: no VBA project, and the plain workbook content type."""
        self.pkg.content_types.replace(CT_MACRO_WORKBOOK, CT_WORKBOOK)
        for rid, target in self.rels.of_type(REL_VBA):
            self.rels.remove(rid)
            for part in (target, *(t for _, t in Rels(self.pkg, rels_part(target)).of_type(REL_VBA_SIGNATURE))):
                self.pkg.remove(part)
                self.pkg.remove(rels_part(part))
                self.pkg.content_types.drop(part)
            self.pkg.remove(rels_part(target))

    def unselect(self, part: str) -> None:
        """A sheet that is not marked loses `tabSelected` (the notes sheet is the selected one)."""
        data = self.pkg.read(part)
        head_end = data.find(b"sheetData")
        if re.search(rb"tabSelected\s*=\s*[\"'](?:1|true)", data[:head_end]):
            sheet = SheetXml(data, part)
            sheet.unselect()
            self.pkg.put(part, sheet.bytes(), compress_later=True)

    def unselect_chart_sheet(self, part: str) -> None:
        data = self.pkg.read(part)
        view = re.compile(rb"<(?:" + NAME + rb":)?sheetView(?=[\s/>])[^>]*>")
        new = view.sub(lambda m: set_attr(m.group(0), b"tabSelected", None), data)
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
        tag = b'<%ssheet name="%s" sheetId="%d" %s="%s"/>' % (p, esc_attr(name), sheet_id, r_attr, rid.encode())
        data = self.data
        sheets = element(data, p, b"sheets")
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
        span = element(data, p, b"definedNames")

        def shift(m: re.Match) -> bytes:
            return m.group(1) + str(int(m.group(2)) + 1).encode() + m.group(3)

        if span is not None:
            start, _, _, end = span
            data = data[:start] + re.sub(rb'(\slocalSheetId\s*=\s*["\'])(\d+)(["\'])', shift, data[start:end]) \
                + data[end:]
        if not added:
            return data
        quoted = quote_sheet(sheet)
        names = b"".join(b'<%sdefinedName name="%s" localSheetId="0"%s>%s</%sdefinedName>' % (
            p, name.encode(), b' hidden="1"' if name == "_xlnm._FilterDatabase" else b"",
            esc(f"{quoted}!{ref}"), p) for name, ref in added)
        if span is not None:
            return insert_children(data, p, b"definedNames", names)
        # definedNames follows sheets, functionGroups and externalReferences
        after = None
        for local in (b"externalReferences", b"functionGroups", b"sheets"):
            after = element(data, p, local)
            if after is not None:
                break
        at = after[3]
        return data[:at] + b"<%sdefinedNames>%s</%sdefinedNames>" % (p, names, p) + data[at:]

    def _first_tab_active(self, data: bytes) -> bytes:
        p = self.prefix
        view = element(data, p, b"workbookView")
        if view is None:
            if element(data, p, b"bookViews") is not None:
                raise Unpatchable("bookViews without a workbookView")
            sheets = element(data, p, b"sheets")
            return data[:sheets[0]] + b"<%sbookViews><%sworkbookView/></%sbookViews>" % (p, p, p) + data[sheets[0]:]
        start, tag_end = view[0], view[1]
        tag = data[start:tag_end]
        tag = set_attr(tag, b"activeTab", None)
        tag = set_attr(tag, b"firstSheet", None)
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
            tree = parse(data)
        except (SafeET.ParseError, DefusedXmlException):
            return
        ep, vt = f"{{{EXTENDED_PROPERTIES_NS}}}", f"{{{VT_NS}}}"
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
        i4 = re.compile(rb"(<(?:" + NAME + rb":)?i4>)\s*(\d+)\s*(</)").search(data, max(pairs_at, 0))
        vec = re.search(rb"<(" + NAME + rb":)?TitlesOfParts>\s*(<(?:" + NAME + rb":)?vector\b[^>]*>)", data)
        if not i4 or not vec:
            return
        tag = vec.group(2)
        size = attrs(tag).get(b"size")
        if size is None or not size.isdigit():
            return
        new_tag = set_attr(tag, b"size", str(int(size) + 1).encode())
        vt_prefix = re.match(rb"<(" + NAME + rb":)?", tag).group(1) or b""
        first = b"<%slpstr>%s</%slpstr>" % (vt_prefix, esc(name), vt_prefix)
        edits = [(vec.start(2), vec.end(2), new_tag + first), (i4.start(2), i4.end(2), str(counts[0] + 1).encode())]
        for start, end, new in sorted(edits, reverse=True):  # the later first: offsets stay right
            data = data[:start] + new + data[end:]
        self.pkg.put(app, data)

    def save(self) -> None:
        self.rels.save()
        self.pkg.put(self.part, self.data)



"""The legacy VML drawing that gives each comment its box: a new drawing for a sheet
without one, or boxes added to the user's own drawing for the comments that are new.
Shape ids come in blocks of 1024 per drawing, unique across the workbook."""

from __future__ import annotations

import re

from ..ooxml import Unpatchable
from ..ooxml.package import Package
from ..ooxml.schema import CT_VML
from ..ooxml.xmltext import NAME, attrs, namespaces, set_attr
from .marks import COMMENT_WIDTH_PX
from .sheet import Geometry

VML_NS = {b"v": b"urn:schemas-microsoft-com:vml", b"o": b"urn:schemas-microsoft-com:office:office",
          b"x": b"urn:schemas-microsoft-com:office:excel"}
VML_BLOCK = 1024  # shape ids come in blocks of 1024, listed in <o:idmap data="...">
_SHAPETYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              b'<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


class VmlBlocks:
    """Blocks of 1024 shape ids not used by any drawing of the workbook."""

    def __init__(self, pkg: Package):
        self.used: set[int] = set()
        for name in pkg.names():
            if name.lower().endswith(".vml") or pkg.content_types.of(name) == CT_VML:
                data = pkg.read(name)
                for m in re.finditer(rb'<(?:' + NAME + rb':)?idmap\b[^>]*\bdata\s*=\s*["\']([\d,\s]*)["\']', data):
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


def _vml_shapes(shapes: list[tuple[int, int, int]], first_id: int, geometry: Geometry, declare: bool = False
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


def new_vml(shapes: list[tuple[int, int, int]], blocks: VmlBlocks, geometry: Geometry) -> bytes:
    taken = blocks.take(len(shapes))
    return (b'<xml %s><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%s"/></o:shapelayout>'
            % (_VML_DECLARATIONS, ",".join(map(str, taken)).encode())
            + _SHAPETYPE + _vml_shapes(shapes, taken[0] * VML_BLOCK + 1, geometry) + b"</xml>")


def extend_vml(data: bytes, shapes: list[tuple[int, int, int]], blocks: VmlBlocks, geometry: Geometry) -> bytes:
    """The user's drawing with shapes for our new comments: in blocks of their own, listed
    in its idmap (added if it has none). Whatever prefixes the drawing uses (openpyxl
    writes ns0:, ns1: ...), ours are declared where the root does not declare them."""
    root = re.match(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml\b[^>]*\?>\s*)?<xml\b[^>]*>", data)
    end = data.rfind(b"</xml>")
    if not root or end < root.end() or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unpatchable("a legacy drawing that is not the usual VML")
    declare = any(namespaces(root.group(0)).get(k) != v for k, v in VML_NS.items())
    taken = blocks.take(len(shapes))
    ids = ",".join(map(str, taken)).encode()
    idmap = re.search(rb"<(?:" + NAME + rb":)?idmap\b[^>]*>", data)
    if idmap:
        old = attrs(idmap.group(0)).get(b"data", b"").strip()
        tag = set_attr(idmap.group(0), b"data", old + b"," + ids if old else ids)
        data = data[:idmap.start()] + tag + data[idmap.end():]
    else:
        layout = b'<o:shapelayout%s v:ext="edit"><o:idmap v:ext="edit" data="%s"/></o:shapelayout>' % (
            b" " + _VML_DECLARATIONS if declare else b"", ids)
        data = data[:root.end()] + layout + data[root.end():]
    has_type = re.search(rb"<(?:" + NAME + rb":)?shapetype\b[^>]*\bid\s*=\s*[\"']_x0000_t202[\"']", data)
    end = data.rfind(b"</xml>")
    return (data[:end] + (b"" if has_type else _shapetype(declare))
            + _vml_shapes(shapes, taken[0] * VML_BLOCK + 1, geometry, declare) + data[end:])

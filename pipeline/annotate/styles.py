"""The workbook's styles part, to which the copy appends what it needs: for each format
a marked cell uses, a clone with the severity's fill; the notes sheet's bold fonts,
fills and formats. What is there stays as written, so every index the sheets use
still points where it did."""

from __future__ import annotations

import re

from ..ooxml import Unpatchable
from ..ooxml.schema import MAIN_NS
from ..ooxml.xmltext import DECLARATION, element, esc_attr, insert_children, local, no_markup_surprises, parse, \
    root, set_attr
from ..layout.palette import SEVERITY_COLOURS

DEFAULT_STYLES = DECLARATION + (  # for a workbook without a styles part: Excel's defaults
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    b'</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


class StyleSheet:
    """The styles part, to which cell formats, fills and fonts are appended."""

    def __init__(self, data: bytes, part: str):
        self.data = data
        self.prefix, start = root(data, part, MAIN_NS, b"styleSheet")
        no_markup_surprises(data, part, start.start())
        tree = parse(data)
        ns = f"{{{MAIN_NS}}}"
        fills, fonts, xfs = tree.find(f"{ns}fills"), tree.find(f"{ns}fonts"), tree.find(f"{ns}cellXfs")
        style_xfs = tree.find(f"{ns}cellStyleXfs")
        if any(x is None or not len(x) for x in (fills, fonts, xfs, style_xfs)):
            raise Unpatchable(f"{part}: no fills, fonts, cell formats or cell styles")
        self.n_fills, self.n_fonts = len(fills), len(fonts)
        span = element(data, self.prefix, b"cellXfs")
        xf = re.compile(rb"<" + re.escape(self.prefix) + rb"xf(?=[\s/>])[^>]*?(?:/>|>.*?</"
                        + re.escape(self.prefix) + rb"xf>)", re.S)
        self.xfs = xf.findall(data, span[1], span[2])
        if len(self.xfs) != len(xfs):
            raise Unpatchable(f"{part}: cell formats do not read the same as text and as XML")
        base = fonts[0]
        self.base_font = {local(el.tag): el.get("val") for el in base}
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
            tag = set_attr(m.group(0), b"fillId", str(self.fill(severity)).encode())
            tag = set_attr(tag, b"applyFill", b"1")
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
                parts.append(b'<%ssz val="%s"/>' % (p, esc_attr(str(size))))
            if colour:
                parts.append(b'<%scolor rgb="FF%s"/>' % (p, colour.encode()))
            for name in ("name", "family", "charset", "scheme"):
                if base.get(name) is not None:
                    parts.append(b'<%s%s val="%s"/>' % (p, name.encode(), esc_attr(base[name])))
            self.new_fonts.append(b"<%sfont>%s</%sfont>" % (p, b"".join(parts), p))
            self._made[key] = self.n_fonts + len(self.new_fonts) - 1
        return self._made[key]

    def _xf(self, xf: bytes) -> int:
        self.new_xfs.append(xf)
        return len(self.xfs) + len(self.new_xfs) - 1

    def xml(self) -> bytes:
        data, p = self.data, self.prefix
        if self.new_fonts:
            data = insert_children(data, p, b"fonts", b"".join(self.new_fonts), len(self.new_fonts))
        if self.new_fills:
            data = insert_children(data, p, b"fills", b"".join(self.new_fills), len(self.new_fills))
        if self.new_xfs:
            data = insert_children(data, p, b"cellXfs", b"".join(self.new_xfs), len(self.new_xfs))
        return data

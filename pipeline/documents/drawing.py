"""Shapes for the Word documents, as WordprocessingML: a seating diagram is a DrawingML
group of rectangles, ellipses and text boxes (what Word 2010+ and LibreOffice both draw,
and a user can move and edit in Word); the faces of a table name card are VML WordArt,
the one kind of text both also turn upside down (LibreOffice 7 does not rotate the text
of a DrawingML text box).

Every builder returns markup to put where a template's `{{ … }}` stands inside a run:
it closes the run's text, adds the drawing and opens a text again (as docx.py does for
line breaks). Text goes in escaped and cleaned of what XML forbids. Lengths are in
centimetres; `Ids` hands out the drawing ids Word wants unique within a document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count

from markupsafe import Markup, escape

from ..layout.text import is_wide
from ..values import clean

EMU_PER_CM = 360_000
PT_PER_CM = 72 / 2.54
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_CLOSE, _OPEN = "</w:t>", '<w:t xml:space="preserve">'


class Ids:
    """Drawing ids, unique within one document."""

    def __init__(self, start: int = 1000):
        self._next: Iterator[int] = count(start)

    def __call__(self) -> int:
        return next(self._next)


def _emu(cm: float) -> int:
    return round(cm * EMU_PER_CM)


@lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """Escaped for XML (names and labels recur in every plan and card: kept)."""
    return str(escape(clean(value)))


@dataclass(frozen=True)
class Line:
    """A line of text in a shape: its paragraph style (the template's, so restyling the
    style restyles every diagram) and whether it is bold."""

    text: str
    style: str
    bold: bool = False


_TEXT_BOX = ' txBox="1"'
# (rot, vert, wrap and anchorCtr at their defaults: 0, horz, square, 0)
_BODY = '<wps:bodyPr lIns="18000" tIns="0" rIns="18000" bIns="0" anchor="ctr"><a:noAutofit/></wps:bodyPr>'


@lru_cache(maxsize=256)
def _outline(geometry: str, fill: str | None, line: str | None, dashed: bool, weight: float) -> str:
    """A shape's geometry, fill and outline (a handful of kinds per document: kept)."""
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    if line:
        dash = '<a:prstDash val="dash"/>' if dashed else ""
        line_xml = (f'<a:ln w="{round(weight * 12700)}"><a:solidFill><a:srgbClr val="{line}"/></a:solidFill>'
                    f'{dash}</a:ln>')
    else:
        line_xml = "<a:ln><a:noFill/></a:ln>"
    return f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{fill_xml}{line_xml}'


@lru_cache(maxsize=4096)
def _paragraph(ln: Line) -> str:
    """A line of a shape's text as a paragraph in its style (names recur: kept)."""
    bold = "<w:rPr><w:b/></w:rPr>" if ln.bold else ""
    return (f'<w:p><w:pPr><w:pStyle w:val="{ln.style}"/></w:pPr><w:r>{bold}'
            f'<w:t xml:space="preserve">{_text(ln.text)}</w:t></w:r></w:p>')


@dataclass
class Group:
    """A drawing `width` × `height` cm: shapes placed in it, then `markup()`."""

    width: float
    height: float
    ids: Ids
    shapes: list[str] = field(default_factory=list)

    def shape(self, x: float, y: float, w: float, h: float, geometry: str = "rect", fill: str | None = "FFFFFF",
              line: str | None = "7F7F7F", dashed: bool = False, lines: tuple[Line, ...] = (),
              weight: float = 0.75) -> None:
        """A rectangle, ellipse (`geometry`) or any preset shape, with text centred in it."""
        text = ""
        if lines:
            text = f"<wps:txbx><w:txbxContent>{''.join(map(_paragraph, lines))}</w:txbxContent></wps:txbx>"
        sid = self.ids()
        self.shapes.append(
            f'<wps:wsp><wps:cNvPr id="{sid}" name="Shape {sid}"/><wps:cNvSpPr{_TEXT_BOX if lines else ""}/>'
            f'<wps:spPr><a:xfrm><a:off x="{round(x * EMU_PER_CM)}" y="{round(y * EMU_PER_CM)}"/>'
            f'<a:ext cx="{round(w * EMU_PER_CM)}" cy="{round(h * EMU_PER_CM)}"/></a:xfrm>'
            f'{_outline(geometry, fill, line, dashed, weight)}</wps:spPr>{text}{_BODY}</wps:wsp>')

    def text(self, x: float, y: float, w: float, h: float, *lines: Line) -> None:
        """Text without a frame."""
        self.shape(x, y, w, h, fill=None, line=None, lines=lines)

    def markup(self, name: str) -> Markup:
        """The group as an inline drawing, in place of a `{{ … }}` in a run."""
        # An invisible frame the size of the group comes first: LibreOffice fits the box
        # around the shapes to the group's size (Word uses chOff/chExt), so without it a
        # drawing narrower than the group would be stretched.
        frame = Group(self.width, self.height, self.ids)
        frame.shape(0, 0, self.width, self.height, fill=None, line=None)
        self.shapes[:0] = frame.shapes
        cx, cy, did = _emu(self.width), _emu(self.height), self.ids()
        return Markup(
            f'{_CLOSE}<mc:AlternateContent><mc:Choice Requires="wpg"><w:drawing>'
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{did}" name="{_text(name)}"/>'
            f'<wp:cNvGraphicFramePr/><a:graphic xmlns:a="{_A}"><a:graphicData uri="{_WPG}"><wpg:wgp>'
            f'<wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
            f'<a:chOff x="0" y="0"/><a:chExt cx="{cx}" cy="{cy}"/></a:xfrm></wpg:grpSpPr>{"".join(self.shapes)}'
            f'</wpg:wgp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
            f'<mc:Fallback>{_OPEN}[{_text(name)}]</w:t></mc:Fallback></mc:AlternateContent>{_OPEN}')


# ---- pictures ---------------------------------------------------------------------------------

_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def picture(rid: str, width: float, height: float, did: int, name: str) -> Markup:
    """An inline picture `width` × `height` cm of the image part that relationship `rid`
    of the part it stands in points to, in place of a `{{ … }}` in a run. Its namespaces
    are declared on it: a header restyled in another program may not declare them."""
    cx, cy, label = _emu(width), _emu(height), _text(name)
    return Markup(
        f'{_CLOSE}<w:drawing><wp:inline xmlns:wp="{_WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{did}" name="{label}" descr="{label}"/><wp:cNvGraphicFramePr>'
        f'<a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}"><pic:pic xmlns:pic="{_PIC}">'
        f'<pic:nvPicPr><pic:cNvPr id="{did}" name="{label}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="{_R}" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f'</wp:inline></w:drawing>{_OPEN}')


# ---- VML WordArt: text that fills its box, upright or upside down ------------------------------

# Word's shape type 136 (plain WordArt text), as Word writes it: defined once per document.
_WORDART_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>')


@dataclass(frozen=True)
class Box:
    """A WordArt text placed on the page (cm from the page's top left corner): the text
    is stretched to fill the box, so the box takes the text's own proportions."""

    x: float
    y: float
    w: float
    h: float
    text: str
    colour: str = "000000"
    upside_down: bool = False


def page_wordart(boxes: list[Box], font: str, ids: Ids, define_type: bool, fold_at: float | None = None,
                 page_width: float = 21.0) -> Markup:
    """A new page (a paragraph of its own, so that the shapes are anchored on it) with
    WordArt boxes positioned on the page and a dashed fold line across it at `fold_at` cm
    from the top; `define_type` for the first WordArt of the document."""
    shapes = [_WORDART_TYPE] if define_type else []
    for b in boxes:
        sid = ids()
        style = (f"position:absolute;margin-left:{b.x * PT_PER_CM:.1f}pt;margin-top:{b.y * PT_PER_CM:.1f}pt;"
                 f"width:{b.w * PT_PER_CM:.1f}pt;height:{b.h * PT_PER_CM:.1f}pt;"
                 f"{'rotation:180;' if b.upside_down else ''}z-index:{sid};"
                 "mso-position-horizontal-relative:page;mso-position-vertical-relative:page")
        shapes.append(
            f'<v:shape id="_x0000_s{sid}" o:spid="_x0000_s{sid}" type="#_x0000_t136" style="{style}" '
            f'fillcolor="#{b.colour}" stroked="f"><v:textpath style="font-family:&quot;{_text(font)}&quot;;'
            f'font-size:40pt;v-text-kern:t" string="{_text(b.text)}"/></v:shape>')
    if fold_at is not None:
        y = f"{fold_at * PT_PER_CM:.1f}pt"
        shapes.append(
            f'<v:line id="_x0000_s{ids()}" style="position:absolute;z-index:1;mso-position-horizontal-relative:page;'
            f'mso-position-vertical-relative:page" from="0,{y}" to="{page_width * PT_PER_CM:.1f}pt,{y}" '
            f'strokecolor="#A6A6A6" strokeweight=".5pt"><v:stroke dashstyle="dash"/></v:line>')
    # One shape a picture: LibreOffice reads only one shape of a `w:pict`.
    type_xml = shapes.pop(0) if define_type else ""
    pictures = "".join(f"<w:pict>{type_xml if i == 0 else ''}{shape}</w:pict>" for i, shape in enumerate(shapes))
    return Markup(f'{_CLOSE}</w:r></w:p><w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r>{pictures}{_OPEN}')


PAGE_BREAK = Markup(f'{_CLOSE}<w:br w:type="page"/>{_OPEN}')  # in place of a `{{ … }}` in a run


def sized_text(lines: list[tuple[str, float]], lead: float = 0) -> Markup:
    """Lines of text, each in its own size (points), one under another, in place of a
    `{{ … }}` in a run: the run's style gives the font, these only the sizes. `lead`: an
    empty first line that tall (points of font), to centre the text on its page (Word
    can centre a page's text, LibreOffice 7 cannot)."""
    runs = []
    if lead >= 1:
        half = round(lead * 2)
        runs.append(f'</w:t></w:r><w:r><w:rPr><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
                    f'<w:t xml:space="preserve">\u00a0</w:t><w:br/><w:t xml:space="preserve">')  # a blank line that tall
    for i, (text, size) in enumerate(lines):
        half = max(2, round(size * 2))
        br = "<w:br/>" if i else ""
        runs.append(f'</w:t></w:r><w:r><w:rPr><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>{br}'
                    f'<w:t xml:space="preserve">{_text(text)}')
    return Markup("".join(runs))


@lru_cache(maxsize=4096)
def text_width(text: str) -> float:
    """The width of `text` in ems of a sans-serif font, roughly: what takes two display
    columns (pipeline.layout.text) one em, capitals and digits about 0.65, other Latin letters 0.55, a space
    0.3. Enough to size a sign or a name card; a little room is always left."""
    width = 0.0
    for ch in text:
        if is_wide(ch):
            width += 1.0
        elif ch == " ":
            width += 0.3
        elif ch.isupper() or ch.isdigit():
            width += 0.65
        else:
            width += 0.55
    return width

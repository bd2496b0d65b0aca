"""A sheet's comments part: the user's comments kept as written, ours added (above the
user's own text where a cell has one), written back in cell order."""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from ..ooxml import Unpatchable
from ..ooxml.schema import MAIN_NS
from ..ooxml.xmltext import DECLARATION, element, esc, insert_children, no_markup_surprises, parse, root
from .marks import AUTHOR, with_theirs
from .sheet import cell_range

_EMPTY_COMMENTS = DECLARATION + (b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 b"<authors></authors><commentList></commentList></comments>")


class Comments:
    """A sheet's comments part: the user's comments kept as written, ours added."""

    def __init__(self, data: bytes | None, part: str):
        self.data = data or _EMPTY_COMMENTS
        self.p, start = root(self.data, part, MAIN_NS, b"comments")
        no_markup_surprises(self.data, part, start.start())
        tree = parse(self.data)
        ns = f"{{{MAIN_NS}}}"
        self.authors = [el.text or "" for el in tree.iterfind(f"{ns}authors/{ns}author")]
        parsed = list(tree.iterfind(f"{ns}commentList/{ns}comment"))
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"comment(?=[\s/>])[^>]*?(?:/>|>.*?</" + re.escape(self.p)
                             + rb"comment>)", re.S)
        span = element(self.data, self.p, b"commentList")
        raw = pattern.findall(self.data, span[1], span[2]) if span else []
        if len(raw) != len(parsed):
            raise Unpatchable("comments do not read the same as text and as XML")
        self.kept: dict[tuple[int, int], bytes] = {}
        self.theirs: dict[tuple[int, int], tuple[str, str]] = {}  # cell -> (author, text)
        self.texts: dict[tuple[int, int], str] = {}
        for el, snippet in zip(parsed, raw):
            bounds = cell_range(el.get("ref", ""))
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
                text = with_theirs(text, *self.theirs[cell])
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
            data = insert_children(data, p, b"authors", b"<%sauthor>%s</%sauthor>" % (p, esc(AUTHOR), p))
        entries = dict(self.kept)
        for (row, col), text in self.ours.items():
            entries[(row, col)] = (b'<%scomment ref="%s%d" authorId="%d"><%stext><%st xml:space="preserve">%s</%st>'
                                   b"</%stext></%scomment>" % (p, get_column_letter(col).encode(), row, author_id,
                                                               p, p, esc(text), p, p, p))
        body = b"".join(entries[cell] for cell in sorted(entries))
        span = element(data, p, b"commentList")
        if span is None:
            authors = element(data, p, b"authors")
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



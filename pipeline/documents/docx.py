"""The Word engine: a .docx template read once per run, filled by Jinja2, zipped in memory.

A company restyles `templates/*.docx` in Word or LibreOffice; the tags it keeps are
Jinja2: `{{ guest.name }}`, `{% if … %}`, and docxtpl's block tags that stand for the
whole table row, cell or paragraph they are written in (`{%tr for g in guests %}`,
`{%p if draft %}`). Word splits typed text into several runs (spell-check marks, edits,
formatting); `load` joins every tag back into one run, turns block tags into plain Jinja
statements and compiles each text part once. `render` fills the compiled parts and
writes a new zip whose other parts are copied as already-compressed bytes, so one
document costs a few milliseconds.

Values are data, never template code: they are XML-escaped, characters XML 1.0 forbids
are dropped, and line breaks and tabs become Word breaks and tabs inside the run.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from lxml import etree
from markupsafe import Markup, escape

from .. import i18n
from ..errors import Phrase, TemplateError
from ..ooxml.package import Package
from ..ooxml.rels import Rels, rels_part
from ..ooxml.schema import REL_IMAGE
from ..ooxml.xmltext import DECLARATION
from ..ooxml.zip import EPOCH, Packed, pack, write_zip
from ..templating import environment, undefined_field
from ..values import clean

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_P, _W_T, _W_R = f"{{{W}}}p", f"{{{W}}}t", f"{{{W}}}r"
_BLOCK_PARENT = {"p": f"{{{W}}}p", "tr": f"{{{W}}}tr", "tc": f"{{{W}}}tc", "r": f"{{{W}}}r"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_XML_DECLARATION = DECLARATION.decode()

# A Jinja tag as typed in Word: {{ … }}, {% … %} or {# … #}.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_BLOCK_TAG = re.compile(r"\{%(p|tr|tc|r)\s+(.*?)\s*%\}", re.DOTALL)
_STMT = "jinjastmt"  # placeholder element standing for a block tag until serialization
_STMT_ELEMENT = re.compile(rf"<{_STMT}>(.*?)</{_STMT}>", re.DOTALL)
_WORD_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})

_SPECIAL = re.compile("[\x00-\x1f\ufffe\uffff\ud800-\udfff]")  # illegal, or a break or tab
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def _finalize(value: Any) -> Any:
    """Every `{{ value }}`: blank for None; text with Word line breaks and tabs, without
    characters XML forbids. Autoescape then escapes what is not markup already."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    text = value if isinstance(value, str) else str(value)
    if _SPECIAL.search(text) is None:
        return text  # the common case: nothing but escaping to do
    text = clean(text).replace("\r\n", "\n").replace("\r", "\n")  # clean: what XML 1.0 forbids
    return Markup(str(escape(text)).replace("\n", _BREAK).replace("\t", _TAB))


ENV = environment("word", finalize=_finalize)  # one environment for every Word template of the run

# --------------------------------------------------------------------------------------
# Template preparation: join split tags, expand block tags


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def prepare_xml(xml: bytes, template: str, part: str) -> str:
    """The part's XML as Jinja source: every tag in one run, block tags as statements."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as e:
        raise TemplateError.of(template, "template_error.not_xml", part=part, detail=str(e)) from None
    for texts in _texts_by_paragraph(root):
        _join_split_tags(texts)
    _expand_block_tags(root, template, part)
    source = etree.tostring(root, encoding="unicode")
    source = _TAG.sub(_unescape_tag, source)
    source = _STMT_ELEMENT.sub(lambda m: "{% " + _unescape(m[1]) + " %}", source)
    # One paragraph per line, so a syntax error's line number finds its paragraph.
    return _XML_DECLARATION + source.replace("</w:p>", "</w:p>\n")


def _texts_by_paragraph(root) -> list[list]:
    """The `w:t` elements of each paragraph (not of paragraphs nested in text boxes)."""
    groups: dict[Any, list] = {}
    for t in root.iter(_W_T):
        p = t.getparent()
        while p is not None and p.tag != _W_P:
            p = p.getparent()
        groups.setdefault(p, []).append(t)
    return list(groups.values())


def _join_split_tags(texts: list) -> None:
    """Move every tag that Word split over several runs into the run where it starts.

    Each character of the paragraph's text is owned by one `w:t`; a tag's characters all
    go to the owner of its first character. The order of the text never changes, only
    which run (and so which formatting) holds it.
    """
    parts = [t.text or "" for t in texts]
    full = "".join(parts)
    if "{" not in full:
        return
    owner = [i for i, s in enumerate(parts) for _ in s]
    spans = [m.span() for m in _TAG.finditer(full)]
    if not spans:
        return
    for start, end in spans:
        for k in range(start + 1, end):
            owner[k] = owner[start]
    chars: list[list[str]] = [[] for _ in texts]
    for k, ch in enumerate(full):
        chars[owner[k]].append(ch)
    tagged = {owner[start] for start, _ in spans}
    for i, t in enumerate(texts):
        text = "".join(chars[i])
        if i in tagged:
            text = _TAG.sub(lambda m: m[0].translate(_WORD_QUOTES), text)
            t.set(_XML_SPACE, "preserve")
        if text == (t.text or ""):
            continue
        if text:
            t.text = text
        else:
            _remove_text(t)


def _remove_text(t) -> None:
    """Remove an emptied `w:t`, and its run when nothing but formatting is left."""
    run = t.getparent()
    run.remove(t)
    if run.tag == _W_R and all(child.tag == f"{{{W}}}rPr" for child in run):
        run.getparent().remove(run)


def _expand_block_tags(root, template: str, part: str) -> None:
    """`{%tr for … %}` written in a table row becomes `{% for … %}` in place of the row."""
    for t in list(root.iter(_W_T)):
        if t.getparent() is None or not t.text or "{%" not in t.text:
            continue
        m = _BLOCK_TAG.search(t.text)
        if not m:
            continue
        kind, statement = m[1], m[2]
        element = t
        while element is not None and element.tag != _BLOCK_PARENT[kind]:
            element = element.getparent()
        if element is not None and element.getparent() is None:
            continue  # inside an element already replaced
        if element is None:
            raise TemplateError.of(template, "template_error.tag_outside", part=part, tag=m[0], kind=_kind_name(kind))
        rest = "".join(x.text or "" for x in element.iter(_W_T)).replace(m[0], "", 1)
        if rest.strip():
            raise TemplateError.of(template, "template_error.tag_not_alone", part=part, tag=m[0],
                                   kind=_kind_name(kind), rest=rest.strip()[:60])
        stmt = etree.Element(_STMT)
        stmt.text = statement
        stmt.tail = element.tail
        element.getparent().replace(element, stmt)


def _kind_name(kind: str) -> Phrase:
    """What holds a block tag (`{%p …%}`: a paragraph, `{%tr …%}`: a table row, …)."""
    return Phrase(lambda lang: i18n.t(lang, f"template_error.kinds.{kind}"))


def _listed(missing: dict[str, str | None]) -> Phrase:
    """The unknown fields, each with the known field it is closest to, if any."""
    def say(lang: str) -> str:
        return i18n.joined(lang, (
            i18n.t(lang, "template_error.did_you_mean", field=m, close=c) if c else i18n.t(lang, "template_error.field", field=m)
            for m, c in missing.items()))
    return Phrase(say)


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _unescape_tag(m: re.Match) -> str:
    return _unescape(m[0])


# --------------------------------------------------------------------------------------
# Field validation against the context's shape
#
# A shape says what a context provides: a dict maps names to shapes, a set lists names
# of plain values, a one-element list is a list of that shape, None is any value.

Shape = Any


def _problems(ast: nodes.Template, shape: Mapping[str, Shape]) -> dict[str, str | None]:
    """Every field the template uses that the shape does not provide, as written, with the
    closest field that it does provide."""
    checker = _FieldChecker(shape)
    checker.visit(ast, {})
    return checker.missing


class _FieldChecker:
    def __init__(self, shape: Mapping[str, Shape]):
        self.root = shape
        self.missing: dict[str, str | None] = {}

    def _miss(self, written: str, known: Iterable[str], prefix: str = "") -> None:
        name = written.rpartition(".")[2]
        close = difflib.get_close_matches(name, list(known), n=1)
        self.missing.setdefault(written, prefix + close[0] if close else None)

    def visit(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method:
            return method(node, scope)
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return None

    def visit_Template(self, node, scope):
        for child in node.body:
            self.visit(child, scope)  # `set` at the top binds for what follows

    def visit_Name(self, node: nodes.Name, scope):
        if node.ctx != "load":
            return None
        if node.name in scope:
            return scope[node.name]
        if node.name in self.root:
            return self.root[node.name]
        if node.name not in ENV.globals:
            self._miss(node.name, [*self.root, *scope])
        return None

    def visit_Getattr(self, node: nodes.Getattr, scope):
        return self._member(node.node, node.attr, scope)

    def visit_Getitem(self, node: nodes.Getitem, scope):
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self._member(node.node, node.arg.value, scope)
        self.visit(node.arg, scope)
        self.visit(node.node, scope)
        return None

    def _member(self, target: nodes.Node, name: str, scope) -> Shape:
        shape = self.visit(target, scope)
        if isinstance(shape, (set, frozenset, Mapping)) and name not in shape:
            self._miss(f"{_written(target)}.{name}", shape, f"{_written(target)}.")
            return None
        return shape[name] if isinstance(shape, Mapping) else None

    def visit_Call(self, node: nodes.Call, scope):
        # `x.items()`: a method of the value, not a field of the context
        self.visit(node.node.node if isinstance(node.node, nodes.Getattr) else node.node, scope)
        for child in (*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs):
            if child is not None:
                self.visit(child, scope)
        return None

    def visit_For(self, node: nodes.For, scope):
        iterable = self.visit(node.iter, scope)
        item = iterable[0] if isinstance(iterable, list) and iterable else None
        inner = {**scope, "loop": None}
        _bind(node.target, item, inner)
        if node.test is not None:
            self.visit(node.test, inner)
        for child in node.body:
            self.visit(child, inner)
        for child in node.else_:
            self.visit(child, scope)
        return None

    def visit_Assign(self, node: nodes.Assign, scope):
        _bind(node.target, self.visit(node.node, scope), scope)

    def visit_AssignBlock(self, node: nodes.AssignBlock, scope):
        for child in node.body:
            self.visit(child, scope)
        _bind(node.target, None, scope)

    def visit_With(self, node: nodes.With, scope):
        inner = dict(scope)
        for target, value in zip(node.targets, node.values):
            _bind(target, self.visit(value, scope), inner)
        for child in node.body:
            self.visit(child, inner)

    def visit_Macro(self, node: nodes.Macro, scope):
        inner = {**scope, "caller": None, "varargs": None, "kwargs": None}
        for arg in node.args:
            _bind(arg, None, inner)
        for child in node.body:
            self.visit(child, inner)
        scope[node.name] = None


def _bind(target: nodes.Node, shape: Shape, scope: dict) -> None:
    if isinstance(target, nodes.Name):
        scope[target.name] = shape
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            _bind(item, None, scope)


def _written(node: nodes.Node) -> str:
    """An expression as the template author wrote it (for names and attribute chains)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_written(node.node)}.{node.arg.value}"
    return "…"


# --------------------------------------------------------------------------------------
# The template

_DEFLATE_LEVEL = 1  # per document: fast; the parts copied as is are packed at 9 once, on loading


@dataclass
class _Part:
    name: str
    packed: Packed | None  # a part copied as is
    template: jinja2.Template | None = None  # a part filled per document


@dataclass(frozen=True)
class Media:
    """An image a template gains when it loads, for the field that shows it (the company
    logo): the part, its content type, and the relationship id by which the drawing the
    field renders to refers to it, the same in every part that uses the field."""

    field: str  # as templates write it: company.logo
    part: str  # word/media/company_logo.png
    data: bytes
    content_type: str
    rid: str


class DocxTemplate:
    """A Word template, loaded once: `render(context)` gives the .docx bytes."""

    def __init__(self, name: str, parts: list[_Part], asts: dict[str, nodes.Template]):
        self.name = name
        self._parts = parts
        self._asts = asts

    @cached_property
    def fields(self) -> frozenset[str]:
        """The names the template takes from its context."""
        return frozenset().union(*(meta.find_undeclared_variables(a) for a in self._asts.values())) \
            - frozenset(ENV.globals)

    @classmethod
    def load(cls, path: Path | str, shape: Mapping[str, Shape] | None = None,
             media: Media | None = None) -> DocxTemplate:
        """Read and compile the template; with `shape`, check every field it uses; with
        `media`, add its image where the template uses its field."""
        path = Path(path)
        try:
            with zipfile.ZipFile(path) as z:
                raw = [(info.filename, z.read(info)) for info in z.infolist() if not info.is_dir()]
        except (OSError, zipfile.BadZipFile) as e:
            raise TemplateError.of(path.name, "template_error.cannot_read", detail=str(e)) from None
        template = cls.from_parts(path.name, raw, shape)
        if media is not None:
            template._add(media, path)
        return template

    @classmethod
    def from_parts(cls, name: str, raw: list[tuple[str, bytes]],
                   shape: Mapping[str, Shape] | None = None) -> DocxTemplate:
        if not any(n == "word/document.xml" for n, _ in raw):
            raise TemplateError.of(name, "template_error.not_docx")
        parts, asts = [], {}
        for part_name, data in raw:
            if _TEXT_PARTS.match(part_name):
                source = prepare_xml(data, name, part_name)
                if _TAG.search(source):
                    ast = _parse(name, part_name, source)
                    asts[part_name] = ast
                    template = ENV.from_string(ast)
                    parts.append(_Part(part_name, None, template))
                    continue
            parts.append(_Part(part_name, pack(data, 9)))
        tpl = cls(name, parts, asts)
        if shape is not None:
            tpl.validate(shape)
        return tpl

    def parts_using(self, field: str) -> list[str]:
        """The text parts whose tags name `field` (`company.logo`), as written."""
        return [name for name, ast in self._asts.items()
                if any(_written(node) == field for node in ast.find_all((nodes.Getattr, nodes.Getitem)))]

    def _add(self, media: Media, path: Path) -> None:
        """The image part, its content type and a relationship `media.rid` from each part
        that uses its field (one of that id the template had, from an earlier logo, is
        replaced), through the package layer; the other parts stay as they are."""
        users = self.parts_using(media.field)
        if not users:
            return
        with Package(path) as pkg:
            for part in users:
                rels = Rels(pkg, rels_part(part))
                if any(rid == media.rid for rid, *_ in rels.rels):
                    rels.remove(media.rid)
                rels.add(REL_IMAGE, media.part, media.rid)
                rels.save()
            pkg.put(media.part, media.data)
            pkg.content_types.by_extension(media.part, media.content_type)
            pkg.content_types.save()
            changed = {name: pkg.read(name) for name in (*map(rels_part, users), pkg.content_types.NAME, media.part)}
        had = {p.name for p in self._parts}
        self._parts = [_Part(p.name, pack(changed[p.name], 9)) if p.name in changed else p for p in self._parts] \
            + [_Part(name, pack(data, 9)) for name, data in changed.items() if name not in had]

    def validate(self, shape: Mapping[str, Shape]) -> None:
        """Raise TemplateError naming every field the context does not provide."""
        missing: dict[str, str | None] = {}
        for ast in self._asts.values():
            for written, close in _problems(ast, shape).items():
                missing.setdefault(written, close)
        if missing:
            raise TemplateError.of(self.name, f"template_error.unknown_{'many' if len(missing) > 1 else 'one'}",
                                   next(iter(missing)), listed=_listed(missing))

    def render(self, context: Mapping[str, Any]) -> bytes:
        entries = []
        for part in self._parts:
            if part.template is None:
                entries.append((part.name, part.packed, EPOCH))
                continue
            try:
                xml = part.template.render(context)
            except jinja2.UndefinedError as e:
                raise TemplateError.of(self.name, "template_error.in_part", undefined_field(e), part=part.name,
                                       detail=e.message) from None
            except jinja2.TemplateError as e:
                raise TemplateError.of(self.name, "template_error.in_part", part=part.name, detail=str(e)) from None
            entries.append((part.name, pack(xml.encode("utf-8"), _DEFLATE_LEVEL), EPOCH))
        return write_zip(entries)


def _parse(name: str, part_name: str, source: str) -> nodes.Template:
    try:
        return ENV.parse(source)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError.of(name, "template_error.in_paragraph", part=part_name, detail=e.message,
                               paragraph=_paragraph_text(source, e.lineno)) from None


def _paragraph_text(source: str, lineno: int | None) -> str:
    """The visible text of the source line (one paragraph) a syntax error points to."""
    lines = source.split("\n")
    if not lineno or lineno > len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1])
    return _unescape(text).strip()[:120]


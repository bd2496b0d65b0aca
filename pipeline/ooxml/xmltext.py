"""XML handled as text: parts too big to parse and write back (a worksheet of 10,000
rows) are patched in place, relying on what every writer produces: UTF-8, no DTD, and
no comments, CDATA or processing instructions where we look. Whatever breaks those
assumptions raises Unpatchable. The small parts are parsed with defusedxml (no DTDs,
no entity expansion) by `parse`."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeET

from . import Unpatchable

NAME = rb"[A-Za-z_][\w.-]*"
_ATTR = re.compile(rb'\s+([\w.:-]+)\s*=\s*("[^"]*"|\'[^\']*\')')
_XMLDECL = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*(<\?xml\b[^>]*\?>)?\s*')
_ENCODING = re.compile(rb'encoding\s*=\s*["\']([^"\']+)')
_ROOT = re.compile(rb'<(?:(' + NAME + rb'):)?(' + NAME + rb')\b[^>]*>')
_XMLNS = re.compile(rb'\sxmlns(?::(' + NAME + rb'))?\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _prolog(data: bytes, part: str) -> int:
    """Where the root element starts, after checking the XML declaration: UTF-8, no DTD."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Unpatchable(f"{part}: UTF-16")
    m = _XMLDECL.match(data)
    if m.group(1):
        enc = _ENCODING.search(m.group(1))
        if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            raise Unpatchable(f"{part}: encoding {enc.group(1)!r}")
    if data.startswith(b"<!", m.end()) or data.startswith(b"<?", m.end()):
        raise Unpatchable(f"{part}: a DTD, comment or processing instruction before the root")
    return m.end()


def root(data: bytes, part: str, ns: str, local: bytes) -> tuple[bytes, re.Match]:
    """The prefix (b"" or b"x:") the root element `local` of namespace `ns` is written with,
    and the root's start tag."""
    m = _ROOT.match(data, _prolog(data, part))
    if not m or m.group(2) != local:
        raise Unpatchable(f"{part}: the root is not <{local.decode()}>")
    prefix = m.group(1) or b""
    if namespaces(m.group(0)).get(prefix) != ns.encode():
        raise Unpatchable(f"{part}: <{local.decode()}> is not in {ns}")
    return (prefix + b":" if prefix else b""), m


def namespaces(tag: bytes) -> dict[bytes, bytes]:
    """Prefix (b"" for the default) -> namespace, as declared on one start tag."""
    return {m.group(1) or b"": m.group(2) if m.group(2) is not None else m.group(3) for m in _XMLNS.finditer(tag)}


def no_markup_surprises(data: bytes, part: str, start: int) -> None:
    """Refuse `<!--`, `<![CDATA[`, `<!DOCTYPE` and `<?...?>` after the prolog. Looked for
    as the rare `!` and `?` (a one-byte search is a fast memchr) preceded by `<`."""
    for mark in (b"!", b"?"):
        at = data.find(mark, start)
        while at >= 0:
            if data[at - 1:at] == b"<":
                raise Unpatchable(f"{part}: comments, CDATA, DTD or processing instructions")
            at = data.find(mark, at + 1)


def attrs(tag: bytes) -> dict[bytes, bytes]:
    """A start tag's attributes, values as written (still escaped)."""
    return {m.group(1): m.group(2)[1:-1] for m in _ATTR.finditer(tag)}


def set_attr(tag: bytes, name: bytes, value: bytes | None) -> bytes:
    """The start tag with attribute `name` set to `value` (or removed, for None)."""
    for m in _ATTR.finditer(tag):
        if m.group(1) == name:
            if value is None:
                return tag[:m.start()] + tag[m.end():]
            return tag[:m.start()] + b" " + name + b'="' + value + b'"' + tag[m.end():]
    if value is None:
        return tag
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    while tag[end - 1:end].isspace():
        end -= 1
    return tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]


_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def text_escaped(text: str) -> str:
    """Text as an element's content: &, < and > escaped."""
    return escape(text)


def attr_escaped(text: str) -> str:
    """Text as a double-quoted attribute's value: line breaks and tabs kept as such."""
    return escape(text, _ATTR_ENTITIES)


def esc(text: str) -> bytes:
    return text_escaped(text).encode("utf-8", "replace")


def esc_attr(text: str) -> bytes:
    return attr_escaped(text).encode("utf-8", "replace")


def parse(data: bytes):
    """A small part's element tree, parsed safely."""
    return SafeET.fromstring(data, forbid_dtd=True)


def local(tag: str) -> str:
    """An element tree tag without its `{namespace}`."""
    return tag.rsplit("}", 1)[-1]


def element(data: bytes, prefix: bytes, name: bytes, start: int = 0, end: int | None = None,
            last: bool = False) -> tuple[int, int, int, int] | None:
    """(start of the start tag, its end, start of the end tag, end of the element) of the
    first element `name` from `start`; an empty element has its end tag where its start
    tag ends. `last`: the element is the only one of its name and its end tag is looked
    for from the end (sheetData: the end of a big part is near)."""
    pattern = re.compile(rb"<" + re.escape(prefix + name) + rb"(?=[\s/>])[^>]*>")
    m = pattern.search(data, start, len(data) if end is None else end)
    if not m:
        return None
    if m.group(0).endswith(b"/>"):
        return m.start(), m.end(), m.end(), m.end()
    end_tag = b"</" + prefix + name + b">"
    close = data.rfind(end_tag, m.end()) if last else data.find(end_tag, m.end())
    if close < 0:
        raise Unpatchable(f"<{name.decode()}> is not closed")
    return m.start(), m.end(), close, close + len(prefix) + len(name) + 3


def insert_children(data: bytes, prefix: bytes, name: bytes, children: bytes, count_delta: int | None = None
                    ) -> bytes:
    """Append `children` to the first element `name` (opening an empty one), adding
    `count_delta` to its count attribute if it has one."""
    span = element(data, prefix, name)
    if span is None:
        raise Unpatchable(f"no <{name.decode()}>")
    start, tag_end, close, end = span
    tag = data[start:tag_end]
    if count_delta is not None and b"count" in attrs(tag):
        count = int(attrs(tag)[b"count"]) + count_delta
        tag = set_attr(tag, b"count", str(count).encode())
    if close == tag_end and data[start:tag_end].endswith(b"/>"):  # <x/>: open it
        tag = tag[:-2].rstrip() + b">"
        return data[:start] + tag + children + b"</" + prefix + name + b">" + data[end:]
    return data[:start] + tag + data[tag_end:close] + children + data[close:]

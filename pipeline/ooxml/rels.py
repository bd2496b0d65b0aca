"""Relationship parts (`_rels/*.rels`): read, added to, and written back as text."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from . import Unpatchable
from .schema import CT_RELS, PKG_REL_NS
from .xmltext import DECLARATION, esc_attr, insert_children, local, parse, root

if TYPE_CHECKING:
    from .package import Package


def rels_part(part: str) -> str:
    """The relationships part of `part` (xl/_rels/workbook.xml.rels for xl/workbook.xml)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    """The part name a relationship target points to, from the part `source`."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relative(source: str, part: str) -> str:
    return quote(posixpath.relpath(part, posixpath.dirname(source) or "."), safe="/")


class Rels:
    """One relationships part: its relationships with their targets resolved to part
    names; new ones added and old ones removed as text edits by `save`."""

    def __init__(self, pkg: Package, name: str):
        self.pkg, self.name = pkg, name
        self.source = posixpath.join(posixpath.dirname(posixpath.dirname(name)),
                                     posixpath.basename(name)[:-len(".rels")])
        self.data = pkg.read(name) if pkg.has(name) else None
        self.rels: list[tuple[str, str, str, str]] = []  # (id, type, target part, mode)
        self.added: list[bytes] = []
        self.removed: set[str] = set()
        self.prefix = b""
        if self.data is not None:
            self.prefix = root(self.data, name, PKG_REL_NS, b"Relationships")[0]
            for el in parse(self.data):
                if local(el.tag) == "Relationship":
                    mode = el.get("TargetMode", "Internal")
                    target = el.get("Target", "")
                    self.rels.append((el.get("Id", ""), el.get("Type", ""),
                                      target if mode == "External" else _resolve(self.source, target), mode))

    def target(self, rid: str) -> str | None:
        return next((target for i, _, target, mode in self.rels if i == rid and mode != "External"), None)

    def target_of_type(self, rtype: str) -> str | None:
        found = [target for _, kind, target, mode in self.rels if kind == rtype and mode != "External"]
        if len(found) > 1:
            raise Unpatchable(f"{self.name}: {len(found)} relationships of type {rtype}")
        return found[0] if found else None

    def of_type(self, rtype: str) -> list[tuple[str, str]]:
        return [(i, target) for i, kind, target, mode in self.rels if kind == rtype and mode != "External"]

    def add(self, rtype: str, part: str, rid: str | None = None) -> str:
        """A relationship to `part`; its id is `rid` (one the part has must be removed
        first), else the first free `rIdN`."""
        taken = {i for i, *_ in self.rels}
        if rid is None:
            n = len(taken) + 1
            while f"rId{n}" in taken:
                n += 1
            rid = f"rId{n}"
        elif rid in taken:
            raise Unpatchable(f"{self.name}: {rid} is taken")
        self.rels.append((rid, rtype, part, "Internal"))
        self.added.append(b'<%sRelationship Id="%s" Type="%s" Target="%s"/>' % (
            self.prefix, rid.encode(), esc_attr(rtype), esc_attr(_relative(self.source, part))))
        return rid

    def remove(self, rid: str) -> None:
        self.removed.add(rid)
        self.rels = [r for r in self.rels if r[0] != rid]

    def save(self) -> None:
        if not self.added and not self.removed:
            return
        if self.data is None:
            self.data = DECLARATION + b'<Relationships xmlns="%s"></Relationships>' % PKG_REL_NS.encode()
            if self.pkg.content_types.of(self.name) is None:  # a package with no Default for .rels
                self.pkg.content_types.override(self.name, CT_RELS)
        data = self.data
        for rid in self.removed:
            data = re.sub(rb"<" + re.escape(self.prefix) + rb"Relationship\b[^>]*\sId\s*=\s*[\"']"
                          + re.escape(rid.encode()) + rb"[\"'][^>]*?(?:/>|>\s*</" + re.escape(self.prefix)
                          + rb"Relationship>)", b"", data)
        if self.added:
            data = insert_children(data, self.prefix, b"Relationships", b"".join(self.added))
        self.pkg.put(self.name, data)
        self.added, self.removed, self.data = [], set(), data

"""`[Content_Types].xml`: the content type of every part, by extension or by name."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from .schema import CT_NS
from .xmltext import esc_attr, insert_children, local, parse, root

if TYPE_CHECKING:
    from .package import Package


class ContentTypes:
    """The package's content types: looked up, added to, and written back as text."""

    NAME = "[Content_Types].xml"

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.data = pkg.read(self.NAME)
        self.prefix = root(self.data, self.NAME, CT_NS, b"Types")[0]
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for el in parse(self.data):
            if local(el.tag) == "Default":
                self.defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif local(el.tag) == "Override":
                self.overrides[el.get("PartName", "").lower()] = el.get("ContentType", "")
        self.added: list[bytes] = []
        self.changed = False

    def of(self, part: str) -> str | None:
        key = "/" + part.lower()
        if key in self.overrides:
            return self.overrides[key]
        name = posixpath.basename(key)
        return self.defaults.get(name.rsplit(".", 1)[-1]) if "." in name else None

    def override(self, part: str, content_type: str) -> None:
        self.overrides["/" + part.lower()] = content_type
        self.added.append(b'<%sOverride PartName="/%s" ContentType="%s"/>' % (
            self.prefix, esc_attr(part), content_type.encode()))

    def by_extension(self, part: str, content_type: str) -> None:
        """Give `part` this content type: by a Default for its extension where the package
        has none (the way Excel declares .vml), else by an Override."""
        ext = part.rsplit(".", 1)[-1].lower()
        if self.of(part) == content_type:
            return
        if ext not in self.defaults:
            self.defaults[ext] = content_type
            self.added.append(b'<%sDefault Extension="%s" ContentType="%s"/>' % (self.prefix, ext.encode(),
                                                                                content_type.encode()))
        else:
            self.override(part, content_type)

    def replace(self, old: str, new: str) -> None:
        """Every Override of content type `old` becomes `new`."""
        pattern = rb'(ContentType\s*=\s*["\'])' + re.escape(old.encode()) + rb'(["\'])'
        self.data, n = re.subn(pattern, rb"\g<1>" + new.encode() + rb"\g<2>", self.data)
        self.changed = self.changed or n > 0

    def drop(self, part: str) -> None:
        pattern = (rb"<" + re.escape(self.prefix) + rb"Override\b[^>]*\sPartName\s*=\s*[\"']/"
                   + re.escape(part.encode()) + rb"[\"'][^>]*/>")
        self.data, n = re.subn(pattern, b"", self.data, flags=re.IGNORECASE)
        self.changed = self.changed or n > 0

    def save(self) -> None:
        if self.added:
            self.data = insert_children(self.data, self.prefix, b"Types", b"".join(self.added))
            self.added, self.changed = [], True
        if self.changed:
            self.pkg.put(self.NAME, self.data)
            self.changed = False

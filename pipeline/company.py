"""The company profile: who hosts the visits, as every document, page and e-mail shows it.

It comes from the `[company]` section of the settings file (pipeline/settings.py); every
field is optional. A company that keeps its letterhead in its own Word templates leaves
it empty, and the documents then carry no company line at all (never a placeholder).

The logo is read and checked here, once per run: a PNG, JPEG or SVG file of a sane size,
whose content is what its name says. Its bytes are part of the profile's `digest`, so a
new logo under the same name renders the documents that show it again.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

from lxml import etree

from .incremental import content_hash

MAX_LOGO_BYTES = 1 << 20  # embedded in every document and page: a logo needs far less
MIN_SIDE, MAX_SIDE = 16, 10_000  # pixels of a PNG or JPEG (an SVG scales to any size)
MAX_ASPECT = 12  # a wide word mark is 6:1; more is a banner, not a logo
LOGO_KINDS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
MIME = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}


class LogoProblem(Exception):
    """Why a logo file cannot be used: an interface text key (`settings_error.<key>`)
    and its parameters; the settings module says it with the file and the key."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Logo:
    path: Path
    data: bytes
    kind: str  # png, jpeg or svg
    width: float  # pixels (an SVG: user units); only the ratio matters
    height: float

    @property
    def mime(self) -> str:
        return MIME[self.kind]

    @property
    def raster(self) -> bool:
        """Whether Word and Excel can show it (an SVG needs a raster copy there)."""
        return self.kind != "svg"

    def __repr__(self) -> str:  # not the bytes
        return f"Logo({str(self.path)!r}, {self.kind}, {self.width:g}x{self.height:g}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class Company:
    """The `[company]` settings; blank: not set."""

    name_zh: str = ""
    name_en: str = ""
    short_name: str = ""
    logo: Logo | None = None
    address_zh: str = ""
    address_en: str = ""
    phone: str = ""  # the switchboard
    website: str = ""
    desk_name: str = ""  # the reception desk's contact
    desk_phone: str = ""
    desk_email: str = ""

    @property
    def named(self) -> bool:
        """Whether the profile gives the company a name (else documents show none)."""
        return bool(self.name_zh or self.name_en or self.short_name)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def name(self, lang: str) -> str:
        """The name in `lang`, else in the other language, else the short name."""
        first, second = (self.name_zh, self.name_en) if lang == "zh" else (self.name_en, self.name_zh)
        return first or second or self.short_name

    def other_name(self, lang: str) -> str:
        """The name in the other language, when both are given (a bilingual letterhead)."""
        other = self.name_en if lang == "zh" else self.name_zh
        return other if other and other != self.name(lang) else ""

    def address(self, lang: str) -> str:
        first, second = (self.address_zh, self.address_en) if lang == "zh" else (self.address_en, self.address_zh)
        return first or second

    @cached_property
    def digest(self) -> str:
        """Everything the profile makes documents say, the logo's bytes included: a
        change re-renders what shows it, and the send log sees a change of content."""
        parts = [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if f.name != "logo"]
        logo = self.logo
        return content_hash(*parts, logo.kind if logo else "", logo.data if logo else b"")


NO_COMPANY = Company()


# --------------------------------------------------------------------------------------
# The logo


def read_logo(path: Path) -> Logo:
    """The logo at `path`, checked: a PNG, JPEG or SVG (by its name and by its content)
    of at most MAX_LOGO_BYTES, with sides of MIN_SIDE to MAX_SIDE and a sane ratio.
    Raises LogoProblem."""
    kind = LOGO_KINDS.get(path.suffix.lower())
    if kind is None:
        raise LogoProblem("logo_type", suffix=path.suffix or path.name)
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise LogoProblem("logo_too_big", size=f"{size / (1 << 20):.1f} MB", limit="1 MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoProblem("logo_missing", path=str(path)) from None
    except IsADirectoryError:
        raise LogoProblem("logo_missing", path=str(path)) from None
    except OSError as e:
        raise LogoProblem("logo_unreadable", path=str(path), reason=e.strerror or str(e)) from None
    found = sniff(data)
    if found != kind:
        raise LogoProblem("logo_not_image", kind=kind.upper()) if found is None else \
            LogoProblem("logo_mismatch", kind=kind.upper(), found=found.upper())
    width, height = image_size(data, kind)
    if kind != "svg" and not (MIN_SIDE <= min(width, height) and max(width, height) <= MAX_SIDE):
        raise LogoProblem("logo_pixels", width=f"{width:g}", height=f"{height:g}", low=MIN_SIDE, high=MAX_SIDE)
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise LogoProblem("logo_ratio", width=f"{width:g}", height=f"{height:g}", ratio=MAX_ASPECT)
    return Logo(path, data, kind, width, height)


def sniff(data: bytes) -> str | None:
    """png, jpeg or svg by the content's first bytes; None: none of them."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in head:
        return "svg"
    return None


def image_size(data: bytes, kind: str) -> tuple[float, float]:
    """(width, height) from the file's own header; LogoProblem where it has none."""
    if kind == "png":
        return _png_size(data)
    if kind == "jpeg":
        return _jpeg_size(data)
    return _svg_size(data)


def _png_size(data: bytes) -> tuple[float, float]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise LogoProblem("logo_damaged", kind="PNG")
    return struct.unpack(">II", data[16:24])


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}  # frame headers


def _jpeg_size(data: bytes) -> tuple[float, float]:
    """The frame header's size: the markers are walked by their lengths."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise LogoProblem("logo_damaged", kind="JPEG")


_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _svg_size(data: bytes) -> tuple[float, float]:
    """From width and height in pixels (or unitless), else the viewBox. A DTD is refused
    (entities could make a small file huge); so is a root that is not <svg>."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise LogoProblem("logo_svg_dtd")
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError:
        raise LogoProblem("logo_damaged", kind="SVG") from None
    if etree.QName(root).localname != "svg":
        raise LogoProblem("logo_damaged", kind="SVG")
    width, height = (_LENGTH.match(root.get(a, "")) for a in ("width", "height"))
    if width and height:
        return float(width[1]), float(height[1])
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
            return float(box[2]), float(box[3])
    except ValueError:
        pass
    raise LogoProblem("logo_svg_size")

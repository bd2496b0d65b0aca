"""Safe, readable file names for generated documents.

A name built from a visit id or a client name must stay inside its folder and be valid
on Windows, macOS and Linux: no separators, no reserved characters or device names, no
control or bidirectional-override characters, not too long, and never the same as a name
already given in the folder.
"""

from __future__ import annotations

import re
import unicodedata

_RESERVED = re.compile(r'[<>:"/\\|?*#\x00-\x1f\x7f]')  # '#': links (the Excel dashboard's) cut there
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                    *(f"{port}{i}" for port in ("COM", "LPT") for i in (*range(1, 10), "¹", "²", "³"))}
MAX_STEM_BYTES = 150  # leaves room for the folder path within common limits


def safe_part(text: str) -> str:
    """One piece of a file name: reserved and invisible characters become `_`."""
    text = unicodedata.normalize("NFC", text)
    text = "".join("_" if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)
    text = _RESERVED.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"_+", "_", text)
    return text


def safe_name(*parts: str, suffix: str = "") -> str:
    """`plan_V1_华东精密.docx`: parts joined by `_`, cleaned, cut to a safe length."""
    stem = "_".join(p for p in (safe_part(x) for x in parts if x) if p) or "_"
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem = "_" + stem
    return stem + suffix


class NameBook:
    """Hands out names within one folder, never the same one twice (case-insensitively,
    as on Windows and macOS)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, *parts: str, suffix: str = "") -> str:
        name = safe_name(*parts, suffix=suffix)
        stem = name[: len(name) - len(suffix)] if suffix else name
        n = 1
        while name.casefold() in self._taken:
            n += 1
            name = f"{stem}~{n}{suffix}"
        self._taken.add(name.casefold())
        return name

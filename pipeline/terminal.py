"""Text made safe for the terminal: what a file name or a cell holds cannot drive it.

ESC and BEL would move the cursor, change colours or the window title and ring the bell;
a line break would print a fake line of its own; a right-to-left override would reverse
the rest of the line. Every such character (control, format, line and paragraph
separators) is shown escaped, as Python writes it (`\\x1b`, `\\n`, `\\u202e`). A value
longer than LIMIT characters is cut in the middle with `…`, keeping its end (a file's
suffix).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import PurePath
from typing import TextIO

LIMIT = 120
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def escaped(text: str) -> str:
    """The text with every control and format character escaped (nothing cut)."""
    if text.isprintable():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _HIDDEN else c for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    if c == "\n":
        return "\\n"
    if c == "\t":
        return "\\t"
    if c == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: object, limit: int = LIMIT) -> object:
    """A value from outside (a file name, a path, a cell's text) as the terminal may show
    it: escaped, and cut in the middle beyond `limit` characters. Numbers stay numbers."""
    if not isinstance(value, (str, PurePath)):
        return value
    text = escaped(str(value))
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    return text[:head] + "…" + text[-(limit - head - 1):]


def echo(line: str, stream: TextIO | None = None) -> None:
    """Print one line for the command line (the CLI's only way to print): escaped
    whatever it holds."""
    print(escaped(line), file=stream or sys.stdout)

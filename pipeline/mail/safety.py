"""Text from a workbook made safe for mail: nothing it holds can start a header or add
a recipient.

Display names, subjects, list lines and calendar titles become one line: every control,
format and line-break character (CR, LF, NEL, U+2028…) turns into a space. The standard
library's e-mail policy refuses a line break in a header anyway; this keeps a name with
a stray newline readable instead of failing the message.

A display name (To, From, a calendar's CN) must never be read as an address, by any
mail program, however it decodes: a name holding an RFC 2047 encoded word (`=?…?=`,
which the standard library itself decodes when the header is set) or an address's
characters (`@ < >`) is no name and is left out (the address alone is the recipient);
the characters that separate or quote addresses (`, ; : " \\ ( ) [ ]`) become spaces;
and it is cut to NAME_LIMIT characters, so that its line stays short.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
_NOT_A_NAME = re.compile(r"[@<>]|=\?")
_SEPARATORS = re.compile(r'[,;:"\\()\[\]]')
NAME_LIMIT = 64


def one_line(text: object) -> str:
    if text is None or text == "":
        return ""
    text = unicodedata.normalize("NFC", str(text))
    return " ".join("".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in text).split())


def clean_body(text: str) -> str:
    """A message body: lines kept, other control characters dropped, no runs of blank lines."""
    lines = ("".join(c for c in line if c == "\t" or unicodedata.category(c) not in _INVISIBLE).rstrip()
             for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def display_name(text: object) -> str:
    """A workbook's name as a header's display name (see the module): "" when it is no name."""
    name = one_line(text)
    if _NOT_A_NAME.search(name):
        return ""
    name = " ".join(_SEPARATORS.sub(" ", name).split())
    if len(name) <= NAME_LIMIT:
        return name
    # An ASCII name is cut with ASCII dots: an ellipsis would be encoded, and the standard
    # library folds the ASCII part and the encoded word apart, with a space between them.
    return name[:NAME_LIMIT - 3] + "..." if name.isascii() else name[:NAME_LIMIT - 1] + "…"

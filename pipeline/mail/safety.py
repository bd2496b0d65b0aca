"""Text from a workbook made safe for mail: nothing it holds can start a header.

Display names, subjects, list lines and calendar titles become one line: every control,
format and line-break character (CR, LF, NEL, U+2028…) turns into a space. The standard
library's e-mail policy refuses a line break in a header anyway; this keeps a name with
a stray newline readable instead of failing the message.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


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

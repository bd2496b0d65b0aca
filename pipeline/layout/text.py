"""Text as every output holds it, and how wide it is.

Widths are in display columns, the unit of a spreadsheet column: an East Asian wide or
full-width character (Chinese, Japanese, Korean, full-width punctuation) takes two,
any other character one. Each writer turns columns into its own measure (lines of a wrapping
column, points of an SVG label) on top of `is_wide`, so all agree on what is wide.
"""

from __future__ import annotations

import functools
import math
import unicodedata

from .. import values


def legal(text: str) -> str:
    """Without the characters XML cannot hold (control characters, lone surrogates; the
    reader removes them from workbook values, this keeps any other text safe too), as in
    every output: a spreadsheet would show them as `_x0007_` or fail to be written."""
    return values.clean(text)


@functools.cache
def is_wide(ch: str) -> bool:
    """Whether a character takes two columns (East Asian wide or full-width)."""
    return unicodedata.east_asian_width(ch) in "WF"


def wide_count(text: str) -> int:
    """How many of the characters are wide (none in ASCII: counted without a loop)."""
    return 0 if text.isascii() else sum(map(is_wide, text))


def display_columns(text: str) -> int:
    """The display columns of `text` written on one line (a line break counts one)."""
    return len(text) + wide_count(text)


def display_width(text: str) -> int:
    """Columns of the widest line."""
    return max((display_columns(line) for line in text.splitlines()), default=0)


def lines_at(text: str, columns_per_line: float) -> int:
    """Lines `text` takes run on at `columns_per_line` (at least one)."""
    return max(1, math.ceil(display_columns(text) / columns_per_line))


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines `text` takes in a wrapping column `width` characters wide: a
    wide character is about two digits wide, a letter a little less than one (erring on
    the side of a line too many, never one too few)."""
    usable = max(width - 2, 1) * 10  # in tenths of a digit, so the sums are exact
    lines = 0
    for line in text.split("\n"):
        wide = wide_count(line)
        lines += max(1, math.ceil((20 * wide + 9 * (len(line) - wide)) / usable))
    return lines

"""Parsers for the value forms the workbook contract accepts.

Each parser takes what a spreadsheet cell holds (str, int, float, bool, date, datetime,
time, or None/"" for blank) and returns the typed value, `None` for blank, or raises
`BadValue` with a short reason key, which the check stage turns into a finding on that
cell. (The reader calls them a column at a time: pipeline.reader.columns.)
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import compress, repeat

from .contract import Choice


class BadValue(ValueError):
    """A cell whose value cannot be read as its column's type."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # a key of the locale's value_errors


_EXCEL_EPOCH = datetime(1899, 12, 30)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Case-, width- and space-insensitive form used to match labels. (Remembered: the
    same labels, answers and venues come back row after row.)"""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Characters XML 1.0 does not allow (C0 controls other than tab, line feed and carriage
# return; surrogates, which in a str are always unpaired; U+FFFE and U+FFFF). A cell may
# hold them (pasted from another system), but no .xlsx or .docx writer can write them back.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_illegal(s: str) -> bool:
    """Whether the text holds characters XML cannot hold (invisible control characters)."""
    return _ILLEGAL.search(s) is not None


def clean(s: str) -> str:
    """The text without the characters XML cannot hold."""
    return _ILLEGAL.sub("", s)


def text(value: object) -> str | None:
    """Text as written; numbers lose a spurious `.0` (phones, ids), line breaks are kept.
    Invisible control characters (see `clean`) are removed."""
    if value.__class__ is str:  # the common case: one line, nothing to remove
        s = value.strip()
        if not s:
            return None
        if "\n" not in s and "\r" not in s and _ILLEGAL.search(s) is None:
            return s
        value = clean(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in s.strip().split("\n"))


VISIT_ID = re.compile(r"^[A-Za-z0-9_-]+$")  # a visit ID, as written after NFKC


def visit_id(value: object) -> str | None:
    s = text(value)
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", s).strip()
    if not VISIT_ID.match(s):
        raise BadValue("id")
    return s


# A count written with its unit, as staff write it: 12人, 3间, 2辆, 5分, 20 seats.
_UNIT = re.compile(r"(?<=\d)(人|位|名|座|个|間|间|辆|輛|桌|分|pax|seats?|persons?|people|rooms?|cars?)$")


def whole_number(value: object, lo: int | None = None, hi: int | None = None) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise BadValue("int")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value != int(value):
            raise BadValue("int")
        n = int(value)
    else:
        s = _UNIT.sub("", normalize(str(value)))
        if not re.fullmatch(r"[+-]?\d+(\.0+)?", s):
            raise BadValue("int")
        n = int(float(s))
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise BadValue("range")
    return n


_YES = {"是", "有", "需要", "y", "yes", "true", "✓", "√", "1", "对", "要"}
_NO = {"否", "无", "不需要", "n", "no", "false", "✗", "×", "0", "不", "不要", "没有"}


def yes_no(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    s = normalize(str(value))
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise BadValue("yesno")


@lru_cache(maxsize=64)
def _choice_keys(choices: tuple[Choice, ...]) -> dict[str, str]:
    """Normalized key and labels -> key; where two choices share a form, the first wins."""
    keys: dict[str, str] = {}
    for c in choices:
        for form in (c.key, c.zh, c.en):
            keys.setdefault(normalize(form), c.key)
    return keys


def choice(value: object, choices: tuple[Choice, ...]) -> str | None:
    """The key of an enumeration value given as key, Chinese or English label."""
    if is_blank(value):
        return None
    key = _choice_keys(choices).get(normalize(str(value)))
    if key is None:
        raise BadValue("enum")
    return key


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME = re.compile(r"^(\d{1,2})\s*[:.：点时]\s*(\d{2})?\s*(?:[:.](\d{2}))?\s*分?$")
_DATETIME = re.compile(r"^(.+?)(?:\s+|T)(\d{1,2}\s*[:.：]\s*\d{2}(?:[:.]\d{2})?)$")


def _serial(value: float) -> datetime:
    # Excel serials of 1900-2200; anything else is not a date a workbook would hold.
    if not (1 <= value < 110000):
        raise BadValue("date")
    return _EXCEL_EPOCH + timedelta(days=value)


def _text_date(s: str) -> date:
    m = _DATE.match(s)
    if not m:
        raise BadValue("date")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise BadValue("date") from None


def _text_time(s: str) -> time:
    m = _TIME.match(s)
    if not m:
        raise BadValue("time")
    h, mi, sec = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if h == 24 and mi == 0:
        return time(23, 59)
    if h > 23 or mi > 59 or sec > 59:
        raise BadValue("time")
    return time(h, mi, sec)


def date_value(value: object) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue("date")
    if isinstance(value, (int, float)):
        return _serial(float(value)).date()
    s = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return _serial(float(s)).date()
    m = _DATETIME.match(s)
    if m and _TIME.match(m[2]):
        s = m[1]  # a date written with a midnight time still names the date
    return _text_date(s)


def time_value(value: object) -> time | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, timedelta):
        secs = round(value.total_seconds())
        if not 0 <= secs < 86400:
            raise BadValue("time")
        return time(secs // 3600, secs % 3600 // 60, secs % 60)
    if isinstance(value, bool) or isinstance(value, date):
        raise BadValue("time")
    if isinstance(value, (int, float)):
        if not 0 <= value < 1:
            raise BadValue("time")
        secs = round(value * 86400)
        secs = min(secs, 86399)
        return time(secs // 3600, secs % 3600 // 60, secs % 60)
    return _text_time(unicodedata.normalize("NFKC", str(value)).strip())


def datetime_value(value: object) -> datetime | date | None:
    """A datetime; a plain `date` (not datetime) when only the date is known."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date()
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or isinstance(value, time):
        raise BadValue("datetime")
    if isinstance(value, (int, float)):
        return datetime_value(_serial(float(value)))
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATETIME.match(s)
    if m:
        d = _text_date(m[1].strip())
        return datetime.combine(d, _text_time(m[2]))
    try:
        return date_value(s)
    except BadValue:
        raise BadValue("datetime") from None


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def email(value: object) -> str | None:
    s = text(value)
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", s).strip()
    if not is_email(s):
        raise BadValue("email")
    return s


def is_email(s: str) -> bool:
    return len(s) <= 254 and _EMAIL.match(s) is not None


NAME_SEPARATORS = re.compile(r"[、,，;；\n]+")


def names(value: object) -> tuple[str, ...]:
    s = text(value)
    if s is None:
        return ()
    return tuple(n.strip() for n in NAME_SEPARATORS.split(s) if n.strip())


def has_time(value: object) -> bool:
    return isinstance(value, datetime)


_NONE_ANSWERS = {"无", "没有", "none", "no", "nil", "n/a", "na", "无禁忌", "没有禁忌", "无忌口", "不忌口", "无特殊要求",
                 "-", "—", "/"}


def is_none_answer(text_: str | None) -> bool:
    """A dietary-needs answer meaning "asked, and none" (blank means not asked)."""
    return text_ is not None and normalize(text_) in _NONE_ANSWERS


# ---- placeholders ---------------------------------------------------------------------------
# A cell that holds only a placeholder (`待定`, `TBD`, `?`, …: the list is the rules file's
# `settings.placeholders`) holds no value yet (../shared/WORKBOOK.md, "Placeholders are
# not values"). The reader gives such a cell no value and remembers what it held, so a
# rule that needs the value says the cell holds a placeholder still to be filled.

# What may surround a placeholder: spaces and punctuation, ASCII and full-width.
_AROUND = string.whitespace + string.punctuation + "，。、；：？！…—–·（）【】《》〈〉「」『』“”‘’～\u3000"


def _placeholder_core(s: str) -> str:
    """The form a cell and a placeholder are compared in: NFKC, no spaces, any case,
    without the punctuation around it."""
    return unicodedata.normalize("NFKC", s).replace(" ", "").casefold().strip(_AROUND)


class Placeholders:
    """The placeholders of a rules file, to find among a column's strings.

    A placeholder word (`待定`, `TBD`) matches a cell that holds it with spaces or
    punctuation around, in any case and width (`（待定）`, `tbd.`, `ＴＢＤ`); a placeholder
    of punctuation only (`?`, `-`, `—`, `/`) matches a cell made of those marks alone
    (`?`, `--`, `— —`)."""

    def __init__(self, words: Iterable[str]):
        words = [w for w in words if isinstance(w, str) and w.strip()]
        self.words = frozenset(filter(None, map(_placeholder_core, words)))
        self.marks = frozenset("".join(unicodedata.normalize("NFKC", w) for w in words if not _placeholder_core(w)))
        # A longer cell is never a placeholder: its length is looked at first, in C.
        self.longest = max(map(len, words), default=0) + 6
        self._cores = self.words | {""} if self.marks else self.words

    def __bool__(self) -> bool:
        return bool(self.words or self.marks)

    def matches(self, value: object) -> bool:
        return value.__class__ is str and bool(self.among([value]))

    def among(self, strings: list[str]) -> set[str]:
        """The strings that are placeholders: the short ones, through NFKC, casefold and
        strip in C (map over the column), then a set lookup."""
        if not self:
            return set()
        short = list(compress(strings, map(self.longest.__ge__, map(len, strings))))
        if not short:
            return set()
        nfkc = map(unicodedata.normalize, repeat("NFKC"), short)
        cores = map(str.strip, map(str.casefold, map(str.replace, nfkc, repeat(" "), repeat(""))), repeat(_AROUND))
        found = set(compress(short, map(self._cores.__contains__, cores)))
        return {s for s in found if _placeholder_core(s) or self._marks_only(s)}

    def _marks_only(self, s: str) -> bool:
        """A cell of punctuation only: a placeholder when all of it is placeholder marks."""
        rest = [ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace()]
        return bool(rest) and all(ch in self.marks for ch in rest)

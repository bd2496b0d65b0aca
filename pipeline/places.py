"""Place and keyword helpers shared by the checks and the booking index
(pipeline.serving): is a location the room booked, does a text name one of a list's words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_IN_PLACE = re.compile(r"[\s\W_]+")  # spaces and punctuation: `3号楼 A301 会议室` = `3号楼A301会议室`
_CODE = re.compile(r"[a-z]*\d[a-z\d]*")  # room and stand numbers: `a301`, `2f`, `t2`


@lru_cache(maxsize=4096)
def place_form(text: str) -> str:
    """A place as compared: NFKC (full-width digits), any case, no spaces or punctuation."""
    return _NOT_IN_PLACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _subsequence(short: str, long: str) -> bool:
    """Every character of `short`, in order, in `long` (`江南春牡丹厅` in `江南春酒楼牡丹厅`)."""
    rest = iter(long)
    return all(ch in rest for ch in short)


@lru_cache(maxsize=4096)
def same_place(a: str, b: str) -> bool:
    """Whether two writings name one place: one holds the other, or its characters in
    order (a shortened name), or they share a room number (`A301`). Lenient on purpose:
    staff write one room many ways, and a finding on a right room is worse than none."""
    a, b = place_form(a), place_form(b)
    if not a or not b or a in b or b in a:
        return True
    if _subsequence(a, b) or _subsequence(b, a):
        return True
    codes = {c for c in _CODE.findall(a) if len(c) > 1}
    return bool(codes) and any(c in codes for c in _CODE.findall(b))


@lru_cache(maxsize=64)
def word_forms(words: tuple[str, ...]) -> tuple[str, ...]:
    """A list of keywords as they are looked for (place_form of each)."""
    return tuple(w for w in map(place_form, words) if w)


def names_any(text: str | None, words: tuple[str, ...]) -> bool:
    """Whether the text holds one of the keywords (already in word_forms), in any case and width."""
    if not text:
        return False
    form = place_form(text)
    return any(w in form for w in words)

"""Dates, times and labels in the reader's convention, shared by every document. How a
language writes them is in its locale file (`dates`, `answer`, `punct`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache

from ..contract import Column
from ..i18n import aside, texts


def _dates(lang: str) -> Mapping:
    return texts(lang)["dates"]


def fmt_date(d: date | None, lang: str) -> str:
    """`2027年3月10日 星期三` / `Wed 10 Mar 2027`."""
    if d is None:
        return ""
    return _date_text(d.date() if isinstance(d, datetime) else d, lang)


@lru_cache(maxsize=4096)
def _date_text(d: date, lang: str) -> str:  # a visit's documents write the same few days many times
    dates = _dates(lang)
    return dates["date"].format(year=d.year, month_name=dates["months"][d.month - 1], day=d.day,
                                weekday=dates["weekdays"][d.weekday()])


def fmt_short_date(d: date | None, lang: str) -> str:
    """`3月10日` / `10 Mar`."""
    if d is None:
        return ""
    return _short_date_text(d.month, d.day, lang)


@lru_cache(maxsize=1024)
def _short_date_text(month: int, day: int, lang: str) -> str:
    dates = _dates(lang)
    return dates["short_date"].format(month_name=dates["months"][month - 1], day=day)


def fmt_month(year: int, month: int, lang: str) -> str:
    """`2027年4月` / `Apr 2027`."""
    dates = _dates(lang)
    return dates["month"].format(year=year, month_name=dates["months"][month - 1])


def month_name(month: int, lang: str) -> str:
    """`4月` / `Apr`."""
    return _dates(lang)["months"][month - 1]


def fmt_time(t: time | datetime | None) -> str:
    if t is None:
        return ""
    return f"{t.hour:02d}:{t.minute:02d}"


def fmt_datetime(value: date | datetime | None, lang: str) -> str:
    """`2027年3月10日 星期三 09:30` / `Wed 10 Mar 2027 09:30`; a date alone without time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{fmt_date(value, lang)} {fmt_time(value)}"
    return fmt_date(value, lang)


def fmt_span(start: time | None, end: time | None) -> str:
    if start is None and end is None:
        return ""
    return f"{fmt_time(start)}–{fmt_time(end)}"


def choice_label(column: Column, key: str | None, lang: str) -> str:
    """The label of an enumeration value in the output language."""
    for c in column.choices:
        if c.key == key:
            return c.label(lang)
    return key or ""


def yes_no_label(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return texts(lang)["answer"]["yes" if value else "no"]


def name_title(name: str, detail: str | None, lang: str) -> str:
    """`孙伟（总经理）` / `Sun Wei (CEO)`; the name alone without a detail."""
    if not detail:
        return name
    return aside(lang, name, detail)

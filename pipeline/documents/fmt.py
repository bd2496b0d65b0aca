"""Dates, times and labels in the reader's convention, shared by every document."""

from __future__ import annotations

from datetime import date, datetime, time

from ..contract import Column

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(d: date | None, lang: str) -> str:
    """`2027年3月10日 星期三` / `Wed 10 Mar 2027`."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日 星期{_WEEKDAYS_ZH[d.weekday()]}"
    return f"{_WEEKDAYS_EN[d.weekday()]} {d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def fmt_short_date(d: date | None, lang: str) -> str:
    """`3月10日` / `10 Mar`."""
    if d is None:
        return ""
    return f"{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {_MONTHS_EN[d.month - 1]}"


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
    return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


def name_title(name: str, detail: str | None, lang: str) -> str:
    """`孙伟（总经理）` / `Sun Wei (CEO)`; the name alone without a detail."""
    if not detail:
        return name
    return f"{name}（{detail}）" if lang == "zh" else f"{name} ({detail})"

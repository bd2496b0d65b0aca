"""The sample visits workbook: its rows are data (`sample.yaml`), written by the blank
template's own writer (`template.render_template` with a `Filling`), so the sample looks
exactly like the template users get: same headers, drop-down lists, instructions, styles.

The data is written as of one date (`as_of`). Written for another `today`, every date of
the sample moves by whole weeks (weekdays stay weekdays) so that its as-of date lands on
`today` or the same weekday of the week before: a first build then shows visits done,
under way and coming, as the sample means them. That is date and date-and-time cells,
dates typed as text (`!text 2027/5/18` keeps its form), the file's creation date, and
dates inside texts, written in the data as `{2027-04-15:%-m月%-d日}` (see `_in_text`).

`scripts/make_sample.py` (`make sample`) writes it to `input/`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml

from .contract import SHEETS
from .standard import Standard
from .template import Filling, render_template

DATA = Path(__file__).with_name("sample.yaml")
FILE_NAME = "2027年客户接待台账.xlsx"
AUTHOR = "reception pipeline sample"
PARSE = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "time": time.fromisoformat}
DATED = frozenset({"date", "datetime"})  # the column types whose values move; a time of day stays
TEXT_DATE = re.compile(r"(\d{4})(\D+)(\d{1,2})(\D+)(\d{1,2})(\D*)")  # 2027/5/18, 2027年5月19日
DATE_IN_TEXT = re.compile(r"\{(\d{4}-\d{2}-\d{2}):([^{}]+)\}")  # {2027-04-15:%-m月%-d日}
DIRECTIVE = re.compile(r"%(?:Y|m|d|-m|-d|旬)")
TEN_DAYS = ("上旬", "中旬", "下旬")  # a month's first, second and last ten days


class Text(str):
    """A value written `!text …` in the data: a text cell exactly as given, even in a date
    column (staff type dates as text; the reader has to cope with them)."""


class _Loader(yaml.SafeLoader):
    """YAML that leaves `2027-05-18` and `14:00` as strings (YAML 1.1 would make the first a
    date and the second the number 840): their column says what they are."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
# Whole numbers only as written without a leading zero: `0512…` (a phone, a code) stays text
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_constructor("!text", lambda loader, node: Text(loader.construct_scalar(node)))


def load_sample(path: Path = DATA) -> dict:
    """The data file as written (dates still strings)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def shift(as_of: date, today: date | None) -> timedelta:
    """The whole weeks that move `as_of` to `today` or the same weekday just before it
    (none without a `today`: the data as written)."""
    return timedelta(weeks=(today - as_of).days // 7) if today else timedelta(0)


def as_of(data: Mapping, today: date | None = None) -> date:
    """The date the sample, written for `today`, is meant to be seen on (`--today`)."""
    written = date.fromisoformat(data["as_of"])
    return written + shift(written, today)


def sample_filling(data: Mapping, standard: Standard, today: date | None = None) -> Filling:
    """The rows of every sheet with typed values, its dates moved for `today`, the title
    and the file's properties."""
    delta = shift(date.fromisoformat(data["as_of"]), today)
    directory = data["directory"]
    rows = {}
    for sheet in (standard.sheet(s.key) for s in SHEETS):
        types = {c.key: c.type for c in sheet.columns}
        source = data[sheet.key]
        if sheet.key == "staff":  # a staff row takes the person's id, department, phone, e-mail from its name
            source = [{**directory[row["name"]], **row} for row in source]
        rows[sheet.key] = [{k: _typed(v, types.get(k), delta) for k, v in row.items() if v is not None}
                           for row in source]
    created = datetime.fromisoformat(data["created"]) + delta
    return Filling(rows, data["title"], {"title": data["title"], "author": AUTHOR, "created": created})


def _typed(value: object, kind: str | None, delta: timedelta) -> object:
    if isinstance(value, Text):
        return _moved_text_date(value, delta) if kind in DATED else str(value)
    if kind in PARSE and isinstance(value, str):
        parsed = PARSE[kind](value)
        return parsed + delta if kind in DATED else parsed
    if isinstance(value, str):
        return DATE_IN_TEXT.sub(lambda m: _in_text(date.fromisoformat(m[1]) + delta, m[2]), value)
    return value


def _moved_text_date(text: str, delta: timedelta) -> str:
    """A date typed as text, moved, in the form it was typed in (2027/5/18, 2027年05月18日)."""
    m = TEXT_DATE.fullmatch(text)
    if not m:
        raise ValueError(f"sample data: {text!r} in a date column is not a date the sample can move")
    y, sep1, mo, sep2, d, end = m.groups()
    moved = date(int(y), int(mo), int(d)) + delta
    return f"{moved.year}{sep1}{moved.month:0{len(mo)}d}{sep2}{moved.day:0{len(d)}d}{end}"


def _in_text(day: date, form: str) -> str:
    """A date inside a text: `form` with %Y, %m, %d (zero-padded), %-m, %-d (not) and %旬
    (上旬, 中旬 or 下旬: which ten days of the month) replaced; everything else as written."""
    parts = {"%Y": f"{day.year}", "%m": f"{day.month:02d}", "%d": f"{day.day:02d}", "%-m": f"{day.month}",
             "%-d": f"{day.day}", "%旬": TEN_DAYS[min((day.day - 1) // 10, 2)]}
    return DIRECTIVE.sub(lambda m: parts[m[0]], form)


def render_sample(standard: Standard, today: date | None = None, path: Path = DATA) -> bytes:
    """The sample workbook's bytes, its dates moved for `today` (the same bytes for the same
    data and week: the file is committed)."""
    data = load_sample(path)
    return render_template(standard, data["lang"], sample_filling(data, standard, today))

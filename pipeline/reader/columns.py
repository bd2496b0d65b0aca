"""A sheet's cells parsed a column at a time: the speed of the read.

A column repeats its values (enumerations, dates, names, the visit ID on every row of a
visit), so each distinct value is parsed once, and a parser's results for text are kept
for the whole workbook (`memo`). For the columns that hold the most distinct values
(names, phones, e-mail addresses, visit IDs) the many-strings parsers take all the
column's strings at once, with str methods mapped over them in C where the value parser
(pipeline.values) is a Python call per string. Rows are found blank column by column,
and the parsed values looked up for the cells in C. What comes out is what parsing each
cell with its values parser gives (the property tests in tests/test_reader_columns.py
hold it to that).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import compress, count
from operator import itemgetter

from .. import values
from ..contract import Column

Parser = Callable[[object], object]


def parser_for(column: Column, date1904: bool = False, years: tuple[int, int] | None = None) -> Parser:
    """The values parser of the column's type; for dates, only `years` (the rules file's
    plausible years) and counted from 1904 when the workbook does (`date1904`)."""
    if years and column.type in ("date", "datetime"):
        return partial(_within, parser_for(column, date1904), years)
    if date1904 and column.type in ("date", "datetime"):
        return partial(_from_1904, parser_for(column))
    match column.type:
        case "id":
            return values.visit_id
        case "int":
            return partial(values.whole_number, lo=column.min, hi=column.max)
        case "date":
            return values.date_value
        case "time":
            return values.time_value
        case "datetime":
            return values.datetime_value
        case "yesno":
            return values.yes_no
        case "enum" | "prep":
            return partial(values.choice, choices=column.choices)
        case "email":
            return values.email
        case "names":
            return values.names
        case _:
            return values.text


def _within(parse: Parser, years: tuple[int, int], value: object):
    """A date in the rules file's plausible years (settings.plausible_years); another year
    is a typo (0001, 9999) that no visit has, and that date arithmetic cannot take."""
    parsed = parse(value)
    if parsed is not None and not years[0] <= parsed.year <= years[1]:
        raise values.BadValue("year")
    return parsed


_DAYS_1900_TO_1904 = 1462


def _from_1904(parse: Parser, value: object):
    """A date typed as a number in a workbook on the 1904 date system (old Mac Excel):
    its serial counts from 1904, the parsers' from 1900. (Date cells calamine converts
    itself.)"""
    if value.__class__ in (int, float):
        value += _DAYS_1900_TO_1904
    return parse(value)


# Columns where any string is a value, so placeholders are looked for among all their strings.
SCREENED = frozenset({"text", "names"})
_NUMBERS = frozenset({bool, int, float})  # 1 == 1.0 == True: they would share a dict key


def parse_column(cells: tuple, parse: Parser, memo: dict | None = None,
                 placeholders: values.Placeholders | None = None, screen: bool = False):
    """A column's cells parsed: (values, {index: BadValue reason}, {indexes of cells that
    held invisible control characters, which are removed before parsing}).

    A cell that holds only a placeholder (`placeholders`: `待定`, `TBD`, …) has no value
    and the reason "placeholder": looked for among the strings of a text column
    (`screen`), where any string is a value, and among the strings another column cannot
    read (an enumeration takes `待确认` as its label first).

    Each distinct cell value is parsed once: a dict lookup is much cheaper than a parser
    call. Values of different types that compare equal (1, 1.0, True) would share a key,
    so a column that mixes them is keyed by (type, value). `memo` keeps the parser's
    results for text across columns (visit IDs recur on every sheet): text value ->
    value or BadValue.
    """
    keys = cells
    distinct = set(cells)
    if not _NUMBERS.isdisjoint(map(type, distinct)) and len(_NUMBERS.intersection(map(type, cells))) > 1:
        keys = tuple(zip(map(type, cells), cells))
        distinct = set(keys)
    typed = keys is not cells
    raws = [k[1] for k in distinct] if typed else list(distinct)
    strings = [r for r in raws if r.__class__ is str]
    joined = "".join(strings)
    dirty_keys = set()
    if values.has_illegal(joined):
        dirty_keys = {k for k, r in zip(distinct, raws) if r.__class__ is str and values.has_illegal(r)}
    if memo is None:
        memo = {}
    parsed, bad_keys = {}, {}
    pending = zip(distinct, raws)
    many = MANY.get(parse)
    if many and strings and not typed and not dirty_keys and "\n" not in joined and "\r" not in joined:
        done = many(strings)
        if done is not None:  # the strings at once (see MANY); the other values below
            parsed, bad_keys = dict(zip(strings, done[0])), done[1]
            pending = [(r, r) for r in raws if r.__class__ is not str] if len(strings) < len(raws) else ()
    for k, raw in pending:
        if k in dirty_keys:
            raw = values.clean(raw)
        result = memo.get(raw, memo) if raw.__class__ is str else memo
        if result is memo:
            try:
                result = parse(raw)
            except values.BadValue as e:
                result = e
            if raw.__class__ is str:
                memo[raw] = result
        if result.__class__ is values.BadValue:
            parsed[k] = None
            bad_keys[k] = result.reason
        else:
            parsed[k] = result
    if placeholders and strings:
        _placeholders(placeholders, screen, distinct, raws, strings, parsed, bad_keys, parse(None))
    out = _lookup(parsed, keys)
    bad, dirty = {}, set()
    if bad_keys or dirty_keys:
        for i, k in enumerate(keys):
            if k in bad_keys:
                bad[i] = bad_keys[k]
            if k in dirty_keys:
                dirty.add(i)
    return out, bad, dirty


def _placeholders(placeholders: values.Placeholders, screen: bool, distinct, raws: list, strings: list[str],
                  parsed: dict, bad_keys: dict, blank: object) -> None:
    """Mark the distinct values that are placeholders: the column's `blank` value (None,
    or () for names), and the reason "placeholder"."""
    if screen:
        held = placeholders.among(strings)
    else:
        unread = [raw for k, raw in zip(distinct, raws) if k in bad_keys and raw.__class__ is str]
        held = placeholders.among(unread) if unread else ()
    if held:
        for k, raw in zip(distinct, raws):
            if raw.__class__ is str and raw in held:
                parsed[k] = blank
                bad_keys[k] = "placeholder"


def _lookup(mapping: dict, keys: tuple) -> tuple:
    """mapping[k] for each key, in C (itemgetter is quicker than map over __getitem__)."""
    if len(keys) < 2:
        return tuple(mapping[k] for k in keys)
    return itemgetter(*keys)(mapping)


def blank_rows(columns: list[tuple], first: int) -> list[int]:
    """The positions of the rows whose every cell is blank (values.is_blank), found
    column by column: the rows with a blank in column `first` (the visit ID, which
    nearly every row has: one pass in C), then of those the rows with a blank in each
    other column."""
    if not columns:
        return []
    column = columns[first]
    blanks = {v for v in set(column) if values.is_blank(v)}
    rows = list(compress(count(), map(blanks.__contains__, column))) if blanks else []
    for j, column in enumerate(columns):
        if not rows:
            break
        if j != first:
            rows = [i for i in rows if values.is_blank(column[i])]
    return rows


# ---- many strings at once ----------------------------------------------------------------
# A column's strings given to the parser of its values at once. They are given only
# strings without line breaks or control characters (which `values.text` handles one by
# one) and return each string's value and the strings that are no value, with the
# reason; or None to decline (the parser is then called on each string).

def texts(strings: list[str]) -> tuple[list[str | None], dict[str, str]]:
    """`values.text` of each string (any text is one)."""
    return [s or None for s in map(str.strip, strings)], {}


def _ascii_matching(strings: list[str], valid, reason: str) -> tuple[list[str | None], dict[str, str]] | None:
    """What `values.text`, NFKC and `valid` make of each string; declined unless all are
    ASCII, which NFKC leaves as it is."""
    if not all(map(str.isascii, strings)):
        return None
    found = [s or None for s in map(str.strip, strings)]
    bad = {raw: reason for raw, s in zip(strings, found) if s is not None and not valid(s)}
    if bad:
        found = [None if raw in bad else s for raw, s in zip(strings, found)]
    return found, bad


def visit_ids(strings: list[str]) -> tuple[list[str | None], dict[str, str]] | None:
    """`values.visit_id` of each string."""
    return _ascii_matching(strings, values.VISIT_ID.match, "id")


def emails(strings: list[str]) -> tuple[list[str | None], dict[str, str]] | None:
    """`values.email` of each string."""
    return _ascii_matching(strings, values.is_email, "email")


def names_of(strings: list[str]) -> tuple[list[tuple[str, ...]], dict[str, str]]:
    """`values.names` of each string (any text is a list of names, maybe of none)."""
    split = values.NAME_SEPARATORS.split
    return [tuple(filter(None, map(str.strip, split(s)))) for s in strings], {}


# Values parser -> its form for many strings.
MANY = {values.text: texts, values.visit_id: visit_ids, values.email: emails, values.names: names_of}

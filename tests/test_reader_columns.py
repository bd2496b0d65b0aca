"""The cells parsed a column at a time (pipeline.reader.columns): each column gives what
its values parser gives each cell on its own, the many-strings parsers included."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import values
from pipeline.contract import SHEETS_BY_KEY
from pipeline.reader import columns
from pipeline.reader.columns import SCREENED, blank_rows, parse_column, parser_for
from pipeline.standard import load_standard


_CELLS = [None, "", "  ", True, False, 1, 1.0, 0, 0.0, 2.5, "1", " 1 ", "是", "否", "yes", "2027-03-10", 46091.0,
          date(2027, 3, 10), datetime(2027, 3, 10, 9, 30), datetime(2027, 3, 10), time(9, 30), "09:30", "V1",
          "V 1", "a@b.cn", "张三、李四", "\x07是", "周\x07敏", "Flight", "航班"]


def _cell_by_cell(cells: list, parse) -> tuple[list, dict, set]:
    """What parse_column should give: each cell through the parser on its own."""
    expected, bad, dirty = [], {}, set()
    for i, cell in enumerate(cells):
        if isinstance(cell, str) and values.has_illegal(cell):
            dirty.add(i)
            cell = values.clean(cell)
        try:
            expected.append(parse(cell))
        except values.BadValue as e:
            expected.append(None)
            bad[i] = e.reason
    return expected, bad, dirty


@given(st.lists(st.sampled_from(_CELLS), max_size=25))
@settings(max_examples=200, deadline=None)
def test_a_column_parses_like_each_of_its_cells(cells):
    for column in SHEETS_BY_KEY["visits"].columns[:16] + SHEETS_BY_KEY["itinerary"].columns:
        parse = parser_for(column)
        expected, bad, dirty = _cell_by_cell(cells, parse)
        memo: dict = {}
        for _ in range(2):  # the second time from what the first one remembered
            out, got_bad, got_dirty = parse_column(tuple(cells), parse, memo)
            assert (list(out), got_bad, got_dirty) == (expected, bad, dirty)
            assert [type(v) for v in out] == [type(v) for v in expected]


_ID_LIKE = st.text(st.sampled_from("Vv-_19 \t\u3000\u00a0Ｖ１é\n@.＠"), max_size=8)
_EMAILS = st.sampled_from(["a@b.cn", " a.b@c-d.example.com ", "a@b", "a@@b.cn", "Ａ@b.cn", "a@b.cn\n",
                           "x" * 250 + "@b.cn", "x" * 240 + "@b.cn", "a @b.cn"])
_NAMES = st.text(st.sampled_from("张三 、,，;；\u3000\n\tab"), max_size=10)


@given(st.lists(st.one_of(st.text(max_size=8), _ID_LIKE, _EMAILS, _NAMES, st.sampled_from(_CELLS)), max_size=30))
@settings(max_examples=300, deadline=None)
def test_text_and_id_columns_parse_their_strings_at_once_as_each_cell(cells):
    """columns.MANY: a column's strings through str.strip in C give what the parser gives
    each cell (blanks, spaces of every kind, full-width and non-ASCII IDs and addresses,
    lists of names, line breaks and control characters, which go back to one by one)."""
    assert set(columns.MANY) == {values.text, values.visit_id, values.email, values.names}
    for parse in columns.MANY:
        expected, bad, dirty = _cell_by_cell(cells, parse)
        out, got_bad, got_dirty = parse_column(tuple(cells), parse, {})
        assert (list(out), got_bad, got_dirty) == (expected, bad, dirty)


def test_a_plain_text_or_id_column_takes_its_strings_at_once(monkeypatch):
    taken = []
    monkeypatch.setattr(columns, "MANY", {p: (lambda s, f=f: taken.append(len(s)) or f(s))
                                          for p, f in columns.MANY.items()})
    assert parse_column(("A-1", " B-2 ", "A-1", "C 3", None, ""), values.visit_id, {}) == (
        ("A-1", "B-2", "A-1", None, None, None), {3: "id"}, set())
    assert parse_column(("张三", " 李四 ", 5.0), values.text, {})[0] == ("张三", "李四", "5")
    assert parse_column(("a@b.cn", "a@b"), values.email, {}) == (("a@b.cn", None), {1: "email"}, set())
    assert taken == [4, 2, 2]


@given(st.lists(st.lists(st.sampled_from([None, "", " ", "\u3000", "x", 0, 0.0, False]), min_size=3, max_size=3),
                max_size=12), st.integers(0, 2))
def testblank_rows_are_the_rows_whose_every_cell_is_blank(grid, first):
    from itertools import zip_longest

    columns = list(zip_longest(*grid, fillvalue=None))
    expected = [i for i, row in enumerate(grid) if all(values.is_blank(c) for c in row)]
    assert blank_rows(columns, first if columns else 0) == expected


_PLACEHOLDER_CELLS = ["待定", "（待定）", " TBD ", "?", "--", "待确认", "无", "none", "张三", "航班", "2027-03-10",
                      "09:30", "是", "否", "1", None, "", 3, "V1", "a@b.cn", "xx"]


@given(st.lists(st.sampled_from(_PLACEHOLDER_CELLS), max_size=20))
@settings(max_examples=150, deadline=None)
def test_a_placeholder_cell_has_no_value_and_the_reason_placeholder(cells):
    """A text column looks for placeholders among all its strings; another column among
    the strings it cannot read, so an enumeration's own label (待确认: pending) stays a value."""
    held = load_standard().placeholders
    for column in SHEETS_BY_KEY["visits"].columns[:16] + SHEETS_BY_KEY["itinerary"].columns \
            + SHEETS_BY_KEY["bookings"].columns:
        parse = parser_for(column)
        screened = column.type in SCREENED
        expected, bad, dirty = _cell_by_cell(cells, parse)
        for i, cell in enumerate(cells):
            if held.matches(cell) and (screened or i in bad):
                expected[i], bad[i] = parse(None), "placeholder"  # the column's blank: None, or () for names
        out, got_bad, got_dirty = parse_column(tuple(cells), parse, {}, held, screened)
        assert (list(out), got_bad, got_dirty) == (expected, bad, dirty), column.key

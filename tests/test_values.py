"""The value parsers: every form the contract accepts, and property-based round trips."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import values
from pipeline.contract import APPROVAL, ITEM_KINDS, MODES, ROLES
from pipeline.values import BadValue

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))


@given(dates)
def test_every_text_date_form_reads_the_same(d):
    for text in (d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
                 f"{d.year}年{d.month}月{d.day}日", f"{d.year}-{d.month:02d}-{d.day:02d}"):
        assert values.date_value(text) == d


@given(dates)
def test_date_cells_and_serials(d):
    assert values.date_value(d) == d
    assert values.date_value(datetime.combine(d, time(15, 0))) == d
    serial = (d - date(1899, 12, 30)).days
    assert values.date_value(float(serial)) == d


@given(times)
def test_time_forms(t):
    hm = t.replace(second=0)
    assert values.time_value(f"{t.hour:02d}:{t.minute:02d}") == hm
    assert values.time_value(f"{t.hour}:{t.minute:02d}") == hm
    assert values.time_value(f"{t.hour}.{t.minute:02d}") == hm
    assert values.time_value(t) == t
    fraction = (t.hour * 3600 + t.minute * 60 + t.second) / 86400
    assert values.time_value(fraction) == t


@given(dates, times)
def test_datetime_forms(d, t):
    t = t.replace(second=0)
    dt = datetime.combine(d, t)
    if t != time(0, 0):
        assert values.datetime_value(dt) == dt
        assert values.datetime_value(f"{d.isoformat()} {t:%H:%M}") == dt
        assert values.datetime_value(f"{d.year}/{d.month}/{d.day} {t.hour}:{t.minute:02d}") == dt
    # a date with no time is a plain date: the time counts as missing where required
    only_date = values.datetime_value(datetime.combine(d, time(0, 0)))
    assert only_date == d and not isinstance(only_date, datetime)
    assert type(values.datetime_value(d.isoformat())) is date


@pytest.mark.parametrize("text", ["是", "有", "需要", "Y", "yes", "TRUE", "✓", "√", "1", " Yes ", "ｙｅｓ"])
def test_yes(text):
    assert values.yes_no(text) is True


@pytest.mark.parametrize("text", ["否", "无", "不需要", "N", "no", "false", "✗", "×", "0"])
def test_no(text):
    assert values.yes_no(text) is False


def test_yes_no_cells():
    assert values.yes_no(True) is True and values.yes_no(0) is False and values.yes_no(1.0) is True
    assert values.yes_no("") is None and values.yes_no(None) is None


@given(st.sampled_from(APPROVAL + MODES + ITEM_KINDS + ROLES), st.sampled_from(["key", "zh", "en"]),
       st.sampled_from([str, str.upper, lambda s: f"  {s} "]))
def test_enumerations_accept_key_and_both_labels(choice, form, style):
    group = next(g for g in (APPROVAL, MODES, ITEM_KINDS, ROLES) if choice in g)
    assert values.choice(style(getattr(choice, form)), group) == choice.key


@given(st.text(max_size=30))
def test_parsers_raise_only_badvalue(s):
    for parse in (values.date_value, values.time_value, values.datetime_value, values.yes_no,
                  values.whole_number, values.email, values.visit_id, lambda x: values.choice(x, MODES)):
        try:
            parse(s)
        except BadValue as e:
            assert e.reason in {"date", "time", "datetime", "yesno", "int", "range", "email", "id", "enum"}


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_whole_numbers(n):
    assert values.whole_number(n) == n
    assert values.whole_number(float(n)) == n
    assert values.whole_number(str(n)) == n


def test_whole_number_forms_and_bounds():
    assert values.whole_number("３") == 3  # full-width digits
    for written in ("12人", "12 人", "１２座", "12 seats", "12pax"):  # a count written with its unit
        assert values.whole_number(written) == 12, written
    for wrong in ("人", "12人12", "十二人", "12 apples"):
        with pytest.raises(BadValue):
            values.whole_number(wrong)
    assert values.whole_number("4.0") == 4
    with pytest.raises(BadValue):
        values.whole_number("3.5")
    with pytest.raises(BadValue) as e:
        values.whole_number(7, 1, 5)
    assert e.value.reason == "range"


@pytest.mark.parametrize("bad, parse", [
    ("2027-13-01", values.date_value), ("2027-02-30", values.date_value), ("next Tuesday", values.date_value),
    ("25:00", values.time_value), ("9:75", values.time_value), ("1.5", values.time_value),
    ("maybe", values.yes_no), ("飞机票", lambda v: values.choice(v, MODES)),
    ("not-an-email", values.email), ("a@b", values.email), ("V 1", values.visit_id), ("../x", values.visit_id),
])
def test_bad_values(bad, parse):
    with pytest.raises(BadValue):
        parse(bad)


def test_text_keeps_phones_and_line_breaks():
    assert values.text(13800138000.0) == "13800138000"
    assert values.text(1001) == "1001"
    assert values.text("0512-6666") == "0512-6666"
    assert values.text("第一行\r\n第二行  \n") == "第一行\n第二行"
    assert values.text("   ") is None


def test_names_split_on_every_separator():
    assert values.names("张三、李四,王五，赵六;钱七；孙八") == ("张三", "李四", "王五", "赵六", "钱七", "孙八")


def test_time_from_timedelta_and_datetime():
    assert values.time_value(timedelta(hours=9, minutes=30)) == time(9, 30)
    assert values.time_value(datetime(2027, 1, 1, 14, 5)) == time(14, 5)


@pytest.mark.parametrize("answer, none", [("无", True), ("None", True), ("没有", True), ("不忌口", True),
                                          ("无特殊要求", True), ("清真", False), ("不吃辣", False), (None, False)])
def test_none_answers(answer, none):
    assert values.is_none_answer(answer) is none


def test_text_removes_characters_xml_cannot_hold():
    assert values.text("周\x07敏") == "周敏"
    assert values.text("a\x00b\x0bc\x0cd\x1fe\ud800f\ufffeg\uffffh") == "abcdefgh"
    assert values.text("\x01\x02") is None
    assert values.text("第一行\x08\r\n第二行\t缩进") == "第一行\n第二行\t缩进"  # tab and line breaks stay
    assert values.clean("ok\tok\n") == "ok\tok\n" and not values.has_illegal("ok\tok\n")


def _text_as_before(value):
    """values.text before control characters were removed (the reference for clean text)."""
    if values.is_blank(value):
        return None
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in s.strip().split("\n"))


@given(st.text(alphabet=st.sampled_from("ab 周\n\r\t\u3000\x0b\x1f\x07\ufffe"), max_size=12))
def test_text_is_the_old_text_of_the_cleaned_value(s):
    got = values.text(s)
    assert got == _text_as_before(values.clean(s))
    assert got is None or not values.has_illegal(got)
    if not values.has_illegal(s):
        assert got == _text_as_before(s)


@given(st.text(max_size=12), st.sampled_from([APPROVAL, MODES, ITEM_KINDS, ROLES]))
def test_choice_matches_the_first_choice_with_that_key_or_label(s, group):
    def as_before(value):
        if values.is_blank(value):
            return None
        n = values.normalize(str(value))
        for c in group:
            if n in (values.normalize(c.key), values.normalize(c.zh), values.normalize(c.en)):
                return c.key
        raise BadValue("enum")
    for value in (s, *(getattr(c, form) + s[:1] for c in group for form in ("key", "zh", "en"))):
        try:
            expected = as_before(value)
        except BadValue:
            with pytest.raises(BadValue):
                values.choice(value, group)
        else:
            assert values.choice(value, group) == expected


# ---- placeholders (contract v2) ------------------------------------------------------------

PLACEHOLDERS = values.Placeholders(["待定", "待确认", "未定", "不详", "未知", "暂无", "TBD", "TBC", "TBA", "n/k",
                                    "?", "？", "-", "—", "/", "xx", "XX"])


@pytest.mark.parametrize("cell", ["待定", "（待定）", " tbd. ", "ＴＢＤ", "Tbc", "待 定", "?", "？？", "--", "— —", "/",
                                  "n/k", "N/K", "xx", "XX", "-/-", "【待确认】", "暂无。"])
def test_a_placeholder_in_any_case_width_and_punctuation_around(cell):
    assert PLACEHOLDERS.matches(cell) and PLACEHOLDERS.among([cell, "张三"]) == {cell}


@pytest.mark.parametrize("cell", ["无", "none", "没有", "张三", "021-5555", "待定价格", "TBD项目", "...", "a", "?x",
                                  "2027-03-10", "xxx", "n/a", None, 5, ""])
def test_an_answer_is_no_placeholder(cell):
    assert not PLACEHOLDERS.matches(cell)


def test_no_placeholders_without_a_list():
    assert not values.Placeholders([]) and values.Placeholders([]).among(["待定"]) == set()
    only_words = values.Placeholders(["待定"])  # then "-" is an answer: a company's list decides
    assert only_words.among(["待定", "-", "?"]) == {"待定"}


@given(st.lists(st.text(st.sampled_from("待定TBDx?-/ 。（）张三"), max_size=7), max_size=20))
def test_among_many_strings_is_each_string_alone(strings):
    assert PLACEHOLDERS.among(strings) == {s for s in strings if PLACEHOLDERS.matches(s)}
    assert PLACEHOLDERS.among(strings) == {s for s in strings if _one_by_one(s)}


def _one_by_one(s: str) -> bool:
    """The contract's wording, cell by cell: the placeholder, with spaces or punctuation around."""
    import string
    import unicodedata
    around = string.whitespace + string.punctuation + "，。、；：？！…—–·（）【】《》〈〉「」『』“”‘’～\u3000"
    core = unicodedata.normalize("NFKC", s).replace(" ", "").casefold().strip(around)
    if core:
        return core in {"待定", "待确认", "未定", "不详", "未知", "暂无", "tbd", "tbc", "tba", "n/k", "xx"}
    rest = [c for c in unicodedata.normalize("NFKC", s) if not c.isspace()]
    return bool(rest) and set(rest) <= {"?", "-", "—", "/"}

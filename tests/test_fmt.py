"""pipeline.documents.fmt: dates, yes/no and a name with its title, in each language's
way (the locale files' `dates`, `answer` and `punct`)."""

from __future__ import annotations

from datetime import date, datetime, time

from pipeline.documents.fmt import (fmt_date, fmt_datetime, fmt_month, fmt_short_date, fmt_span, month_name,
                                    name_title, yes_no_label)

DAY = date(2027, 3, 10)  # a Wednesday


def test_dates_in_each_language():
    assert fmt_date(DAY, "zh") == "2027年3月10日 星期三"
    assert fmt_date(DAY, "en") == "Wed 10 Mar 2027"
    assert fmt_date(datetime(2027, 12, 5, 9, 30), "zh") == "2027年12月5日 星期日"
    assert fmt_short_date(DAY, "zh") == "3月10日" and fmt_short_date(DAY, "en") == "10 Mar"
    assert fmt_datetime(datetime(2027, 3, 10, 9, 5), "en") == "Wed 10 Mar 2027 09:05"
    assert fmt_month(2027, 4, "zh") == "2027年4月" and fmt_month(2027, 4, "en") == "Apr 2027"
    assert month_name(11, "zh") == "11月" and month_name(11, "en") == "Nov"
    assert fmt_date(None, "zh") == fmt_short_date(None, "en") == ""


def test_spans_yes_no_and_titles():
    assert fmt_span(time(9, 0), time(10, 30)) == "09:00–10:30"
    assert yes_no_label(True, "zh") == "是" and yes_no_label(False, "en") == "no" and yes_no_label(None, "zh") == ""
    assert name_title("孙伟", "总经理", "zh") == "孙伟（总经理）"
    assert name_title("Sun Wei", "CEO", "en") == "Sun Wei (CEO)"
    assert name_title("Sun Wei", None, "en") == "Sun Wei"

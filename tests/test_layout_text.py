"""pipeline.layout.text: what is wide, display columns, and the line counts built on them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.layout.text import display_columns, display_width, is_wide, legal, lines_at, wide_count, wrapped_lines


def test_wide_characters_are_east_asian_wide_or_full_width():
    assert is_wide("中") and is_wide("（") and is_wide("、") and is_wide("Ａ")  # full-width A
    assert not is_wide("a") and not is_wide("–") and not is_wide("§") and not is_wide("é")
    assert wide_count("ab") == 0 and wide_count("孙伟 CEO") == 2


def test_display_columns_count_a_wide_character_twice():
    assert display_columns("abc") == 3
    assert display_columns("孙伟（总经理）") == 14
    assert display_columns("§3.1 场地") == 9  # § and – are one column wide
    assert display_columns("") == 0


def test_display_width_is_the_widest_line():
    assert display_width("ab\n中文中文\nxyz") == 8
    assert display_width("") == 0


def test_lines_at_runs_text_on_without_regard_to_line_breaks():
    assert lines_at("a" * 118, 118) == 1
    assert lines_at("a" * 119, 118) == 2
    assert lines_at("中" * 60, 118) == 2  # 120 columns
    assert lines_at("", 118) == 1


def test_wrapped_lines_per_line_a_wide_character_two_digits_a_letter_nine_tenths():
    # 80 wide: 78 usable; 86 letters are 77.4 digits: one line; 87 are 78.3: two
    assert wrapped_lines("a" * 86, 80) == 1
    assert wrapped_lines("a" * 87, 80) == 2
    assert wrapped_lines("中" * 39, 80) == 1 and wrapped_lines("中" * 40, 80) == 2
    assert wrapped_lines("a\nb\n", 80) == 3  # each line at least one


@given(st.text(max_size=200), st.integers(min_value=3, max_value=120))
def test_wrapped_lines_never_fewer_than_the_lines_written(text, width):
    assert wrapped_lines(text, width) >= text.count("\n") + 1


def test_legal_drops_what_xml_cannot_hold():
    assert legal("a\x07b\ud800c") == "abc"
    assert legal("孙伟\n周敏") == "孙伟\n周敏"

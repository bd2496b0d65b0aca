"""pipeline.layout.sheets: the format cache, print setup, page headers and sheet names
every spreadsheet writer shares, checked in a workbook written and reopened."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pipeline.layout.palette import FONT, font
from pipeline.layout.sheets import (MAX_SHEET_NAME, Formats, column_px, cut_utf16, fit_sheet_name, header_text,
                                    new_workbook, print_header, print_setup, quote_sheet, safe_sheet_name)


def reopen(book, buf: io.BytesIO) -> openpyxl.Workbook:
    book.close()
    return openpyxl.load_workbook(io.BytesIO(buf.getvalue()))


def test_formats_are_made_once_per_set_of_properties():
    buf = io.BytesIO()
    book = new_workbook(buf)
    formats = Formats(book, {"border": 1, "valign": "top"})
    assert formats(bold=True) is formats(bold=True)
    assert formats({"bold": True}) is formats(bold=True)
    assert formats(bold=True) is not formats(bold=False)
    assert formats(bold=True) is not formats.bare(bold=True)
    made = len(book.formats)
    formats(bold=True), formats.bare(bold=True)
    assert len(book.formats) == made  # nothing new


def test_formats_sit_on_the_base_and_later_layers_win():
    buf = io.BytesIO()
    book = new_workbook(buf)
    formats = Formats(book, {"border": 1, "valign": "top", "font_size": 10})
    ws = book.add_worksheet("s")
    ws.write_string(0, 0, "framed", formats({"bold": True}, {"bottom": 0}, font_size=14))
    ws.write_string(1, 0, "bare", formats.bare(italic=True))
    sheet = reopen(book, buf)["s"]
    cell, bare = sheet["A1"], sheet["A2"]
    assert cell.font.b and cell.font.sz == 14 and cell.alignment.vertical == "top"
    assert cell.border.top.style == "thin" and cell.border.bottom.style is None  # the layer after the base
    assert bare.font.i and bare.border.top.style is None and bare.alignment.vertical is None


def test_a_text_stays_a_text():
    buf = io.BytesIO()
    book = new_workbook(buf)
    ws = book.add_worksheet("s")
    for row, value in enumerate(("=1+2", "0012", "https://example.com")):
        ws.write(row, 0, value)
    reopened = reopen(book, buf)["s"]
    assert [reopened.cell(r + 1, 1).value for r in range(3)] == ["=1+2", "0012", "https://example.com"]
    assert [reopened.cell(r + 1, 1).data_type for r in range(3)] == ["s", "s", "s"]
    assert not reopened["A3"].hyperlink


def test_print_setup_fits_pages_wide_with_rows_repeated_and_the_footer():
    buf = io.BytesIO()
    book = new_workbook(buf)
    ws = book.add_worksheet("s")
    print_setup(ws, pages_wide=2, margins={"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6},
                repeat_rows=(0, 1), repeat_columns=(0, 0), header="&LCo", footer="&CPage &P")
    s = reopen(book, buf)["s"]
    assert s.page_setup.paperSize == 9 and s.page_setup.orientation == "landscape"
    assert s.sheet_properties.pageSetUpPr.fitToPage and s.page_setup.fitToWidth == 2 and s.page_setup.fitToHeight == 0
    assert (s.page_margins.left, s.page_margins.bottom) == (0.4, 0.6)
    assert s.print_title_rows == "$1:$2" and s.print_title_cols == "$A:$A"
    assert s.oddHeader.left.text == "Co" and "Page" in s.oddFooter.center.text


def test_print_setup_at_a_scale_portrait_centred():
    buf = io.BytesIO()
    book = new_workbook(buf)
    ws = book.add_worksheet("s")
    print_setup(ws, landscape=False, scale=62, centre=True)
    s = reopen(book, buf)["s"]
    assert s.page_setup.orientation != "landscape" and s.page_setup.scale == 62
    assert not (s.sheet_properties.pageSetUpPr and s.sheet_properties.pageSetUpPr.fitToPage)
    assert s.print_options.horizontalCentered


def test_header_text_doubles_ampersands_and_never_cuts_one_in_two():
    assert header_text("R&D") == "R&&D"
    assert header_text("a&b", 2) == "a"  # "a&&" cut at 2 would leave a lone "&"
    assert header_text("x" * 300) == "x" * 255
    assert print_header("A&B\x07", "Title") == "&LA&&B&RTitle"


def test_sheet_names_excel_accepts():
    assert safe_sheet_name("a[b]:c*d?e/f\\g") == "a b  c d e f g"
    assert safe_sheet_name("x" * 40) == "x" * MAX_SHEET_NAME
    assert safe_sheet_name("[]") == "Sheet"
    assert fit_sheet_name("张" * 40) == "张" * MAX_SHEET_NAME
    assert fit_sheet_name("😀" * 20) == "😀" * 15  # two UTF-16 units each
    assert fit_sheet_name("ab'", 3) == "ab"


@pytest.mark.parametrize("width, px", [(9.140625, 64), (10, 70), (0, 0), (-1, 0)])  # as stored
def test_column_px_as_excel_lays_columns_out(width, px):
    assert column_px(width) == px


def test_each_language_has_its_sheet_font():
    assert font("zh") == FONT["zh"] != font("en") == "Calibri"
    assert font("fr") == "Calibri"


@pytest.mark.parametrize("text, limit, cut", [("abc", 5, "abc"), ("abcdef", 4, "abcd"), ("中文字", 2, "中文"),
                                              ("a😀b", 2, "a"), ("a😀b", 3, "a😀"), ("", 3, "")])
def test_cut_utf16_counts_as_excel_and_never_splits_a_character(text, limit, cut):
    assert cut_utf16(text, limit) == cut


@pytest.mark.parametrize("name, quoted", [("接待数据", "'接待数据'"), ("O'Brien", "'O''Brien'")])
def test_a_sheet_name_in_a_reference_is_quoted(name, quoted):
    assert quote_sheet(name) == quoted

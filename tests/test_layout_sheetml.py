"""pipeline.layout.sheetml: the small SpreadsheetML writer, read back by openpyxl (as the
tests read every workbook) and measured against xlsxwriter, whose stored widths and
heights it must match so that a sheet prints the same."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

from pipeline.layout.sheetml import MAX_ROW_HEIGHT, MAX_STRING, Book, Styles, column_letter
from pipeline.layout.sheets import new_workbook


def reopen(book: Book) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(book.to_bytes()))


def parts(book: Book) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(book.to_bytes())) as z:
        assert z.testzip() is None
        return {n: z.read(n).decode("utf-8") for n in z.namelist()}


def test_texts_stay_texts_whatever_they_look_like():
    book = Book(Styles())
    ws = book.add_sheet("s")
    values = ["=1+2", "@SUM(A1)", "0012", "1e5", "https://example.com", "  padded  ", "a\nb", "_x0041_ literal",
              "<b>&amp;</b>", "中文"]
    for r, v in enumerate(values):
        ws.write(r, 0, v, 0)
    got = reopen(book)["s"]
    assert [got.cell(r + 1, 1).value for r in range(len(values))] == values
    assert all(got.cell(r + 1, 1).data_type == "s" for r in range(len(values)))


def test_characters_xml_cannot_hold_are_dropped_and_an_empty_text_is_a_blank():
    book = Book(Styles())
    ws = book.add_sheet("s")
    ws.write(0, 0, "a\x07b\x1b", 0)
    ws.write(1, 0, "", 0)
    got = reopen(book)["s"]
    assert got["A1"].value == "ab" and got["A2"].value is None


def test_a_text_longer_than_excel_holds_is_cut_without_splitting_a_character():
    book = Book(Styles())
    ws = book.add_sheet("s")
    ws.write(0, 0, "字" * (MAX_STRING + 10), 0)
    ws.write(1, 0, "😀" * MAX_STRING, 0)  # two UTF-16 units each: Excel counts those
    got = reopen(book)["s"]
    assert got["A1"].value == "字" * MAX_STRING
    assert got["A2"].value == "😀" * (MAX_STRING // 2)


def test_formats_are_made_once_and_read_back_as_set():
    styles = Styles({"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top", "text_wrap": True})
    cell = {"border": 1, "border_color": "#A6A6A6"}
    framed = styles(cell, {"bottom": 0}, bold=True)
    assert framed == styles(cell, {"bottom": 0}, bold=True) and framed != styles(cell, bold=True)
    header = styles(cell, bold=True, bg_color="#DCE6F1", valign="vcenter")
    link = styles(cell, font_color="#1F4E79", underline=1, italic=True)
    book = Book(styles)
    ws = book.add_sheet("s")
    ws.write(0, 0, "framed", framed)
    ws.write(0, 1, "header", header)
    ws.write(0, 2, "link", link)
    got = reopen(book)["s"]
    a, b, c = got["A1"], got["B1"], got["C1"]
    assert a.font.name == "Microsoft YaHei" and a.font.sz == 10 and a.font.b
    assert a.border.top.style == "thin" and a.border.top.color.rgb == "FFA6A6A6" and a.border.bottom.style is None
    assert a.alignment.vertical == "top" and a.alignment.wrap_text
    assert b.fill.fgColor.rgb == "FFDCE6F1" and b.alignment.vertical == "center"
    assert c.font.color.rgb == "FF1F4E79" and c.font.u == "single" and c.font.i and not c.font.b


def test_a_format_property_it_does_not_know_is_an_error():
    with pytest.raises(ValueError, match="num_format"):
        Styles()(num_format="0.00")


@pytest.mark.parametrize("props", [{"font_color": "red"}, {"bg_color": "#12345"}, {"border": 3}, {"top": 7},
                                   {"valign": "center"}, {"underline": 2}])
def test_a_format_value_the_styles_part_cannot_hold_is_an_error_naming_it(props):
    """Never a file Excel would have to repair (`rgb="FFRED"`) or a value silently changed."""
    name = next(iter(props))
    with pytest.raises(ValueError, match=name):
        Styles()(**props)


def test_widths_and_heights_are_stored_as_xlsxwriter_stores_them():
    """The role sheets work out their print scale from these: the same numbers as before."""
    widths = [0.5, 6, 8.3, 12, 30, 70]
    heights = [12, 16.5, 19.5, 27.5, 102.3]
    book = Book(Styles())
    ws = book.add_sheet("s")
    buf = io.BytesIO()
    ref = new_workbook(buf)
    rs = ref.add_worksheet("s")
    for c, w in enumerate(widths):
        ws.set_column(c, w)
        rs.set_column(c, c, w)
    for r, h in enumerate(heights):
        ws.set_row(r, h)
        ws.write(r, 0, "x", 0)
        rs.set_row(r, h)
        rs.write_string(r, 0, "x")
    ref.close()
    ours, theirs = reopen(book)["s"], openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["s"]
    for c in range(len(widths)):
        letter = column_letter(c)
        assert ours.column_dimensions[letter].width == theirs.column_dimensions[letter].width, letter
    for r in range(1, len(heights) + 1):
        assert ours.row_dimensions[r].height == theirs.row_dimensions[r].height, r


def test_a_row_is_never_taller_than_excel_allows():
    book = Book(Styles())
    ws = book.add_sheet("s")
    ws.set_row(0, 2000)
    ws.write(0, 0, "tall", 0)
    assert reopen(book)["s"].row_dimensions[1].height == MAX_ROW_HEIGHT


def test_merges_links_frozen_rows_and_print_setup():
    styles = Styles()
    title = styles(bold=True)
    book = Book(styles, title="人员分工表", company="A&B 公司", created=datetime(2027, 1, 15))
    first, other = book.add_sheet("人员分工"), book.add_sheet("O'Brien (1)")
    first.merge(0, 0, 3, title)
    first.write(0, 0, "title", title)
    first.write_link(2, 0, "O'Brien (1)", "O'Brien", 0)
    first.freeze_rows(2)
    first.print_setup(scale=71, margins={"left": 0.5, "right": 0.5}, repeat_rows=(1, 1), centre=True,
                      header="&LA&&B&R表", footer="&C&P / &N")
    other.write(0, 0, "x", 0)
    wb = reopen(book)
    ws = wb["人员分工"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]
    assert ws["A3"].hyperlink.location == "'O''Brien (1)'!A1" and ws["A3"].value == "O'Brien"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.scale == 71 and ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_margins.left == 0.5 and ws.page_margins.top == 0.75  # Excel's own where not given
    assert ws.print_options.horizontalCentered
    assert ws.print_title_rows == "$2:$2"
    assert ws.oddHeader.left.text == "A&&B" and ws.oddHeader.right.text == "表"
    assert wb.properties.title == "人员分工表" and wb.properties.created == datetime(2027, 1, 15)
    xml = parts(book)
    assert "<Company>A&amp;B 公司</Company>" in xml["docProps/app.xml"]
    assert f'<c r="D1" s="{title}"/>' in xml["xl/worksheets/sheet1.xml"]  # the merged range framed alike
    assert 'tabSelected="1"' in xml["xl/worksheets/sheet1.xml"]
    assert "tabSelected" not in xml["xl/worksheets/sheet2.xml"]
    assert "Print_Titles" not in re.sub(r"<definedName[^>]*localSheetId=\"0\"[^<]*</definedName>", "",
                                        xml["xl/workbook.xml"])  # only the sheet that asked for it


@pytest.mark.parametrize("name", ["", "a[1]", "a/b", "x" * 32, "trailing'", "'leading", "History", "S"])
def test_a_sheet_name_excel_would_refuse_or_one_taken_is_an_error(name):
    book = Book(Styles())
    book.add_sheet("s")
    with pytest.raises(ValueError, match="sheet name"):
        book.add_sheet(name)


def test_the_same_book_gives_the_same_bytes():
    def made() -> bytes:
        book = Book(Styles(), title="t", created=datetime(2027, 1, 1))
        ws = book.add_sheet("s")
        for r in range(20):
            ws.write(r, r % 3, f"v{r % 7}", 0)
        return book.to_bytes()
    assert made() == made()


def test_repeated_texts_are_stored_once():
    book = Book(Styles())
    ws = book.add_sheet("s")
    for r in range(50):
        ws.write(r, 0, "same", 0)
    sst = parts(book)["xl/sharedStrings.xml"]
    assert sst.count("<si>") == 1 and 'uniqueCount="1"' in sst and 'count="50"' in sst


@pytest.mark.parametrize("col,letters", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(col, letters):
    assert column_letter(col) == letters

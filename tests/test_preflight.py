"""Bad and hostile files: each is one line naming the file and what to do, the other
workbooks still build, the run exits 2; hostile packages are refused within limits of
memory and time (in a subprocess under RLIMIT_AS), and each limit has its test."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
import python_calamine
from packages import add_rows, deflate, office_binary, parts, replace_part, write_package, write_raw_part
from workbooks import clean_visit, write_workbook

from pipeline import preflight
from pipeline.errors import WorkbookError
from pipeline.reader import read_workbook
from pipeline.reader.sheetxml import formula_cells_without_value
from pipeline.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
STD = load_standard()
MEMORY_LIMIT = 1536 * 2**20  # address space of the subprocesses: what hostile files must stay within
TIME_LIMIT = 120  # seconds


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("good") / "good.xlsx", clean_visit())


def refusal(path: Path) -> str:
    with pytest.raises(WorkbookError) as e:
        read_workbook(path, STD)
    assert e.value.path == path
    return e.value.message


def docx_bytes(tmp_path: Path) -> bytes:
    import docx
    d = docx.Document()
    d.add_paragraph("not a workbook")
    d.save(tmp_path / "w.docx")
    return (tmp_path / "w.docx").read_bytes()


def ods_bytes() -> bytes:
    import io
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return b.getvalue()


# ---- not a workbook at all ----------------------------------------------------------------

def bad_files(tmp_path: Path, good: Path) -> dict[str, tuple[bytes, str]]:
    """File name -> (content, words its one line must hold: what it is and what to do)."""
    return {
        "empty.xlsx": (b"", "is empty (0 bytes)"),
        "truncated.xlsx": (good.read_bytes()[: good.stat().st_size // 2], "damaged or incomplete"),
        "data.xlsx": ("接待编号,客户单位\nV1,华东精密\n".encode(), "is a text (CSV) file"),
        "export.xls": (b"<html><body><table><tr><td>V1</td></tr></table></body></html>", "web page"),
        "letter.xlsx": (docx_bytes(tmp_path), "is a document (Word"),
        "old.xls": (office_binary("Workbook", "SummaryInformation"), "old-format Excel file (.xls)"),
        "locked.xlsx": (office_binary("EncryptionInfo", "EncryptedPackage"), "is password-protected"),
        "calc.ods": (ods_bytes(), "OpenDocument spreadsheet (.ods)"),
        "binary.xlsb": (write_package(tmp_path / "b.zip", {"xl/workbook.bin": b"\0" * 10}).read_bytes(),
                        "binary Excel workbook (.xlsb)"),
        "list.csv": (b"visit_id,client\nV1,x\n", "is a text (CSV) file"),
    }


def test_each_file_that_is_no_workbook_says_what_it_is_and_what_to_do(tmp_path, good):
    for name, (content, words) in bad_files(tmp_path, good).items():
        path = tmp_path / name
        path.write_bytes(content)
        message = refusal(path)
        assert words in message, (name, message)
        assert "save it" in message or "copy it again" in message or "instead" in message, (name, message)


@pytest.mark.slow
def test_a_folder_of_bad_files_builds_the_good_workbook_names_each_bad_one_once_and_exits_2(tmp_path, good):
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(good, inbox / "good.xlsx")
    (inbox / "~$good.xlsx").write_bytes(b"\x0bsomeone" + bytes(150))  # Excel's lock file while it is open
    bad = bad_files(tmp_path, good)
    for name, (content, _) in bad.items():
        (inbox / name).write_bytes(content)
    out = tmp_path / "out"
    r = cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    for name, (_, words) in bad.items():
        lines = [line for line in r.stderr.splitlines() if name in line]
        assert len(lines) == 1 and words in lines[0], (name, r.stderr)
    lock = [line for line in r.stderr.splitlines() if "~$good.xlsx" in line]
    assert len(lock) == 1 and "good.xlsx is open in Excel" in lock[0] and "Save and close it" in lock[0]
    assert (out / "good" / "V1").is_dir() and (out / "good" / "findings.json").is_file()
    assert sorted(p.name for p in out.iterdir()) == [".reception.lock", "good", "index.html"]
    # the overview names every bad file, and links only to what is there
    hrefs = re.findall(r'href="([^"#:]+)"', (out / "index.html").read_text())
    assert hrefs and all((out / unquote(h)).exists() for h in hrefs), hrefs


@pytest.mark.slow
def test_a_fifo_in_the_input_is_one_note_and_does_not_hang_the_run(tmp_path, good):
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(good, inbox / "good.xlsx")
    os.mkfifo(inbox / "visits.xlsx")  # nothing ever writes to it: opening it would wait forever
    args = [sys.executable, "-m", "pipeline", "check", "--input", str(inbox), "--output", str(tmp_path / "out"),
            "--today", "2027-03-05", "--lang", "en"]
    try:
        r = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung on the FIFO")
    assert r.returncode == 0, r.stderr
    notes = [line for line in r.stdout.splitlines() if "visits.xlsx" in line]
    assert notes == ["skipped visits.xlsx: not a regular file (a pipe, socket or device)"]
    assert (tmp_path / "out" / "good" / "findings.json").is_file()


@pytest.mark.parametrize("lock_name, workbook", [
    ("~$good.xlsx", "good.xlsx"),  # Excel's lock of a short name
    ("~$27年客户接待台账.xlsx", "2027年客户接待台账.xlsx"),  # of a longer one: `~$` replaces two characters
    ("~$gone.xlsx", None),  # left behind by a crash: no workbook of its name
])
@pytest.mark.slow
def test_a_lock_file_is_an_error_after_everything_is_built(tmp_path, good, lock_name, workbook):
    """Excel keeps `~$name.xlsx` beside a workbook while it is open: the workbook is still
    read and built, then the run fails (exit 2) with one line naming the open workbook,
    since what was read may not be what staff see on screen."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(good, inbox / (workbook or "good.xlsx"))
    (inbox / lock_name).write_bytes(bytes(165))
    out = tmp_path / "out"
    r = cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05", "--lang", "en")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if lock_name in line]
    assert len(lines) == 1, r.stderr
    if workbook:
        assert f"{workbook} is open in Excel or WPS" in lines[0] and "Save and close it" in lines[0]
    else:
        assert "left behind" in lines[0] and "delete it" in lines[0]
    name = Path(workbook or "good.xlsx").stem
    assert (out / name / "findings.json").is_file() and (out / name / "V1").is_dir()  # built all the same


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.slow
def test_real_xls_and_ods_files_made_by_libreoffice(tmp_path, good):
    for fmt, words in (("xls", "old-format Excel file (.xls)"), ("ods", "OpenDocument spreadsheet (.ods)")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", fmt, "--outdir", str(tmp_path / "lo"), str(good)],
                       check=True, capture_output=True, timeout=180)
        assert words in refusal(tmp_path / "lo" / f"good.{fmt}")


# ---- hostile packages, in a subprocess with limited memory ---------------------------------

def cli(*args, limit: int | None = None):
    """The command in English (its messages are what these tests read), with a memory limit."""
    def restrict():
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args), "--lang", "en"], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=TIME_LIMIT,
                          preexec_fn=restrict)


def check_limited(path: Path, tmp_path: Path):
    inbox = tmp_path / "in"
    inbox.mkdir(exist_ok=True)
    for old in inbox.iterdir():
        old.unlink()
    shutil.copy(path, inbox / path.name)
    return cli("check", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", limit=MEMORY_LIMIT)


_LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
           + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10) for i in range(9))
           + b"]>")


def entity_bomb(xml: bytes) -> bytes:
    return xml.replace(b"<worksheet", _LAUGHS + b"<worksheet", 1).replace(b"</t>", b"&j;</t>", 1)


def external_entity(xml: bytes) -> bytes:
    xml = xml.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet', 1)
    return xml.replace(b"</t>", b"&x;</t>", 1)


def far_cell(ref: bytes, row: int) -> bytes:
    return b'<row r="%d"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % (row, ref)


HOSTILE_SHEETS = {
    # name: (change to the Visits sheet XML, words of the refusal)
    "entity_bomb": (entity_bomb, "declares a document type"),
    "external_entity": (external_entity, "declares a document type"),
    "columns_16384": (lambda x: add_rows(x, b"".join(far_cell(b"XFD%d" % r, r) for r in (3, 1000))), "16,384 columns"),
    "million_rows": (lambda x: add_rows(x, far_cell(b"AN1048576", 1048576)), "1,048,576 rows"),
    # the same far cell, written so that a pattern looking for it would miss it:
    "second_r": (lambda x: add_rows(x, b'<row r="5"><c r="A5" t="n" r="XFD1048576"><v>1</v></c></row>'),
                 "1,048,576 rows"),
    "spaced_r": (lambda x: add_rows(x, b"<row r='5'><c\n r = 'XFD1048576'><v>1</v></c></row>"), "1,048,576 rows"),
    "prefixed": (lambda x: add_rows(x, b'<row r="5"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
                                       b'2006/main" r="XFD1048576"><x:v>1</x:v></x:c></row>'), "1,048,576 rows"),
    "no_references": (lambda x: add_rows(x, b'<row r="1048576">' + b"<c><v>1</v></c>" * 20 + b"</row>"),
                      "1,048,576 rows"),
}


@pytest.mark.parametrize("name", list(HOSTILE_SHEETS))
@pytest.mark.slow
def test_a_hostile_sheet_is_refused_within_the_memory_limit(tmp_path, good, name):
    change, words = HOSTILE_SHEETS[name]
    path = replace_part(good, tmp_path / f"{name}.xlsx", "xl/worksheets/sheet1.xml", change)
    r = check_limited(path, tmp_path)
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr and "panicked" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if path.name in line]
    assert len(lines) == 1 and words in lines[0], r.stderr


@pytest.fixture(scope="module")
def spaces_300_mib():
    """300 MiB of blanks deflated: about 300 KB."""
    return deflate(b" " * 2**20 for _ in range(300))


@pytest.mark.slow
def test_a_zip_bomb_is_refused_by_the_size_it_declares(tmp_path, good, spaces_300_mib):
    contents = parts(good)
    path = write_raw_part(tmp_path / "bomb.xlsx", contents, "xl/media/image1.png", spaces_300_mib)
    assert path.stat().st_size < 400_000
    r = check_limited(path, tmp_path)
    assert r.returncode == 2 and "inflates to 300 MiB (limit 256 MiB)" in r.stderr, r.stderr


@pytest.mark.slow
def test_a_zip_bomb_that_declares_a_small_size_is_cut_off_at_that_size(tmp_path, good, spaces_300_mib):
    """The header says the sheet is a few KB, the stream inflates to 300 MiB more: both
    zip readers stop at the declared size (Python's reads the declared bytes, whose CRC
    matches; calamine's refuses the rest), so memory stays bounded."""
    contents = parts(good)
    sheet = contents["xl/worksheets/sheet1.xml"]
    head = sheet[: sheet.index(b"</sheetData>")]
    body, size, crc = deflate([head, *(b" " * 2**20 for _ in range(300)), b"</sheetData></worksheet>"])
    import zlib
    declared = head + b" " * 100
    path = write_raw_part(tmp_path / "liar.xlsx", contents, "xl/worksheets/sheet1.xml",
                          (body, len(declared), zlib.crc32(declared)))
    r = check_limited(path, tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "liar.xlsx: cannot be read: not a valid .xlsx workbook" in r.stderr


@pytest.mark.slow
def test_formatted_empty_cells_to_the_last_cell_of_the_grid_are_read(tmp_path, good):
    """Trailing formatted-but-empty cells (and rows) out to XFD1048576 hold no value:
    the workbook is read, within the same memory limit."""
    def formatted(xml: bytes) -> bytes:
        return add_rows(xml, b'<row r="1048576" s="1" customFormat="1"><c r="XFD1048576" s="1"/></row>')
    path = replace_part(good, tmp_path / "formatted.xlsx", "xl/worksheets/sheet1.xml", formatted)
    r = check_limited(path, tmp_path)
    assert r.returncode == 0, r.stderr


def test_calamine_never_expands_entities_and_defusedxml_is_in_force(tmp_path, good):
    """What the DOCTYPE refusal stands in front of: calamine (Rust quick-xml) does not
    expand entities at all, the reader's own XML parsing is defusedxml, and openpyxl
    (the annotated copy's fallback) uses it too."""
    import openpyxl.xml
    from defusedxml.common import DefusedXmlException
    path = replace_part(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", entity_bomb)
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    with pytest.raises(python_calamine.CalamineError, match="entity"):
        book.get_sheet_by_name("来访")
    with pytest.raises(DefusedXmlException):
        list(formula_cells_without_value(parts(path)["xl/worksheets/sheet1.xml"]))
    assert openpyxl.xml.DEFUSEDXML is True


# ---- each limit ----------------------------------------------------------------------------

def test_max_parts(tmp_path, good, monkeypatch):
    n = len(parts(good))
    monkeypatch.setattr(preflight, "MAX_PARTS", n)
    preflight.inspect(good)
    monkeypatch.setattr(preflight, "MAX_PARTS", n - 1)
    assert f"holds {n} parts (limit {n - 1})" in refusal(good)


def test_max_part_bytes(tmp_path, good, monkeypatch):
    largest = max(len(d) for d in parts(good).values())
    monkeypatch.setattr(preflight, "MAX_PART_BYTES", largest)
    preflight.inspect(good)
    monkeypatch.setattr(preflight, "MAX_PART_BYTES", largest - 1)
    assert "inflates to" in refusal(good)


def test_max_total_bytes(tmp_path, good, monkeypatch):
    total = sum(len(d) for d in parts(good).values())
    monkeypatch.setattr(preflight, "MAX_TOTAL_BYTES", total)
    preflight.inspect(good)
    monkeypatch.setattr(preflight, "MAX_TOTAL_BYTES", total - 1)
    assert "once inflated" in refusal(good)


def test_max_compression_ratio_and_its_floor(tmp_path, good):
    contents = parts(good)
    small = write_package(tmp_path / "small.xlsx", {**contents, "xl/media/a.bin": b" " * (preflight.RATIO_FLOOR_BYTES)})
    preflight.inspect(small)  # squeezed a thousandfold, but small: allowed
    big = write_package(tmp_path / "big.xlsx", {**contents, "xl/media/a.bin": b" " * (2 * preflight.RATIO_FLOOR_BYTES)})
    assert f"(limit {preflight.MAX_COMPRESSION_RATIO})" in refusal(big)
    varied = write_package(tmp_path / "varied.xlsx", {**contents, "xl/media/a.bin": os.urandom(2**20) * 2})
    preflight.inspect(varied)


def test_max_sheet_cells():
    limit = preflight.MAX_SHEET_CELLS
    width = 80  # CB: past the usual pattern, so the cells are counted
    rows = limit // width

    def sheet(last_row: int) -> bytes:
        return (b'<worksheet><sheetData><row r="1"><c r="CB1"><v>1</v></c></row>'
                b'<row r="%d"><c r="A%d"><v>1</v></c></row></sheetData></worksheet>' % (last_row, last_row))
    assert preflight.sheet_extent(sheet(rows)) == (rows, width)
    preflight.check_sheet(sheet(rows), Path("w.xlsx"), "Visits")
    with pytest.raises(WorkbookError, match=f"limit {limit:,}"):
        preflight.check_sheet(sheet(rows + 1), Path("w.xlsx"), "Visits")


def test_prolog_bytes():
    """A DOCTYPE is found however many comments come first; a prolog longer than
    PROLOG_BYTES is refused as no writer makes one."""
    import io

    def has_doctype(xml: bytes) -> bool:
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("x.xml", xml)
        with zipfile.ZipFile(b) as z:
            return preflight._has_doctype(z, z.getinfo("x.xml"))
    comment = b"<!--" + b"c" * 1000 + b"-->"
    assert not has_doctype(b'<?xml version="1.0"?>\n' + comment * 10 + b"<worksheet/>")
    assert has_doctype(b'<?xml version="1.0"?>' + comment * 10 + b"<!DOCTYPE w><worksheet/>")
    assert has_doctype(comment * (preflight.PROLOG_BYTES // len(comment) + 1) + b"<worksheet/>")
    assert has_doctype(b"\xff\xfe" + '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]><w/>'.encode("utf-16-le"))
    assert not has_doctype(b"")


def test_two_parts_of_one_name_are_refused(tmp_path, good):
    contents = list(parts(good).items())
    path = tmp_path / "twice.xlsx"
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        write_package(path, contents + [("xl/worksheets/sheet1.xml", b"<worksheet/>")])
    assert "two parts of the same name" in refusal(path)


def test_the_part_checked_is_the_part_calamine_parses(tmp_path, good):
    """workbook.xml may point at a sheet as `xl/worksheets/…`: calamine takes it as it is,
    so the reader checks that part, not `xl/xl/worksheets/…`."""
    contents = parts(good)
    rels = contents["xl/_rels/workbook.xml.rels"]
    contents["xl/_rels/workbook.xml.rels"] = rels.replace(b'Target="/xl/worksheets/sheet1.xml"',
                                                          b'Target="xl/worksheets/sheet1.xml"')
    assert contents["xl/_rels/workbook.xml.rels"] != rels
    contents["xl/worksheets/sheet1.xml"] = add_rows(contents["xl/worksheets/sheet1.xml"],
                                                    far_cell(b"XFD1048576", 1048576))
    contents["xl/xl/worksheets/sheet1.xml"] = parts(good)["xl/worksheets/sheet1.xml"]  # a decoy
    path = write_package(tmp_path / "decoy.xlsx", contents)
    assert "16,384 columns" in refusal(path)


# ---- the sheet pattern and the count agree with calamine ------------------------------------

def test_sheet_extent_is_what_calamine_reads(tmp_path, good):
    cases = [
        b'<row r="3"><c r="C3"><v>1</v></c><c><v>2</v></c><c r="b3"><v>3</v></c></row>',  # no r, lower case
        b'<row r="4"><c r="A4" s="1"/><c r="Z4" s="1"/></row><row><c><v>1</v></c><c><v>1</v></c></row>',
        b'<row r="9"><c r="A9" r="K12"><v>1</v></c></row><row r="2" spans="1:3"/>',
        b"<row r='7'><c r = 'E7' t='inlineStr'><is><t>a&gt;b</t></is></c></row>",
    ]
    for i, rows in enumerate(cases):
        path = replace_part(good, tmp_path / f"c{i}.xlsx", "xl/worksheets/sheet2.xml", lambda x: add_rows(x, rows))
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("来宾")
        xml = parts(path)["xl/worksheets/sheet2.xml"]
        assert preflight.sheet_extent(xml) == (sheet.height, sheet.width), rows
    # A cell with no value: calamine leaves it out, the count keeps it (an upper bound).
    path = replace_part(good, tmp_path / "empty.xlsx", "xl/worksheets/sheet2.xml",
                        lambda x: add_rows(x, b'<row r="4"><c r="Z4"></c></row>'))
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("来宾")
    assert (sheet.height, sheet.width) == (3, 12)
    assert preflight.sheet_extent(parts(path)["xl/worksheets/sheet2.xml"]) == (4, 26)


def test_the_usual_sheets_are_passed_by_the_pattern_alone(good):
    for name, xml in parts(good).items():
        if name.startswith("xl/worksheets/"):
            assert preflight._PREFIXED_CELL.search(xml) is None
            assert any(p.search(xml) is None for p in preflight._UNUSUAL_CELLS), name


def test_a_long_narrow_sheet_takes_the_second_pattern_not_the_count(tmp_path):
    """Over 99,999 rows but within column Z: the second pattern passes it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Visits"
    ws["A1"] = "visit_id"
    ws.cell(row=150_000, column=2, value="x")
    wb.save(tmp_path / "long.xlsx")
    xml = parts(tmp_path / "long.xlsx")["xl/worksheets/sheet1.xml"]
    assert preflight._UNUSUAL_CELLS[0].search(xml) and preflight._UNUSUAL_CELLS[1].search(xml) is None

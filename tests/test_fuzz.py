"""Property-based and fuzz tests: arbitrary cell values through every value parser,
arbitrary text through every writer (docx, xlsx, html, eml), and a corpus of mutated
workbooks through `check`. The only exceptions that may escape are the project's own,
with a place; nothing may crash the command or hang it."""

from __future__ import annotations

import copy
import io
import os
import random
import re
import resource
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_mail_support import STAFF_EMAILS, config
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from pipeline import values
from pipeline.build import Options, build
from pipeline.checks import check_workbook
from pipeline.contract import SHEETS
from pipeline.dashboard import dashboard_figures
from pipeline.dashboard.excel import render_dashboard_xlsx
from pipeline.dashboard.html import render_dashboard_html
from pipeline.documents.batch import visit_files
from pipeline.documents.word import load_word_templates
from pipeline.documents.index import render_index
from pipeline.documents.roles import render_roles
from pipeline.documents.word import render_itinerary, render_plan
from pipeline.templating import TEMPLATES
from pipeline.errors import PipelineError
from pipeline.mail.compose import compose
from pipeline.mail.eml import eml_bytes
from pipeline.mail.messages import plan_messages
from pipeline.mail.sendlog import SendLog
from pipeline.reader import read_workbook
from pipeline.reader.columns import parse_column, parser_for
from pipeline.report import render_report
from pipeline.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
STD = load_standard()
HOSTILE_CHARACTERS = ["\x00", "\x07", "\x0b", "\x1f", "\x7f", "\ud800", "\udfff", "\ufffe", "\uffff", "\u202e", "\u2028",
                      "\r", "\n", "\t", "&", "<", ">", '"', "'", "{{", "}}", "{%", "%}", "{#", "=", "+", "-", "@", "\\",
                      "/", "..", "０", "１", "年", "月", "日", ":", "：", "　", "\u0301", "😀"]
TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARACTERS)), max_size=25).map("".join)
CELL = st.one_of(
    TEXT, st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)), st.dates(), st.times(),
    st.timedeltas(min_value=timedelta(days=-10**5), max_value=timedelta(days=10**5)),
)


def place(e: PipelineError) -> object:
    return getattr(e, "path", None) or getattr(e, "template", None)


# ---- every value parser ----------------------------------------------------------------------

COLUMNS = [c for s in SHEETS for c in STD.sheet(s.key).columns]


@settings(max_examples=300, deadline=None)
@given(CELL, st.booleans())
def test_any_cell_value_through_every_parser_is_a_value_or_a_bad_value(value, date1904):
    for column in COLUMNS:
        try:
            parser_for(column, date1904)(value)
        except values.BadValue:
            pass


@settings(max_examples=100, deadline=None)
@given(st.lists(CELL, max_size=12))
def test_a_column_of_any_values_parses_cell_by_cell(cells):
    for column in COLUMNS[:12]:
        parse = parser_for(column)
        out, bad, dirty = parse_column(tuple(cells), parse)
        assert len(out) == len(cells) and set(bad) <= set(range(len(cells)))


@pytest.fixture(scope="module")
def probe_workbook(tmp_path_factory):
    return tmp_path_factory.mktemp("cells")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([(s.key, c) for s in SHEETS for c in STD.sheet(s.key).columns if c.key != "visit_id"]),
       st.one_of(TEXT.map(lambda s: re.sub("[\ud800-\udfff]", "", s)),  # no workbook can hold a lone surrogate
                 st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**15, 10**15),
                 st.booleans(), st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31))))
def test_a_cell_that_cannot_be_read_is_a_finding_on_that_cell(probe_workbook, where, value):
    sheet, column = where
    rows = clean_visit()
    rows[sheet][0][column.key] = value
    path = write_workbook_xlsxwriter(probe_workbook / "w.xlsx", rows)
    wb = read_workbook(path, STD)
    result = check_workbook(wb, STD, CLEAN_TODAY)  # nor does any check fail on it
    record = wb.rows[sheet][0]
    invalid = [f for f in result.findings if f.rule == "value.invalid"]
    if column.key in record.bad:
        assert [(f.sheet, f.row, f.field) for f in invalid] == [(wb.sheets[sheet].name, 2, column.key)]
    else:
        assert invalid == []


# ---- every writer ----------------------------------------------------------------------------

FIELDS = {
    "visits": ["client_org", "theme", "objective", "contact_name", "contact_phone", "arrival_point", "notes",
               "security", "emergency", "gifts", "requester", "approver", "org_profile"],
    "guests": ["name", "title", "dietary", "preferences", "background"],
    "itinerary": ["activity", "location", "owner", "notes"],
    "staff": ["name", "department", "duties", "phone"],
    "bookings": ["resource", "details", "reference"],
}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A built workbook (its documents on disk, for the mail) and what the writers need."""
    tmp = tmp_path_factory.mktemp("writers")
    rows = clean_visit()
    for s in rows["staff"]:
        s["email"] = STAFF_EMAILS[s["name"]]
    (tmp / "input").mkdir()
    write_workbook(tmp / "input" / "w.xlsx", rows)
    run = build(Options(tmp / "input", tmp / "output", CLEAN_TODAY, STD, None, TEMPLATES, 1))
    assert run.exit_code == 0
    return run.workbooks[0].result, load_word_templates(TEMPLATES), tmp


def write_everything(result, base_result, templates, tmp) -> None:
    vr = result.visits[0]
    render_plan(vr, result, STD, result.lang, templates["plan"])
    render_itinerary(vr, result, STD, result.lang, templates["itinerary"])
    render_roles(vr, result, STD, result.lang)
    render_report(result)
    figures = dashboard_figures(result)
    render_dashboard_xlsx(figures, result.lang, {"V1": "V1/plan.docx"})
    links = {None: [("x", "x")], "V1": [("plan", "V1/plan.docx")]}
    for page in (render_dashboard_html(figures, result.lang, links), render_index(result, links, result.lang)):
        page.encode("utf-8")  # as output.write_text writes it
    built = [vf for _, vf in visit_files(base_result)]  # where the documents are on disk
    planned, _ = plan_messages(result, [(vr, vf) for (vr, _), vf in zip(visit_files(result), built)], set())
    for out in compose(result, STD, planned, tmp / "output" / "w", config(tmp), SendLog(tmp / "log.jsonl")):
        eml_bytes(out, config(tmp))


NASTY = "a\ud800b\x00c\x0b{{ 7*7 }}{% if x %}<b>&amp;\u202e\uffff\r\n=1+1"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([(s, k) for s, keys in FIELDS.items() for k in keys]), TEXT),
                min_size=1, max_size=8))
@example(changes=[((s, k), NASTY) for s, keys in FIELDS.items() for k in keys])  # every field at once
def test_any_text_through_every_writer(base, changes):
    base_result, templates, tmp = base
    result = copy.deepcopy(base_result)
    visit = result.visits[0].visit
    records = {"visits": [visit.record], "guests": visit.guests, "itinerary": visit.items, "staff": visit.staff,
               "bookings": visit.bookings}
    for (sheet, key), text in changes:
        records[sheet][0].values[key] = text
    try:
        write_everything(result, base_result, templates, tmp)
    except PipelineError as e:
        assert place(e), e


# ---- mutated workbooks through `check` -----------------------------------------------------

CORPUS_SIZE = 120
MEMORY_LIMIT = 1536 * 2**20


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(name, z.read(name)) for name in z.namelist()]


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data)
    return b.getvalue()


def mutant(src: bytes, rng: random.Random) -> bytes:
    """The workbook with bytes flipped (in the file, or in a part), a part removed, or a
    part or the file cut short."""
    kind = rng.choice(["flip", "remove", "flip_in_part", "cut_part", "cut_file"])
    if kind == "flip":
        b = bytearray(src)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == "cut_file":
        return src[: rng.randrange(len(src))]
    parts = _parts(src)
    i = rng.randrange(len(parts))
    if kind == "remove":
        del parts[i]
        return _zip(parts)
    name, data = parts[i]
    if kind == "cut_part":
        parts[i] = (name, data[: rng.randrange(len(data) + 1)])
    else:
        b = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            if b:
                b[rng.randrange(len(b))] = rng.choice(b'<>/"=&;\x00\xff 0A')
        parts[i] = (name, bytes(b))
    return _zip(parts)


@pytest.mark.slow
def test_a_corpus_of_mutated_workbooks_through_check_never_crashes_or_hangs(tmp_path):
    two = merge(clean_visit("V1"), clean_visit("V2", day=20))
    sources = [write_workbook(tmp_path / "a.xlsx", two).read_bytes(),  # inline strings (openpyxl)
               write_workbook_xlsxwriter(tmp_path / "b.xlsx", two).read_bytes()]  # shared strings, styles
    rng = random.Random(6)
    corpus = tmp_path / "corpus"  # kept on failure, to reproduce
    corpus.mkdir()
    for n in range(CORPUS_SIZE):
        (corpus / f"m{n:03d}.xlsx").write_bytes(mutant(sources[n % 2], rng))

    def restrict():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    r = subprocess.run([sys.executable, "-m", "pipeline", "check", "--input", str(corpus), "--output",
                        str(tmp_path / "out"), "--today", "2027-03-05"], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600, preexec_fn=restrict)
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr and "panicked" not in r.stderr, r.stderr[-3000:]
    for n in range(CORPUS_SIZE):  # each is checked, or one error line naming it
        name = f"m{n:03d}"
        failed = [line for line in r.stderr.splitlines() if f"{name}.xlsx" in line]
        assert len(failed) == 1 or (tmp_path / "out" / name / "findings.json").is_file(), name

"""PDF copies in the build: which visits get them, what they hold (pages, Chinese text in
a CJK font, one page per person), where they are linked, that they are made again only
when their document changed, and what happens without LibreOffice or when it fails.

The real LibreOffice makes the PDFs whose content is checked; a stand-in
(fake_soffice.py) makes them where only the bookkeeping is under test."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from fake_soffice import make_fake_soffice
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

from pipeline import build as recipe
from pipeline.checks import check_workbook
from pipeline.documents.pdf import find_soffice, install_hint, wanted
from pipeline.incremental import MANIFEST
from pipeline.reader import read_workbook
from pipeline.standard import load_standard
from pipeline.templating import TEMPLATES

STD = load_standard()
SOFFICE = find_soffice()
ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "/nonexistent/soffice"  # a build that tried to start LibreOffice would say it could not
CLIENT = "华东精密机械有限公司"
V1 = {"plan": f"接待方案_V1_{CLIENT}", "itinerary": f"客户行程_V1_{CLIENT}", "roles": f"人员分工_V1_{CLIENT}"}


def build(home: Path, soffice: str | None, pdf: str = "upcoming", today=CLEAN_TODAY) -> recipe.Run:
    return recipe.build(recipe.Options(home / "input", home / "output", today, STD, None, TEMPLATES, 1,
                                       pdf=pdf, soffice=soffice))


def write(home: Path, rows: dict, name: str = "visits.xlsx", lang: str = "zh") -> None:
    (home / "input").mkdir(parents=True, exist_ok=True)
    write_workbook(home / "input" / name, rows, lang=lang)


def pdfs(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", str(pdf)), re.M)[1])


# ---- which visits ----------------------------------------------------------------------

def test_the_policy_says_which_visits_get_pdfs(tmp_path):
    rows = merge(clean_visit("V1", day=10), clean_visit("V2", day=1),  # V2 left on 3 March
                  clean_visit("V3", day=20))
    rows["visits"][2]["status"] = "completed"
    book = write_workbook(tmp_path / "w.xlsx", rows)
    result = check_workbook(read_workbook(book, STD), STD, CLEAN_TODAY)
    got = {policy: [vr.visit.id for vr in result.visits if wanted(policy, vr, CLEAN_TODAY)]
           for policy in ("upcoming", "all", "none")}
    assert got == {"upcoming": ["V1"], "all": ["V1", "V2", "V3"], "none": []}


# ---- what the real LibreOffice makes ---------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A Chinese workbook (V1 upcoming, V2 over, V3 cancelled) and an English one (V7),
    built with LibreOffice, then built again unchanged with no LibreOffice to start."""
    if SOFFICE is None or not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts")):
        pytest.skip("LibreOffice or poppler-utils is not installed")
    home = tmp_path_factory.mktemp("pdf")
    rows = merge(clean_visit("V1", day=10), clean_visit("V2", day=1), clean_visit("V3", day=20))
    rows["visits"][2]["status"] = "cancelled"
    write(home, rows)
    write(home, clean_visit("V7", day=12), "visits_en.xlsx", lang="en")
    first = build(home, SOFFICE)
    made = {p: p.stat().st_mtime_ns for p in (home / "output").rglob("*.pdf")}
    again = build(home, NOWHERE)
    return home / "output", first, again, made


@pytest.mark.slow
def test_upcoming_visits_get_a_pdf_beside_each_document(built):
    out, first, _, _ = built
    assert pdfs(out / "visits") == sorted(f"V1/{name}.pdf" for name in V1.values())
    assert pdfs(out / "visits_en") == sorted(f"V7/{kind}_V7_{CLIENT}.pdf" for kind in ("plan", "itinerary", "roles"))
    assert [(w.pdfs.converted, w.pdfs.unchanged, w.pdfs.skipped, w.pdfs.problems) for w in first.workbooks] == \
        [(3, 0, 0, [])] * 2
    assert first.exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("workbook, names", [
    ("visits", V1),
    ("visits_en", {kind: f"{kind}_V7_{CLIENT}" for kind in ("plan", "itinerary", "roles")})])
def test_the_pdfs_have_their_pages_and_chinese_text_in_a_cjk_font(built, workbook, names):
    folder = built[0] / workbook / ("V1" if workbook == "visits" else "V7")
    for kind, name in names.items():
        pdf = folder / f"{name}.pdf"
        text = tool("pdftotext", "-layout", str(pdf), "-")
        assert CLIENT in text, kind  # the Chinese text can be extracted
        fonts = tool("pdffonts", str(pdf)).splitlines()[2:]
        cjk = [line for line in fonts if "CJK" in line]
        assert cjk and all(" yes " in line for line in cjk), (kind, fonts)  # drawn in an embedded CJK font
        assert page_count(pdf) >= {"plan": 3, "itinerary": 1, "roles": 5}[kind], kind
    plan = tool("pdftotext", str(folder / f"{names['plan']}.pdf"), "-")
    assert ("接待方案" if workbook == "visits" else "Reception plan") in plan


@pytest.mark.slow
@pytest.mark.parametrize("workbook, title", [("visits", r"(\S+)（[^）]+）个人行程单"),
                                             ("visits_en", r"(\S+) \([^)]+\): Personal run sheet")])
def test_the_role_sheets_print_one_page_per_person(built, workbook, title):
    folder = built[0] / workbook / ("V1" if workbook == "visits" else "V7")
    pdf = next(folder.glob("*.xlsx")).with_suffix(".pdf")
    pages = tool("pdftotext", "-layout", str(pdf), "-").split("\f")[:page_count(pdf)]
    assert len(pages) == 1 + 4  # the summary, then each of the four staff members on a page
    people = [re.search(title, page)[1] for page in pages[1:]]
    assert sorted(people) == sorted(["李明", "王芳", "赵强", "陈静"])


@pytest.mark.slow
def test_the_client_itinerary_pdf_holds_no_confidential_guest_value(built):
    text = tool("pdftotext", str(built[0] / "visits" / "V1" / f"{V1['itinerary']}.pdf"), "-")
    assert "深化合作 共赢未来" in text  # the text is there to search
    for value in ("清真", "汉族", "喜欢绿茶", "从业二十年", "13900139000"):  # §2.5
        assert value not in text, value


@pytest.mark.slow
def test_the_pdfs_are_owner_only_and_listed_in_the_manifest(built):
    out = built[0]
    for pdf in out.rglob("*.pdf"):
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600, pdf
    entry = json.loads((out / "visits" / MANIFEST).read_text(encoding="utf-8"))["visits"]["V1"]
    assert sorted(entry["pdfs"]) == sorted(f"{name}.pdf" for name in V1.values())
    assert all(len(digest) == 32 for digest in entry["pdfs"].values())


@pytest.mark.slow
def test_the_index_pages_link_the_pdfs_where_they_are(built):
    out = built[0]
    index = (out / "visits" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.pdf)"', index)
    assert len(links) == 3 and all(link.startswith("V1/") for link in links)
    assert "接待方案（PDF）" in index
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'href="visits/V1/[^"]+\.pdf"', overview)) == 3
    assert len(re.findall(r'href="visits_en/V7/[^"]+\.pdf"', overview)) == 3
    assert "Reception plan (PDF)" in (out / "visits_en" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_unchanged_rebuild_converts_nothing(built):
    out, _, again, made = built
    assert again.pdf_failure is None  # LibreOffice was not even started
    assert [(w.pdfs.converted, w.pdfs.unchanged, w.pdfs.skipped) for w in again.workbooks] == [(0, 3, 0)] * 2
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == made


# ---- the bookkeeping, with a stand-in LibreOffice -----------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdfs_carry_the_companys_logo_and_name(tmp_path, lang):
    """With a profile, the letterhead of the plan and the itinerary holds the logo (an
    image of the logo's size in the PDF) and the name; the role sheets' printed header
    names the company."""
    if SOFFICE is None or not shutil.which("pdfimages"):
        pytest.skip("LibreOffice or poppler-utils is not installed")
    from dataclasses import replace
    from profiles import profile
    write(tmp_path, clean_visit("V1", day=10), lang=lang)
    company = profile(tmp_path)
    options = recipe.Options(tmp_path / "input", tmp_path / "output", CLEAN_TODAY, STD, None, TEMPLATES, 1,
                             pdf="upcoming", soffice=SOFFICE)
    run = recipe.build(replace(options, company=company))
    assert run.exit_code == 0 and run.workbooks[0].pdfs.converted == 3
    names = {p.name.split("_")[0]: p for p in (tmp_path / "output" / "visits" / "V1").glob("*.pdf")}
    name = company.name(lang)
    for kind in ("接待方案", "客户行程") if lang == "zh" else ("plan", "itinerary"):
        pdf = names[kind]
        images = tool("pdfimages", "-list", str(pdf)).splitlines()[2:]
        assert len(images) == page_count(pdf), kind  # the logo on every page's letterhead
        # the logo's 360×120 pixels (LibreOffice may resample to 300 dpi: a few percent fewer)
        sizes = {tuple(int(n) for n in line.split()[3:5]) for line in images}
        assert all(340 <= w <= 360 and abs(w / h - 3) < 0.05 for w, h in sizes), images
        first_page = tool("pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-")
        assert name in first_page.splitlines()[0], kind
    roles = tool("pdftotext", "-layout", str(names["人员分工" if lang == "zh" else "roles"]), "-")
    assert roles.count(name) == page_count(names["人员分工" if lang == "zh" else "roles"])  # each page's header


@pytest.fixture
def fake(tmp_path):
    return make_fake_soffice(tmp_path)


@pytest.mark.slow
def test_a_new_logo_makes_the_pdfs_again_and_the_same_profile_none(tmp_path, fake):
    from dataclasses import replace
    from images import png
    from profiles import profile
    write(tmp_path, clean_visit())
    options = recipe.Options(tmp_path / "input", tmp_path / "output", CLEAN_TODAY, STD, None, TEMPLATES, 1,
                             soffice=fake)

    def converted(company, soffice=fake) -> tuple[int, int]:
        pdfs = recipe.build(replace(options, company=company, soffice=soffice)).workbooks[0].pdfs
        return pdfs.converted, pdfs.unchanged

    assert converted(profile(tmp_path)) == (3, 0)
    assert converted(profile(tmp_path), NOWHERE) == (0, 3)  # read again, the same: no LibreOffice to start
    # the same file name, a new logo: the plan and the itinerary show it; the role
    # sheets show the name only, so their PDF stays
    assert converted(profile(tmp_path, png(360, 120, (0, 120, 0)))) == (2, 1)
    assert converted(profile(tmp_path, png(360, 120, (0, 120, 0)), desk_email="new@mingyuan.example")) == (0, 3)
    assert converted(profile(tmp_path, png(360, 120, (0, 120, 0)), name_zh="明远集团")) == (3, 0)


@pytest.mark.slow
def test_another_day_converts_nothing_when_the_documents_say_the_same(tmp_path, fake):
    write(tmp_path, clean_visit())
    assert build(tmp_path, fake).workbooks[0].pdfs.converted == 3
    run = build(tmp_path, NOWHERE, today=CLEAN_TODAY + timedelta(days=1))
    assert run.workbooks[0].documents.rendered == 1  # the plan's version date changed
    assert (run.workbooks[0].pdfs.converted, run.workbooks[0].pdfs.unchanged, run.pdf_failure) == (0, 3, None)


@pytest.mark.slow
def test_a_changed_visit_has_its_pdfs_made_again_and_no_other(tmp_path, fake):
    rows = merge(clean_visit("V1", day=10), clean_visit("V2", day=12))
    write(tmp_path, rows)
    build(tmp_path, fake)
    rows["visits"][0]["theme"] = "新的主题"
    write(tmp_path, rows)
    before = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*.pdf")}
    run = build(tmp_path, fake).workbooks[0]
    assert run.documents.rendered == 1 and (run.pdfs.converted, run.pdfs.unchanged) == (2, 4)
    changed = sorted(p.relative_to(tmp_path / "output" / "visits").as_posix() for p, data in before.items()
                     if p.read_bytes() != data)
    # The theme is in the plan and the itinerary; the role sheets do not show it: their PDF stays.
    assert changed == sorted(f"V1/{V1[kind]}.pdf" for kind in ("plan", "itinerary"))


@pytest.mark.slow
def test_the_policy_adds_and_removes_pdfs(tmp_path, fake):
    write(tmp_path, merge(clean_visit("V1", day=10), clean_visit("V2", day=1)))
    out = tmp_path / "output" / "visits"
    build(tmp_path, fake, pdf="all")
    assert [p.split("/")[0] for p in pdfs(out)] == ["V1"] * 3 + ["V2"] * 3
    build(tmp_path, fake)  # upcoming: V2 is over
    assert [p.split("/")[0] for p in pdfs(out)] == ["V1"] * 3
    run = build(tmp_path, fake, pdf="none")
    assert pdfs(out) == [] and run.workbooks[0].pdfs.skipped == 0
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert all(not entry.get("pdfs") for entry in manifest["visits"].values())
    assert ".pdf" not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_failed_conversion_is_one_problem_and_its_stale_pdf_goes(tmp_path, fake, monkeypatch):
    rows = clean_visit()
    write(tmp_path, rows)
    build(tmp_path, fake)
    folder = tmp_path / "output" / "visits" / "V1"
    rows["itinerary"][2]["activity"] = "深度会谈"  # in every document
    write(tmp_path, rows)
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", ".xlsx")  # the role sheets cannot be converted
    run = build(tmp_path, fake)
    w = run.workbooks[0]
    assert [(p.visit_id, p.document, p.reason) for p in w.pdfs.problems] == [("V1", f"{V1['roles']}.xlsx", "failed")]
    assert w.pdfs.converted == 2 and run.exit_code == 1
    assert pdfs(folder) == sorted([f"{V1['plan']}.pdf", f"{V1['itinerary']}.pdf"])  # the old one told an older story
    assert "人员分工（PDF）" not in (tmp_path / "output" / "visits" / "index.html").read_text(encoding="utf-8")
    monkeypatch.delenv("FAKE_SOFFICE_FAIL")
    run = build(tmp_path, fake)  # tried again next time
    assert (run.workbooks[0].pdfs.converted, run.workbooks[0].pdfs.unchanged, run.exit_code) == (1, 2, 0)


@pytest.mark.slow
def test_a_visit_that_leaves_the_workbook_takes_its_pdfs_with_it(tmp_path, fake):
    write(tmp_path, merge(clean_visit("V1", day=10), clean_visit("V2", day=12)))
    build(tmp_path, fake)
    write(tmp_path, clean_visit("V1", day=10))
    build(tmp_path, fake)
    out = tmp_path / "output" / "visits"
    assert not (out / "V2").exists() and len(pdfs(out)) == 3


# ---- without LibreOffice ---------------------------------------------------------------

def test_without_libreoffice_the_build_succeeds_and_counts_what_it_skipped(tmp_path):
    write(tmp_path, clean_visit())
    run = build(tmp_path, None)
    w = run.workbooks[0]
    assert (w.pdfs.converted, w.pdfs.skipped, run.pdfs_skipped, run.exit_code) == (0, 3, 3, 0)
    assert pdfs(tmp_path / "output") == [] and w.documents.rendered == 1
    assert ".pdf" not in (tmp_path / "output" / "visits" / "index.html").read_text(encoding="utf-8")


def cli(home: Path, *args: str, path: str, **env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": path, **env}
    return subprocess.run([sys.executable, "-m", "pipeline", "build", "--input", "input", "--output", "output",
                           "--today", CLEAN_TODAY.isoformat(), *args], capture_output=True, text=True, cwd=home,
                          env=env, timeout=300)


@pytest.mark.slow
def test_the_command_line_says_once_that_pdfs_were_skipped_and_how_to_install(tmp_path, monkeypatch):
    write(tmp_path, merge(clean_visit("V1", day=10), clean_visit("V2", day=12)))
    write(tmp_path, clean_visit("V7", day=12), "visits_en.xlsx", lang="en")
    bin_ = tmp_path / "bin"  # a PATH without LibreOffice, with the package manager if there is one
    bin_.mkdir()
    apt = shutil.which("apt-get")
    if apt:
        (bin_ / "apt-get").symlink_to(apt)
    r = cli(tmp_path, path=str(bin_))
    assert r.returncode == 0, r.stderr
    monkeypatch.setenv("PATH", str(bin_))
    hint = install_hint()
    lines = [line for line in (r.stdout + r.stderr).splitlines() if "LibreOffice" in line]
    assert lines == [f"已跳过 9 份 PDF 副本：未找到 LibreOffice（soffice）。安装后再次构建即可生成：{hint}"]
    if apt:
        assert hint == "sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk"
    r = cli(tmp_path, "--pdf", "none", path=str(bin_))
    assert r.returncode == 0 and "LibreOffice" not in r.stdout + r.stderr


@pytest.mark.slow
def test_the_command_line_counts_the_pdfs_and_names_one_that_failed(tmp_path):
    write(tmp_path, clean_visit(), lang="en")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    make_fake_soffice(bin_)  # found on the PATH as soffice
    path = f"{bin_}{os.pathsep}{os.environ['PATH']}"
    r = cli(tmp_path, path=path)
    assert r.returncode == 0 and "PDF copies: 3 made, 0 unchanged" in r.stdout, r.stderr
    (tmp_path / "output" / "visits" / "V1" / f"roles_V1_{CLIENT}.pdf").unlink()  # to be made again
    r = cli(tmp_path, path=path, FAKE_SOFFICE_FAIL=".xlsx")
    assert r.returncode == 1
    assert (f"error: the PDF of roles_V1_{CLIENT}.xlsx (V1) could not be made: LibreOffice could not open or "
            "convert the document") in r.stderr
    assert "PDF copies: 0 made, 2 unchanged" in r.stdout

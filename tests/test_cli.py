"""The command line through its real entry point: exit status, summary, outputs."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from workbooks import clean_visit, merge, write_workbook

from pipeline import output

pytestmark = pytest.mark.slow  # every test here runs the command line in another process

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd=None, settings: Path | str | None = os.devnull):
    """The command line, without PDF copies (tests/test_pdf.py has those), with the
    settings file `settings` (default: an empty one, whatever reception.toml the
    developer keeps; None: none given, ./reception.toml is read) and no RECEPTION_*
    variable of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECEPTION_")}
    given = ["--settings", str(settings)] if settings is not None else []
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args), "--pdf", "none", *given],
                          capture_output=True, text=True, cwd=cwd or ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                          timeout=300)


def fingerprint(path: Path):
    st_ = path.stat()
    return path.read_bytes(), st_.st_mtime_ns


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "input"
    folder.mkdir()
    return folder


def test_clean_workbook_exits_0_and_writes_reports(inbox, tmp_path):
    wb = write_workbook(inbox / "ok.xlsx", clean_visit())
    before = fingerprint(wb)
    out = tmp_path / "out"
    r = cli("check", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert r.returncode == 0, r.stderr
    assert "V1" in r.stdout and "华东精密机械有限公司" in r.stdout and "已就绪" in r.stdout
    folder = out / "ok"
    assert json.loads((folder / "findings.json").read_text(encoding="utf-8")) == []
    assert (folder / "检查报告.xlsx").is_file() and (folder / "ok.checked.xlsx").is_file()
    assert fingerprint(wb) == before  # the input is never written
    for p in [folder, *folder.iterdir()]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), p
    assert not [p for p in folder.iterdir() if output.is_temporary(p.name)]


def test_error_findings_exit_1_and_findings_json_has_the_keys(inbox, tmp_path):
    rows = clean_visit()
    rows["visits"][0]["client_org"] = None
    write_workbook(inbox / "gaps.xlsx", rows, lang="en")
    r = cli("check", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05")
    assert r.returncode == 1
    findings = json.loads((tmp_path / "out" / "gaps" / "findings.json").read_text(encoding="utf-8"))
    assert [(f["visit_id"], f["rule"], f["clause"], f["severity"], f["sheet"], f["row"], f["column"])
            for f in findings] == [("V1", "visit.client_org", "3.1.1", "error", "Visits", 2, "Client organisation")]
    assert set(findings[0]) >= {"visit_id", "rule", "clause", "severity", "sheet", "row", "column", "message"}
    assert "not ready" in r.stdout  # English workbook, English summary
    assert (tmp_path / "out" / "gaps" / "check_report.xlsx").is_file()


def test_a_bad_workbook_is_one_error_and_the_others_still_run(inbox, tmp_path):
    write_workbook(inbox / "a.xlsx", clean_visit())
    (inbox / "broken.xlsx").write_bytes(b"not a zip")
    (inbox / "~$a.xlsx").write_bytes(b"lock")
    (inbox / "notes.docx").write_bytes(b"x")
    r = cli("check", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05")
    assert r.returncode == 2
    # before a workbook has told its language the messages are Chinese, as the lock-file note
    assert r.stderr.count("broken.xlsx") == 1 and "错误：" in r.stderr and "另存为" in r.stderr
    assert "~$a.xlsx" in r.stderr and "a.xlsx 正在 Excel 或 WPS 中打开" in r.stderr and "notes.docx" in r.stdout
    assert (tmp_path / "out" / "a" / "findings.json").is_file()
    assert not (tmp_path / "out" / "broken").exists()
    r = cli("check", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", "--lang", "en")
    assert "error: " in r.stderr and "save it as an Excel workbook (.xlsx)" in r.stderr


def test_several_workbooks_each_get_their_folder(inbox, tmp_path):
    write_workbook(inbox / "east.xlsx", clean_visit("E1"))
    write_workbook(inbox / "west.xlsx", merge(clean_visit("W1"), clean_visit("W2", day=20)), lang="en")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [output.LOCK, "east", "index.html", "west"]


def test_lang_override_and_one_file_input(inbox, tmp_path):
    rows = clean_visit()
    rows["guests"][1]["dietary"] = None
    path = write_workbook(inbox / "one.xlsx", rows)
    r = cli("check", "--input", path, "--output", tmp_path / "out", "--today", "2027-03-05", "--lang", "en")
    assert r.returncode == 0
    assert "needs attention" in r.stdout
    findings = json.loads((tmp_path / "out" / "one" / "findings.json").read_text(encoding="utf-8"))
    assert findings[0]["message"].startswith("周敏: '饮食禁忌' is blank")


def test_an_annotated_copy_made_the_slow_way_is_told_and_why(inbox, tmp_path):
    """A workbook the patcher will not touch (an XML comment in a sheet) still gets its
    annotated copy, through openpyxl, and the summary says so, why, and what to do."""
    from pipeline.i18n import t
    rows = clean_visit()
    rows["visits"][0]["client_org"] = None  # a finding on the sheet: the patcher has to open it
    source = write_workbook(tmp_path / "source.xlsx", rows)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(inbox / "odd.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<!-- a note --><sheetData>")
            zout.writestr(name, data)
    write_workbook(inbox / "ok.xlsx", clean_visit())
    out = tmp_path / "out"
    r = cli("check", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert r.returncode == 1, r.stderr
    note = t("zh", "report.annotated.slow_way", file="odd.checked.xlsx",
             reason="sheet '来访': xl/worksheets/sheet1.xml: comments, CDATA, DTD or processing instructions")
    assert r.stderr == note + "\n"  # once: the clean workbook has nothing to say
    assert (out / "odd" / "odd.checked.xlsx").is_file() and (out / "ok" / "ok.checked.xlsx").is_file()


def test_misuse_exits_2(tmp_path):
    assert cli("check", "--today", "tomorrow").returncode == 2
    assert cli("frobnicate").returncode == 2
    assert cli("check", "--input", tmp_path / "nowhere").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("check", "--input", empty, "--output", tmp_path / "o").returncode == 2


def test_invalid_standard_exits_2_naming_it(inbox, tmp_path):
    write_workbook(inbox / "a.xlsx", clean_visit())
    bad = tmp_path / "ours.yaml"
    bad.write_text("rules: 3", encoding="utf-8")
    r = cli("check", "--input", inbox, "--output", tmp_path / "out", "--standard", bad)
    assert r.returncode == 2 and "ours.yaml" in r.stderr
    assert "规则文件需要一个 rules 列表" in r.stderr  # said in Chinese unless --lang says otherwise
    r = cli("check", "--input", inbox, "--output", tmp_path / "out", "--standard", bad, "--lang", "en")
    assert r.returncode == 2 and "ours.yaml: a rules file needs a 'rules' list" in r.stderr


def test_summary_and_stderr_never_show_confidential_values(inbox, tmp_path):
    rows = clean_visit()
    rows["guests"][0].update(title=None, dietary="MARKER-DIET", background=None, phone="MARKER-PHONE",
                             preferences=None, ethnicity="MARKER-ETH")
    rows["bookings"][2]["details"] = None
    write_workbook(inbox / "a.xlsx", rows)
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05")
    streams = r.stdout + r.stderr + (tmp_path / "out" / "a" / "findings.json").read_text(encoding="utf-8")
    assert "MARKER" not in streams


def test_template_writes_both_languages(tmp_path):
    r = cli("template", "--output", tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "接待台账模板.xlsx").is_file() and (tmp_path / "visits_template.xlsx").is_file()


def test_build_writes_documents_and_an_index_then_rebuilds_nothing(inbox, tmp_path):
    wb = write_workbook(inbox / "ok.xlsx", merge(clean_visit("V1", day=10), clean_visit("V2", day=20)))
    before_input = fingerprint(wb)
    out = tmp_path / "out"
    r = cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert r.returncode == 0, r.stderr
    assert fingerprint(wb) == before_input  # the input is never written
    assert "接待文件：2 次接待已重新生成，0 次未变化" in r.stdout
    folder = out / "ok"
    assert sorted(p.name for p in (folder / "V2").iterdir()) == [
        "人员分工_V2_华东精密机械有限公司.xlsx", "客户行程_V2_华东精密机械有限公司.docx",
        "座次与桌签_V2_华东精密机械有限公司.docx", "接待方案_V2_华东精密机械有限公司.docx"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="V2/%E6%8E%A5%E5%BE%85%E6%96%B9%E6%A1%88_V2_' in index and 'href="ok.checked.xlsx"' in index
    assert 'href="V2/%E5%BA%A7%E6%AC%A1%E4%B8%8E%E6%A1%8C%E7%AD%BE_V2_' in index and ">座次与桌签</a>" in index
    assert (folder / "接待总览.xlsx").is_file() and 'href="dashboard.html"' in index
    assert "<svg" in (folder / "dashboard.html").read_text(encoding="utf-8")
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="ok/dashboard.html"' in overview and 'href="ok/V1/%E6%8E%A5' in overview
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    r = cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert r.returncode == 0 and "接待文件：0 次接待已重新生成，2 次未变化" in r.stdout
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and p.name != ".manifest.json"} == \
        {p: m for p, m in before.items() if p.name != ".manifest.json"}


def test_reports_are_rewritten_after_a_check_with_another_today(inbox, tmp_path):
    write_workbook(inbox / "ok.xlsx", clean_visit())
    out = tmp_path / "out"
    assert cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05").returncode == 0
    cli("check", "--input", inbox, "--output", out, "--today", "2027-03-20")  # the visit is now past
    assert json.loads((out / "ok" / "findings.json").read_text(encoding="utf-8"))
    assert cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05").returncode == 0
    assert json.loads((out / "ok" / "findings.json").read_text(encoding="utf-8")) == []


def test_a_broken_template_is_one_error_naming_it(inbox, tmp_path):
    import shutil
    write_workbook(inbox / "ok.xlsx", clean_visit())
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "plan.docx").write_bytes(b"not a zip")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05",
            "--templates", templates)
    assert r.returncode == 2 and "plan.docx" in r.stderr and "Traceback" not in r.stderr


def test_overview_links_every_workbook_and_names_the_one_that_failed(inbox, tmp_path):
    write_workbook(inbox / "a.xlsx", clean_visit())
    write_workbook(inbox / "b.xlsx", clean_visit("V7"), lang="en")
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    r = cli("build", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert r.returncode == 2 and "broken.xlsx" in r.stderr
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="a/dashboard.html"' in overview and 'href="b/dashboard.html"' in overview
    assert "broken" in overview
    assert (out / "b" / "dashboard.xlsx").is_file() and (out / "b" / "V7").is_dir()


# ---- a defect in the pipeline: one error line, the others built, exit status 3 -------------

def _main(*args) -> int:
    """The command line in this process (so a test can plant a defect), without PDF copies."""
    from pipeline.cli import main
    return main([*map(str, args), "--pdf", "none"])


@pytest.fixture
def two_workbooks(inbox):
    write_workbook(inbox / "a.xlsx", clean_visit())
    write_workbook(inbox / "b.xlsx", clean_visit("V7"))
    return inbox


def test_an_unexpected_error_in_one_workbook_is_one_line_the_others_are_built_and_the_status_is_3(
        two_workbooks, tmp_path, monkeypatch, capsys):
    from pipeline import build as recipe
    real = recipe.check_workbook

    def defect(wb, *args, **kwargs):
        if wb.name == "a":
            raise ZeroDivisionError("13800138000")  # what a defect's message may hold: never shown
        return real(wb, *args, **kwargs)

    monkeypatch.setattr(recipe, "check_workbook", defect)
    out = tmp_path / "out"
    assert _main("build", "--input", two_workbooks, "--output", out, "--today", "2027-03-05") == 3
    stdout, stderr = capsys.readouterr()
    [line] = [line for line in stderr.splitlines() if "a.xlsx" in line]
    assert "ZeroDivisionError" in line and "--debug" in line and "缺陷" in line
    assert "Traceback" not in stderr and "13800138000" not in stdout + stderr
    assert (out / "b" / "findings.json").is_file() and (out / "b" / "V7").is_dir() and (out / "index.html").is_file()
    assert _main("build", "--input", two_workbooks, "--output", out, "--today", "2027-03-05", "--debug",
                 "--lang", "en") == 3
    stderr = capsys.readouterr().err
    assert "a defect" in stderr and "Traceback" in stderr and "in defect" in stderr


def test_an_unexpected_error_in_one_visits_documents_is_status_3_too(two_workbooks, tmp_path, monkeypatch, capsys):
    from pipeline.documents import batch
    real = batch.render_roles

    def defect(vr, *args, **kwargs):
        if vr.visit.id == "V7":
            raise KeyError("x")
        return real(vr, *args, **kwargs)

    monkeypatch.setattr(batch, "render_roles", defect)
    out = tmp_path / "out"
    assert _main("build", "--input", two_workbooks, "--output", out, "--today", "2027-03-05", "--lang", "en") == 3
    stderr = capsys.readouterr().err
    [line] = [line for line in stderr.splitlines() if "V7" in line]
    assert "KeyError" in line and "--debug" in line and "Traceback" not in stderr
    assert (out / "a" / "V1").is_dir()
    _main("build", "--input", two_workbooks, "--output", out, "--today", "2027-03-05", "--debug")
    assert "in defect" in capsys.readouterr().err


def test_an_unexpected_error_outside_any_workbook_is_one_line_and_status_3(two_workbooks, tmp_path, monkeypatch,
                                                                          capsys):
    from pipeline import build as recipe

    def defect(*args, **kwargs):
        raise RuntimeError("overview")

    monkeypatch.setattr(recipe, "_write_overview", defect)
    assert _main("build", "--input", two_workbooks, "--output", tmp_path / "out", "--today", "2027-03-05",
                 "--lang", "en") == 3
    stderr = capsys.readouterr().err
    assert [line for line in stderr.splitlines() if "RuntimeError" in line and "a defect" in line]
    assert "Traceback" not in stderr


def test_file_names_and_cell_text_reach_the_terminal_escaped_and_cut(inbox, tmp_path):
    """ESC and BEL would drive the terminal, a newline would print a fake line, a
    right-to-left override would reverse it, and a 2,000-character name would flood it."""
    rows = clean_visit()
    rows["visits"][0]["client_org"] = "\u202eevil\u2067" + "长" * 2000  # (ESC in a cell: the reader drops it)
    write_workbook(inbox / "a\x1b[31mred\x07\n✓ V9  fake  已就绪.xlsx", rows)
    (inbox / "bad\x1b]0;title\x07.xlsx").write_bytes(b"not a zip")
    (inbox / ("notes\u2066\x1b[5m" + "n" * 200 + ".txt")).write_bytes(b"x")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05")
    assert r.returncode == 2, r.stderr
    shown = r.stdout + r.stderr
    for c in ("\x1b", "\x07", "\u202e", "\u2066", "\u2067", "\r"):
        assert c not in shown, repr(c)
    assert "\\x1b[31mred\\x07\\n✓ V9" in shown and "\\u202eevil\\u2067长" in shown and "bad\\x1b]0;title" in shown
    lines = shown.splitlines()
    assert not [line for line in lines if line.startswith("✓ V9")]  # no fake line of its own
    assert max(map(len, lines)) < 400, max(lines, key=len)
    assert "…" in next(line for line in lines if "evil" in line)
    assert "n" * 200 not in shown and "…" in next(line for line in lines if "notes" in line)


NO_COMPANY_LINE = "文件抬头未显示公司名称：请在 {} 的 [company] 中设置 name_zh（参见 reception.example.toml）"


def test_without_a_profile_the_build_says_once_where_to_set_the_company_name(inbox, tmp_path):
    import shutil
    write_workbook(inbox / "ok.xlsx", clean_visit())
    write_workbook(inbox / "second.xlsx", clean_visit())
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(NO_COMPANY_LINE.format(os.devnull)) == 1  # once for the run, not per workbook
    settings = tmp_path / "reception.toml"
    settings.write_text('[company]\nshort_name = "明远"\n', encoding="utf-8")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", settings=settings)
    assert r.returncode == 0 and "name_zh" not in r.stdout + r.stderr
    own = tmp_path / "templates"  # a company with its letterhead in its own templates is not told
    shutil.copytree(ROOT / "templates", own)
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", "--templates", own)
    assert r.returncode == 0 and "name_zh" not in r.stdout + r.stderr
    work = tmp_path / "work"  # no --settings: the line names ./reception.toml, which is read once there
    work.mkdir()
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", cwd=work, settings=None)
    assert NO_COMPANY_LINE.format("reception.toml") in r.stdout
    (work / "reception.toml").write_text('[company]\nname_zh = "明远"\n', encoding="utf-8")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", cwd=work, settings=None)
    assert r.returncode == 0 and "name_zh" not in r.stdout
    assert "明远" in (tmp_path / "out" / "ok" / "index.html").read_text(encoding="utf-8")


def test_a_profile_changed_renders_again_what_shows_it(inbox, tmp_path):
    from images import png
    write_workbook(inbox / "ok.xlsx", merge(clean_visit("V1", day=10), clean_visit("V2", day=20)), lang="en")
    (tmp_path / "logo.png").write_bytes(png(300, 100))
    settings = tmp_path / "reception.toml"
    settings.write_text('[company]\nname_en = "Mingyuan"\nlogo = "logo.png"\n', encoding="utf-8")
    out = tmp_path / "out"
    args = ("build", "--input", inbox, "--output", out, "--today", "2027-03-05")
    assert "Documents: 2 visits rendered, 0 unchanged" in cli(*args, settings=settings).stdout
    dashboard = out / "ok" / "dashboard.html"
    assert "Mingyuan" in dashboard.read_text(encoding="utf-8")
    assert "Documents: 0 visits rendered, 2 unchanged" in cli(*args, settings=settings).stdout
    (tmp_path / "logo.png").write_bytes(png(300, 100, (0, 128, 0)))  # the same file name, another logo
    r = cli(*args, settings=settings)
    assert "Documents: 2 visits rendered, 0 unchanged" in r.stdout, r.stdout
    settings.write_text('[company]\nname_en = "Mingyuan Group"\nlogo = "logo.png"\n', encoding="utf-8")
    assert "Documents: 2 visits rendered, 0 unchanged" in cli(*args, settings=settings).stdout
    assert "Mingyuan Group" in dashboard.read_text(encoding="utf-8")  # the workbook's pages too


def test_bad_settings_stop_before_anything_is_built_with_one_line(inbox, tmp_path):
    write_workbook(inbox / "ok.xlsx", clean_visit())
    settings = tmp_path / "reception.toml"
    (tmp_path / "logo.png").write_bytes(b"<html>")
    settings.write_text('[company]\nlogo = "logo.png"\n', encoding="utf-8")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", settings=settings)
    assert r.returncode == 2 and not (tmp_path / "out").exists()
    assert r.stderr.strip().splitlines() == [
        f"错误：{settings}：company.logo：徽标文件不是 PNG 图片（内容与扩展名不符，或已损坏）"]
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--lang", "en", settings=settings)
    assert r.stderr.strip().endswith("company.logo: the logo file is not a PNG image (its content does not match "
                                     "its name, or it is damaged)")


def test_an_svg_logo_is_on_the_pages_and_the_build_says_word_cannot_show_it(inbox, tmp_path):
    from images import svg
    write_workbook(inbox / "ok.xlsx", clean_visit())
    (tmp_path / "logo.svg").write_bytes(svg())
    settings = tmp_path / "reception.toml"
    settings.write_text('[company]\nname_zh = "明远"\nlogo = "logo.svg"\n', encoding="utf-8")
    r = cli("build", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05", settings=settings)
    assert r.returncode == 0, r.stderr
    assert f"提示：徽标 {tmp_path / 'logo.svg'} 是 SVG：网页会显示它，Word 文件不能" in r.stderr
    assert "data:image/svg+xml;base64," in (tmp_path / "out" / "ok" / "index.html").read_text(encoding="utf-8")

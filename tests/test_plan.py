"""The reception plan: what it says (extracted text), derived aids, the draft mark."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.checks import check_workbook
from pipeline.documents import aids
from pipeline.documents.plan import ITINERARY_FIELDS, PLAN_FIELDS, itinerary_context, labels, plan_context
from pipeline.documents.word import load_word_templates, render_itinerary, render_plan
from pipeline.reader import read_workbook
from extract import docx_text, to_pdf
from workbooks import CLEAN_TODAY, approved_versions, clean_visit, write_workbook


def checked(tmp_path: Path, rows: dict, std, lang: str = "zh", approved: dict | None = None):
    result = check_workbook(read_workbook(write_workbook(tmp_path / "w.xlsx", rows, lang), std), std, CLEAN_TODAY,
                            approved=approved)
    return result.visits[0], result


def table_with(data: bytes, header: str) -> list[list[str]]:
    """The rows of the first table whose first row holds `header`."""
    for table in Document(io.BytesIO(data)).tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if header in rows[0]:
            return rows
    raise AssertionError(f"no table with header {header!r}")


def plan_text(tmp_path, rows, std, templates, lang="zh") -> str:
    vr, result = checked(tmp_path, rows, std, lang)
    return docx_text(render_plan(vr, result, std, lang, templates["plan"]))


# -- content ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_holds_every_section_of_3_2_1(tmp_path, std, templates, lang):
    text = plan_text(tmp_path, clean_visit(), std, templates, lang)
    L = labels(lang, "plan")
    for key in [k for k in L if k.startswith(("sec_", "sub_"))]:
        if key not in ("sec_open", "sec_changes"):  # only a draft, only a plan changed since its approval
            assert L[key] in text, key
    assert L["sec_open"] not in text and L["sec_changes"] not in text
    assert L["confidential"] in text
    for value in ["华东精密机械有限公司", "深化合作 共赢未来", "签订年度框架协议", "13800138000", "精密机械制造",
                  "孙伟", "总经理", "清真", "喜欢绿茶", "从业二十年", "13900139000",
                  "李明", "王芳", "021-5555", "机场接机", "A301会议室", "福满楼", "锦江酒店", "大床房2间",
                  "MU5101", "MU5102", "虹桥机场T2", "沪A·12345 商务车", "定制茶具", "访客证，全程陪同",
                  "医疗点位于一号楼", "李总"]:
        assert value in text, value
    for item in std.preparation:
        assert item.label(lang) in text


def test_title_block_dates_and_version(tmp_path, std, templates):
    text = plan_text(tmp_path, clean_visit(), std, templates)
    assert "2027年3月10日 星期三 09:30" in text
    assert "2027年3月5日 星期五" in text  # the plan's version: the day of the check
    en = plan_text(tmp_path, clean_visit(), std, templates, "en")
    assert "Wed 10 Mar 2027 09:30" in en and "Fri 5 Mar 2027" in en
    assert "Reception plan" in en and "Objective and emphasis" in en


def test_emphasis_follows_the_purpose(tmp_path, std, templates):
    rows = clean_visit()
    rows["visits"][0]["purpose"] = "site_visit"
    text = plan_text(tmp_path, rows, std, templates)
    assert "参观考察" in text
    assert "规划参观路线" in text


def test_guests_in_protocol_order(tmp_path, std, templates):
    rows = clean_visit()
    rows["guests"][0]["rank"], rows["guests"][1]["rank"] = 2, 1  # 孙伟 listed first, ranked second
    vr, result = checked(tmp_path, rows, std)
    data = render_plan(vr, result, std, "zh", templates["plan"])
    table = table_with(data, "民族")
    assert [r[1] for r in table[1:]] == ["周敏", "孙伟"]
    assert [r[0] for r in table[1:]] == ["1", "2"]


def test_itinerary_grouped_by_day_in_time_order(tmp_path, std, templates):
    rows = clean_visit()
    rows["itinerary"].reverse()
    vr, result = checked(tmp_path, rows, std)
    table = table_with(render_plan(vr, result, std, "zh", templates["plan"]), "负责人")
    firsts = [r[0] for r in table[1:]]
    assert firsts[0] == "2027年3月10日 星期三"
    assert firsts[1] == "08:30–09:45"
    assert firsts.index("2027年3月11日 星期四") == 5
    assert firsts[-1] == "14:00–15:00"


def test_multi_line_values_keep_their_breaks(tmp_path, std, templates):
    rows = clean_visit()
    rows["visits"][0]["emergency"] = "医疗点位于一号楼\n急救电话 120"
    text = plan_text(tmp_path, rows, std, templates)
    assert "医疗点位于一号楼\n急救电话 120" in text


# -- draft -----------------------------------------------------------------------------

def test_clean_visit_is_no_draft(tmp_path, std, templates):
    vr, result = checked(tmp_path, clean_visit(), std)
    assert vr.count("error") == 0
    data = render_plan(vr, result, std, "zh", templates["plan"])
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "接待方案"
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "草稿" not in header
    assert "附录" not in docx_text(data)


def test_visit_with_errors_is_a_marked_draft_with_its_open_items(tmp_path, std, templates):
    rows = clean_visit()
    rows["visits"][0]["security"] = None
    rows["guests"][1]["dietary"] = None
    vr, result = checked(tmp_path, rows, std)
    errors = [f for f in vr.findings if f.severity == "error"]
    assert errors
    data = render_plan(vr, result, std, "zh", templates["plan"])
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "接待方案（草稿）"
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "草稿" in header and "内部文件" in header
    text = docx_text(data)
    assert "附录　待办事项" in text
    appendix = table_with(data, "问题及处理")
    for f in vr.findings:
        assert any(r[2] == f"§{f.clause}" and r[4] == f.message for r in appendix[1:]), f.message
    assert appendix[1][1] == "错误"  # errors first
    assert "【待补充】" in text  # the blank security field is shown as a gap


def test_english_draft(tmp_path, std, templates):
    rows = clean_visit()
    rows["visits"][0]["emergency"] = None
    vr, result = checked(tmp_path, rows, std, "en")
    data = render_plan(vr, result, std, "en", templates["plan"])
    assert Document(io.BytesIO(data)).paragraphs[0].text == "Reception plan (DRAFT)"
    text = docx_text(data)
    assert "DRAFT – open items remain" in text and "Appendix: open items" in text
    assert "[to be completed]" in text


# -- derived aids ----------------------------------------------------------------------

def test_host_wait_times(tmp_path, std, templates):
    vr, result = checked(tmp_path, clean_visit(), std)
    waits = aids.host_waits(vr.visit, std.settings)
    assert [(w.what, w.be_there.strftime("%d %H:%M")) for w in waits] == [("pickup", "10 08:00"),
                                                                           ("arrival", "10 09:00")]
    table = table_with(render_plan(vr, result, std, "zh", templates["plan"]), "须到场时间")
    assert table[1][3] == "3月10日 08:00" and table[2][3] == "3月10日 09:00"
    assert table[2][1] == "虹桥机场T2"
    longer = dataclasses.replace(std, settings={**std.settings, "host_wait_minutes": 45})
    text = docx_text(render_plan(vr, result, longer, "zh", templates["plan"]))
    assert "3月10日 08:45" in text and "45 分钟" in text


def test_introduction_order_of_both_sides(tmp_path, std, templates):
    rows = clean_visit()
    staff = rows["staff"]
    staff[0]["rank"] = None  # the host, unranked
    staff[2]["rank"] = 1  # the driver ranked first
    staff[1]["rank"] = staff[3]["rank"] = None  # the others unranked: as listed, after the ranked
    staff.append(dict(visit_id="V1", name="周总", role="escort", department="销售部", rank=2))
    rows["guests"][0]["rank"], rows["guests"][1]["rank"] = 2, 1
    vr, result = checked(tmp_path, rows, std)
    assert [s.name for s in aids.host_side_order(vr.visit)] == ["赵强", "周总", "李明", "王芳", "陈静"]
    assert [g.name for g in aids.guest_side_order(vr.visit)] == ["周敏", "孙伟"]
    table = table_with(render_plan(vr, result, std, "zh", templates["plan"]), "我方")
    assert [r[1:] for r in table[1:3]] == [["赵强（司机）", "周敏（采购经理）"], ["周总（陪同人员）", "孙伟（总经理）"]]
    assert table[3][1] == "李明（主接待人）" and table[3][2] == ""


def test_boarding_order_by_rank(tmp_path, std, templates):
    rows = clean_visit()
    rows["guests"][0]["rank"], rows["guests"][1]["rank"] = 2, 1
    text = plan_text(tmp_path, rows, std, templates)
    assert "1. 周敏（采购经理）；2. 孙伟（总经理）" in text


def test_dietary_summary_flags_unknown(tmp_path, std, templates):
    rows = clean_visit()
    rows["guests"][1]["dietary"] = None
    rows["guests"].append(dict(visit_id="V1", name="马晓燕", title="技术总监", gender="女", ethnicity="回族",
                               rank=3, core="否", dietary="none"))
    rows["visits"][0]["headcount"] = 3
    vr, result = checked(tmp_path, rows, std)
    summary = aids.dietary_summary(vr.visit)
    assert [(d.guest.name, d.status) for d in summary] == [("孙伟", "need"), ("周敏", "unknown"), ("马晓燕", "none")]
    data = render_plan(vr, result, std, "zh", templates["plan"])
    table = table_with(data, "饮食需求")
    assert table[1:] == [["孙伟（总经理）", "清真"], ["周敏（采购经理）", "未知：尚未询问，请向对接人确认"],
                         ["马晓燕（技术总监）", "无（已确认）"]]
    text = docx_text(data)
    assert "来宾共 3 位：1 位有饮食需求，1 位确认无禁忌，1 位尚未询问。" in text
    assert "马晓燕（回族）" in text  # ethnicity that suggests dietary customs: listed
    assert "孙伟（汉族）" not in text
    en = docx_text(render_plan(vr, result, std, "en", templates["plan"]))
    assert "UNKNOWN: not yet asked" in en


def test_ethnicity_hints_follow_the_settings(tmp_path, std):
    rows = clean_visit()
    vr, _ = checked(tmp_path, rows, std)
    assert aids.ethnicity_hints(vr.visit, std.settings) == []
    assert [g.name for g in aids.ethnicity_hints(vr.visit, {"dietary_ethnicities": ["汉"]})] == ["孙伟", "周敏"]


def test_smoker_among_guests_asks_for_smoking_area(tmp_path, std, templates):
    assert "吸烟区" not in plan_text(tmp_path, clean_visit(), std, templates)
    rows = clean_visit()
    rows["guests"][1]["smoker"] = "是"
    text = plan_text(tmp_path, rows, std, templates)
    assert "来宾中有吸烟者（周敏）：请安排吸烟区" in text


# -- context shape ---------------------------------------------------------------------

def shape_of(value):
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape_of(value[0])] if value else []
    return None


def declared(shape):
    if isinstance(shape, (set, frozenset)):
        return {k: None for k in shape}
    if isinstance(shape, dict):
        return {k: declared(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [declared(shape[0])]
    return None


def test_contexts_have_the_documented_shape(tmp_path, std):
    rows = clean_visit()
    rows["visits"][0]["security"] = None  # a draft, so open_items has rows
    rows["guests"][0]["ethnicity"] = "回族"
    rows["guests"][0]["smoker"] = "是"
    approved = approved_versions(write_workbook(tmp_path / "approved.xlsx", clean_visit()), rows["visits"][0]["approved_on"])
    vr, result = checked(tmp_path, rows, std, approved=approved)  # so "changes" has rows
    plan = plan_context(vr, result, std, "zh")
    assert shape_of({k: v for k, v in plan.items() if k != "L"}) == declared(PLAN_FIELDS)
    itinerary = itinerary_context(vr, result, std, "zh")
    assert shape_of({k: v for k, v in itinerary.items() if k != "L"}) == declared(ITINERARY_FIELDS)


def test_no_field_hides_a_dict_method():
    """`day.items` in Jinja would find dict.items, not the field."""
    def keys(shape):
        if isinstance(shape, (set, frozenset)):
            yield from shape
        elif isinstance(shape, dict):
            for k, v in shape.items():
                yield k
                yield from keys(v)
        elif isinstance(shape, list):
            yield from keys(shape[0])
    for key in [*keys(PLAN_FIELDS), *keys(ITINERARY_FIELDS), *labels("zh", "plan"), *labels("zh", "itinerary")]:
        assert not hasattr({}, key), key


def test_labels_are_the_same_in_both_languages():
    for doc in ("plan", "itinerary"):
        assert set(labels("zh", doc)) == set(labels("en", doc))


# -- LibreOffice -----------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_converts_plan_and_itinerary_in_both_languages(tmp_path, std, templates):
    files = []
    for lang in ("zh", "en"):
        vr, result = checked(tmp_path, clean_visit(), std, lang)
        for kind, render in (("plan", render_plan), ("itinerary", render_itinerary)):
            path = tmp_path / f"{kind}_{lang}.docx"
            path.write_bytes(render(vr, result, std, lang, templates[kind]))
            files.append(path)
    for path, pdf in zip(files, to_pdf(files, tmp_path)):
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
            assert pages >= (3 if path.name.startswith("plan") else 1)
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            assert "华东精密机械有限公司" in text  # Chinese text renders (in a CJK font)
            if path.name.endswith("_zh.docx"):
                assert ("接待方案" if path.name.startswith("plan") else "行程安排") in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visit_with_nothing_but_its_row_still_gets_both_documents(tmp_path, std, templates, lang):
    rows = {"visits": [dict(visit_id="V7", client_org="某公司", status="planned")]}
    vr, result = checked(tmp_path, rows, std, lang)
    plan = docx_text(render_plan(vr, result, std, lang, templates["plan"]))
    assert labels(lang, "plan")["sec_open"] in plan
    assert labels(lang, "plan")["no_host"] in plan
    itinerary = docx_text(render_itinerary(vr, result, std, lang, templates["itinerary"]))
    assert "某公司" in itinerary and labels(lang, "itinerary")["tbc"] in itinerary


def test_workbook_values_are_data_never_template_code(tmp_path, std, templates):
    rows = clean_visit()
    rows["visits"][0]["theme"] = "{{ 7*7 }} {% if 1 %}x{% endif %} <b>&amp;"
    rows["itinerary"][0]["notes"] = "{{ L.doc_title }}"
    text = plan_text(tmp_path, rows, std, templates)
    assert "{{ 7*7 }} {% if 1 %}x{% endif %} <b>&amp;" in text
    assert "备注：{{ L.doc_title }}" in text
    assert "49" not in text


@pytest.mark.parametrize("kind", ["plan", "itinerary"])
def test_every_font_names_its_east_asian_face_and_no_theme_font_overrides_it(tmp_path, std, templates, kind):
    import re
    import zipfile
    vr, result = checked(tmp_path, clean_visit(), std)
    render = render_plan if kind == "plan" else render_itinerary
    with zipfile.ZipFile(io.BytesIO(render(vr, result, std, "zh", templates[kind]))) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()  # numbering.xml: bullet glyphs
                      if re.match(r"word/.*\.xml$", n) and n != "word/numbering.xml")
    fonts = re.findall(r"<w:rFonts\b[^>]*>", xml)
    assert fonts and all('w:eastAsia="' in f for f in fonts)
    assert not re.search(r"w:\w*[Tt]heme=", "".join(fonts))  # a theme font would replace the named one
    faces = set(re.findall(r'w:eastAsia="([^"]+)"', "".join(fonts)))
    assert faces <= {"SimSun", "Microsoft YaHei"}
    assert 'w:rPrDefault><w:rPr><w:rFonts' in xml.replace("\n", "")  # the default text carries one too


@pytest.mark.parametrize("lang, heading, line", [
    ("zh", "欢迎标识（§3.3.1）", "热烈欢迎华东精密机械有限公司领导莅临指导"),
    ("en", "Welcome signage (§3.3.1)", "A warm welcome to our guests from 华东精密机械有限公司"),
])
def test_the_plan_gives_the_welcome_line_for_the_screen_or_banner(tmp_path, std, templates, lang, heading, line):
    vr, result = checked(tmp_path, clean_visit(), std, lang)
    lines = docx_text(render_plan(vr, result, std, lang, templates["plan"])).splitlines()
    assert lines[lines.index(heading) + 2] == line
    assert "welcome_line" in templates["plan"].fields  # a field the company may reword in the template


def test_a_company_words_its_own_welcome_line_in_the_template(tmp_path, std):
    source = Path(__file__).parent.parent / "templates" / "plan.docx"
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"{{ welcome_line }}", "欢迎{{ visit.client_org }}各位来宾".encode())
    edited = tmp_path / "templates" / "plan.docx"
    edited.parent.mkdir()
    with zipfile.ZipFile(edited, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    vr, result = checked(tmp_path, clean_visit(), std)
    own = load_word_templates(edited.parent)["plan"]
    assert "欢迎华东精密机械有限公司各位来宾" in docx_text(render_plan(vr, result, std, "zh", own))

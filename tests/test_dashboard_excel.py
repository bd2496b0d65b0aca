"""The Excel dashboard: native charts over the data sheets, tables, the upcoming table's
formats and links, the figures in its cells, and nothing confidential in any part."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from xml.etree import ElementTree

import openpyxl
import pytest

from pipeline.checks import check_workbook
from pipeline.dashboard import dashboard_figures
from pipeline.dashboard.excel import dashboard_file_name, render_dashboard_xlsx
from pipeline.dashboard.html import TOP_CLAUSES, clause_heading
from pipeline.reader import read_workbook
from pipeline.standard import load_standard
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from test_dashboard_figures import confidential_values
from test_sample import SAMPLE, TODAY

STD = load_standard()
NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
SHEETS_ZH = ["总览", "近期接待", "接待数据", "问题条款", "人员负荷", "图表数据"]


@pytest.fixture(scope="module")
def sample():
    return check_workbook(read_workbook(SAMPLE, STD), STD, TODAY)


def plan_links(figures) -> dict[str, str]:
    return {v.visit_id: f"{v.visit_id}/接待方案_{v.visit_id}_{v.client[:4]}.docx" for v in figures.visits}


@pytest.fixture(scope="module")
def dashboard(sample):
    figures = dashboard_figures(sample)
    return figures, render_dashboard_xlsx(figures, "zh", plan_links(figures))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def charts_of(data: bytes) -> list[ElementTree.Element]:
    p = parts(data)
    names = sorted((n for n in p if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                   key=lambda n: int(re.search(r"\d+", n).group()))
    return [ElementTree.fromstring(p[n]) for n in names]


def chart_kind(chart: ElementTree.Element) -> str:
    plot = chart.find(".//c:plotArea", NS)
    kinds = [el.tag.split("}")[1] for el in plot if el.tag.endswith("Chart")]
    assert len(kinds) == 1
    kind = kinds[0]
    bar_dir = plot.find("c:barChart/c:barDir", NS)
    return f"{kind}:{bar_dir.get('val')}" if bar_dir is not None else kind


def chart_title(chart: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in chart.findall("c:chart/c:title//a:t", NS))


def cells(book: openpyxl.Workbook, ref: str) -> list:
    """The values of a chart reference like `'问题条款'!$A$2:$A$11`."""
    sheet, _, rng = ref.rpartition("!")
    ws = book[sheet.strip("'").replace("''", "'")]
    found = ws[rng.replace("$", "")]
    if not isinstance(found, tuple):  # one cell
        return [found.value]
    return [c.value for row in found for c in (row if isinstance(row, tuple) else (row,))]


def test_file_names_follow_the_language():
    assert dashboard_file_name("zh") == "接待总览.xlsx"
    assert dashboard_file_name("en") == "dashboard.xlsx"


def test_first_sheet_is_the_dashboard_with_seven_native_charts(dashboard):
    _, data = dashboard
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == SHEETS_ZH
    charts = charts_of(data)
    assert len(charts) == 7
    assert Counter(chart_kind(c) for c in charts) == {
        "barChart:col": 1, "barChart:bar": 3, "doughnutChart": 1, "pieChart": 1, "lineChart": 1}
    assert [chart_title(c) for c in charts] == [
        "各月接待次数（按状态）", "未来 30 天接待的就绪情况", "问题最多的标准条款（前 10 项）",
        "人员负荷：每人每月负责的事项", "按来访目的", "按客户类型", "客户满意度（按月平均）"]
    p = parts(data)
    drawing = p["xl/drawings/drawing1.xml"].decode()
    assert drawing.count("<xdr:graphicFrame") == 7
    assert b"drawing1.xml" in p["xl/worksheets/_rels/sheet1.xml.rels"]  # on the first sheet
    assert not any(n.startswith("xl/drawings/drawing2") for n in p)


def test_charts_read_the_data_sheets_and_show_the_figures(dashboard):
    figures, data = dashboard
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    charts = charts_of(data)
    for chart in charts:
        for f in chart.iter(f"{{{NS['c']}}}f"):
            assert re.match(r"'(问题条款|人员负荷|图表数据)'!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?$", f.text), f.text

    def series(chart):
        out = []
        for s in chart.findall(".//c:ser", NS):
            cat = s.find("c:cat//c:f", NS).text
            val = s.find("c:val//c:f", NS).text
            name = s.find("c:tx//c:f", NS).text
            out.append((cells(book, name)[0], cells(book, cat), cells(book, val)))
        return out

    by_month, readiness, clauses, workload, purpose, client_type, satisfaction = (series(c) for c in charts)
    assert [name for name, _, _ in by_month] == ["筹备中", "已确认", "已完成", "已取消"]
    assert by_month[0][1] == [m.month for m in figures.by_month]
    assert [vals for _, _, vals in by_month] == [list(col) for col in zip(*(m.counts for m in figures.by_month))]
    assert readiness == [("接待次数", ["已就绪", "需关注", "未就绪"], [n for _, n in figures.upcoming_readiness])]
    top = figures.clauses[:TOP_CLAUSES]
    assert [name for name, _, _ in clauses] == ["错误", "警告", "提示"]
    assert clauses[0][1] == [clause_heading(c, "zh") for c in top]
    assert [vals for _, _, vals in clauses] == [[c.errors for c in top], [c.warnings for c in top],
                                                [c.info for c in top]]
    people = figures.workload.people
    assert workload[0][1] == [p.name for p in people]
    assert [vals for _, _, vals in workload] == [[p.per_month[i] for p in people]
                                                 for i in range(len(figures.workload.months))]
    assert purpose[0][1:] == (["产品推介", "合作洽谈", "参观考察", "关系维护", "其他"], [n for _, n in figures.by_purpose])
    assert client_type[0][2] == [n for _, n in figures.by_client_type]
    assert satisfaction[0][1:] == ([s.month for s in figures.satisfaction], [s.average for s in figures.satisfaction])


def test_headline_figures_on_the_dashboard_sheet(dashboard):
    figures, data = dashboard
    ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["总览"]
    h = figures.headline
    tiles = {ws.cell(4, 1 + 2 * i).value: ws.cell(5, 1 + 2 * i).value for i in range(7)}
    assert tiles == {"接待总数": 13, "未来 30 天": 4, "已就绪": 3, "需关注": 2, "未就绪": 7, "未解决错误": h.errors,
                     "平均满意度": pytest.approx(4.7)}
    assert ws.cell(8, 1).hyperlink.location == "'近期接待'!A1"


def test_data_sheets_are_tables_with_filters(dashboard):
    figures, data = dashboard
    p = parts(data)
    tables = {}
    for name, xml in p.items():
        if name.startswith("xl/tables/"):
            root = ElementTree.fromstring(xml)
            assert root.find("x:autoFilter", NS) is not None, root.get("name")
            tables[root.get("name")] = root.get("ref")
    assert tables == {
        "Visits": "A1:R14", "FindingsByClause": f"A1:I{len(figures.clauses) + 1}",
        "Workload": f"A1:{chr(ord('A') + len(figures.workload.months) + 1)}{len(figures.workload.people) + 1}",
        # six months with visits (seven when the sample was as of 2027-04-20), two with ratings (three)
        "Upcoming": "A4:M8", "VisitsByMonth": "A2:E8", "UpcomingReadiness": "A12:B15", "Purposes": "A19:B24",
        "ClientTypes": "A28:B32", "SatisfactionByMonth": "A36:C38"}
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    visits = book["接待数据"]
    rows = list(visits.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [v.visit_id for v in figures.visits]
    assert [(r[8], r[11], r[12], r[13]) for r in rows][6] == ("未就绪", 2, 0, 2)  # JD-2027-007
    clauses = book["问题条款"]
    assert clauses["A2"].value == "§3.3.1 场地与物料准备"
    assert clauses["I2"].value.startswith("会议室整洁")  # the standard's wording


def test_upcoming_table_by_date_with_red_and_amber_rows_and_plan_links(dashboard):
    figures, data = dashboard
    ws = openpyxl.load_workbook(io.BytesIO(data))["近期接待"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)]
    assert [r[2] for r in rows] == ["JD-2027-007", "JD-2027-008", "JD-2027-009", "JD-2027-010"]
    assert [r[1] for r in rows] == [2, 21, 28, 29]
    rules = [(str(rng.sqref), rule.formula[0], rule.stopIfTrue)
             for rng in ws.conditional_formatting for rule in rng.rules]
    assert rules == [("A5:M8", "AND($I5>0,$B5<=7)", True), ("A5:M8", "$J5>0", None)]
    links = {ws.cell(r, 3).value: ws.cell(r, 12).hyperlink.target.replace("\\", "/") for r in range(5, 9)}
    assert links == {v.visit_id: plan_links(figures)[v.visit_id] for v in figures.upcoming}
    assert ws.cell(5, 12).value == "接待方案_JD-2027-007_滨海新材.docx"
    red = next(iter(ws.conditional_formatting)).rules[0].dxf.fill.bgColor.rgb
    assert red.endswith("FFC7CE")  # the check report's error colour


def test_no_confidential_value_in_any_part(sample, dashboard):
    _, data = dashboard
    secrets = confidential_values(sample)
    assert len(secrets) > 20
    text = "\n".join(body.decode("utf-8", "replace") for body in parts(data).values())
    assert not [s for s in secrets if s in text]


def result_of(tmp_path, rows, lang="zh", today=CLEAN_TODAY):
    path = write_workbook(tmp_path / "台账.xlsx", rows, lang=lang)
    return check_workbook(read_workbook(path, STD), STD, today)


def test_values_from_the_workbook_never_become_formulas(tmp_path):
    rows = merge(clean_visit("V1"), clean_visit("V2", day=14))
    rows["visits"][0]["client_org"] = '=HYPERLINK("http://evil.example","x")'
    rows["visits"][1]["client_org"] = "@SUM(A1)"
    names = {"李明": "+1+1", "赵强": "-2-2", "王芳": "=1+2"}
    for key in ("itinerary", "staff"):
        for r in rows[key]:
            for field in ("owner", "name", "attendees"):
                if r.get(field) in names:
                    r[field] = names[r[field]]
    path = write_workbook_xlsxwriter(tmp_path / "台账.xlsx", rows)  # real text cells, not formulas
    figures = dashboard_figures(check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY))
    assert figures.visits[0].client.startswith("=HYPERLINK")
    data = render_dashboard_xlsx(figures, "zh", {"V1": "V1/=cmd|' /C calc'!A0.docx"})
    p = parts(data)
    formulas = [f for n, xml in p.items() if n.startswith("xl/worksheets/sheet")
                for f in re.findall(r"<f>(.*?)</f>", xml.decode())]
    assert formulas and not [f for f in formulas if "HYPERLINK" in f or "SUM(A1)" in f or "1+2" in f or "+1+1" in f]
    strings = p["xl/sharedStrings.xml"].decode()
    for value in ("@SUM(A1)", "+1+1", "-2-2", "=1+2"):
        assert f"<t>{value}</t>" in strings
    book = openpyxl.load_workbook(io.BytesIO(data))
    client = book["接待数据"]["B2"]
    assert (client.value, client.data_type) == ('=HYPERLINK("http://evil.example","x")', "s")
    assert {book["人员负荷"].cell(r, 1).value for r in range(2, 6)} >= {"+1+1", "-2-2", "=1+2"}
    assert book["人员负荷"].cell(2, 1).data_type == "s"


def test_english_dashboard_and_an_empty_workbook(tmp_path):
    figures = dashboard_figures(result_of(tmp_path, clean_visit("V1"), lang="en"))
    assert figures.lang == "en"
    data = render_dashboard_xlsx(figures)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Dashboard", "Upcoming", "Visits", "Findings by clause", "Workload", "Chart data"]
    assert chart_title(charts_of(data)[0]) == "Visits per month by status"
    empty = dashboard_figures(result_of(tmp_path, {}))
    data = render_dashboard_xlsx(empty, "zh", {})
    assert len(charts_of(data)) == 7
    assert openpyxl.load_workbook(io.BytesIO(data))["近期接待"]["A6"].value == "未来 30 天没有接待。"


# ---- LibreOffice: recalculates the formulas and draws the charts ---------------------

RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice(tmp_path, source, target: str) -> None:
    exe = shutil.which("soffice")
    if not exe:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")  # always recalculate
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=240)


@pytest.mark.slow
def test_libreoffice_recalculates_the_same_figures(tmp_path, dashboard):
    figures, data = dashboard
    source = tmp_path / "接待总览.xlsx"
    source.write_bytes(data)
    soffice(tmp_path, source, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
    rows = list(csv.reader((tmp_path / "接待总览-图表数据.csv").open(encoding="utf-8")))
    by_month = [r for r in rows if re.fullmatch(r"\d{4}-\d\d", r[0]) and r[3] != ""][:len(figures.by_month)]
    assert [[int(x) for x in r[1:5]] for r in by_month] == [list(m.counts) for m in figures.by_month]
    table = {r[0]: r[1] for r in rows if r and r[1]}
    assert [int(table[k]) for k in ("已就绪", "需关注", "未就绪")] == [n for _, n in figures.upcoming_readiness]
    assert int(table["产品推介"]) == dict(figures.by_purpose)["promotion"]
    assert int(table["合作伙伴"]) == dict(figures.by_client_type)["partner"]
    satisfaction = [float(r[1]) for r in rows if re.fullmatch(r"\d{4}-\d\d", r[0]) and r[3] == "" and r[2]]
    assert satisfaction == [s.average for s in figures.satisfaction]


@pytest.mark.slow
def test_libreoffice_draws_the_charts(tmp_path, dashboard):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _, data = dashboard
    source = tmp_path / "接待总览.xlsx"
    source.write_bytes(data)
    soffice(tmp_path, source, "pdf")
    pdf = tmp_path / "接待总览.pdf"
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    for title in ("各月接待次数（按状态）", "问题最多的标准条款", "人员负荷：每人每月负责的事项", "客户满意度（按月平均）",
                  "按来访目的", "按客户类型"):
        assert title in squeezed, title
    assert "§3.3.1场地与物料准备" in squeezed and "刘洋" in squeezed  # axis labels of two charts


def test_the_company_heads_the_dashboard_and_its_printed_pages(tmp_path, sample):
    from profiles import profile
    figures = dashboard_figures(sample)
    data = render_dashboard_xlsx(figures, "zh", plan_links(figures), profile(tmp_path))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.worksheets[0]["A2"].value.startswith("明远精密仪器有限公司  ·  ")
    for ws in book.worksheets:
        assert ws.oddHeader.left.text == "明远精密仪器有限公司"
    assert "<Company>明远精密仪器有限公司</Company>" in parts(data)["docProps/app.xml"].decode()
    plain = openpyxl.load_workbook(io.BytesIO(render_dashboard_xlsx(figures, "zh", plan_links(figures))))
    assert not plain.worksheets[0]["A2"].value.startswith("明远") and not plain.worksheets[0].oddHeader.left.text

"""The HTML dashboard and output/index.html: figures, charts, escaping, no network, and a
real render in headless Chromium (screenshots kept in test-artifacts/)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.checks import check_workbook
from pipeline.dashboard import dashboard_figures
from pipeline.dashboard.html import (FINDINGS_PER_CLAUSE, OverviewEntry, nice_ticks, render_dashboard_html,
                                     render_overview, shorten, text_width)
from pipeline.reader import read_workbook
from pipeline.standard import load_standard
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from test_dashboard_figures import confidential_values
from test_sample import ROOT, SAMPLE, TODAY

STD = load_standard()
ARTIFACTS = ROOT / "test-artifacts"
EVIL = "<script>alert(1)</script>{{ 7*7 }}"


class Page(HTMLParser):
    """Elements with their attributes, and the text inside chosen elements."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, dict, list[str]]] = []
        self.texts: dict[str, list[str]] = {}  # id or data-* key -> texts
        self.feed(html)

    LEAVES = ("meta", "br", "rect", "line", "circle", "polyline")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if self.stack:
            self.stack[-1][2].append(" ")
        if tag not in self.LEAVES:
            self.stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        if tag in self.LEAVES:
            return
        while self.stack:
            t, attrs, text = self.stack.pop()
            joined = " ".join("".join(text).split())
            for key in ("id", "data-kpi", "data-visit"):
                if key in attrs:
                    self.texts.setdefault(attrs[key], []).append(joined)
            if self.stack:
                self.stack[-1][2].extend([*text, " "])
            if t == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.replace("_", "-")) == v
                                                                for k, v in attrs.items())]

    def text(self, key: str) -> str:
        return self.texts[key][0]


@pytest.fixture(scope="module")
def sample():
    return check_workbook(read_workbook(SAMPLE, STD), STD, TODAY)


def sample_links(figures) -> dict:
    links = {v.visit_id: [("接待方案", f"{v.visit_id}/接待方案_{v.visit_id} #1.docx"),
                          ("人员分工", f"{v.visit_id}/人员分工_{v.visit_id}.xlsx")] for v in figures.visits}
    links[None] = [("检查报告", "检查报告.xlsx"), ("文件索引", "index.html")]
    return links


@pytest.fixture(scope="module")
def page(sample):
    figures = dashboard_figures(sample)
    return figures, render_dashboard_html(figures, "zh", sample_links(figures))


def result_of(tmp_path, rows, lang="zh", writer=write_workbook):
    path = writer(tmp_path / "台账.xlsx", rows, lang=lang)
    return check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)


def test_headline_figures(page):
    figures, html = page
    p = Page(html)
    h = figures.headline
    values = {key: p.text(key) for key in ("visits", "upcoming", "ready", "attention", "not_ready", "errors",
                                           "satisfaction")}
    assert values == {"visits": "接待总数 13 其中已取消 1 次", "upcoming": "未来 30 天 4 即将到来或正在进行",
                      "ready": "已就绪 3 不含已取消的接待", "attention": "需关注 2 不含已取消的接待",
                      "not_ready": "未就绪 7 不含已取消的接待",
                      "errors": f"未解决错误 {h.errors} 另有警告 {h.warnings} 条、提示 {h.info} 条",
                      "satisfaction": "平均满意度 4.7 3 次已完成接待的评分（满分 5）"}
    assert p.all("html")[0]["lang"] == "zh-CN"


def test_upcoming_table_by_date_with_flags_and_links(page):
    figures, html = page
    p = Page(html)
    rows = p.all("tr", data_visit="JD-2027-007") + p.all("tr", data_visit="JD-2027-008") + \
        p.all("tr", data_visit="JD-2027-009") + p.all("tr", data_visit="JD-2027-010")
    assert [r["class"] for r in rows] == ["soon", "", "warn", "warn"]
    assert [a["data-visit"] for t, a in p.elements if t == "tr" and "data-visit" in a] == \
        [v.visit_id for v in figures.upcoming]
    # 95%: the seating rule (person.seating_rank) is one more requirement met
    assert "2026年12月3日 星期四 14:35 2 天后 JD-2027-007 滨海新材料科技股份有限公司 已确认 未就绪 ⚠ 紧急 95%" \
        in p.text("JD-2027-007")
    hrefs = [a["href"] for a in p.all("a")]
    assert "JD-2027-007/%E6%8E%A5%E5%BE%85%E6%96%B9%E6%A1%88_JD-2027-007%20%231.docx" in hrefs
    assert "%E6%A3%80%E6%9F%A5%E6%8A%A5%E5%91%8A.xlsx" in hrefs and "index.html" in hrefs


def test_seven_accessible_svg_charts(page):
    figures, html = page
    p = Page(html)
    boxes = p.all("figure")
    assert [b["id"] for b in boxes] == ["chart-by-month", "chart-readiness", "chart-clauses", "chart-by-purpose",
                                        "chart-by-client-type", "chart-workload", "chart-satisfaction"]
    assert [b["data-kind"] for b in boxes] == ["columns", "hbar", "hbar", "hbar", "hbar", "hbar", "line"]
    svgs = p.all("svg")
    assert len(svgs) == 7 and all(s["role"] == "img" and s["aria-labelledby"].endswith("-desc") for s in svgs)
    assert len(p.all("title")) > 7 and len(p.all("desc")) == 7
    clauses = p.text("chart-clauses")
    assert clauses.startswith("问题最多的标准条款（前 10 项）")
    assert "§3.3.1 场地与物料准备" in clauses and " 26 " in clauses
    assert p.text("chart-clauses-desc").startswith("§3.3.1 场地与物料准备: 提示 26; §3.2.2 资源协调与预订: 错误 5, 提示 6")
    by_month = p.text("chart-by-month-desc")
    assert by_month.startswith("2026年8月: 已完成 1; 2026年10月: 已完成 2; 2026年11月: 已确认 1, 已完成 1, 已取消 1; "
                               "2026年12月: 已确认 4")
    assert p.text("chart-readiness-desc") == "已就绪: 已就绪 1; 需关注: 0; 未就绪: 未就绪 3"
    assert p.text("chart-satisfaction-desc") == "2026年8月: 5.0; 2026年10月: 4.5"
    assert p.text("chart-workload").count("刘洋") >= 1 and "116" in p.text("chart-workload")
    # one bar segment per non-zero value of the month chart
    assert html.count("<title>2026年12月 · 已确认: 4</title>") == 1


def test_findings_grouped_by_clause_with_the_standards_wording(page, sample):
    figures, html = page
    p = Page(html)
    sections = [a["id"] for t, a in p.elements if t == "section" and a.get("class") == "clause"]
    assert sections == ["clause-" + c.clause.replace(".", "-") for c in figures.clauses]
    text = p.text("clause-3-2-2")
    assert text.startswith("§3.2.2 资源协调与预订 错误 5 · 提示 6 根据方案需求，提前协调并预订会议室")
    rows = html.split('id="clause-3-2-2"')[1].split("</section>")[0].count("<tr>") - 1
    assert rows == 11
    messages = [f.message for f in sample.findings if f.clause == "3.2.2"]
    assert all(m.replace('"', "&#34;").replace("'", "&#39;") in html for m in messages)


def test_every_value_is_escaped_and_nothing_is_a_template(tmp_path):
    rows = merge(clean_visit("V1"), clean_visit("V2", day=14))
    rows["visits"][0]["client_org"] = EVIL
    for r in rows["itinerary"]:
        if r["owner"] == "李明":
            r["owner"] = "<b>李明</b>{% raw %}"
    for r in rows["staff"]:
        if r["name"] == "李明":
            r["name"] = "<b>李明</b>{% raw %}"
    figures = dashboard_figures(result_of(tmp_path, rows, writer=write_workbook_xlsxwriter))
    assert figures.visits[0].client == EVIL
    html = render_dashboard_html(figures, "zh", {"V1": [("<i>plan</i>", "V1/a\"b<c>.docx")]})
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in html
    assert "&lt;b&gt;李明&lt;/b&gt;{% raw %}" in html  # in the workload chart's labels
    assert ">49<" not in html and "49</" not in html
    assert 'href="V1/a%22b%3Cc%3E.docx"' in html


def test_self_contained_no_network_no_script(page):
    _, html = page
    p = Page(html)
    assert not p.all("script") and not p.all("link") and not p.all("img") and not p.all("iframe")
    assert "url(" not in html and "@import" not in html
    assert all(not re.match(r"[a-z]+:", a["href"]) for a in p.all("a"))  # relative links only
    csp = p.all("meta", http_equiv="Content-Security-Policy")[0]["content"]
    assert csp.startswith("default-src 'none'")
    assert "Noto Sans CJK SC" in html and "Microsoft YaHei" in html and "PingFang SC" in html
    assert "@media print" in html and "@media (max-width: 720px)" in html


def test_no_confidential_value(page, sample):
    _, html = page
    secrets = confidential_values(sample)
    assert not [s for s in secrets if s in html]


def test_english_dashboard(tmp_path):
    figures = dashboard_figures(result_of(tmp_path, clean_visit("V1"), lang="en"))
    html = render_dashboard_html(figures)
    p = Page(html)
    assert p.all("html")[0]["lang"] == "en"
    assert p.text("visits").startswith("Visits 1 ")
    assert "Upcoming visits (next 30 days)" in html and "Visits per month by status" in html
    assert "Wed 10 Mar 2027 09:30" in p.text("V1")


def test_an_empty_workbook_and_long_findings_lists(tmp_path):
    figures = dashboard_figures(result_of(tmp_path, {}))
    html = render_dashboard_html(figures, "zh")
    assert html.count('class="empty"') == 7 and "未来 30 天没有接待。" in html and "没有发现问题。" in html
    rows = merge(*(clean_visit(f"V{i}", day=10) for i in range(FINDINGS_PER_CLAUSE + 5)))
    for r in rows["visits"]:
        r["theme"] = None
    html = render_dashboard_html(dashboard_figures(result_of(tmp_path, rows)), "zh")
    assert "另有 5 条，见检查报告。" in html


def test_chart_helpers():
    assert nice_ticks(26) == [0, 10, 20, 30]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(115) == [0, 50, 100, 150]
    assert nice_ticks(0) == [0, 1]
    assert text_width("§3.3 场地") == pytest.approx(12 * 0.6 * 5 + 12 * 2)
    assert shorten("Cooperation negotiation and more", 100).endswith("…")
    assert text_width(shorten("Cooperation negotiation and more", 100)) <= 100


def test_overview_links_every_workbook(tmp_path, sample):
    figures = dashboard_figures(sample)
    entries = [
        OverviewEntry("2027年客户接待台账", "2027年客户接待台账", figures,
                      dashboards=[("接待总览（Excel）", "2027年客户接待台账/接待总览.xlsx"),
                                  ("接待总览（网页）", "2027年客户接待台账/dashboard.html")],
                      reports=[("检查报告", "2027年客户接待台账/检查报告.xlsx")],
                      visits={"JD-2027-007": [("接待方案", "2027年客户接待台账/JD-2027-007/接待方案.docx")]}),
        OverviewEntry(EVIL, "broken", None, error="不是有效的 .xlsx 工作簿"),
        OverviewEntry("导出", None, None, error="是文本（CSV）文件"),  # never read: no folder to link
    ]
    html = render_overview(entries, "zh")
    p = Page(html)
    hrefs = [a["href"] for a in p.all("a")]
    assert "2027%E5%B9%B4%E5%AE%A2%E6%88%B7%E6%8E%A5%E5%BE%85%E5%8F%B0%E8%B4%A6/dashboard.html" in hrefs
    assert "2027%E5%B9%B4%E5%AE%A2%E6%88%B7%E6%8E%A5%E5%BE%85%E5%8F%B0%E8%B4%A6/JD-2027-007/" \
           "%E6%8E%A5%E5%BE%85%E6%96%B9%E6%A1%88.docx" in hrefs
    assert "13 次接待：7 次未就绪，2 次需关注，3 次已就绪；未解决错误 15 条" in html
    assert "各次接待（13 次）" in html and "统计日期：2026年12月1日 星期二" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in html and "<script" not in html
    assert "无法读取：不是有效的 .xlsx 工作簿" in html
    assert "broken" in hrefs and "%E5%AF%BC%E5%87%BA" not in hrefs and "<h2>导出</h2>" in html
    assert not [s for s in confidential_values(sample) if s in html]
    assert "input/ 中没有工作簿" in render_overview([], "zh")
    assert 'lang="en"' in render_overview(entries, "en")


# ---- a real browser ----------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("Chromium is not installed (CI installs Debian's chromium)")
    return exe


def run_chromium(tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=True)


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB(A) PNG, unfiltered (the stdlib can do it)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev, i = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line if bpp == 3 else b"".join(line[j:j + 3] for j in range(0, stride, 4))))
        prev = line
    return width, height, rows


def colour_count(rows: list[bytes], rgb: str) -> int:
    target = bytes.fromhex(rgb)
    return sum(row[j:j + 3] == target for row in rows for j in range(0, len(row), 3))


@pytest.mark.parametrize("lang, width, height", [("zh", 1280, 2400), ("en", 1280, 2400), ("zh", 390, 5200)])
@pytest.mark.slow
def test_chromium_renders_the_dashboard(tmp_path, sample, lang, width, height):
    chromium()
    result = check_workbook(read_workbook(SAMPLE, STD), STD, TODAY, lang) if lang != "zh" else sample
    figures = dashboard_figures(result)
    page = tmp_path / "dashboard.html"
    page.write_text(render_dashboard_html(figures, lang, sample_links(figures)), encoding="utf-8")
    shot = tmp_path / f"dashboard_{lang}_{width}.png"
    rendered = run_chromium(tmp_path, [f"--screenshot={shot}", f"--window-size={width},{height}", page.as_uri()])
    dom = run_chromium(tmp_path, ["--dump-dom", page.as_uri()])
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / shot.name)

    console = [line for line in (rendered.stderr + dom.stderr).splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == []  # the page has no script: any console message is a blocked load or an error
    p = Page(dom.stdout)
    assert len(p.all("svg")) == 7 and len(p.all("figure")) == 7
    assert p.text("not_ready").split()[:2] == (["未就绪", "7"] if lang == "zh" else ["Not", "ready"])
    assert p.text("visits").split()[1] == "13"
    assert [a["data-visit"] for t, a in p.elements if t == "tr" and "data-visit" in a] == \
        ["JD-2027-007", "JD-2027-008", "JD-2027-009", "JD-2027-010"]

    w, h, rows = png_pixels(shot)
    assert (w, h) == (width, height)
    assert colour_count(rows, "FFC7CE") > 500  # the red row and the error bars
    assert colour_count(rows, "5B9BD5") > 2000  # the confirmed columns and the purpose bars
    assert colour_count(rows, "FFFFFF") < 0.97 * w * h  # not a blank page


def test_the_letterhead_shows_the_company_and_its_logo_embedded(tmp_path, sample):
    import base64
    from images import svg
    from profiles import profile
    figures = dashboard_figures(sample)
    for name, logo in (("logo.png", None), ("logo.svg", svg("120", "40"))):  # the web pages show an SVG too
        company = profile(tmp_path, logo, name)
        uri = f'src="data:{company.logo.mime};base64,{base64.b64encode(company.logo.data).decode()}"'
        for html in (render_dashboard_html(figures, "zh", {}, company=company),
                     render_overview([OverviewEntry("台账", "台账", figures)], "zh", company=company)):
            head = html[html.index("<body>"):html.index("<h1>")]
            assert f'<img {uri} alt="明远精密仪器有限公司">' in head  # in the page: it opens offline
            assert "明远精密仪器有限公司<span>Mingyuan Precision Instruments Co., Ltd.</span>" in head
            csp = Page(html).all("meta", http_equiv="Content-Security-Policy")[0]["content"]
            assert "img-src data:" in csp  # the page may show it, and load nothing
    for html in (render_dashboard_html(figures, "zh", {}), render_overview([], "zh")):
        assert 'class="letterhead"' not in html[html.index("<body>"):] and "<img" not in html  # no profile: none

"""The per-workbook index page: every visit with its readiness and links to its files."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import PurePosixPath

import pytest

from pipeline.checks import check_workbook
from pipeline.documents.index import INDEX_TEMPLATE, href, render_index
from pipeline.templating import TEMPLATES
from pipeline.errors import TemplateError
from pipeline.i18n import t
from pipeline.reader import read_workbook
from pipeline.standard import load_standard
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

STD = load_standard()


class Page(HTMLParser):
    """The links (href, text) and the text of every table cell of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.cells: list[str] = []
        self.tags: set[str] = set()
        self._href: str | None = None
        self._cell: list[str] | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "a":
            self._href, self._text = dict(attrs)["href"], []
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "a":
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        elif tag == "td":
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def result_of(tmp_path, rows, lang="zh"):
    path = write_workbook(tmp_path / "台账.xlsx", rows, lang=lang)
    return check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)


def test_links_are_relative_and_quoted(tmp_path):
    result = result_of(tmp_path, merge(clean_visit("V1"), clean_visit("V2", day=14)))
    links = {
        "V1": [("接待方案", "V1/接待方案_V1 华东#1?.docx"),
               ("人员分工", PurePosixPath("V1/人员分工_V1.xlsx"))],
        "V2": [("接待方案", "V2\\接待方案_V2%.docx")],
        None: [("检查报告", "检查报告.xlsx"), ("findings.json", "findings.json")],
    }
    page = Page(render_index(result, links, "zh"))
    assert page.links == [
        ("V1/%E6%8E%A5%E5%BE%85%E6%96%B9%E6%A1%88_V1%20%E5%8D%8E%E4%B8%9C%231%3F.docx", "接待方案"),
        ("V1/%E4%BA%BA%E5%91%98%E5%88%86%E5%B7%A5_V1.xlsx", "人员分工"),
        ("V2/%E6%8E%A5%E5%BE%85%E6%96%B9%E6%A1%88_V2%25.docx", "接待方案"),
        ("%E6%A3%80%E6%9F%A5%E6%8A%A5%E5%91%8A.xlsx", "检查报告"),
        ("findings.json", "findings.json"),
    ]
    assert href("a b/c#d.xlsx") == "a%20b/c%23d.xlsx"


def test_every_visit_with_dates_status_readiness_and_counts(tmp_path):
    soon = clean_visit("V2", day=7)
    soon["guests"][1]["dietary"] = None  # a warning, 2 days before arrival: urgent
    gone = clean_visit("V3", day=20)
    gone["visits"][0]["status"] = "cancelled"
    result = result_of(tmp_path, merge(clean_visit("V1"), soon, gone), lang="en")
    html = render_index(result, {"V1": [("Plan", "V1/plan.docx")]}, "en")
    page = Page(html)
    rows = [page.cells[i:i + 8] for i in range(0, len(page.cells), 8)]
    assert [r[0] for r in rows] == ["V1", "V2", "V3"]
    v1, v2, v3 = rows
    assert v1[2] == "Wed 10 Mar 2027 to Thu 11 Mar 2027"
    assert v1[3] == "Confirmed" and v1[4] == t("en", "readiness.ready") and v1[5] == "100%"
    assert v1[7] == "Plan"
    assert t("en", "readiness.attention") in v2[4] and t("en", "index.urgent") in v2[4]
    assert "Warnings 1" in v2[6]
    assert v3[3] == "Cancelled" and v3[5] == "" and v3[7] == t("en", "index.no_files")
    assert 'class="badge ready"' in html and 'class="badge attention"' in html
    assert t("en", "index.totals", visits=3, not_ready=0, attention=1, ready=1) in html
    assert '<html lang="en">' in html


def test_workbook_values_are_escaped_and_never_templates(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["client_org"] = "<script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %}"
    result = result_of(tmp_path, rows)
    html = render_index(result, {"V1": [('"><img src=x onerror=alert(1)>', "V1/a.docx")]}, "zh")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = Page(html)
    assert page.cells[1] == "<script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %}"
    assert page.links == [("V1/a.docx", '"><img src=x onerror=alert(1)>')]
    assert "script" not in page.tags and "img" not in page.tags


def test_page_is_self_contained(tmp_path):
    html = render_index(result_of(tmp_path, clean_visit()), {}, "zh")
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "<style>" in html and "@media print" in html and "max-width: 720px" in html
    assert '<html lang="zh-CN">' in html
    assert t("zh", "index.no_files") in html


def test_a_misspelt_field_names_the_template_and_the_field(tmp_path):
    result = result_of(tmp_path, clean_visit())
    folder = tmp_path / "templates"
    folder.mkdir()
    shipped = (TEMPLATES / INDEX_TEMPLATE).read_text(encoding="utf-8")
    (folder / INDEX_TEMPLATE).write_text(shipped.replace("{{ v.client }}", "{{ v.cleint }}"), encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        render_index(result, {}, "zh", templates=folder)
    assert e.value.field == "cleint" and INDEX_TEMPLATE in str(e.value)


def test_the_letterhead_names_the_company_only_when_there_is_one(tmp_path):
    from profiles import profile
    result = result_of(tmp_path, clean_visit(), "en")
    html = render_index(result, {}, "en", company=profile(tmp_path))
    head = html[html.index("<body>"):html.index("<h1>")]
    assert '<img src="data:image/png;base64,' in head
    assert "Mingyuan Precision Instruments Co., Ltd.<span>明远精密仪器有限公司</span>" in head
    plain = render_index(result, {}, "en")
    assert plain[plain.index("<body>"):plain.index("<h1>")].strip() == "<body>"

"""Without a company profile, nothing generated carries a placeholder: every file of a
sample build and its mail drafts is scanned (Word and Excel parts, web pages, findings,
e-mails with their attachments, calendar files; the PDFs' text where LibreOffice is
installed) for the marks a template's unfilled blank leaves."""

from __future__ import annotations

import email
import io
import re
import subprocess
import zipfile
from email import policy
from pathlib import Path

import pytest

from pipeline import build as recipe
from pipeline.documents.pdf import find_soffice
from pipeline.i18n import LANGS, t
from pipeline.mail.config import MailConfig
from pipeline.mail.recipe import mail
from pipeline.standard import load_standard
from pipeline.templating import TEMPLATES
from test_sample import SAMPLE, TODAY

# What a blank left for the company (or any template field) would look like.
MARKERS = re.compile(r"公司名称|单位名称|贵公司名称|Company name|COMPANY NAME|company name|Your company|Logo here|"
                     r"\{\{|\}\}|\{%|%\}|XXX|＿＿|__________")
BRACKETS = re.compile(r"【[^】]*】")
# The bracketed words the interface itself uses: a blank the workbook must fill, an update,
# an internal item in the plan.
ALLOWED = {text for lang in LANGS for text in (t(lang, "docs.common.to_complete"), t(lang, "docs.plan.internal_mark"),
                                               "【更新】")}


def scan(name: str, text: str) -> list[str]:
    found = [f"{name}: {m[0]}" for m in MARKERS.finditer(text)]
    return found + [f"{name}: {m[0]}" for m in BRACKETS.finditer(text) if m[0] not in ALLOWED]


def package_texts(name: str, data: bytes) -> list[tuple[str, str]]:
    """Every XML part of a Word or Excel file (headers, footers, sheets, properties)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(f"{name}!{part}", z.read(part).decode("utf-8")) for part in z.namelist()
                if part.endswith((".xml", ".rels", ".vml"))]


def texts_of(path: Path) -> list[tuple[str, str]]:
    """The texts a file holds, unpacked where it is a package or an e-mail."""
    data = path.read_bytes()
    if path.suffix in (".docx", ".xlsx"):
        return package_texts(path.name, data)
    if path.suffix == ".eml":
        msg = email.message_from_bytes(data, policy=policy.default)
        out = [(f"{path.name} headers", "\n".join(f"{k}: {v}" for k, v in msg.items()))]
        for part in msg.walk():
            if part.is_multipart():
                continue
            content = part.get_content()
            name = f"{path.name}/{part.get_filename() or part.get_content_type()}"
            if isinstance(content, bytes) and (part.get_filename() or "").endswith((".docx", ".xlsx")):
                out += package_texts(name, content)
            elif isinstance(content, str):
                out.append((name, content))
        return out
    if path.suffix in (".html", ".json", ".ics"):
        return [(path.name, data.decode("utf-8"))]
    return []


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    """The sample workbook built and mailed with no profile, as on a fresh checkout."""
    home = tmp_path_factory.mktemp("sample")
    options = recipe.Options(SAMPLE, home / "output", TODAY, load_standard(), None, TEMPLATES, 1, pdf="none")
    run = mail(options, MailConfig(sender_address="reception@example.com", sendlog=home / "state" / "log.jsonl"))
    assert all(w.workbook.error is None for w in run.mail)
    return home / "output"


def test_no_generated_file_holds_a_placeholder(sample_build):
    # every file but the build's own bookkeeping (.manifest.json: JSON, no one reads it)
    files = [p for p in sample_build.rglob("*") if p.is_file() and not p.name.startswith(".")]
    kinds = {p.suffix for p in files}
    assert {".docx", ".xlsx", ".html", ".json", ".eml"} <= kinds  # the scan reaches every kind of output
    drafts = [p for p in files if p.suffix == ".eml"]
    assert drafts and any(".ics" in p.read_text(errors="replace") for p in drafts)
    scanned, problems = 0, []
    for path in files:
        for name, text in texts_of(path):
            scanned += 1
            problems += scan(name, text)
    assert scanned > 500 and problems == []


def test_the_scan_would_see_a_placeholder(sample_build, tmp_path):
    """The scan is not blind: the old letterhead, a tag left unfilled, a bracketed blank."""
    assert scan("x", "<w:t>【公司名称 / Company name】</w:t>")
    assert scan("x", "Dear {{ company.name }}")
    assert scan("x", "【待定】") and not scan("x", t("zh", "docs.common.to_complete") + "【更新】")
    plan = next(sample_build.rglob("接待方案_*.docx"))
    with zipfile.ZipFile(plan) as z:
        header = z.read("word/header1.xml").decode().replace("<w:tab/>", "<w:t>【公司名称 / Company name】</w:t>", 1)
    assert scan("header", header)


@pytest.mark.slow
def test_no_pdf_holds_a_placeholder(tmp_path):
    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    options = recipe.Options(SAMPLE, tmp_path / "output", TODAY, load_standard(), None, TEMPLATES, 1, pdf="all",
                             soffice=soffice)
    run = recipe.build(options)
    pdfs = sorted((tmp_path / "output").rglob("*.pdf"))
    assert len(pdfs) >= 30 and not run.pdfs_skipped
    problems = []
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.strip(), pdf.name
        problems += scan(pdf.name, text)
    assert problems == []

"""The company profile in the Word documents and as template fields: the logo a real image
part of the package, drawn in the letterhead; no company at all without a profile."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from extract import docx_text
from images import png, svg
from profiles import profile
from pipeline.company import NO_COMPANY, Company
from pipeline.documents import letterhead
from pipeline.documents.docx import DocxTemplate
from pipeline.documents.seating import render_seating
from pipeline.documents.word import load_word_templates, render_itinerary, render_plan
from pipeline.ooxml.schema import REL_IMAGE
from pipeline.ooxml.zip import unpack
from test_plan import checked
from workbooks import clean_visit

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
IMAGE_PART = "word/media/company_logo.png"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def documents(tmp_path: Path, std, company: Company, lang: str = "zh") -> dict[str, bytes]:
    vr, result = checked(tmp_path, clean_visit(), std, lang)
    word = load_word_templates(TEMPLATES, company)
    return {"plan": render_plan(vr, result, std, lang, word["plan"], company),
            "itinerary": render_itinerary(vr, result, std, lang, word["itinerary"], company),
            "seating": render_seating(vr, result, std, lang, word["seating"], company)}


def test_fields_of_a_profile_in_each_language(tmp_path):
    company = profile(tmp_path, logo=b"")
    zh, en = letterhead.fields(company, "zh"), letterhead.fields(company, "en")
    assert (zh["name"], zh["other_name"], en["name"], en["other_name"]) == \
        ("明远精密仪器有限公司", "Mingyuan Precision Instruments Co., Ltd.", "Mingyuan Precision Instruments Co., Ltd.",
         "明远精密仪器有限公司")
    assert zh["contact_line"] == "上海市张江路 88 号  ·  总机 021-5555 0000  ·  www.mingyuan.example"
    assert en["contact_line"] == "88 Zhangjiang Road, Shanghai  ·  Tel. 021-5555 0000  ·  www.mingyuan.example"
    assert zh["desk_line"] == "接待联系人：王敏  ·  电话 021-5555 0101  ·  desk@mingyuan.example"
    assert letterhead.signature(company, "en").splitlines() == [
        "王敏", "Mingyuan Precision Instruments Co., Ltd.", "88 Zhangjiang Road, Shanghai",
        "Tel. 021-5555 0000  ·  Direct 021-5555 0101", "desk@mingyuan.example", "www.mingyuan.example"]


def test_a_blank_profile_gives_blank_fields_and_no_signature():
    for lang in ("zh", "en"):
        fields = letterhead.fields(NO_COMPANY, lang)
        assert not any(v for k, v in fields.items() if k != "desk") and not any(fields["desk"].values())
        assert letterhead.word_fields(NO_COMPANY, lang)["logo"] == "" and letterhead.page_fields(NO_COMPANY, lang)["logo"] == ""
        assert letterhead.signature(NO_COMPANY, lang) == ""
    assert letterhead.logo_media(NO_COMPANY) is None


def test_the_word_logo_is_scaled_to_the_letterhead(tmp_path):
    tall = letterhead.word_fields(profile(tmp_path, png(100, 100)), "zh")["logo"]
    wide = letterhead.word_fields(profile(tmp_path, png(1200, 120), name="wide.png"), "zh")["logo"]

    def extent(markup) -> tuple[float, float]:
        xml = etree.fromstring(f'<w:r xmlns:w="{W}"><w:t>{markup}</w:t></w:r>'.encode())
        ext = xml.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
        return int(ext.get("cx")) / 360_000, int(ext.get("cy")) / 360_000

    assert extent(tall) == pytest.approx((letterhead.LOGO_HEIGHT, letterhead.LOGO_HEIGHT), abs=0.01)
    width, height = extent(wide)  # 10:1 would be 11 cm at full height: made lower instead
    assert width == pytest.approx(letterhead.LOGO_MAX_WIDTH, abs=0.01) and height == pytest.approx(0.5, abs=0.01)
    assert f'r:embed="{letterhead.LOGO_RID}"' in str(tall)


def test_the_html_logo_is_a_data_uri_of_the_file(tmp_path):
    company = profile(tmp_path, svg("120", "40"), name="logo.svg")
    uri = str(letterhead.page_fields(company, "zh")["logo"])
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.partition(",")[2]) == company.logo.data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_word_document_carries_the_logo_and_the_company(tmp_path, std, lang):
    company = profile(tmp_path)
    for kind, data in documents(tmp_path, std, company, lang).items():
        files = parts(data)
        assert files[IMAGE_PART] == company.logo.data, kind
        assert b'Extension="png" ContentType="image/png"' in files["[Content_Types].xml"], kind
        where = "word/document.xml" if kind == "seating" else "word/header1.xml"
        rels = files[where.replace("word/", "word/_rels/") + ".rels"].decode()
        assert f'Id="{letterhead.LOGO_RID}" Type="{REL_IMAGE}" Target="media/company_logo.png"' in rels, kind
        assert files[where].count(f'r:embed="{letterhead.LOGO_RID}"'.encode()) == 1, kind
        for name, xml in files.items():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(xml)  # every part well-formed
        doc = Document(io.BytesIO(data))  # python-docx finds the picture through the relationship
        part = doc.part if kind == "seating" else doc.sections[0].header.part
        assert part.related_parts[letterhead.LOGO_RID].blob == company.logo.data, kind
        if kind == "seating":  # above the title (the sign pages come first)
            titles = [p.text for p in doc.paragraphs]
            assert titles[titles.index("\u2002" + company.name(lang)) + 1] == ("座次与桌签" if lang == "zh" else
                                                                     "Seating plans and name cards"), kind
        else:
            header = [p.text for p in doc.sections[0].header.paragraphs]
            assert header[0].startswith("\u2002" + company.name(lang)), kind  # after the logo
            assert header[1] == letterhead.fields(company, lang)["contact_line"], kind
    itinerary = Document(io.BytesIO(documents(tmp_path, std, company, lang)["itinerary"]))
    assert company.other_name(lang) in itinerary.sections[0].header.paragraphs[0].text  # both languages
    assert itinerary.paragraphs[-1].text == company.name(lang)  # and it closes with the name


def test_without_a_profile_no_document_names_a_company_or_holds_a_picture(tmp_path, std):
    for lang in ("zh", "en"):
        for kind, data in documents(tmp_path, std, NO_COMPANY, lang).items():
            files = parts(data)
            assert not any(n.startswith("word/media/") for n in files), kind
            assert not any(b"<w:drawing>" in files[n] for n in files if n.startswith("word/header")), kind
            text = docx_text(data)
            for marker in ("公司名称", "Company name", "【", "{{", "}}", "{%"):
                assert marker not in text, (kind, marker)


def test_an_svg_logo_stays_off_the_word_documents(tmp_path, std):
    company = profile(tmp_path, svg("120", "40"), name="logo.svg")
    assert letterhead.logo_media(company) is None
    for kind, data in documents(tmp_path, std, company).items():
        assert not any(n.startswith("word/media/") for n in parts(data)), kind
        assert company.name("zh") in docx_text(data), kind  # the name is still there


def write_template(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def template_parts(template: DocxTemplate) -> dict[str, bytes]:
    """The parts a template copies as they are (its package layer's work)."""
    return {p.name: unpack(p.packed, p.name) for p in template._parts if p.packed is not None}


def test_a_template_without_the_logo_field_gets_no_image(tmp_path):
    """A company whose own letterhead is in the template took the logo field out."""
    source = parts((TEMPLATES / "itinerary.docx").read_bytes())
    source["word/header1.xml"] = source["word/header1.xml"].replace(b"{{ company.logo }}", b"")
    template = DocxTemplate.load(write_template(tmp_path / "own.docx", source), None,
                                 letterhead.logo_media(profile(tmp_path)))
    assert template.parts_using("company.logo") == []
    assert not any(n.startswith("word/media/") for n in template_parts(template))


def test_a_logo_relationship_the_template_has_already_is_replaced(tmp_path):
    """A template restyled from a document that had an earlier logo: one relationship of
    that id, to the new logo."""
    source = parts((TEMPLATES / "itinerary.docx").read_bytes())
    source["word/media/company_logo.png"] = png(50, 50, (200, 0, 0))
    source["word/_rels/header1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdCompanyLogo" Type="' + REL_IMAGE.encode()
        + b'" Target="media/company_logo.png"/></Relationships>')
    company = profile(tmp_path)
    template = DocxTemplate.load(write_template(tmp_path / "itinerary.docx", source), None,
                                 letterhead.logo_media(company))
    files = template_parts(template)
    assert files["word/_rels/header1.xml.rels"].count(b"rIdCompanyLogo") == 1
    assert files[IMAGE_PART] == company.logo.data

"""Mail with PDF copies: the client and the approver get the PDF, staff the PDF and the
editable file; a PDF made again from the same document sends nothing again. Drafts and
sent messages parsed as a mail program reads them. (Without PDFs the documents go as
.docx/.xlsx: tests/test_mail_send.py, whose builds have no LibreOffice.)"""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_mail_support import STAFF_EMAILS, attachments, config, mail_visit, options, outbox, smtp_server, write
from workbooks import merge

from pipeline.documents.pdf import find_soffice
from pipeline.mail.recipe import mail, send

__all__ = ["smtp_server"]  # a fixture used below

pytestmark = [pytest.mark.slow,  # LibreOffice makes the PDFs
              pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")]

CLIENT = "qian.hong@example.com"
APPROVER = "li.zong@example.com"
ORG = "华东精密机械有限公司"


def workbook(tmp_path) -> None:
    """V1 approved (briefings and the itinerary go), V2 submitted (its plan goes to the approver)."""
    rows = merge(mail_visit("V1", day=10), mail_visit("V2", day=14))
    rows["visits"][1].update(approval="submitted", approved_on=None, briefed_on=None)
    write(tmp_path, rows)


def with_pdfs(tmp_path):
    return replace(options(tmp_path), soffice=find_soffice())


def by_address(tmp_path, visit: str):
    return {m["To"].addresses[0].addr_spec: m for m in outbox(tmp_path, visit).values()}


def test_the_client_and_the_approver_get_the_pdf_and_staff_the_pdf_and_the_file(tmp_path):
    workbook(tmp_path)
    run = mail(with_pdfs(tmp_path), config(tmp_path))
    assert run.exit_code == 0 and run.workbooks[0].pdfs.converted == 6
    folder = tmp_path / "output" / "visits"
    v1 = by_address(tmp_path, "V1")
    assert sorted(v1) == sorted([CLIENT, *STAFF_EMAILS.values()])
    client = attachments(v1[CLIENT])
    assert set(client) == {f"客户行程_V1_{ORG}.pdf", "日程_V1.ics"}
    assert client[f"客户行程_V1_{ORG}.pdf"] == (folder / "V1" / f"客户行程_V1_{ORG}.pdf").read_bytes()
    seated = {"李明", "陈静", "王芳"}  # at the meeting or the meals: the seating document too (never as PDF)
    for name, address in STAFF_EMAILS.items():
        assert set(attachments(v1[address])) == {f"接待方案_V1_{ORG}.pdf", f"接待方案_V1_{ORG}.docx",
                                                 f"人员分工_V1_{ORG}.pdf", f"人员分工_V1_{ORG}.xlsx", "日程_V1.ics",
                                                 *([f"座次与桌签_V1_{ORG}.docx"] if name in seated else [])}
    types = {part.get_filename(): part.get_content_type() for part in v1[CLIENT].iter_attachments()}
    assert types[f"客户行程_V1_{ORG}.pdf"] == "application/pdf"
    v2 = by_address(tmp_path, "V2")
    assert list(v2) == [APPROVER]
    assert set(attachments(v2[APPROVER])) == {f"接待方案_V2_{ORG}.pdf"}


def test_a_pdf_made_again_from_the_same_document_sends_nothing_again(tmp_path, smtp_server):
    workbook(tmp_path)
    send(with_pdfs(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 6
    folder = tmp_path / "output" / "visits"
    before = {p: p.read_bytes() for p in folder.rglob("*.pdf")}
    for pdf in before:
        pdf.unlink()  # LibreOffice makes them all again, from the same documents
    run = send(with_pdfs(tmp_path), config(tmp_path, smtp_server))
    assert run.workbooks[0].pdfs.converted == 6
    assert all(p.read_bytes() != data for p, data in before.items())  # new bytes (LibreOffice dates each PDF)
    assert len(smtp_server.received) == 6 and run.mail[0].unchanged == 6 and run.mail[0].pending == []
    assert outbox(tmp_path, "V1") == {} and outbox(tmp_path, "V2") == {}


def test_without_pdfs_the_same_messages_are_not_sent_again_once_pdfs_appear(tmp_path, smtp_server):
    workbook(tmp_path)
    send(options(tmp_path), config(tmp_path, smtp_server))  # no LibreOffice: .docx and .xlsx
    assert set(attachments(smtp_server.by_recipient()[CLIENT][0].message)) == {f"客户行程_V1_{ORG}.docx", "日程_V1.ics"}
    run = send(with_pdfs(tmp_path), config(tmp_path, smtp_server))
    assert run.workbooks[0].pdfs.converted == 6 and run.mail[0].unchanged == 6
    assert len(smtp_server.received) == 6

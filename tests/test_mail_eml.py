"""The drafts `mail` writes, parsed back: recipients, subjects, bodies, attachments,
header safety, the outbox kept tidy, and the company's own templates."""

from __future__ import annotations

import re
import shutil
import stat
from email.header import decode_header, make_header

import pytest
from icalendar import Calendar
from test_mail_support import SENDER, STAFF_EMAILS, attachments, body, config, mail_visit, options, outbox, write

from pipeline.errors import TemplateError
from pipeline.mail.recipe import mail

PLAN = "接待方案_V1_华东精密机械有限公司.docx"
ROLES = "人员分工_V1_华东精密机械有限公司.xlsx"
ITINERARY = "客户行程_V1_华东精密机械有限公司.docx"
SEATING = "座次与桌签_V1_华东精密机械有限公司.docx"
CONFIDENTIAL = ("清真", "喜欢绿茶", "从业二十年", "13900139000", "汉族", "孙伟", "周敏")


def drafts(tmp_path, rows, lang="zh", **kwargs):
    write(tmp_path, rows, lang=lang)
    run = mail(options(tmp_path), config(tmp_path), **kwargs)
    assert [w.error for w in run.workbooks] == [None]
    return outbox(tmp_path)


def test_one_draft_per_recipient_with_the_right_attachments(tmp_path):
    box = drafts(tmp_path, mail_visit())
    assert sorted(box) == sorted(["内部通报_李明.eml", "内部通报_王芳.eml", "内部通报_赵强.eml", "内部通报_陈静.eml",
                                  "客户行程_钱红.eml"])
    to = {name: msg["To"].addresses[0].addr_spec for name, msg in box.items()}
    assert to["内部通报_王芳.eml"] == STAFF_EMAILS["王芳"] and to["客户行程_钱红.eml"] == "qian.hong@example.com"
    for name, msg in box.items():
        files = attachments(msg)
        if name.startswith("客户行程"):
            assert set(files) == {ITINERARY, "日程_V1.ics"}  # never an internal document
        elif name == "内部通报_赵强.eml":  # the driver sits at no meeting or meal
            assert set(files) == {PLAN, ROLES, "日程_V1.ics"}
        else:
            assert set(files) == {PLAN, ROLES, SEATING, "日程_V1.ics"}
        plan_file = tmp_path / "output" / "visits" / "V1" / (ITINERARY if name.startswith("客户") else PLAN)
        assert files[plan_file.name] == plan_file.read_bytes()


def test_headers_of_a_draft(tmp_path):
    msg = drafts(tmp_path, mail_visit())["内部通报_王芳.eml"]
    assert msg["X-Unsent"] == "1"
    assert msg["From"].addresses[0].display_name == "接待办" and msg["From"].addresses[0].addr_spec == SENDER
    assert msg["Reply-To"].addresses[0].addr_spec == "office@example.com"
    assert msg["To"].addresses[0].display_name == "王芳"
    assert msg["Subject"] == "接待通报：V1 华东精密机械有限公司（2027年3月10日 星期三 – 2027年3月11日 星期四）"
    assert msg["Message-ID"].endswith("@example.com>") and msg["Date"]
    first = next(msg.iter_attachments())
    assert first.get_filename() == PLAN
    assert re.search(rb"filename\*(0\*)?=utf-8''%E6%8E%A5%E5%BE%85", first.as_bytes())  # RFC 2231, not raw UTF-8


def test_subject_decodes_the_same_under_strict_rfc_2047(tmp_path):
    """Whitespace between two encoded words is dropped by RFC 2047 decoders (mutt,
    compat32's decode_header): every space must be inside a word."""
    rows = mail_visit()
    rows["visits"][0]["client_org"] = "华东 精密 机械 有限 公司 上海 分公司 第一 事业部 华东 精密 机械 有限 公司"
    for name, msg in drafts(tmp_path, rows).items():
        raw = next(v for k, v in msg.raw_items() if k == "Subject")
        assert str(make_header(decode_header(raw))) == msg["Subject"], name
        assert "华东 精密 机械 有限 公司 上海 分公司 第一 事业部" in msg["Subject"]


def test_the_briefing_body_has_the_role_and_own_items_and_no_guest_data(tmp_path):
    box = drafts(tmp_path, mail_visit())
    text = body(box["内部通报_王芳.eml"])
    assert "您的角色：讲解员" in text
    assert "2027年3月11日 星期四 09:00–10:30  参观生产线 · 二号厂房（负责）" in text
    assert "合作会谈 · A301会议室（参与）" in text
    assert "欢迎晚宴" not in text  # not hers
    assert "华东公司 接待办\n电话 021-5555" in text  # the signature
    for name, msg in box.items():
        for secret in CONFIDENTIAL:
            assert secret not in body(msg), (name, secret)


def test_the_client_draft_carries_the_schedule_and_the_whole_calendar(tmp_path):
    msg = drafts(tmp_path, mail_visit())["客户行程_钱红.eml"]
    text = body(msg)
    assert msg["Subject"] == "来访行程：华东精密机械有限公司（2027年3月10日 星期三 – 2027年3月11日 星期四）"
    assert "  14:00–16:00  合作会谈（A301会议室）" in text and "联系人：李明 021-5555" in text
    cal = Calendar.from_ical(attachments(msg)["日程_V1.ics"])
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")][:3] == ["机场接机", "前往公司", "合作会谈"]
    assert len(cal.walk("VEVENT")) == 8


def test_each_staff_calendar_has_their_items(tmp_path):
    box = drafts(tmp_path, mail_visit())
    cal = Calendar.from_ical(attachments(box["内部通报_陈静.eml"])["日程_V1.ics"])
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["合作会谈"]


def test_the_approver_gets_the_plan_and_the_open_findings(tmp_path):
    rows = mail_visit()
    rows["visits"][0].update(approval="submitted", approved_on=None, briefed_on=None)
    rows["guests"][0]["title"] = None  # one open finding besides the approval
    box = drafts(tmp_path, rows)
    assert list(box) == ["方案报批_李总.eml"]
    msg = box["方案报批_李总.eml"]
    assert msg["To"].addresses[0].addr_spec == "li.zong@example.com"
    assert msg["Subject"].startswith("请审批接待方案：V1 华东精密机械有限公司")
    assert sorted(attachments(msg)) == [PLAN]
    text = body(msg)
    assert "§3.1.1" in text and "[错误]" in text


def test_english_workbook_english_messages(tmp_path):
    box = drafts(tmp_path, mail_visit(), lang="en")
    assert sorted(box)[0] == "briefing_李明.eml"
    msg = box["itinerary_钱红.eml"]
    assert msg["Subject"].startswith("Your visit: 华东精密机械有限公司 (Wed 10 Mar 2027")
    assert "schedule_V1.ics" in attachments(msg) and "Dear 钱红," in body(msg)


def test_a_newline_in_a_name_or_subject_cannot_add_a_header(tmp_path):
    rows = mail_visit()
    rows["staff"][1]["name"] = "王芳\r\nBcc: evil@example.com"
    rows["visits"][0]["client_org"] = "华东\nBcc: evil@example.com\nX-Evil: 1"
    rows["visits"][0]["contact_name"] = "钱红\r\nCc: evil@example.com"
    write(tmp_path, rows)
    mail(options(tmp_path), config(tmp_path))
    box = outbox(tmp_path)
    assert box
    for name, msg in box.items():
        assert msg["Bcc"] is None and msg["Cc"] is None and msg["X-Evil"] is None, name
        assert len(msg["To"].addresses) == 1
        assert "\n" not in msg["Subject"] and "evil@example.com" not in [a.addr_spec for a in msg["To"].addresses]
        assert all("\n" not in (p.get_filename() or "") for p in msg.iter_attachments())


def test_outbox_is_rewritten_and_user_files_stay(tmp_path):
    drafts(tmp_path, mail_visit())
    folder = tmp_path / "output" / "visits" / "V1" / "outbox"
    (folder / "my note.txt").write_text("mine")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.glob("*.eml"))
    rows = mail_visit()
    rows["staff"][1]["email"] = None
    box = drafts(tmp_path, rows)
    assert "内部通报_王芳.eml" not in box and len(box) == 4
    assert (folder / "my note.txt").read_text() == "mine"
    rows["visits"][0]["status"] = "cancelled"  # no documents, no drafts
    drafts(tmp_path, rows)
    assert sorted(p.name for p in folder.iterdir()) == ["my note.txt"]


def test_a_company_template_replaces_the_shipped_one(tmp_path):
    own = tmp_path / "templates"
    shutil.copytree(options(tmp_path).templates, own, ignore=shutil.ignore_patterns("mail"))
    (own / "mail").mkdir()
    (own / "mail" / "briefing.zh.j2").write_text("Subject: 通报 {{ visit.id }}\n\n{{ recipient.name }} 收\n",
                                                 encoding="utf-8")
    write(tmp_path, mail_visit())
    opts = options(tmp_path)
    opts.templates = own
    mail(opts, config(tmp_path))
    box = outbox(tmp_path)
    assert box["内部通报_王芳.eml"]["Subject"] == "通报 V1" and body(box["内部通报_王芳.eml"]) == "王芳 收\n"
    assert box["客户行程_钱红.eml"]["Subject"].startswith("来访行程")  # the shipped one


def test_a_template_without_a_subject_line_is_a_clear_error(tmp_path):
    own = tmp_path / "templates"
    shutil.copytree(options(tmp_path).templates, own, ignore=shutil.ignore_patterns("mail"))
    (own / "mail").mkdir()
    (own / "mail" / "briefing.zh.j2").write_text("你好 {{ recipient.name }}\n", encoding="utf-8")
    write(tmp_path, mail_visit())
    opts = options(tmp_path)
    opts.templates = own
    with pytest.raises(TemplateError, match="mail/briefing.zh.j2.*Subject"):
        mail(opts, config(tmp_path))


def test_a_misspelt_field_in_a_mail_template_names_the_template_and_the_field(tmp_path):
    own = tmp_path / "templates"
    shutil.copytree(options(tmp_path).templates, own, ignore=shutil.ignore_patterns("mail"))
    (own / "mail").mkdir()
    (own / "mail" / "briefing.zh.j2").write_text("Subject: 通报\n\n{{ recipient.nmae }}\n", encoding="utf-8")
    write(tmp_path, mail_visit())
    opts = options(tmp_path)
    opts.templates = own
    with pytest.raises(TemplateError) as e:
        mail(opts, config(tmp_path))
    assert e.value.template == "mail/briefing.zh.j2" and e.value.field == "nmae"
    assert "nmae" in e.value.message_in("zh") and "未定义的字段" in e.value.message_in("zh")

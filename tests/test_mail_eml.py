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


def test_an_outbox_that_is_a_link_is_refused_and_nothing_is_written_through_it(tmp_path):
    from pipeline.errors import OutputError
    write(tmp_path, mail_visit())
    mail(options(tmp_path), config(tmp_path))
    box = tmp_path / "output" / "visits" / "V1" / "outbox"
    shutil.rmtree(box)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    box.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError) as e:
        mail(options(tmp_path), config(tmp_path))
    assert str(box) in str(e.value) and "symbolic link" in str(e.value)
    assert list(elsewhere.iterdir()) == []


# ---- workbook values in headers: never a second recipient, never a line too long -------------

ATTACKER = "spy@attacker.com"
HOSTILE_NAMES = [
    "Li =?utf-8?q?Ming_=3Cspy=40attacker=2Ecom=3E=2C?=",  # an encoded word that decodes to an address
    "Wang =?utf-8?q?a=0D=0ABcc=3A_spy=40attacker=2Ecom?=",  # one that decodes to a line break and a header
    # (none starts with "=": the test's workbook writer would make it a formula)
    "赵强 <spy@attacker.com>, x",  # non-ASCII, so encoded: decodes to an address
    '"spy@attacker.com" <spy@attacker.com>; =?utf-8?b?PHNweUBhdHRhY2tlci5jb20+?=',
]
ADDRESS_HEADERS = ("To", "Cc", "Bcc", "From", "Reply-To", "Sender", "Resent-To")


def hostile_rows(approval: str = "approved") -> dict:
    rows = mail_visit()
    for s, name in zip(rows["staff"], HOSTILE_NAMES):
        s["name"] = name
    rows["visits"][0].update(contact_name="钱红 =?utf-8?b?PHNweUBhdHRhY2tlci5jb20+LCA=?=",
                             approver="李总 =?utf-8?q?=3Cspy=40attacker=2Ecom=3E?=",
                             client_org="华东=?utf-8?q?=0D=0ABcc=3A_spy=40attacker=2Ecom?=精密",
                             theme="Theme =?utf-8?q?=0D=0ABcc=3A_spy=40attacker=2Ecom?=")
    if approval == "submitted":
        rows["visits"][0].update(approval="submitted", approved_on=None, briefed_on=None)
    return rows


def naive_addresses(raw: bytes) -> list[str]:
    """The addresses a mail program finds that first decodes every encoded word of the
    header section and then reads the addresses (no quoting kept)."""
    import email.utils
    from email import message_from_bytes
    from email import policy as policies
    msg = message_from_bytes(raw, policy=policies.compat32)
    found = []
    for header in ADDRESS_HEADERS:
        for value in msg.get_all(header) or []:
            decoded = str(make_header(decode_header(str(value))))
            found += [a for _, a in email.utils.getaddresses([decoded]) if a]
    return found


def assert_one_recipient(raw: bytes, expected: str, names: set[str]):
    from test_mail_support import parse
    msg = parse(raw)
    assert [a.addr_spec for a in msg["To"].addresses] == [expected]
    assert msg["Cc"] is None and msg["Bcc"] is None
    assert sorted(naive_addresses(raw)) == sorted([expected, SENDER, "office@example.com"])
    assert ATTACKER not in msg["To"].addresses[0].display_name
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    assert set(p.get_filename() for p in msg.iter_attachments()) <= names  # each one as written
    header_section = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert not re.search(r"(?im)^(bcc|cc):", header_section)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


@pytest.mark.parametrize("approval", ["approved", "submitted"])
def test_a_name_that_decodes_to_an_address_adds_no_recipient(tmp_path, approval):
    box = drafts(tmp_path, hostile_rows(approval))
    assert len(box) == (5 if approval == "approved" else 1)
    folder = tmp_path / "output" / "visits" / "V1" / "outbox"
    expected = {"approved": [*STAFF_EMAILS.values(), "qian.hong@example.com"],
                "submitted": ["li.zong@example.com"]}[approval]
    seen = []
    for name in box:
        raw = (folder / name).read_bytes()
        to = parse_to(raw)
        seen.append(to)
        documents = {p.name for p in (tmp_path / "output" / "visits" / "V1").glob("*.*")}
        assert_one_recipient(raw, to, documents | {"日程_V1.ics"})
    assert sorted(seen) == sorted(expected)


def parse_to(raw: bytes) -> str:
    from test_mail_support import parse
    return parse(raw)["To"].addresses[0].addr_spec


def test_a_subject_or_sender_holding_an_encoded_word_stays_plain_text(tmp_path):
    """A company template's subject may be all ASCII: an encoded word in it must not decode
    into a header (the standard library decodes one when the value is assigned)."""
    from dataclasses import replace as change
    from test_mail_support import parse
    from pipeline.mail.eml import eml_bytes
    from pipeline.mail.recipe import mail as mail_run
    write(tmp_path, mail_visit())
    run = mail_run(options(tmp_path), config(tmp_path))
    out = run.mail[0].messages[0]
    subject = "Visit V1 =?utf-8?q?x=0D=0ABcc=3A_spy=40attacker=2Ecom?= ok"
    cfg = change(config(tmp_path), sender_name="=?utf-8?q?Office_=3Cspy=40attacker=2Ecom=3E=2C?=")
    raw = eml_bytes(change(out, subject=subject), cfg)
    msg = parse(raw)
    assert msg["Subject"] == subject and msg["Bcc"] is None
    assert [a.addr_spec for a in msg["From"].addresses] == [SENDER]
    assert ATTACKER not in naive_addresses(raw)


def test_a_2000_character_unbroken_name_gives_no_line_past_the_rfc_5322_limits(tmp_path):
    """A server refuses a line past 998 characters, and the message then failed on every
    run; folded (or cut) headers keep every line within 78 here."""
    rows = mail_visit()
    rows["staff"][1]["name"] = "x" * 2000
    rows["staff"][2]["name"] = "长" * 2000
    rows["visits"][0].update(contact_name="Qian" + "h" * 2000, client_org="Y" * 2000, theme="T" * 2000)
    box = drafts(tmp_path, rows)
    assert len(box) == 5
    for path in (tmp_path / "output" / "visits" / "V1" / "outbox").glob("*.eml"):
        lines = path.read_bytes().split(b"\r\n")
        assert max(map(len, lines)) <= 998, path.name
        # 78 where folding allows: not inside an Office document's MIME type (one 79-character token)
        long = [line for line in lines if len(line) > 78 and not line.startswith(OFFICE_TYPE)]
        assert not long, (path.name, long[0][:120])
    # decoded as RFC 2047 says (the standard library's own parser puts a space between two encoded words)
    to = {msg["To"].addresses[0].addr_spec: str(make_header(decode_header(
        re.sub(r"\r?\n", "", next(v for k, v in msg.raw_items() if k == "To"))))) for msg in box.values()}
    assert to[STAFF_EMAILS["王芳"]] == '"' + "x" * 61 + '..." <wang.fang@example.com>'
    assert to[STAFF_EMAILS["赵强"]] == "长" * 63 + "… <zhao.qiang@example.com>"
    assert to["qian.hong@example.com"] == '"Qian' + "h" * 57 + '..." <qian.hong@example.com>'
    subject = next(m["Subject"] for m in box.values() if m["To"].addresses[0].addr_spec == "qian.hong@example.com")
    assert "Y" * 2000 in subject  # folded, not cut


OFFICE_TYPE = b"Content-Type: application/vnd.openxmlformats-officedocument."


def test_the_company_profile_signs_every_message_and_organizes_its_events(tmp_path):
    from dataclasses import replace
    from profiles import profile
    write(tmp_path, mail_visit())
    company = profile(tmp_path)
    mail(replace(options(tmp_path), company=company), replace(config(tmp_path), signature=""))
    box = outbox(tmp_path)
    signature = ("王敏\n明远精密仪器有限公司\n上海市张江路 88 号\n总机 021-5555 0000  ·  电话 021-5555 0101\n"
                 "desk@mingyuan.example\nwww.mingyuan.example\n")
    for name, msg in box.items():
        assert body(msg).endswith("\n\n" + signature), name
        events = Calendar.from_ical(attachments(msg)["日程_V1.ics"]).walk("VEVENT")
        assert events and {str(e["ORGANIZER"]) for e in events} == {"mailto:desk@mingyuan.example"}, name
        assert {e["ORGANIZER"].params["CN"] for e in events} == {"明远精密仪器有限公司"}, name
    plan = attachments(box["内部通报_王芳.eml"])[PLAN]
    assert b"word/media/company_logo.png" in plan  # the documents carry the letterhead
    mail(replace(options(tmp_path), company=company), config(tmp_path))  # the sender's own signature wins
    assert body(outbox(tmp_path)["客户行程_钱红.eml"]).endswith("\n\n华东公司 接待办\n电话 021-5555\n")


def test_without_a_profile_messages_end_with_the_senders_signature_alone(tmp_path):
    from dataclasses import replace
    write(tmp_path, mail_visit())
    mail(options(tmp_path), replace(config(tmp_path), signature=""))
    for name, msg in outbox(tmp_path).items():
        assert not body(msg).endswith("\n\n\n"), name
        events = Calendar.from_ical(attachments(msg)["日程_V1.ics"]).walk("VEVENT")
        assert all("ORGANIZER" not in e for e in events), name


def test_a_company_mail_template_may_use_the_profiles_fields(tmp_path):
    from dataclasses import replace
    from profiles import profile
    own = tmp_path / "templates"
    (own / "mail").mkdir(parents=True)
    (own / "mail" / "itinerary.en.j2").write_text(
        "Subject: Your visit to {{ company.short_name }}\n\nCall {{ company.desk.name }} on {{ company.desk.phone }}.\n",
        encoding="utf-8")
    write(tmp_path, mail_visit(), lang="en")
    opts = replace(options(tmp_path), templates=own, company=profile(tmp_path))
    mail(opts, config(tmp_path))
    msg = next(m for name, m in outbox(tmp_path).items() if m["To"].addresses[0].addr_spec == "qian.hong@example.com")
    assert msg["Subject"] == "Your visit to 明远" and body(msg) == "Call 王敏 on 021-5555 0101.\n"

"""`python -m pipeline mail|send` through the real entry point: exit status, what the
terminal shows (addresses, never names), settings from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_mail_support import STAFF_EMAILS, mail_visit, outbox, smtp_server, write

pytestmark = pytest.mark.slow  # every test here runs the command line in another process

__all__ = ["smtp_server"]

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("李明", "王芳", "赵强", "陈静", "钱红", "孙伟", "周敏", "李总")


def cli(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RECEPTION_")}
    return subprocess.run([sys.executable, "-m", "pipeline", *args, "--input", "input", "--output", "output",
                           "--today", "2027-03-05", "--pdf", "none"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300, env={**clean, "PYTHONPATH": str(ROOT), **env})


def smtp_env(server) -> dict[str, str]:
    return {"RECEPTION_SMTP_HOST": "127.0.0.1", "RECEPTION_SMTP_PORT": str(server.port),
            "RECEPTION_SMTP_SECURITY": "none", "RECEPTION_MAIL_FROM": "reception@example.com"}


def assert_no_names(r):
    for name in NAMES:
        assert name not in r.stdout + r.stderr, name


def test_mail_writes_the_outbox_and_names_no_one(tmp_path):
    rows = mail_visit()
    rows["staff"][2]["email"] = None  # 赵强, staff row 4
    write(tmp_path, rows)
    r = cli(tmp_path, "mail")
    assert r.returncode == 0, r.stderr
    assert "V1：人员分工表第 4 行没有邮箱地址，内部通报无法发送" in r.stdout
    assert "邮件：4 封草稿已写入各接待文件夹的 outbox/（0 封已发送且无变化）" in r.stdout
    assert len(outbox(tmp_path)) == 4
    assert_no_names(r)
    assert not (tmp_path / ".reception" / "sendlog.jsonl").exists()  # drafting logs nothing
    known = json.loads((tmp_path / ".reception" / "sendlog.workbooks.json").read_text(encoding="utf-8"))
    [(identity, entry)] = known.items()  # but the workbook's identity is kept, for the calendar UIDs
    assert identity.startswith("visits-") and entry == {"path": str((tmp_path / "input" / "visits.xlsx").resolve()),
                                                         "visits": ["V1"]}
    assert f"visits.xlsx：邮件标识 {identity}" in r.stdout


def test_send_dry_run_shows_what_would_go_where(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    r = cli(tmp_path, "send", "--dry-run", **smtp_env(smtp_server))
    assert r.returncode == 0, r.stderr
    assert f"将发送 V1 内部通报 → {STAFF_EMAILS['王芳']}：接待方案_V1_华东精密机械有限公司.docx, " \
           "人员分工_V1_华东精密机械有限公司.xlsx, 座次与桌签_V1_华东精密机械有限公司.docx, 日程_V1.ics" in r.stdout
    assert f"将发送 V1 内部通报 → {STAFF_EMAILS['赵强']}：接待方案_V1_华东精密机械有限公司.docx, " \
           "人员分工_V1_华东精密机械有限公司.xlsx, 日程_V1.ics" in r.stdout  # the driver sits at no table
    assert "将发送 V1 客户行程 → qian.hong@example.com：客户行程_V1_华东精密机械有限公司.docx, 日程_V1.ics" in r.stdout
    assert "共 5 封将发送" in r.stdout
    assert smtp_server.received == [] and not (tmp_path / ".reception").exists()
    assert_no_names(r)


def test_send_then_send_again(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    r = cli(tmp_path, "send", **smtp_env(smtp_server))
    assert r.returncode == 0, r.stderr
    assert f"已发送 V1 内部通报 → {STAFF_EMAILS['李明']}" in r.stdout
    assert "发送：成功 5 封，失败 0 封，投递情况未知 0 封" in r.stdout
    assert_no_names(r)
    assert (tmp_path / ".reception" / "sendlog.jsonl").is_file()  # the default place, outside output/
    r = cli(tmp_path, "send", **smtp_env(smtp_server))
    assert r.returncode == 0 and "邮件：没有需要发送的邮件（5 封已发送且无变化）" in r.stdout
    assert len(smtp_server.received) == 5


def test_a_failed_recipient_exits_1_and_says_why(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    smtp_server.handler.refuse.add("qian.hong@example.com")
    r = cli(tmp_path, "send", **smtp_env(smtp_server))
    assert r.returncode == 1
    assert "发送失败 V1 客户行程 → qian.hong@example.com：recipient refused (550)" in r.stderr
    assert "发送：成功 4 封，失败 1 封，投递情况未知 0 封" in r.stdout
    assert_no_names(r)


def test_send_without_a_server_is_a_usage_error(tmp_path):
    write(tmp_path, mail_visit())
    r = cli(tmp_path, "send")
    assert r.returncode == 2 and "没有 SMTP 服务器：请在 reception.toml 中设置 smtp.host" in r.stderr
    r = cli(tmp_path, "send", "--lang", "en")
    assert r.returncode == 2 and "no SMTP server: set smtp.host in reception.toml" in r.stderr


def test_a_bad_settings_file_is_named(tmp_path):
    write(tmp_path, mail_visit())
    (tmp_path / "mine.toml").write_text('[smtp]\npassword = "x"\n', encoding="utf-8")
    r = cli(tmp_path, "mail", "--settings", "mine.toml", "--lang", "en")
    assert r.returncode == 2 and "mine.toml: smtp.password: a password is never kept in a file" in r.stderr
    r = cli(tmp_path, "mail", "--settings", "mine.toml")
    assert r.returncode == 2 and "mine.toml：smtp.password：密码从不写在文件里，请删除此项并设置环境变量 " \
                                 "RECEPTION_SMTP_PASSWORD" in r.stderr
    assert not (tmp_path / "output").exists()  # nothing is built on bad settings


def test_an_old_mail_settings_file_is_still_read_with_a_note_to_move_it(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    (tmp_path / "mail.toml").write_text(
        f'[sender]\naddress = "old@example.com"\n[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\n'
        'security = "none"\n', encoding="utf-8")
    r = cli(tmp_path, "send", "--dry-run", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "note: the mail settings are still read from mail.toml; move its sections into reception.toml" \
        in r.stderr
    (tmp_path / "mine.toml").write_text('[smtp]\nhots = "x"\n', encoding="utf-8")
    r = cli(tmp_path, "mail", "--mail-config", "mine.toml", "--lang", "en")  # the old option too
    assert r.returncode == 2 and "mine.toml: unknown key smtp.hots" in r.stderr


def test_an_unexpected_error_in_one_workbooks_mail_is_one_line_status_3_and_the_others_go(tmp_path, monkeypatch,
                                                                                         capsys):
    from pipeline.cli import main
    from pipeline.mail import recipe
    write(tmp_path, mail_visit(), name="a.xlsx")
    write(tmp_path, mail_visit(), name="b.xlsx")
    real = recipe.compose

    def defect(result, *args, **kwargs):
        if result.workbook.name == "a":
            raise AttributeError("x")
        return real(result, *args, **kwargs)

    monkeypatch.setattr(recipe, "compose", defect)
    monkeypatch.chdir(tmp_path)
    for k in [k for k in os.environ if k.startswith("RECEPTION_")]:
        monkeypatch.delenv(k)
    assert main(["mail", "--input", "input", "--output", "output", "--today", "2027-03-05", "--lang", "en",
                 "--pdf", "none"]) == 3
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if "a.xlsx" in line]
    assert "AttributeError" in line and "a defect" in line and "Traceback" not in err
    assert len(outbox(tmp_path, workbook="b")) == 5 and outbox(tmp_path, workbook="a") == {}


def test_a_message_whose_delivery_is_unknown_says_so(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    smtp_server.handler.accept_then_drop.add("qian.hong@example.com")
    r = cli(tmp_path, "send", "--lang", "en", **smtp_env(smtp_server))
    assert r.returncode == 1
    [line] = [line for line in r.stderr.splitlines() if "qian.hong@example.com" in line]
    assert line.startswith("delivery unknown V1 itinerary → qian.hong@example.com: ")
    assert "may have arrived (SMTP cannot tell)" in line and "sent again next time" in line
    assert "not sent" not in r.stderr
    assert "Sent: 4 delivered, 0 failed, 1 delivery unknown" in r.stdout
    log = (tmp_path / ".reception" / "sendlog.jsonl").read_text(encoding="utf-8")
    assert '"status": "unknown"' in log

"""Mail settings: the shipped example, environment variables, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.mail import MailError
from pipeline.mail.config import DEFAULT_SENDLOG, MailConfig, load_config

EXAMPLE = Path(__file__).resolve().parents[1] / "mail.example.toml"


def test_the_shipped_example_loads(tmp_path):
    config = load_config(EXAMPLE, env={})
    assert config.sender_address == "reception@example.com" and config.sender_name == "华东精密 接待办公室"
    assert config.signature.strip().splitlines() == ["华东精密 接待办公室", "电话 021-5555 0000"]
    assert config.zone.key == "Asia/Shanghai"
    assert (config.smtp.host, config.smtp.port, config.smtp.security, config.smtp.user) == \
        ("smtp.example.com", 587, "starttls", "reception@example.com")
    assert config.sendlog == DEFAULT_SENDLOG


def test_no_file_gives_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(env={}) == MailConfig()


def test_environment_variables_win_over_the_file():
    env = {"RECEPTION_MAIL_FROM": "office@example.com", "RECEPTION_SMTP_SECURITY": "ssl",
           "RECEPTION_SMTP_HOST": "mail.example.com", "RECEPTION_MAIL_TIMEZONE": "Europe/Berlin",
           "RECEPTION_SENDLOG": "/var/lib/reception/sendlog.jsonl", "RECEPTION_SMTP_PORT": "2465"}
    config = load_config(EXAMPLE, env=env)
    assert config.sender_address == "office@example.com" and config.smtp.security == "ssl"
    assert config.smtp.host == "mail.example.com" and config.smtp.port == 2465
    assert config.timezone == "Europe/Berlin" and str(config.sendlog) == "/var/lib/reception/sendlog.jsonl"


def test_the_config_file_may_come_from_the_environment(tmp_path):
    assert load_config(env={"RECEPTION_MAIL_CONFIG": str(EXAMPLE)}).source == EXAMPLE


def test_the_password_comes_only_from_the_environment(tmp_path):
    path = tmp_path / "mail.toml"
    path.write_text('[smtp]\nhost = "smtp.example.com"\npassword = "secret"\n', encoding="utf-8")
    with pytest.raises(MailError, match="RECEPTION_SMTP_PASSWORD"):
        load_config(path, env={})
    assert MailConfig().password({"RECEPTION_SMTP_PASSWORD": "s3"}) == "s3"


@pytest.mark.parametrize("text, match, zh", [
    ('[sender]\naddress = "not an address"\n', "sender.address: not an e-mail address", "sender.address：不是电子邮件地址"),
    ('[sender]\naddress = "a@example.com\\nBcc: b@example.com"\n', "sender.address: not an e-mail address",
     "sender.address：不是电子邮件地址"),
    ('[calendar]\ntimezone = "Mars/Olympus"\n', "unknown time zone", "未知时区 'Mars/Olympus'"),
    ('[smtp]\nsecurity = "tls"\n', "is not one of", "smtp.security：'tls' 不是"),
    ('[smtp]\nhost = "smtp.example.com"\nsecurity = "none"\n', "clear text", "以明文发送"),
    ('[smtp]\nport = "x"\n', "smtp.port: not a number", "smtp.port：不是数字"),
    ('[smtp]\nhots = "x"\n', "unknown key smtp.hots", "未知的设置项 smtp.hots"),
    ('[sendr]\nname = "x"\n', r"unknown section \[sendr\]", "未知的设置节 [sendr]"),
    ("[smtp\n", "not valid TOML", "不是有效的 TOML"),
])
def test_bad_settings_are_named_in_either_language(tmp_path, text, match, zh):
    path = tmp_path / "mail.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MailError, match=match) as e:
        load_config(path, env={})
    assert zh in e.value.message_in("zh") and str(path) in str(e.value)
    assert e.value.message_in("en") == e.value.message


def test_clear_text_only_to_this_machine(tmp_path):
    for host in ("localhost", "127.0.0.1", "::1"):
        assert load_config(None, env={"RECEPTION_SMTP_HOST": host, "RECEPTION_SMTP_SECURITY": "none"}).smtp.port == 25

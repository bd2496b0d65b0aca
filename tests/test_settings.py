"""The settings file: the shipped example, the environment, the old mail.toml, and every
mistake named with its file and key in either language."""

from __future__ import annotations

from pathlib import Path

import pytest

from images import png
from pipeline.errors import SettingsError
from pipeline.mail.config import DEFAULT_SENDLOG, MailConfig
from pipeline.settings import SCHEMA, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "reception.example.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_example_loads_and_documents_every_key():
    settings = load_settings(EXAMPLE, env={})
    company, config = settings.company, settings.mail
    assert (company.name_zh, company.name_en, company.short_name) == \
        ("明远精密仪器有限公司", "Mingyuan Precision Instruments Co., Ltd.", "明远精密")
    assert (company.phone, company.desk_name, company.desk_email) == ("021-5555 0000", "王敏", "reception@example.com")
    assert company.logo is None  # commented out: the example has no logo beside it
    assert settings.pdf == "upcoming" and settings.source == EXAMPLE and settings.legacy is None
    assert config.sender_address == "reception@example.com" and config.sender_name == "明远精密 接待办公室"
    assert config.signature == ""  # commented out: the signature is made from the profile
    assert config.zone.key == "Asia/Shanghai"
    assert (config.smtp.host, config.smtp.port, config.smtp.security, config.smtp.user) == \
        ("smtp.example.com", 587, "starttls", "reception@example.com")
    assert config.sendlog == DEFAULT_SENDLOG
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, keys in SCHEMA.items():  # every key and its variable are in the example
        assert f"[{section}]" in text
        for key, setting in keys.items():
            assert f"{key} = " in text and setting.env in text, key


def test_no_file_gives_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}) == Settings()
    assert load_settings(env={}).mail == MailConfig()


def test_reception_toml_in_the_working_folder_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "reception.toml", '[company]\nname_en = "Acme"\n[documents]\npdf = "ALL"\n')
    settings = load_settings(env={})
    assert settings.company.name("zh") == "Acme" and settings.pdf == "all"
    assert settings.source == Path("reception.toml")


def test_environment_variables_win_over_the_file():
    env = {"RECEPTION_MAIL_FROM": "office@example.com", "RECEPTION_SMTP_SECURITY": "ssl",
           "RECEPTION_SMTP_HOST": "mail.example.com", "RECEPTION_MAIL_TIMEZONE": "Europe/Berlin",
           "RECEPTION_SENDLOG": "/var/lib/reception/sendlog.jsonl", "RECEPTION_SMTP_PORT": "2465",
           "RECEPTION_COMPANY_NAME_EN": "Other Co.", "RECEPTION_PDF": "none", "RECEPTION_DESK_EMAIL": "desk@example.com"}
    settings = load_settings(EXAMPLE, env=env)
    config = settings.mail
    assert config.sender_address == "office@example.com" and config.smtp.security == "ssl"
    assert config.smtp.host == "mail.example.com" and config.smtp.port == 2465
    assert config.timezone == "Europe/Berlin" and str(config.sendlog) == "/var/lib/reception/sendlog.jsonl"
    assert settings.company.name("en") == "Other Co." and settings.company.name_zh == "明远精密仪器有限公司"
    assert settings.company.desk_email == "desk@example.com" and settings.pdf == "none"


def test_the_settings_file_may_come_from_the_environment():
    assert load_settings(env={"RECEPTION_SETTINGS": str(EXAMPLE)}).source == EXAMPLE


def test_passwords_come_only_from_the_environment(tmp_path):
    for section in ("smtp", "company"):
        path = write(tmp_path / "reception.toml", f'[{section}]\npassword = "secret"\n')
        with pytest.raises(SettingsError, match="RECEPTION_SMTP_PASSWORD") as e:
            load_settings(path, env={})
        assert "secret" not in str(e.value)
    assert MailConfig().password({"RECEPTION_SMTP_PASSWORD": "s3"}) == "s3"


@pytest.mark.parametrize("text, match, zh", [
    ('[sender]\naddress = "not an address"\n', "sender.address: not an e-mail address", "sender.address：不是电子邮件地址"),
    ('[sender]\naddress = "a@example.com\\nBcc: b@example.com"\n', "sender.address: not an e-mail address",
     "sender.address：不是电子邮件地址"),
    ('[calendar]\ntimezone = "Mars/Olympus"\n', "calendar.timezone: unknown time zone", "未知时区 'Mars/Olympus'"),
    ('[smtp]\nsecurity = "tls"\n', "smtp.security: 'tls' is not one of", "smtp.security：'tls' 不是"),
    ('[smtp]\nhost = "smtp.example.com"\nsecurity = "none"\n', "clear text", "以明文发送"),
    ('[smtp]\nport = "x"\n', "smtp.port: not a number", "smtp.port：不是数字"),
    ('[smtp]\nport = 0\n', "smtp.port: must be positive", "smtp.port：必须大于 0"),
    ('[smtp]\nhots = "x"\n', "unknown key smtp.hots", "未知的设置项 smtp.hots"),
    ('[sendr]\nname = "x"\n', r"unknown section \[sendr\]", "未知的设置节 [sendr]"),
    ("[smtp\n", "not valid TOML", "不是有效的 TOML"),
    ('[company]\ndesk_email = "desk at example.com"\n', "company.desk_email: not an e-mail address",
     "company.desk_email：不是电子邮件地址"),
    ('[company]\nphone = 2155550000\n', "company.phone: must be text in quotes", "company.phone：须为加引号的文字"),
    ('[company]\nname_zh = "甲\\n乙"\n', "company.name_zh: must be one line", "company.name_zh：须为一行文字"),
    ('[company]\nlogo = "nowhere.png"\n', "company.logo: no logo file", "company.logo：找不到徽标文件"),
    ('[documents]\npdf = "some"\n', "documents.pdf: 'some' is not one of all, upcoming, none",
     "documents.pdf：'some' 不是 all, upcoming, none 之一"),
])
def test_bad_settings_are_named_with_the_file_and_key_in_either_language(tmp_path, text, match, zh):
    path = write(tmp_path / "reception.toml", text)
    with pytest.raises(SettingsError, match=match) as e:
        load_settings(path, env={})
    assert zh in e.value.message_in("zh") and e.value.path == path and str(path) in str(e.value)
    assert e.value.message_in("en") == e.value.message
    assert "\n" not in e.value.message_in("zh")


def test_a_bad_environment_variable_is_named_by_its_name(tmp_path):
    with pytest.raises(SettingsError) as e:
        load_settings(write(tmp_path / "s.toml", ""), env={"RECEPTION_SMTP_PORT": "x"})
    assert e.value.path is None  # no file to blame
    assert e.value.message == "RECEPTION_SMTP_PORT (smtp.port): not a number: 'x'"
    assert e.value.message_in("zh") == "RECEPTION_SMTP_PORT (smtp.port)：不是数字：'x'"


def test_clear_text_only_to_this_machine(tmp_path):
    for host in ("localhost", "127.0.0.1", "::1"):
        settings = load_settings(write(tmp_path / "s.toml", ""),
                                 env={"RECEPTION_SMTP_HOST": host, "RECEPTION_SMTP_SECURITY": "none"})
        assert settings.mail.smtp.port == 25


def test_the_old_mail_toml_is_read_under_the_settings_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mail.toml", '[sender]\naddress = "old@example.com"\nname = "Old"\n[smtp]\nhost = "smtp.old"\n')
    settings = load_settings(env={})
    assert settings.legacy == Path("mail.toml") and settings.source is None
    assert (settings.mail.sender_address, settings.mail.smtp.host) == ("old@example.com", "smtp.old")
    write(tmp_path / "reception.toml", '[sender]\naddress = "new@example.com"\n')
    settings = load_settings(env={})  # the settings file wins key by key; the rest still comes from mail.toml
    assert (settings.mail.sender_address, settings.mail.sender_name, settings.mail.smtp.host) == \
        ("new@example.com", "Old", "smtp.old")
    assert settings.legacy == Path("mail.toml") and settings.source == Path("reception.toml")
    write(tmp_path / "mail.toml", '[company]\nname_zh = "x"\n')  # the old file holds mail settings only
    with pytest.raises(SettingsError, match=r"unknown section \[company\]"):
        load_settings(env={})


def test_the_old_mail_file_may_be_named(tmp_path):
    old = write(tmp_path / "mine.toml", '[sender]\naddress = "old@example.com"\n')
    assert load_settings(write(tmp_path / "s.toml", ""), env={}, mail_file=old).legacy == old
    settings = load_settings(write(tmp_path / "s.toml", ""), env={"RECEPTION_MAIL_CONFIG": str(old)})
    assert settings.legacy == old and settings.mail.sender_address == "old@example.com"


def test_the_logo_is_found_beside_the_settings_file_or_from_the_working_folder(tmp_path, monkeypatch):
    folder = tmp_path / "conf"
    (folder / "branding").mkdir(parents=True)
    (folder / "branding" / "logo.png").write_bytes(png(200, 50))
    path = write(folder / "reception.toml", '[company]\nlogo = "branding/logo.png"\n')
    logo = load_settings(path, env={}).company.logo
    assert logo.path == folder / "branding" / "logo.png" and (logo.kind, logo.width, logo.height) == ("png", 200, 50)
    monkeypatch.chdir(folder)
    from_env = load_settings(write(tmp_path / "empty.toml", ""), env={"RECEPTION_COMPANY_LOGO": "branding/logo.png"})
    assert from_env.company.logo.data == logo.data

"""Who the mail is from and how it is sent: a small TOML file, or environment variables.

The file is `mail.toml` in the working folder (or `--mail-config FILE`, or the
RECEPTION_MAIL_CONFIG variable); `mail.example.toml` documents every key. Each setting
can also come from an environment variable, which wins over the file. The SMTP password
is read only from an environment variable (RECEPTION_SMTP_PASSWORD), never from a file.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import values
from . import MailError

DEFAULT_FILE = Path("mail.toml")
DEFAULT_SENDLOG = Path(".reception/sendlog.jsonl")
PASSWORD_VARIABLE = "RECEPTION_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}

# (section, key) -> environment variable
ENVIRONMENT = {
    ("sender", "name"): "RECEPTION_MAIL_FROM_NAME",
    ("sender", "address"): "RECEPTION_MAIL_FROM",
    ("sender", "reply_to"): "RECEPTION_MAIL_REPLY_TO",
    ("sender", "signature"): "RECEPTION_MAIL_SIGNATURE",
    ("calendar", "timezone"): "RECEPTION_MAIL_TIMEZONE",
    ("smtp", "host"): "RECEPTION_SMTP_HOST",
    ("smtp", "port"): "RECEPTION_SMTP_PORT",
    ("smtp", "security"): "RECEPTION_SMTP_SECURITY",
    ("smtp", "user"): "RECEPTION_SMTP_USER",
    ("smtp", "timeout"): "RECEPTION_SMTP_TIMEOUT",
    ("smtp", "cafile"): "RECEPTION_SMTP_CAFILE",
    ("log", "path"): "RECEPTION_SENDLOG",
}
KEYS = {section: {k for s, k in ENVIRONMENT if s == section} for section, _ in ENVIRONMENT}


@dataclass(frozen=True)
class Smtp:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls, ssl, or none (only to this machine: tests, a local relay)
    user: str = ""  # blank: no login
    timeout: float = 30.0
    cafile: str = ""  # a CA bundle to trust besides the system's (a company's own CA)


@dataclass(frozen=True)
class MailConfig:
    sender_name: str = ""
    sender_address: str = ""  # blank: drafts without From (the mail program fills it in)
    reply_to: str = ""
    signature: str = ""
    timezone: str = "Asia/Shanghai"
    sendlog: Path = DEFAULT_SENDLOG
    smtp: Smtp = field(default_factory=Smtp)
    source: Path | None = None  # the file the settings came from

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def password(self, env: Mapping[str, str] | None = None) -> str:
        return (os.environ if env is None else env).get(PASSWORD_VARIABLE, "")


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> MailConfig:
    """The settings from `path` (or RECEPTION_MAIL_CONFIG, or ./mail.toml when it exists),
    then the environment variables on top; checked."""
    env = os.environ if env is None else env
    if path is None and env.get("RECEPTION_MAIL_CONFIG"):
        path = Path(env["RECEPTION_MAIL_CONFIG"])
    elif path is None and DEFAULT_FILE.is_file():
        path = DEFAULT_FILE
    data = _read(path) if path else {}
    for (section, key), variable in ENVIRONMENT.items():
        if env.get(variable):
            data.setdefault(section, {})[key] = env[variable]
    return _check(data, path)


def _read(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise MailError.of(path, "mail_error.unreadable_settings", reason=e.strerror or str(e)) from None
    except tomllib.TOMLDecodeError as e:
        raise MailError.of(path, "mail_error.not_toml", detail=str(e)) from None
    for section, entries in data.items():
        if section not in KEYS or not isinstance(entries, dict):
            raise MailError.of(path, "mail_error.unknown_section", section=section, known=", ".join(sorted(KEYS)))
        if "password" in entries:
            raise MailError.of(path, "mail_error.password_in_file", variable=PASSWORD_VARIABLE)
        unknown = set(entries) - KEYS[section]
        if unknown:
            raise MailError.of(path, "mail_error.unknown_key", setting=f"{section}.{sorted(unknown)[0]}",
                               known=", ".join(sorted(KEYS[section])))
    return data


def _check(data: dict, path: Path | None) -> MailConfig:
    sender, calendar, smtp, log = (data.get(s, {}) for s in ("sender", "calendar", "smtp", "log"))
    config = MailConfig(
        sender_name=_text(sender.get("name")), sender_address=_address(sender.get("address"), "sender.address", path),
        reply_to=_address(sender.get("reply_to"), "sender.reply_to", path), signature=_text(sender.get("signature")),
        timezone=_text(calendar.get("timezone")) or MailConfig.timezone,
        sendlog=Path(_text(log.get("path")) or DEFAULT_SENDLOG), source=path)
    try:
        config.zone
    except (ZoneInfoNotFoundError, ValueError):
        raise MailError.of(path, "mail_error.timezone", zone=repr(config.timezone)) from None
    security = _text(smtp.get("security")).lower() or "starttls"
    if security not in SECURITY:
        raise MailError.of(path, "mail_error.security", value=repr(security), choices=", ".join(SECURITY))
    host = _text(smtp.get("host"))
    if security == "none" and host and not _loopback(host):
        raise MailError.of(path, "mail_error.clear_text", host=host)
    return replace(config, smtp=Smtp(
        host=host, port=_number(smtp.get("port"), DEFAULT_PORT[security], "smtp.port", path, int),
        security=security, user=_text(smtp.get("user")),
        timeout=_number(smtp.get("timeout"), 30.0, "smtp.timeout", path, float), cafile=_text(smtp.get("cafile"))))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _address(value: object, key: str, path: Path | None) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        return values.email(text) or ""
    except values.BadValue:
        raise MailError.of(path, "mail_error.not_address", setting=key, value=repr(text)) from None


def _number(value: object, default, key: str, path: Path | None, kind):
    if value is None or value == "":
        return default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise MailError.of(path, "mail_error.not_number", setting=key, value=repr(value)) from None
    if number <= 0:
        raise MailError.of(path, "mail_error.not_positive", setting=key)
    return number


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

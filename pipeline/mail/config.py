"""Who the mail is from and how it is sent: the mail sections of the settings file.

`[sender]`, `[calendar]`, `[smtp]` and `[log]` of `reception.toml` (pipeline/settings.py
reads the file, the environment variables and the old `mail.toml`;
`reception.example.toml` documents every key). The SMTP password is read only from an
environment variable (RECEPTION_SMTP_PASSWORD), never from a file.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from ..settings import Values

DEFAULT_SENDLOG = Path(".reception/sendlog.jsonl")
PASSWORD_VARIABLE = "RECEPTION_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}


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


def mail_config(found: Values, source: Path | None) -> MailConfig:
    """The mail settings among those found (typed and checked one by one already), checked
    together: clear text only to this machine; the port by the security."""
    security = found.get("smtp", "security", "starttls")
    host = found.get("smtp", "host", "")
    if security == "none" and host and not _loopback(host):
        found.fail("smtp", "security", "settings_error.clear_text", host=host)
    return MailConfig(
        sender_name=found.get("sender", "name", ""), sender_address=found.get("sender", "address", ""),
        reply_to=found.get("sender", "reply_to", ""), signature=found.get("sender", "signature", ""),
        timezone=found.get("calendar", "timezone", MailConfig.timezone),
        sendlog=Path(found.get("log", "path", DEFAULT_SENDLOG)), source=source,
        smtp=Smtp(host=host, port=found.get("smtp", "port", DEFAULT_PORT[security]), security=security,
                  user=found.get("smtp", "user", ""), timeout=found.get("smtp", "timeout", 30.0),
                  cafile=found.get("smtp", "cafile", "")))


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

"""The settings file of the whole tool, `reception.toml`: the schema, and reading it.

Where it is: `--settings FILE`, else the environment variable RECEPTION_SETTINGS, else
`reception.toml` in the folder the command runs in (none there: every default).
`reception.example.toml` documents every key. Sections:

- `[company]`: the company profile every document, page and e-mail shows
  (pipeline.company);
- `[documents]`: which visits get PDF copies (`--pdf` wins);
- `[sender]`, `[calendar]`, `[smtp]`, `[log]`: mail (pipeline.mail.config).

Each key may also come from the environment variable SCHEMA names beside it, which wins
over the file. Secrets come only from the environment: a `password` key is refused.

The mail settings used to live in `mail.toml` (or `--mail-config FILE`, or
RECEPTION_MAIL_CONFIG): that file is still read, for its mail sections, under the
settings file's keys; `Settings.legacy` names it so that the command line can say
to move it.

A mistake is a SettingsError naming the file (None: an environment variable) and the key
in the message, in the reader's language.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from typing import NoReturn
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import values
from .company import NO_COMPANY, Company, LogoProblem, read_logo
from .documents.pdf import POLICIES
from .errors import SettingsError
from .mail.config import MailConfig, mail_config

SETTINGS_FILE = Path("reception.toml")
SETTINGS_VARIABLE = "RECEPTION_SETTINGS"
LEGACY_MAIL_FILE = Path("mail.toml")
LEGACY_MAIL_VARIABLE = "RECEPTION_MAIL_CONFIG"
SECRETS = ("password",)  # never in a file (pipeline.mail.config.PASSWORD_VARIABLE)


class _Bad(Exception):
    """A value of the wrong kind: the interface text (`settings_error.<key>`) and its
    parameters; said with the place by `Values.fail`."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


# --------------------------------------------------------------------------------------
# Kinds of value: each takes what TOML (or an environment variable, always text) gives
# and returns the typed value, or raises _Bad.

Kind = Callable[[object], object]


def line(value: object) -> str:
    """One line of text (a name, a phone number): in quotes in the file."""
    text = _text(value)
    if any(c in text for c in "\r\n") or values.has_illegal(text):
        raise _Bad("not_one_line")
    return text


def text(value: object) -> str:
    """Text that may span lines (a signature)."""
    return values.clean(_text(value))


def _text(value: object) -> str:
    if not isinstance(value, str):  # 2155550000 would lose its leading 0 as a number
        raise _Bad("not_text", value=repr(value))
    return value.strip()


def email(value: object) -> str:
    address = _text(value)
    try:
        return (values.email(address) or "") if address else ""
    except values.BadValue:
        raise _Bad("not_address", value=repr(address)) from None


def number(kind: type) -> Kind:
    def parse(value: object) -> int | float:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise _Bad("not_number", value=repr(value))
        try:
            n = kind(value)
        except ValueError:
            raise _Bad("not_number", value=repr(value)) from None
        if n <= 0:
            raise _Bad("not_positive")
        return n
    return parse


def choice(choices: tuple[str, ...]) -> Kind:
    def parse(value: object) -> str:
        word = _text(value).lower()
        if word not in choices:
            raise _Bad("not_choice", value=repr(word), choices=", ".join(choices))
        return word
    return parse


def zone(value: object) -> str:
    name = _text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _Bad("timezone", zone=repr(name)) from None
    return name


# --------------------------------------------------------------------------------------
# The schema


@dataclass(frozen=True)
class Setting:
    kind: Kind
    env: str  # the environment variable that may give it
    doc: str  # what it is (reception.example.toml says the same, at more length)


SCHEMA: dict[str, dict[str, Setting]] = {
    "company": {
        "name_zh": Setting(line, "RECEPTION_COMPANY_NAME_ZH", "the company's name in Chinese"),
        "name_en": Setting(line, "RECEPTION_COMPANY_NAME_EN", "the company's name in English"),
        "short_name": Setting(line, "RECEPTION_COMPANY_SHORT_NAME", "a short name, where room is short"),
        "logo": Setting(line, "RECEPTION_COMPANY_LOGO",
                        "a PNG, JPEG or SVG file, relative to the settings file"),
        "address_zh": Setting(line, "RECEPTION_COMPANY_ADDRESS_ZH", "the address, in Chinese"),
        "address_en": Setting(line, "RECEPTION_COMPANY_ADDRESS_EN", "the address, in English"),
        "phone": Setting(line, "RECEPTION_COMPANY_PHONE", "the switchboard"),
        "website": Setting(line, "RECEPTION_COMPANY_WEBSITE", "the website"),
        "desk_name": Setting(line, "RECEPTION_DESK_NAME", "the reception desk's contact: name"),
        "desk_phone": Setting(line, "RECEPTION_DESK_PHONE", "… phone"),
        "desk_email": Setting(email, "RECEPTION_DESK_EMAIL", "… e-mail (the calendar's organizer)"),
    },
    "documents": {
        "pdf": Setting(choice(POLICIES), "RECEPTION_PDF", "which visits get PDF copies (--pdf wins)"),
    },
    "sender": {
        "name": Setting(line, "RECEPTION_MAIL_FROM_NAME", "shown as the sender"),
        "address": Setting(email, "RECEPTION_MAIL_FROM", "the From address"),
        "reply_to": Setting(email, "RECEPTION_MAIL_REPLY_TO", "where replies go"),
        "signature": Setting(text, "RECEPTION_MAIL_SIGNATURE", "ends every message (else the profile's)"),
    },
    "calendar": {
        "timezone": Setting(zone, "RECEPTION_MAIL_TIMEZONE", "the itinerary's time zone (IANA)"),
    },
    "smtp": {
        "host": Setting(line, "RECEPTION_SMTP_HOST", "the SMTP server"),
        "port": Setting(number(int), "RECEPTION_SMTP_PORT", "its port (default: by security)"),
        "security": Setting(choice(("starttls", "ssl", "none")), "RECEPTION_SMTP_SECURITY", "starttls, ssl or none"),
        "user": Setting(line, "RECEPTION_SMTP_USER", "the login (blank: none)"),
        "timeout": Setting(number(float), "RECEPTION_SMTP_TIMEOUT", "seconds"),
        "cafile": Setting(line, "RECEPTION_SMTP_CAFILE", "a CA bundle to trust besides the system's"),
    },
    "log": {
        "path": Setting(line, "RECEPTION_SENDLOG", "the send log, outside output/"),
    },
}
MAIL_SECTIONS = ("sender", "calendar", "smtp", "log")


# --------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Settings:
    company: Company = NO_COMPANY
    pdf: str | None = None  # None: not set (pipeline.documents.pdf.DEFAULT_POLICY)
    mail: MailConfig = field(default_factory=MailConfig)
    source: Path | None = None  # the settings file read (None: none)
    legacy: Path | None = None  # a mail.toml read too: its settings belong in the settings file


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None,
                  mail_file: Path | None = None) -> Settings:
    """The settings of `path` (else $RECEPTION_SETTINGS, else ./reception.toml if there),
    under them a legacy mail file (`mail_file`, else $RECEPTION_MAIL_CONFIG, else
    ./mail.toml if there), the environment variables over both; checked."""
    env = os.environ if env is None else env
    path = path or _env_path(env, SETTINGS_VARIABLE) or (SETTINGS_FILE if SETTINGS_FILE.is_file() else None)
    legacy = mail_file or _env_path(env, LEGACY_MAIL_VARIABLE) or \
        (LEGACY_MAIL_FILE if LEGACY_MAIL_FILE.is_file() else None)
    found = Values()
    if legacy:
        found.take(_read(legacy, MAIL_SECTIONS), legacy)
    if path:
        found.take(_read(path, tuple(SCHEMA)), path)
    found.take_environment(env)
    return Settings(company=_company(found), pdf=found.get("documents", "pdf"),
                    mail=mail_config(found, path or legacy), source=path, legacy=legacy)


def _env_path(env: Mapping[str, str], variable: str) -> Path | None:
    return Path(env[variable]) if env.get(variable) else None


def _read(path: Path, sections: tuple[str, ...]) -> dict[str, dict]:
    """The file's sections, every key known to SCHEMA, no secret."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SettingsError.of(path, "settings_error.unreadable", reason=e.strerror or str(e)) from None
    except UnicodeDecodeError:
        raise SettingsError.of(path, "settings_error.not_utf8") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError.of(path, "settings_error.not_toml", detail=str(e)) from None
    for section, entries in data.items():
        if section not in sections or not isinstance(entries, dict):
            raise SettingsError.of(path, "settings_error.unknown_section", section=section, known=", ".join(sections))
        for key in entries:
            if key in SECRETS:
                raise SettingsError.of(path, "settings_error.secret_in_file", setting=f"{section}.{key}",
                                       variable="RECEPTION_SMTP_PASSWORD")
            if key not in SCHEMA[section]:
                raise SettingsError.of(path, "settings_error.unknown_key", setting=f"{section}.{key}",
                                       known=", ".join(SCHEMA[section]))
    return data


class Values:
    """The settings found, typed, each with where it came from: a file, or an
    environment variable (which wins)."""

    def __init__(self):
        self._values: dict[tuple[str, str], object] = {}
        self._from: dict[tuple[str, str], Path | str] = {}  # a file, or an environment variable's name

    def take(self, data: dict[str, dict], path: Path) -> None:
        for section, entries in data.items():
            for key, value in entries.items():
                self._put(section, key, value, path)

    def take_environment(self, env: Mapping[str, str]) -> None:
        for section, keys in SCHEMA.items():
            for key, setting in keys.items():
                if env.get(setting.env):
                    self._put(section, key, env[setting.env], setting.env)

    def _put(self, section: str, key: str, value: object, origin: Path | str) -> None:
        self._from[section, key] = origin
        try:
            self._values[section, key] = SCHEMA[section][key].kind(value)
        except _Bad as e:
            self.fail(section, key, f"settings_error.{e.key}", **e.params)

    def get(self, section: str, key: str, default=None):
        """The typed value; `default` where it is not set or blank."""
        value = self._values.get((section, key))
        return default if value in (None, "") else value

    def path(self, section: str, key: str) -> Path | None:
        """A file named by a setting: relative to the settings file that names it (from
        the environment: to the working folder)."""
        name = self.get(section, key)
        if not name:
            return None
        origin = self._from[section, key]
        return (origin.parent / name) if isinstance(origin, Path) else Path(name)

    def fail(self, section: str, key: str, text_key: str, /, **params) -> NoReturn:
        """Raise the error of `text_key` about this setting, naming where it was set."""
        origin = self._from.get((section, key))
        setting = f"{section}.{key}"
        if isinstance(origin, str):  # an environment variable: no file to name
            setting = f"{origin} ({setting})"
        raise SettingsError.of(origin if isinstance(origin, Path) else None, text_key, setting=setting, **params)


def _company(found: Values) -> Company:
    logo = None
    path = found.path("company", "logo")
    if path is not None:
        try:
            logo = read_logo(path)
        except LogoProblem as e:
            found.fail("company", "logo", f"settings_error.{e.key}", **e.params)
    return Company(**{key: found.get("company", key, "") for key in SCHEMA["company"] if key != "logo"}, logo=logo)

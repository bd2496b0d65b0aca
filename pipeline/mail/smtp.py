"""Sending over SMTP: STARTTLS or SSL, one connection, one result per recipient.

Each message goes to exactly one envelope recipient, given explicitly (never read back
from the headers). A refused recipient fails that message only; a dropped connection
fails the message in flight, and the rest go over a new connection (once; if that
fails too, they are not attempted); a login that fails fails them all. Every outcome is
handed to `on_result` as soon as it is known, so the caller logs it before the next
message is sent. The password comes only from the environment.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from . import MailError
from .config import PASSWORD_VARIABLE, Smtp
from .eml import POLICY


@dataclass(frozen=True)
class Result:
    ok: bool
    error: str | None = None  # a short reason with the server's code: no message text, no personal data


class _ConnectionLost(Exception):
    pass


def check_ready(smtp: Smtp, sender: str, password: str) -> None:
    """Everything a send needs, before connecting."""
    if not smtp.host:
        raise MailError.of(None, "mail_error.no_host")
    if not sender:
        raise MailError.of(None, "mail_error.no_sender")
    if smtp.user and not password:
        raise MailError.of(None, "mail_error.no_password", variable=PASSWORD_VARIABLE)


def deliver(messages: list[tuple[str, EmailMessage]], smtp: Smtp, sender: str, password: str,
            on_result: Callable[[int, Result], None]) -> None:
    """Send each (recipient address, message); call `on_result(index, result)` for each."""
    check_ready(smtp, sender, password)
    todo = list(range(len(messages)))
    reconnected = False
    while todo:
        try:
            conn = _connect(smtp, password)
        except _ConnectionLost as e:
            for i in todo:
                on_result(i, Result(False, str(e)))
            return
        try:
            while todo:
                i = todo[0]
                address, msg = messages[i]
                try:
                    result = _send_one(conn, sender, address, msg)
                except _ConnectionLost as e:
                    todo.pop(0)
                    on_result(i, Result(False, str(e)))
                    break
                todo.pop(0)
                on_result(i, result)
        finally:
            _quit(conn)
        if todo:
            if reconnected:
                for i in todo:
                    on_result(i, Result(False, "not attempted: the connection was lost twice"))
                return
            reconnected = True


def _connect(smtp: Smtp, password: str) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=smtp.cafile or None)
    conn = None
    try:
        if smtp.security == "ssl":
            conn = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        conn.ehlo()
        if smtp.security == "starttls":
            if not conn.has_extn("starttls"):
                raise _ConnectionLost("the server does not offer STARTTLS; nothing was sent in clear text")
            conn.starttls(context=context)
            conn.ehlo()
        if smtp.user:
            conn.login(smtp.user, password)
        return conn
    except smtplib.SMTPAuthenticationError as e:
        _quit(conn)
        raise _ConnectionLost(f"login failed ({e.smtp_code})") from None
    except smtplib.SMTPNotSupportedError:
        _quit(conn)
        raise _ConnectionLost("the server offers no login (AUTH)") from None
    except ssl.SSLError as e:
        _quit(conn)
        raise _ConnectionLost(f"TLS failed ({e.reason or type(e).__name__})") from None
    except (smtplib.SMTPException, OSError) as e:
        _quit(conn)
        raise _ConnectionLost(f"cannot connect to {smtp.host}:{smtp.port} ({_reason(e)})") from None


def _send_one(conn: smtplib.SMTP, sender: str, address: str, msg: EmailMessage) -> Result:
    try:
        refused = conn.sendmail(sender, [address], msg.as_bytes(policy=POLICY))
    except smtplib.SMTPRecipientsRefused as e:
        code = next(iter(e.recipients.values()), (None,))[0]
        return Result(False, f"recipient refused ({code})")
    except smtplib.SMTPSenderRefused as e:
        return Result(False, f"sender refused ({e.smtp_code})")
    except smtplib.SMTPDataError as e:
        return Result(False, f"message refused ({e.smtp_code})")
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, socket.timeout, OSError) as e:
        raise _ConnectionLost(f"connection lost ({_reason(e)})") from None
    if refused:
        return Result(False, f"recipient refused ({next(iter(refused.values()))[0]})")
    return Result(True)


def _quit(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def _reason(e: BaseException) -> str:
    if isinstance(e, smtplib.SMTPResponseException):
        return str(e.smtp_code)
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return type(e).__name__

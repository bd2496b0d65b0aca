"""Sending over SMTP: STARTTLS or SSL, one connection, one result per recipient.

Each message goes to exactly one envelope recipient, given explicitly (never read back
from the headers). A refused recipient fails that message only; a dropped connection
fails the message in flight, and the rest go over a new connection (once; if that
fails too, they are not attempted); a login that fails fails them all. A connection
dropped after the whole message went and before the server's reply leaves its delivery
unknown: the server may have taken it. SMTP cannot tell; it is reported as such (status
"unknown"), not as failed. `before(index)` runs right before each message is sent (the
caller records the attempt, and stops everything if it cannot); every outcome is handed
to `on_result` as soon as it is known, so the caller logs it before the next message is
sent. The password comes only from the environment.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from . import MailError
from .config import PASSWORD_VARIABLE, Smtp
from .eml import POLICY


STATUSES = ("sent", "failed", "unknown")


@dataclass(frozen=True)
class Result:
    status: str  # one of STATUSES
    error: str | None = None  # a short reason with the server's code: no message text, no personal data

    @property
    def ok(self) -> bool:
        return self.status == "sent"


class _ConnectionLost(Exception):
    """The connection failed; the message in flight (if any) was not delivered."""


class _DeliveryUnknown(_ConnectionLost):
    """The connection failed after the whole message went, before the server replied."""


def check_ready(smtp: Smtp, sender: str, password: str) -> None:
    """Everything a send needs, before connecting."""
    if not smtp.host:
        raise MailError.of(None, "mail_error.no_host")
    if not sender:
        raise MailError.of(None, "mail_error.no_sender")
    if smtp.user and not password:
        raise MailError.of(None, "mail_error.no_password", variable=PASSWORD_VARIABLE)


def deliver(messages: list[tuple[str, EmailMessage]], smtp: Smtp, sender: str, password: str,
            on_result: Callable[[int, Result], None], before: Callable[[int], None] = lambda i: None) -> None:
    """Send each (recipient address, message); call `before(index)` right before it goes
    (what it raises stops everything) and `on_result(index, result)` once it is known."""
    check_ready(smtp, sender, password)
    todo = list(range(len(messages)))
    reconnected = False
    while todo:
        try:
            conn = _connect(smtp, password)
        except _ConnectionLost as e:
            for i in todo:
                on_result(i, Result("failed", str(e)))
            return
        try:
            while todo:
                i = todo[0]
                address, msg = messages[i]
                before(i)
                try:
                    result = _send_one(conn, sender, address, msg)
                except _ConnectionLost as e:
                    todo.pop(0)
                    on_result(i, Result("unknown" if isinstance(e, _DeliveryUnknown) else "failed", str(e)))
                    break
                todo.pop(0)
                on_result(i, result)
        finally:
            _quit(conn)
        if todo:
            if reconnected:
                for i in todo:
                    on_result(i, Result("failed", "not attempted: the connection was lost twice"))
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
    """One message: MAIL, RCPT and DATA step by step (as smtplib's sendmail does them), so
    that a connection lost after the message went is told from one lost before."""
    data = _dot_stuffed(msg.as_bytes(policy=POLICY))
    try:
        code, _ = conn.mail(sender)
        if code != 250:
            return _refused(conn, f"sender refused ({code})")
        code, _ = conn.rcpt(address)
        if code not in (250, 251):
            return _refused(conn, f"recipient refused ({code})")
        code, _ = conn.docmd("data")
        if code != 354:
            return _refused(conn, f"message refused ({code})")
        conn.send(data)
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, socket.timeout, OSError) as e:
        raise _ConnectionLost(f"connection lost ({_reason(e)})") from None
    try:
        code, _ = conn.getreply()
    except (smtplib.SMTPServerDisconnected, socket.timeout, OSError) as e:
        raise _DeliveryUnknown(f"the connection was lost after the message went, before the server "
                               f"confirmed it ({_reason(e)})") from None
    if code != 250:
        return _refused(conn, f"message refused ({code})")
    return Result("sent")


def _dot_stuffed(data: bytes) -> bytes:
    """The message as DATA carries it: a line starting with a dot gets a second one, and
    a line with a single dot ends it (RFC 5321 §4.5.2)."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _refused(conn: smtplib.SMTP, reason: str) -> Result:
    """A message the server refused: the connection is reset for the next one."""
    try:
        conn.rset()
    except (smtplib.SMTPException, OSError):
        raise _ConnectionLost(f"connection lost after {reason}") from None
    return Result("failed", reason)


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

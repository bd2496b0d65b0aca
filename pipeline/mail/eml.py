"""A composed message as a MIME e-mail: the same for a draft (.eml) and for sending.

Headers are built from parts, never pasted from text: addresses are validated ASCII
addr-specs; display names are reduced to a short line that cannot be read as an address
(safety.display_name); the subject to one line, encoded (RFC 2047) by this module when it
holds anything but plain ASCII words, so that no encoded word of the workbook's is ever
decoded into the header (the standard library would decode one when the header is set);
the standard library refuses a line break in any header and folds long ones; file names
are encoded per RFC 2231 (`filename*=utf-8''…`) in the Content-Disposition. (Not also
as the Content-Type's legacy `name`: the standard library then folds a long MIME type
into encoded words, which breaks it.) A draft carries
`X-Unsent: 1`, which makes Outlook open it as a message to send.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from .compose import Outgoing
from .safety import display_name, one_line
from .config import MailConfig

POLICY = policy.SMTP  # CRLF line ends, as on the wire and in .eml files


def build_email(out: Outgoing, config: MailConfig, draft: bool, now: datetime | None = None) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    if config.sender_address:
        msg["From"] = _address(config.sender_name, config.sender_address)
    msg["To"] = _address(out.message.to.name, out.message.to.address)
    if config.reply_to:
        msg["Reply-To"] = _address(config.sender_name, config.reply_to)
    _set_subject(msg, one_line(out.subject))
    msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
    msg["Message-ID"] = out.message_id
    if draft:
        msg["X-Unsent"] = "1"
    msg.set_content(out.body, subtype="plain", charset="utf-8", cte="base64")
    for a in out.attachments:
        maintype, _, subtype = a.mime.partition("/")
        params = {"method": a.method, "charset": "utf-8"} if a.mime == "text/calendar" else {}
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.name, params=params)
    return msg


def eml_bytes(out: Outgoing, config: MailConfig, now: datetime | None = None) -> bytes:
    """The draft as an .eml file."""
    return build_email(out, config, draft=True, now=now).as_bytes(policy=POLICY)


def _address(name: str, address: str) -> Address:
    local, _, domain = address.rpartition("@")
    return Address(display_name=display_name(name), username=local, domain=domain)


def _set_subject(msg: EmailMessage, subject: str) -> None:
    """A non-ASCII subject, or one holding what looks like an encoded word, as RFC 2047
    words of our own that each carry their own spaces: it decodes to the text as written. (The
    standard library's own folding leaves a space between two encoded words, where
    RFC 2047 decoders such as mutt's drop it: `星期二 – 2027` showed as `–2027`.)"""
    if subject.isascii() and "=?" not in subject:
        msg["Subject"] = subject
    else:
        msg.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())

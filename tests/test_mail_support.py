"""Shared by the mail tests: a small visit with e-mail addresses, the mail settings of a
test, an .eml parser, and a real SMTP server on loopback (aiosmtpd) that records what it
receives and fails on demand. The tests at the bottom check the server itself."""

from __future__ import annotations

import email
import shutil
import smtplib
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from workbooks import CLEAN_TODAY, clean_visit, write_workbook

from pipeline.build import Options
from pipeline.templating import TEMPLATES
from pipeline.mail.config import MailConfig, Smtp
from pipeline.standard import load_standard

SENDER = "reception@example.com"
STAFF_EMAILS = {"李明": "li.ming@example.com", "王芳": "wang.fang@example.com", "赵强": "zhao.qiang@example.com",
                "陈静": "chen.jing@example.com"}


def mail_visit(vid: str = "V1", day: int = 10) -> dict[str, list[dict]]:
    """clean_visit() with every staff member's address: approved, ready, not over on
    CLEAN_TODAY."""
    rows = clean_visit(vid, day)
    for s in rows["staff"]:
        s["email"] = STAFF_EMAILS[s["name"]]
    return rows


def reapprove(rows: dict, day: int) -> dict:
    """The plan approved again on 2027-03-<day>, and the team briefed that day: what the
    workbook now says is the approved version (pipeline.versions)."""
    rows["visits"][0].update(approved_on=date(2027, 3, day), briefed_on=date(2027, 3, day))
    return rows


def write(tmp_path: Path, rows: dict, name: str = "visits.xlsx", lang: str = "zh") -> Path:
    folder = tmp_path / "input"
    folder.mkdir(exist_ok=True)
    write_workbook(folder / name, rows, lang=lang)
    return folder


def options(tmp_path: Path, today=CLEAN_TODAY) -> Options:
    return Options(tmp_path / "input", tmp_path / "output", today, load_standard(), None, TEMPLATES, 1)


def config(tmp_path: Path, server: "Server | None" = None, **smtp) -> MailConfig:
    settings = {"host": "127.0.0.1", "port": server.port, "security": "none"} if server else {}
    return MailConfig(sender_name="接待办", sender_address=SENDER, reply_to="office@example.com",
                      signature="华东公司 接待办\n电话 021-5555", sendlog=tmp_path / "state" / "sendlog.jsonl",
                      smtp=Smtp(**{**settings, **smtp}))


def parse(data: bytes | Path) -> EmailMessage:
    raw = data.read_bytes() if isinstance(data, Path) else data
    return email.message_from_bytes(raw, policy=policy.default)


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() if part.get_content_type() != "text/calendar"
            else part.get_content().encode("utf-8") for part in msg.iter_attachments()}


def body(msg: EmailMessage) -> str:
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def outbox(tmp_path: Path, visit: str = "V1", workbook: str = "visits") -> dict[str, EmailMessage]:
    folder = tmp_path / "output" / workbook / visit / "outbox"
    return {p.name: parse(p) for p in sorted(folder.glob("*.eml"))} if folder.is_dir() else {}


# ---- the SMTP server ---------------------------------------------------------------------

@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    drop: set[str] = field(default_factory=set)  # recipients whose DATA drops the connection (before it replies)
    drop_rcpt: set[str] = field(default_factory=set)  # recipients whose RCPT drops it (nothing was sent)
    accept_then_drop: set[str] = field(default_factory=set)  # take the message, then drop before replying
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.drop_rcpt:
            server.transport.close()
            return "421 closing"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if set(envelope.rcpt_tos) & self.drop:
            server.transport.close()
            return "421 closing"
        raw = envelope.original_content or envelope.content
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parse(raw), raw))
        if set(envelope.rcpt_tos) & self.accept_then_drop:  # delivered, but the client never hears so
            server.transport.close()
            return "421 closing"
        return "250 OK"


class Server:
    def __init__(self, handler: Handler, controller: Controller, port: int):
        self.handler, self.controller, self.port = handler, controller, port

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def by_recipient(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for r in self.received:
            for to in r.rcpt_tos:
                out.setdefault(to, []).append(r)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(**kwargs) -> Server:
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return Server(handler, controller, port)


@pytest.fixture
def smtp_server():
    server = start_server()
    yield server
    server.controller.stop()


def password_checker(user: str, password: str):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
            and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)
    return check


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 made with the openssl command."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


# ---- the server itself ---------------------------------------------------------------------

def test_server_records_and_refuses(smtp_server):
    smtp_server.handler.refuse.add("no@example.com")
    with smtplib.SMTP("127.0.0.1", smtp_server.port) as conn:
        conn.sendmail(SENDER, ["a@example.com"], b"Subject: hi\r\n\r\nbody\r\n")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            conn.sendmail(SENDER, ["no@example.com"], b"Subject: hi\r\n\r\nbody\r\n")
    assert [(r.mail_from, r.rcpt_tos, r.message["Subject"]) for r in smtp_server.received] == [
        (SENDER, ["a@example.com"], "hi")]


def test_server_drops_the_connection_on_demand(smtp_server):
    smtp_server.handler.drop.add("drop@example.com")
    conn = smtplib.SMTP("127.0.0.1", smtp_server.port)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        conn.sendmail(SENDER, ["drop@example.com"], b"Subject: hi\r\n\r\nbody\r\n")
    assert smtp_server.received == []

"""A planned message made whole: subject and body from its template, its attachments,
its calendar, the hash the send log compares, and whether it is an update.

Subject and body come from `templates/mail/<kind>.<lang>.j2` (a company's own folder
given with `--templates` may hold its own copies; the shipped ones fill in the rest). A
template reads like the message: its first line is `Subject: …`, then a blank line, then
the body. The context carries only what the message may say: the client-facing fields
of the visit, the recipient's own run sheet (date, time, what, where: no contacts, no
guest data, §2.5), the open findings for the approver, the company profile (`company`)
and the signature: the sender's own (sender.signature), else one made from the profile.

An update says what changed for its recipient (pipeline.versions.views): a staff member
their own run-sheet rows, the client their itinerary, both against the version their
last message delivered (the send log names it; pipeline.versions.store keeps it); the
approver every change since the approved version (a guest's confidential field only
named). A
message whose documents changed but whose recipient's part did not is not sent again
(`untouched`). Without the version last delivered (a send log from before versions were
kept), an update goes as before, saying only that the documents changed. A new company
profile changes every recipient's part (their documents' letterhead, the signature, the
calendar's organizer): everyone gets the update.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from ..checks import CheckResult
from ..company import NO_COMPANY, Company
from ..contract import STAFF
from ..documents import letterhead
from ..documents.fmt import choice_label, fmt_date
from ..documents.contexts import VisitContexts
from ..errors import TemplateError
from ..i18n import joined, t
from ..standard import Standard
from ..templating import TEMPLATES, mail_environment, render_jinja
from ..versions.content import content_digest, visit_content
from ..versions.store import Versions
from ..versions.views import ChangeLine, itinerary_lines, plan_lines, run_sheet_lines
from .calendar import Person, Sent, ics_bytes, item_events, sequences
from .config import MailConfig
from .digest import file_digest, message_digest
from .messages import CALENDAR, FORMS, Message
from .safety import clean_body, display_name, one_line
from .sendlog import SendLog

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pdf": "application/pdf", ".ics": "text/calendar"}
_ROLE = STAFF.column("role")


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    mime: str
    method: str = "PUBLISH"  # a calendar's (iTIP method): PUBLISH, or CANCEL


@dataclass
class Outgoing:
    """A message ready to write as a draft or to send."""

    message: Message
    subject: str
    body: str
    attachments: list[Attachment]
    digest: str
    update: bool  # a changed version of something already sent
    unchanged: bool  # already sent with this very content: neither drafted nor sent
    message_id: str
    events: dict[str, Sent] = field(default_factory=dict)  # what the log records once sent
    lang: str = "zh"
    version: str = ""  # the hash of the visit's content it delivers (pipeline.versions.store)
    content: dict | None = field(default=None, repr=False)  # that content, kept before it is sent
    untouched: bool = False  # changed documents, but nothing of the recipient's part: not sent
    company: str = ""  # the digest of the company profile it carries ("": none)

    @property
    def key(self) -> str:
        return self.message.key

    def log_entry(self, status: str, error: str | None = None) -> dict:
        m = self.message
        return {"key": m.key, "to": m.to.address, "workbook": m.workbook, "visit": m.visit_id, "kind": m.kind,
                "digest": self.digest, "message_id": self.message_id, "update": self.update, "status": status,
                "error": error, "events": {uid: s.to_json() for uid, s in self.events.items()},
                "version": self.version, "company": self.company}


def compose(result: CheckResult, standard: Standard, messages: list[Message], folder: Path, config: MailConfig,
            log: SendLog, templates: Path = TEMPLATES, now: datetime | None = None,
            versions: Versions | None = None, company: Company = NO_COMPANY,
            contexts: VisitContexts | None = None) -> list[Outgoing]:
    """Every message made whole; `folder` is the workbook's output folder holding the
    documents; `versions` the store of the versions messages delivered (None: updates
    say only that the documents changed); `company` the profile that signs them;
    `contexts` what the documents say, as the build kept it (None: made here)."""
    env = mail_environment(Path(templates))
    contexts = contexts or VisitContexts(result, standard)
    now = now or datetime.now(timezone.utc)
    build_date = fmt_date(result.today, result.lang)
    contents: dict[str, tuple[dict, str]] = {}  # visit id -> its content and that's hash, made once
    digests: dict[Path, str] = {}  # a document -> its content digest, read once however many get it

    def digest(path: Path) -> str:
        if path not in digests:
            digests[path] = file_digest(path, build_date)
        return digests[path]

    def content(m: Message) -> tuple[dict, str]:
        if m.visit_id not in contents:
            c = visit_content(m.visit.visit)
            contents[m.visit_id] = c, content_digest(c)
        return contents[m.visit_id]

    return [_cancellation(result, m, config, log, env, now, company) if m.kind == "cancellation"
            else _compose(result, standard, m, folder, config, log, env, now, digest, content(m), versions,
                          company, contexts)
            for m in messages]


def _compose(result: CheckResult, standard: Standard, m: Message, folder: Path, config: MailConfig, log: SendLog,
             env: jinja2.Environment, now: datetime, document_digest: Callable[[Path], str], content: tuple[dict, str],
             versions: Versions | None, company: Company, contexts: VisitContexts) -> Outgoing:
    lang = result.lang
    visit = m.visit.visit
    documents = [(kind, folder / m.files.folder / m.files.files[kind]) for kind in m.documents]
    # What changed is what the documents say: a PDF copy is the same content (and is made
    # again byte for byte differently), so only the documents count.
    digests = [(kind, document_digest(path)) for kind, path in documents]

    person = {s.name for s in m.staff if s.name} if m.kind == "briefing" else None
    events = item_events(m.workbook, visit, m.items, lang, person, organizer(company, config, lang)) \
        if CALENDAR[m.kind] else []
    extra = [f"{f.severity}|{f.clause}|{f.message}" for f in m.visit.findings] if m.kind == "approval" else []
    profile = company.digest if company else ""
    if profile:  # who the message comes from is part of what it says (no profile: hashed as before)
        extra.append(f"company={profile}")
    digest = message_digest(m.kind, digests, [(e.uid, e.digest) for e in events], extra)

    previous = log.last_sent(m.key)
    unchanged = previous is not None and previous.get("digest") == digest
    update = previous is not None and not unchanged
    changes = _changes(result, standard, m, previous, versions) if update or m.kind == "approval" else None
    new_profile = previous is not None and previous.get("company", "") != profile  # everyone's letterhead
    if update and changes == [] and m.kind != "approval" and not new_profile:  # nothing of theirs changed
        return Outgoing(m, "", "", [], digest, False, True, "", {}, lang, content[1], untouched=True,
                        company=profile)
    before = {uid: Sent.from_json(s) for uid, s in (previous or {}).get("events", {}).items()}
    state = sequences(events, before)

    attachments = [Attachment(path.name, path.read_bytes(), MIME.get(path.suffix, "application/octet-stream"))
                   for kind, document in documents for path in _forms(m, kind, document)]
    calendar = None
    newly_cancelled = {u for u, s in state.items() if s.cancelled and not (u in before and before[u].cancelled)}
    if events or newly_cancelled:
        client = one_line(visit.record.client_org)
        ics = ics_bytes(events, state, config.zone, f"{visit.id} {client}".strip(), now, newly_cancelled)
        calendar = t(lang, "mail.calendar_file", visit_id=visit.id)
        attachments.append(Attachment(calendar, ics, MIME[".ics"]))

    context = _context(m, config, update, [a.name for a in attachments], calendar, company, contexts)
    context["changes"] = [{k: one_line(v) for k, v in line.to_json().items()} for line in changes or ()]
    subject, body = render(env, f"{m.kind}.{lang}.j2", context)
    return Outgoing(m, subject, body, attachments, digest, update, unchanged, _message_id(m, digest, config), state,
                    lang, content[1], content[0], company=profile)


def _changes(result: CheckResult, standard: Standard, m: Message, previous: dict | None,
             versions: Versions | None) -> list[ChangeLine] | None:
    """What changed for the recipient (see the module's text); None when it cannot be told."""
    vr, lang = m.visit, result.lang
    if m.kind == "approval":
        return plan_lines(vr.changes, standard, lang) if vr.changes else None
    before = versions.version(m.workbook, m.visit_id, (previous or {}).get("version")) if versions else None
    if before is None:
        return None
    if m.kind == "briefing":
        return run_sheet_lines(before, vr.visit, m.staff, vr.visit.id, standard, lang)
    return itinerary_lines(before, vr, result, standard, lang)


def _cancellation(result: CheckResult, m: Message, config: MailConfig, log: SendLog, env: jinja2.Environment,
                  now: datetime, company: Company) -> Outgoing:
    """The events the recipient got for a visit that is cancelled or gone, cancelled
    (METHOD:CANCEL, the same UIDs, each SEQUENCE one higher), with a short note."""
    lang = result.lang
    before = {uid: Sent.from_json(s) for uid, s in (log.last_sent(m.key) or {}).get("events", {}).items()}
    state = sequences([], before)
    newly = {uid for uid, s in before.items() if not s.cancelled}
    client = one_line(m.visit.visit.record.client_org) if m.visit else ""
    sender = organizer(company, config, lang) or Person(config.sender_name, config.sender_address)
    ics = ics_bytes([], state, config.zone, f"{m.visit_id} {client}".strip(), now, newly, "CANCEL",
                    (sender, Person(m.to.name, m.to.address)))
    calendar = t(lang, "mail.calendar_file", visit_id=m.visit_id)
    digest = message_digest(m.kind, [], [(uid, "cancelled") for uid in newly])
    context = {"lang": lang, "kind": m.kind, "update": False, "calendar": calendar,
               "reason": "removed" if m.visit is None else "cancelled" if m.visit.readiness == "cancelled" else "left",
               "recipient": {"name": display_name(m.to.name), "address": m.to.address},
               "visit": {"id": m.visit_id, "client": client},
               "sender": {"name": one_line(config.sender_name), "address": config.sender_address},
               **_company(company, config, lang)}
    subject, body = render(env, f"{m.kind}.{lang}.j2", context)
    return Outgoing(m, subject, body, [Attachment(calendar, ics, MIME[".ics"], "CANCEL")], digest, False, False,
                    _message_id(m, digest, config), state, lang, company=company.digest if company else "")


def organizer(company: Company, config: MailConfig, lang: str) -> Person | None:
    """The calendar's ORGANIZER: the company's reception desk, where the profile is set
    and gives an address (the desk's, else the sender's); None: no profile."""
    address = company.desk_email or config.sender_address
    if not company or not address:
        return None
    return Person(company.name(lang) or company.desk_name or config.sender_name, address)


def _company(company: Company, config: MailConfig, lang: str) -> dict:
    """The context's `company` (the profile, as in every template) and `signature`: the
    sender's own, else the lines made from the profile."""
    return {"company": letterhead.fields(company, lang),
            "signature": config.signature or letterhead.signature(company, lang)}


def _message_id(m: Message, digest: str, config: MailConfig) -> str:
    domain = config.sender_address.rpartition("@")[2] or "reception.invalid"
    return f"<{hashlib.sha256(f'{m.key}|{digest}'.encode()).hexdigest()[:40]}@{domain}>"


def _forms(m: Message, kind: str, document: Path) -> list[Path]:
    """The files that carry a document to this recipient (FORMS)."""
    pdf = m.files.pdfs.get(kind)
    if pdf is None:
        return [document]
    return [document.with_name(pdf) if form == "pdf" else document for form in FORMS[m.kind]]


def _context(m: Message, config: MailConfig, update: bool, attachments: list[str], calendar: str | None,
             company: Company, contexts: VisitContexts) -> dict:
    lang = contexts.result.lang
    vr = m.visit
    client = contexts.itinerary(vr)  # the client-facing allowlist, as the itinerary has it
    context = {
        "lang": lang, "kind": m.kind, "update": update,
        "recipient": {"name": one_line(m.to.name), "address": m.to.address},
        "visit": {"id": vr.visit.id, "client": one_line(client["visit"]["client_org"]),
                  "theme": one_line(client["visit"]["theme"]), "dates": client["visit"]["dates"]},
        "attachments": attachments, "calendar": calendar,
        "sender": {"name": one_line(config.sender_name), "address": config.sender_address},
        **_company(company, config, lang),
    }
    if m.kind == "briefing":
        entries = sorted((e for s in m.staff for e in contexts.run_sheet(vr, s)), key=lambda e: e.when)
        context.update(
            role=joined(lang, dict.fromkeys(choice_label(_ROLE, s.role, lang) for s in m.staff)),
            entries=[{"date": e.date, "time": e.time, "what": one_line(e.what), "place": one_line(e.place),
                      "part": e.part} for e in entries],
            open_errors=vr.count("error"))
    elif m.kind == "itinerary":
        context.update(days=client["days"], contact=client["contact"], meeting=client["meeting"])
    else:
        context.update(findings=[{"severity": t(lang, f"severity.{f.severity}"), "clause": f.clause,
                                  "message": one_line(f.message)} for f in vr.findings],
                       open_errors=vr.count("error"),
                       approved_on=fmt_date(vr.changes.approved_on, lang) if vr.changes else "")
    return context


def render(env: jinja2.Environment, name: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a mail template."""
    where = f"mail/{name}"
    text = render_jinja(env, name, context, where)
    first, _, body = text.replace("\r\n", "\n").partition("\n")
    if not first.lower().startswith("subject:"):
        raise TemplateError.of(where, "template_error.mail_subject")
    subject = one_line(first.partition(":")[2])
    return subject, clean_body(body.lstrip("\n"))

"""The mail recipe: build → who gets what → compose → drafts (→ send).

`mail` and `send` are one code path: both build the documents (incrementally) first,
then take the build's visit plan, document contexts and output folders to plan and
compose every message the same way, and skip what the send log says was already sent
with the same content. `mail` writes the rest as drafts; `send` sends them, logs each
outcome at once, and leaves what failed in the outbox as drafts, to go next time.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import build as recipe
from .. import output
from ..errors import InternalError, PipelineError
from ..versions.store import Versions
from . import MailError
from .compose import Outgoing, compose
from .config import MailConfig
from .eml import build_email, eml_bytes
from .identity import Identities, Identity
from .messages import Skip, plan_cancellations, plan_messages
from .outbox import Draft, write_outboxes
from .sendlog import SendLog
from .smtp import Result, check_ready, deliver


@dataclass
class MailRun:
    """The mail of one workbook."""

    workbook: recipe.WorkbookRun
    messages: list[Outgoing] = field(default_factory=list)  # every message due, sent or not
    skips: list[Skip] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    results: list[tuple[Outgoing, Result]] = field(default_factory=list)
    identity: Identity | None = None  # the workbook's, for keys and calendar UIDs
    identities: Path | None = None  # the file that keeps it

    @property
    def pending(self) -> list[Outgoing]:
        return [o for o in self.messages if not o.unchanged]

    @property
    def unchanged(self) -> int:
        return sum(1 for o in self.messages if o.unchanged and not o.untouched)

    @property
    def untouched(self) -> int:
        """Messages not sent again: the changes do not concern their recipients."""
        return sum(1 for o in self.messages if o.untouched)


@dataclass
class Run:
    build: recipe.Run
    mail: list[MailRun]

    @property
    def workbooks(self) -> list[recipe.WorkbookRun]:
        return self.build.workbooks

    @property
    def skipped(self) -> list[tuple[str, Path]]:
        return self.build.skipped

    @property
    def pdfs_skipped(self) -> int:
        return self.build.pdfs_skipped

    @property
    def pdf_failure(self) -> str | None:
        return self.build.pdf_failure

    @property
    def exit_code(self) -> int:
        failed = any(not r.ok for m in self.mail for _, r in m.results)
        return max(self.build.exit_code, 1 if failed else 0)


def mail(options: recipe.Options, config: MailConfig, on_workbook: Callable[[MailRun], None] = lambda m: None) -> Run:
    """Build, then write every visit's outbox of drafts."""
    return _run(options, config, "drafts", on_workbook, lambda o, r: None)


def send(options: recipe.Options, config: MailConfig, dry_run: bool = False,
         on_workbook: Callable[[MailRun], None] = lambda m: None,
         on_result: Callable[[Outgoing, Result], None] = lambda o, r: None) -> Run:
    """Build, then send what is not yet sent (`dry_run`: only tell what would go where)."""
    if not dry_run:
        check_ready(config.smtp, config.sender_address, config.password())
    return _run(options, config, "dry_run" if dry_run else "send", on_workbook, on_result)


def _run(options: recipe.Options, config: MailConfig, mode: str, on_workbook, on_result) -> Run:
    _check_log_place(config.sendlog, options.output)
    log = SendLog(config.sendlog)
    identities = Identities.beside(config.sendlog)
    # The build keeps and compares the approved versions beside this send log, under the
    # same identities (a dry run writes nothing there).
    versions = Versions(config.sendlog, log, identities, read_only=mode == "dry_run")
    options = replace(options, versions=versions)
    with log.locked() if mode == "send" else nullcontext(), output.locked(options.output):
        identities.reload()  # what a send that finished meanwhile recorded
        built = recipe.build_locked(options)  # the build first; the mail takes what it planned
        return Run(built, mail_built(built, options, config, log, versions, mode, on_workbook, on_result))


def mail_built(built: recipe.Run, options: recipe.Options, config: MailConfig, log: SendLog, versions: Versions,
               mode: str, on_workbook: Callable[[MailRun], None] = lambda m: None,
               on_result: Callable[[Outgoing, Result], None] = lambda o, r: None) -> list[MailRun]:
    """The mail of every workbook the build made (`built`), in input order: from its visit
    plan, the contexts of its documents and its output folder."""
    runs: list[MailRun] = []
    for w in built.workbooks:
        m = MailRun(w)
        if w.result is not None and w.error is None:
            try:
                m.identity = versions.identity(w.path, w.result.workbook.visits)
                m.identities = versions.identities.path
                versions.save_identities(m.identity)
                recipe.announce(w, versions)
                _mail_workbook(m, options, config, log, versions, mode, on_result)
            except PipelineError:
                raise  # a send log that cannot be written, a draft that cannot be: the run stops
            except Exception as e:  # a defect: this workbook's mail stops, the others go
                w.error = InternalError.of_exception(w.path, e)
        runs.append(m)
        on_workbook(m)
    return runs


def _mail_workbook(m: MailRun, options: recipe.Options, config: MailConfig, log: SendLog, versions: Versions,
                   mode: str, on_result: Callable[[Outgoing, Result], None]) -> None:
    w = m.workbook
    result, folder, files = w.result, w.folder, w.planned
    failed = {v.visit_id for v in w.documents.errors}
    planned, m.skips = plan_messages(result, files, failed, m.identity.name)
    planned += plan_cancellations(result, m.identity.name, log.sent_of(m.identity.name), {vf.folder for _, vf in files},
                                  planned)
    m.messages = compose(result, options.standard, planned, folder, config, log, options.templates,
                         versions=versions, company=options.company, contexts=w.contexts)
    if mode == "dry_run":
        return
    left = m.pending
    if mode == "send" and left:
        emails = [(o.message.to.address, build_email(o, config, draft=False)) for o in left]
        log.check_writable()  # a result that cannot be recorded: send nothing
        for o in left:  # the version each delivers is kept before it goes (its log line names it)
            if o.content is not None:
                versions.remember(m.identity.name, o.message.visit_id, o.content)

        def record(i: int, r: Result) -> None:
            log.record(left[i].log_entry(r.status, r.error))
            m.results.append((left[i], r))
            on_result(left[i], r)

        deliver(emails, config.smtp, config.sender_address, config.password(), record,
                before=lambda i: log.record(left[i].log_entry("sending")))
        sent = {id(o) for o, r in m.results if r.ok}
        left = [o for o in left if id(o) not in sent]
    drafts = [Draft(o.message.files.folder, o.message.kind, o.message.to.name or o.message.to.address,
                    eml_bytes(o, config)) for o in left]
    m.drafts = write_outboxes(folder, drafts, result.lang)


def _check_log_place(log: Path, out: Path) -> None:
    """The send log must survive `make clean`: never inside the output folder."""
    log, out = log.resolve(), out.resolve()
    if log == out or out in log.parents:
        raise MailError.of(log, "mail_error.log_inside_output", output=out)

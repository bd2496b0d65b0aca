"""The command line of `mail` and `send`: the one module of pipeline/mail/ that prints.

It shows visit ids, kinds of message, attachment names and the recipient's own address:
no names and no other personal data (§2.5).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable

from .. import build as recipe
from ..i18n import t
from ..terminal import echo, shown
from .compose import Outgoing
from .config import MailConfig
from .recipe import MailRun, Run, mail, send
from .smtp import Result


def run_mail(args: argparse.Namespace, options: recipe.Options,
             report: Callable[[recipe.WorkbookRun], None], config: MailConfig) -> Run:

    def on_workbook(m: MailRun) -> None:
        report(m.workbook)
        if m.workbook.result is not None:
            _summary(m, args.command, getattr(args, "dry_run", False))

    def on_result(o: Outgoing, r: Result) -> None:
        echo(_line(o, r.status, error=r.error or ""), sys.stdout if r.ok else sys.stderr)

    if args.command == "mail":
        return mail(options, config, on_workbook)
    return send(options, config, args.dry_run, on_workbook, on_result)


def _summary(m: MailRun, command: str, dry_run: bool) -> None:
    result = m.workbook.result
    lang = result.lang
    for s in m.skips:
        if s.kind:
            sheet_key = "staff" if s.kind == "briefing" else "visits"
            sheet = result.workbook.sheet_name(sheet_key, t(lang, f"mail.sheet.{s.kind}"))
            echo(t(lang, f"mail.skip.{s.reason}", visit_id=shown(s.visit_id), sheet=shown(sheet), row=s.row,
                   kind=t(lang, f"mail.kinds.{s.kind}")))
        else:
            echo(t(lang, f"mail.skip.{s.reason}", visit_id=shown(s.visit_id)))
    if dry_run:
        for o in m.pending:
            echo(_line(o, "would_send", attachments=", ".join(str(shown(a.name)) for a in o.attachments)))
        echo(t(lang, "mail.would_total", count=len(m.pending), unchanged=m.unchanged))
        return
    if m.untouched:
        echo(t(lang, "mail.untouched", count=m.untouched))
    if command == "send" and m.results:
        count = Counter(r.status for _, r in m.results)
        echo(t(lang, "mail.sent_total", sent=count["sent"], failed=count["failed"], unknown=count["unknown"]))
    if m.drafts:
        echo(t(lang, "mail.drafts", count=len(m.drafts), unchanged=m.unchanged))
    elif not m.results:
        echo(t(lang, "mail.nothing", unchanged=m.unchanged))


def _line(o: Outgoing, key: str, **params) -> str:
    m, lang = o.message, o.lang
    return t(lang, f"mail.{key}", visit_id=shown(m.visit_id), kind=t(lang, f"mail.kinds.{m.kind}"),
             update=t(lang, "mail.update") if o.update else "", address=shown(m.to.address), **params)


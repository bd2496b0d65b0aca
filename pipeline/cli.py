"""The command line: parse arguments, call the library, print a summary, exit.

Exit status: 0 no visit has an error-level finding; 1 some do; 2 a file could not be
read at all, or the command was misused; 3 a defect (an unexpected exception) stopped a
workbook, a visit or the run: never Python's own 1, which `make` reads as "findings".
"""

from __future__ import annotations

import argparse
import sys
import traceback
from datetime import date
from functools import partial
from pathlib import Path

from . import build as recipe
from .documents.pdf import DEFAULT_POLICY, POLICIES, PdfResult, find_soffice, install_hint
from .templating import TEMPLATES
from .errors import InternalError, PipelineError, said
from .i18n import LANGS, t
from .settings import SETTINGS_FILE, Settings, load_settings
from .standard import load_standard
from .progress import ProgressBar
from .reader import locked_workbook
from .summary import summary_lines
from .terminal import echo, shown


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--input", type=Path, default=Path("input"),
                        help="a folder of workbooks or one workbook (default: input/)")
    common.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    common.add_argument("--today", type=_date, default=None,
                        help="the date time-aware rules take as today, YYYY-MM-DD (default: today)")
    common.add_argument("--standard", type=Path, default=None,
                        help="a company's own rules file (default: the shipped standard)")
    common.add_argument("--lang", choices=LANGS, default=None,
                        help="output language (default: the workbook's language)")
    common.add_argument("--templates", type=Path, default=TEMPLATES,
                        help="a company's own document templates (default: templates/)")
    common.add_argument("--workers", type=_count, default=None,
                        help="processes that render documents (default: one per core, at most 2)")
    common.add_argument("--pdf", choices=POLICIES, default=None,
                        help="which visits get PDF copies of their documents, made by LibreOffice "
                             f"(default: documents.pdf in the settings, else {DEFAULT_POLICY}: those not over yet)")
    common.add_argument("--settings", type=Path, default=None,
                        help=f"the settings file (default: $RECEPTION_SETTINGS, else ./{SETTINGS_FILE} if present)")
    common.add_argument("--debug", action="store_true",
                        help="with an unexpected error (exit status 3), print where it happened, to report it")
    p = argparse.ArgumentParser(prog="reception", description="Check client visits against the reception "
                                "standard and prepare the documents it asks for.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("check", parents=[common], help="check the workbooks and write the reports")
    sub.add_parser("build", parents=[common], help="check, then produce every document")
    sub.add_parser("template", parents=[common], help="write blank visits workbooks (Chinese and English)")
    mail = argparse.ArgumentParser(add_help=False)
    mail.add_argument("--mail-config", type=Path, default=None,
                      help=f"an old mail settings file, read under the settings file (move it into {SETTINGS_FILE})")
    sub.add_parser("mail", parents=[common, mail], help="build, then write each visit's outbox of e-mail drafts")
    send = sub.add_parser("send", parents=[common, mail], help="build, then send by SMTP what is not sent yet")
    send.add_argument("--dry-run", action="store_true", help="show what would go to whom; send nothing")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = args.lang or "zh"  # until a workbook tells its own language
    try:
        return _main(args, lang)
    except Exception as e:  # a defect outside any workbook: one line and status 3, not a traceback and 1
        _error(InternalError.of_exception(None, e), lang, args.debug)
        return 3


def _main(args: argparse.Namespace, lang: str) -> int:
    try:
        standard = load_standard(args.standard)
        if args.command == "template":
            return _template(args, standard)
        settings = load_settings(args.settings, mail_file=getattr(args, "mail_config", None))
        if settings.legacy:
            echo(t(lang, "settings.legacy", file=shown(settings.legacy), settings=shown(_settings_file(settings))),
                 sys.stderr)
        pdf = args.pdf or settings.pdf or DEFAULT_POLICY
        options = recipe.Options(args.input, args.output, args.today or date.today(), standard, args.lang,
                                 args.templates, args.workers, ProgressBar(sys.stderr), pdf,
                                 find_soffice() if pdf != "none" else None, company=settings.company)
        if not args.input.exists():
            echo(t(lang, "file.missing_input", path=shown(args.input)), sys.stderr)
            return 2
        report = partial(_report, lang=lang, debug=args.debug)
        if args.command in ("mail", "send"):
            from .mail.cli import run_mail
            run = run_mail(args, options, report, settings.mail)
        else:
            action = recipe.check if args.command == "check" else recipe.build
            run = action(_with_versions(options, settings), on_workbook=report)
    except PipelineError as e:
        _error(e, lang, args.debug)
        return 2
    for reason, path in run.skipped:
        if reason == "skipped_lock":
            echo(_lock_message(path, lang), sys.stderr)
        else:
            echo(t(lang, f"file.{reason}", file=shown(path.name)))
    if not run.workbooks:
        echo(t(lang, "file.no_input", path=shown(args.input)), sys.stderr)
    lang = args.lang or next((w.result.lang for w in run.workbooks if w.result), lang)
    _pdfs_skipped(run, lang)
    _company_notes(settings, args.templates, lang)
    return run.exit_code


def _with_versions(options: recipe.Options, settings: Settings) -> recipe.Options:
    """`check` and `build` compare each visit with its approved version and keep it, beside
    the send log (where the mail settings put it, .reception/ by default), as `mail` and
    `send` do: all four agree on every finding."""
    from dataclasses import replace

    from .versions.store import Versions
    return replace(options, versions=Versions(settings.mail.sendlog))


def _report(run: recipe.WorkbookRun, lang: str, debug: bool = False) -> None:
    """One workbook's lines: its summary, or why it could not be read (in `lang`, the
    output language, or Chinese before a workbook has told its own)."""
    if run.error:
        lang = run.result.lang if run.result else lang  # an output error: the workbook has told its language
        _error(run.error, lang, debug)
        return
    lang = run.result.lang
    if run.identity:
        i = run.identity
        echo(t(lang, f"mail.identity.{i.how}", file=shown(run.path.name), identity=shown(i.name), was=shown(i.was),
               path=shown(run.identities)))
    for line in summary_lines(run.result):
        echo(line)
    for note in run.notes:
        echo(note.say(lang), sys.stderr)
    if run.documents:
        for v in run.documents.errors:
            echo(t(lang, "files.visit_failed", visit_id=shown(v.visit_id), message=v.error), sys.stderr)
            if debug and v.trace:
                print(v.trace, file=sys.stderr)
        echo(t(lang, "files.documents", rendered=run.documents.rendered,
               unchanged=len(run.documents.visits) - run.documents.rendered - len(run.documents.errors)))
    if run.pdfs:
        _pdf_lines(run.pdfs, lang)
    if run.folder:
        echo(t(lang, "summary.outputs", path=shown(run.folder)))
    echo("")


def _error(error: PipelineError, lang: str, debug: bool) -> None:
    """The error's one line; for a defect with --debug, then where it happened."""
    echo(t(lang, "summary.error", message=said(error, lang, shown)), sys.stderr)
    if debug and isinstance(error, InternalError) and error.__cause__ is not None:
        traceback.print_exception(error.__cause__, file=sys.stderr)


def _pdf_lines(pdfs: PdfResult, lang: str) -> None:
    for p in pdfs.problems:
        reason = said(p.cause, lang, shown) if p.cause else t(lang, f"pdf.reasons.{p.reason}")
        echo(t(lang, "pdf.problem", visit_id=shown(p.visit_id), document=shown(p.document), reason=reason),
             sys.stderr)
    if pdfs.converted or pdfs.unchanged:
        echo(t(lang, "pdf.made", converted=pdfs.converted, unchanged=pdfs.unchanged))


def _pdfs_skipped(run: recipe.Run, lang: str) -> None:
    """One line for the whole build (or mail run, which has the same counts): PDFs were
    wanted and LibreOffice is missing or broken."""
    if not run.pdfs_skipped:
        return
    if run.pdf_failure:
        echo(t(lang, "pdf.unavailable", count=run.pdfs_skipped, reason=shown(run.pdf_failure)), sys.stderr)
    else:
        echo(t(lang, "pdf.skipped", count=run.pdfs_skipped, install=install_hint()))


def _company_notes(settings: Settings, templates: Path, lang: str) -> None:
    """Where to set the company's name, when the profile has none and the shipped
    templates (which show it) are used; that an SVG logo cannot go on Word documents."""
    company = settings.company
    if not company.named and templates.resolve() == TEMPLATES.resolve():
        echo(t(lang, "settings.no_company", settings=shown(_settings_file(settings))))
    if company.logo and not company.logo.raster:
        echo(t(lang, "settings.svg_logo", file=shown(company.logo.path)), sys.stderr)


def _settings_file(settings: Settings) -> Path:
    return settings.source or SETTINGS_FILE


def _lock_message(lock: Path, lang: str) -> str:
    workbook = locked_workbook(lock)
    if workbook is None:
        return t(lang, "file.lock_left", file=shown(lock.name))
    return t(lang, "file.lock_open", file=shown(lock.name), workbook=shown(workbook.name))


def _template(args, standard) -> int:
    from .template import write_templates
    for path in write_templates(args.output, standard):
        echo(str(shown(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line: parse arguments, call the library, print a summary, exit.

Exit status: 0 no visit has an error-level finding; 1 some do; 2 a file could not be
read at all, or the command was misused.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from functools import partial
from pathlib import Path

from . import build as recipe
from .templating import TEMPLATES
from .errors import PipelineError, said
from .i18n import LANGS, t
from .standard import load_standard
from .progress import ProgressBar
from .reader import locked_workbook
from .summary import summary_lines


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
    p = argparse.ArgumentParser(prog="reception", description="Check client visits against the reception "
                                "standard and prepare the documents it asks for.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("check", parents=[common], help="check the workbooks and write the reports")
    sub.add_parser("build", parents=[common], help="check, then produce every document")
    sub.add_parser("template", parents=[common], help="write blank visits workbooks (Chinese and English)")
    mail = argparse.ArgumentParser(add_help=False)
    mail.add_argument("--mail-config", type=Path, default=None,
                      help="the mail settings (default: $RECEPTION_MAIL_CONFIG, else ./mail.toml if present)")
    sub.add_parser("mail", parents=[common, mail], help="build, then write each visit's outbox of e-mail drafts")
    send = sub.add_parser("send", parents=[common, mail], help="build, then send by SMTP what is not sent yet")
    send.add_argument("--dry-run", action="store_true", help="show what would go to whom; send nothing")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = args.lang or "zh"  # until a workbook tells its own language
    try:
        standard = load_standard(args.standard)
        if args.command == "template":
            return _template(args, standard)
        options = recipe.Options(args.input, args.output, args.today or date.today(), standard, args.lang,
                                 args.templates, args.workers, ProgressBar(sys.stderr))
        if not args.input.exists():
            print(t(lang, "file.missing_input", path=args.input), file=sys.stderr)
            return 2
        report = partial(_report, lang=lang)
        if args.command in ("mail", "send"):
            from .mail.cli import run_mail
            run = run_mail(args, options, report)
        else:
            action = recipe.check if args.command == "check" else recipe.build
            run = action(options, on_workbook=report)
    except PipelineError as e:
        print(t(lang, "summary.error", message=said(e, lang)), file=sys.stderr)
        return 2
    for reason, path in run.skipped:
        if reason == "skipped_lock":
            print(_lock_message(path, lang), file=sys.stderr)
        else:
            print(t(lang, f"file.{reason}", file=path.name))
    if not run.workbooks:
        print(t(lang, "file.no_input", path=args.input), file=sys.stderr)
    return run.exit_code


def _report(run: recipe.WorkbookRun, lang: str) -> None:
    """One workbook's lines: its summary, or why it could not be read (in `lang`, the
    output language, or Chinese before a workbook has told its own)."""
    if run.error:
        lang = run.result.lang if run.result else lang  # an output error: the workbook has told its language
        print(t(lang, "summary.error", message=said(run.error, lang)), file=sys.stderr)
        return
    lang = run.result.lang
    for line in summary_lines(run.result):
        print(line)
    if run.documents:
        for v in run.documents.errors:
            print(t(lang, "files.visit_failed", visit_id=v.visit_id, message=v.error), file=sys.stderr)
        print(t(lang, "files.documents", rendered=run.documents.rendered,
                unchanged=len(run.documents.visits) - run.documents.rendered - len(run.documents.errors)))
    if run.folder:
        print(t(lang, "summary.outputs", path=run.folder))
    print()


def _lock_message(lock: Path, lang: str) -> str:
    workbook = locked_workbook(lock)
    if workbook is None:
        return t(lang, "file.lock_left", file=lock.name)
    return t(lang, "file.lock_open", file=lock.name, workbook=workbook.name)


def _template(args, standard) -> int:
    from .template import write_templates
    for path in write_templates(args.output, standard):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

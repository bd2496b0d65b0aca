"""The recipe: for each workbook, read → check → write the reports (→ documents)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from . import output
from .checks import CheckResult, check_workbook
from .documents.batch import BatchResult, Progress, render_documents
from .documents.index import Links
from .documents.word import TEMPLATES
from .errors import PipelineError
from .i18n import t
from .incremental import Manifest, file_digest, folder_digest, run_salt
from .reader import find_workbooks, read_workbook
from .standard import Standard

FINDINGS = "findings.json"
INDEX = "index.html"


@dataclass
class Options:
    input: Path
    output: Path
    today: date
    standard: Standard
    lang: str | None = None  # None: follow each workbook's language
    templates: Path = TEMPLATES
    workers: int | None = None  # None: both cores
    on_progress: Progress = field(default=lambda done, total: None)


@dataclass
class WorkbookRun:
    path: Path
    result: CheckResult | None = None
    error: PipelineError | None = None
    written: list[Path] = field(default_factory=list)
    documents: BatchResult | None = None
    unchanged: bool = False  # the reports were up to date: nothing rewritten

    @property
    def folder(self) -> Path | None:
        return self.written[0].parent if self.written else None


@dataclass
class Run:
    workbooks: list[WorkbookRun]
    skipped: list[tuple[str, Path]]

    @property
    def exit_code(self) -> int:
        if any(w.error for w in self.workbooks) or not self.workbooks:
            return 2
        failed = any(w.result and w.result.has_errors for w in self.workbooks)
        failed = failed or any(w.documents and w.documents.errors for w in self.workbooks)
        return 1 if failed else 0


def check(options: Options, on_workbook: Callable[[WorkbookRun], None] = lambda w: None) -> Run:
    """Check every workbook and write its findings and reports."""
    return _run(options, on_workbook, documents=False)


def build(options: Options, on_workbook: Callable[[WorkbookRun], None] = lambda w: None) -> Run:
    """Check, then produce everything the standard asks staff to prepare."""
    return _run(options, on_workbook, documents=True)


def _run(options: Options, on_workbook, documents: bool) -> Run:
    paths, skipped = find_workbooks(options.input)
    runs = []
    for path in paths:
        run = WorkbookRun(path)
        try:
            wb = read_workbook(path, options.standard)
            run.result = check_workbook(wb, options.standard, options.today, options.lang)
            _write(run, wb.name, options, documents)
        except PipelineError as e:
            run.error = e
        runs.append(run)
        on_workbook(run)
    return Run(runs, skipped)


def _write(run: WorkbookRun, name: str, options: Options, documents: bool) -> None:
    """The workbook's outputs; with `documents`, incrementally: what is up to date stays."""
    result = run.result
    folder = options.output / name
    manifest = Manifest.load(folder)
    if not documents:
        run.written = [step(result, folder) for step in REPORTS]
        if manifest.workbook:  # the reports are no longer the ones the last build made
            manifest.workbook = ""
            manifest.save()
        return
    # The reports follow from the workbook, the standard, today, the language, the
    # templates and the code: when none changed and the files are there, they stay.
    fingerprint = run_salt(result.lang, result.today, file_digest(run.path), file_digest(options.standard.path),
                           folder_digest(options.templates, ("*",)))
    current = manifest.workbook == fingerprint and manifest.files and all(
        (folder / f).is_file() for f in manifest.files)

    def reports() -> None:  # runs while the workers render the visits' documents
        if not current:
            run.written.extend(step(result, folder) for step in REPORTS)

    run.documents = render_documents(result, options.standard, folder, manifest, options.templates,
                                     options.workers, options.on_progress, reports)
    if current:
        run.written, run.unchanged = [folder / f for f in manifest.files], True
    else:
        run.written.append(_write_index(result, folder, run.documents, options.templates))
    # A visit that failed is left out of the index: redo the reports when it is retried.
    manifest.workbook = "" if run.documents.errors else fingerprint
    manifest.files = [p.name for p in run.written]
    manifest.save()


def findings_json(result: CheckResult) -> str:
    return json.dumps([f.to_json() for f in result.findings], ensure_ascii=False, indent=1)


def _write_findings(result: CheckResult, folder: Path) -> Path:
    return output.write_text(folder / FINDINGS, findings_json(result) + "\n")


def _write_report(result: CheckResult, folder: Path) -> Path:
    from .report import render_report
    return output.write_bytes(folder / t(result.lang, "files.report"), render_report(result))


def _write_annotated(result: CheckResult, folder: Path) -> Path:
    from .annotate import annotate_copy
    return output.write_bytes(folder / annotated_name(result), annotate_copy(result))


def annotated_name(result: CheckResult) -> str:
    return f"{result.workbook.name}.checked.xlsx"


REPORTS = (_write_findings, _write_report, _write_annotated)


def _write_index(result: CheckResult, folder: Path, batch: BatchResult, templates: Path) -> Path:
    from .documents.index import render_index
    lang = result.lang
    links: Links = {None: [(t(lang, "files.report"), t(lang, "files.report")),
                           (t(lang, "files.annotated"), annotated_name(result)),
                           (t(lang, "files.findings"), FINDINGS)]}
    for v in batch.visits:
        if not v.error:
            links[v.visit_id] = [(t(lang, f"files.{kind}"), PurePosixPath(v.folder, name))
                                 for kind, name in v.files.items()]
    return output.write_text(folder / INDEX, render_index(result, links, lang, templates))

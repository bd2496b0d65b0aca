"""The recipe: for each workbook, read → check → write the reports (→ documents)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from . import output
from .checks import CheckResult, check_workbook
from .checks import VisitResult
from .dashboard import Figures, dashboard_figures
from .documents.batch import BatchResult, Progress, VisitFiles, render_documents, visit_files
from .documents.index import Links
from .templating import TEMPLATES
from .errors import PipelineError, WorkbookError, said
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
    links: Links = field(default_factory=dict)  # what index.html links, relative to the folder
    figures: Figures | None = None  # the dashboards' figures

    @property
    def folder(self) -> Path | None:
        return self.written[0].parent if self.written else None


@dataclass
class Run:
    workbooks: list[WorkbookRun]
    skipped: list[tuple[str, Path]]

    @property
    def locks(self) -> list[Path]:
        """Excel lock files in the input: a workbook is open in Excel or WPS."""
        return [p for reason, p in self.skipped if reason == "skipped_lock"]

    @property
    def exit_code(self) -> int:
        if any(w.error for w in self.workbooks) or not self.workbooks or self.locks:
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
    folders: dict[str, Path] = {}  # output folder, as a case-insensitive file system sees it -> its workbook
    for path in paths:
        run = WorkbookRun(path)
        try:
            wb = read_workbook(path, options.standard)
            first = folders.setdefault(wb.name.casefold(), path)
            if first is not path:  # `a.xlsx` beside `A.xlsm`: one would overwrite the other's outputs
                raise WorkbookError.of(path, "file.folder_clash", folder=wb.name, other=first.name)
            run.result = check_workbook(wb, options.standard, options.today, options.lang)
            _write(run, wb.name, options, documents)
        except PipelineError as e:
            run.error = e
        runs.append(run)
        on_workbook(run)
    if documents and runs:
        _write_overview(runs, options)
    return Run(runs, skipped)


def _write(run: WorkbookRun, name: str, options: Options, documents: bool) -> None:
    """The workbook's outputs; with `documents`, incrementally: what is up to date stays."""
    result = run.result
    folder = options.output / name
    output.sweep_temporary(folder)  # what a killed run left half-written
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

    figures = run.figures = dashboard_figures(result, upcoming_days=options.standard.settings.get("upcoming_days", 30))
    planned = visit_files(result)

    def reports() -> None:  # runs while the workers render the visits' documents
        if not current:
            run.written.extend(step(result, folder) for step in REPORTS)
            run.written.extend(_write_dashboards(result, figures, folder, _links(result, planned), options))

    run.documents = render_documents(result, options.standard, folder, manifest, options.templates,
                                     options.workers, options.on_progress, reports, planned)
    failed = {v.visit_id for v in run.documents.errors}
    run.links = _links(result, [(vr, vf) for vr, vf in planned if vf.visit_id not in failed])
    if current:
        run.written, run.unchanged = [folder / f for f in manifest.files], True
    else:
        from .documents.index import render_index
        run.written.append(output.write_text(folder / INDEX, render_index(result, run.links, result.lang,
                                                                          options.templates)))
    # A visit that failed is left out of the index: redo the reports when it is retried.
    manifest.workbook = "" if failed else fingerprint
    manifest.files = [p.name for p in run.written]
    manifest.save()


def _links(result: CheckResult, planned: list[tuple[VisitResult, VisitFiles]]) -> Links:
    """The workbook's files (under None) and each visit's, relative to its output folder."""
    lang = result.lang
    links: Links = {None: [(t(lang, "files.dashboard_html"), t(lang, "dashboard.files.html")),
                           (t(lang, "files.dashboard_xlsx"), t(lang, "dashboard.files.xlsx")),
                           (t(lang, "files.report"), t(lang, "files.report")),
                           (t(lang, "files.annotated"), annotated_name(result)),
                           (t(lang, "files.findings"), FINDINGS)]}
    for _, vf in planned:
        links[vf.visit_id] = [(t(lang, f"files.labels.{kind}"), PurePosixPath(vf.folder, name))
                              for kind, name in vf.files.items()]
    return links


def _write_dashboards(result: CheckResult, figures, folder: Path, links: Links, options: Options) -> list[Path]:
    from .dashboard.excel import render_dashboard_xlsx
    from .dashboard.html import render_dashboard_html
    lang = result.lang
    plans = {vid: str(files[0][1]) for vid, files in links.items() if vid is not None}
    return [output.write_bytes(folder / t(lang, "dashboard.files.xlsx"), render_dashboard_xlsx(figures, lang, plans)),
            output.write_text(folder / t(lang, "dashboard.files.html"),
                              render_dashboard_html(figures, lang, links, options.templates))]


def _write_overview(runs: list[WorkbookRun], options: Options) -> Path:
    """output/index.html: every workbook's dashboards, reports and visits."""
    from .dashboard.html import OverviewEntry, render_overview
    lang = options.lang or next((r.result.lang for r in runs if r.result), "zh")
    entries = []
    for run in runs:
        if run.result is None or run.error:
            # The entry is headed by the workbook's name: an error about the workbook needs no file
            # name again, one about an output or a template names its file.
            error = run.error.message_in(lang) if isinstance(run.error, WorkbookError) else said(run.error, lang)
            folder = run.path.stem if (options.output / run.path.stem).is_dir() else None  # no link to nothing
            entries.append(OverviewEntry(run.path.stem, folder, error=error))
            continue
        name = run.result.workbook.name
        prefix = PurePosixPath(name)
        reports = [(label, prefix / path) for label, path in run.links.get(None, [])]
        entries.append(OverviewEntry(
            name, name, run.figures,
            dashboards=reports[:2] + [(t(lang, "files.index"), prefix / INDEX)], reports=reports[2:],
            visits={vid: [(label, prefix / path) for label, path in files]
                    for vid, files in run.links.items() if vid is not None}))
    return output.write_text(options.output / INDEX, render_overview(entries, lang, options.today, options.templates))


def findings_json(result: CheckResult) -> str:
    """A JSON list, one finding per line: readable, diffable, and written by the C encoder
    (an `indent` would fall back to the slow pure-Python one)."""
    if not result.findings:
        return "[]"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(f.to_json()) for f in result.findings) + "\n]"


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

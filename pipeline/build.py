"""The recipe: for each workbook read → check → plan → render and report → PDF copies →
index and manifest; then the overview."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path, PurePosixPath

from . import output
from .background import Background
from .checks import CheckResult, check_workbook
from .checks import VisitResult
from .company import NO_COMPANY, Company
from .dashboard import Figures, dashboard_figures
from .documents.contexts import VisitContexts
from .documents.batch import BatchResult, Progress, VisitFiles, start_rendering, visit_files
from .documents.fmt import fmt_date
from .documents.index import Links
from .documents.libreoffice import Converter
from .documents.names import safe_name
from .documents.pdf import DEFAULT_POLICY, PdfCopies, PdfResult, pdf_name, start_copies
from .templating import TEMPLATES
from .errors import InternalError, Phrase, PipelineError, WorkbookError, said
from .i18n import LANGS, t
from .incremental import Manifest, file_digest, run_salt, sources_digest
from .reader import find_workbooks, read_workbook
from .standard import Standard
from .mail.identity import Identity
from .versions.store import Versions

FINDINGS = "findings.json"
INDEX = "index.html"


def workbook_folder(path: Path) -> str:
    """The name of a workbook's folder in the output: its file name without the suffix,
    made safe like every generated name (no control or reserved characters, not too
    long), and never the name of one of the pipeline's own files beside it
    (`index.html.xlsx` gets `index.html_`)."""
    name = safe_name(path.stem)
    return name + "_" if name.casefold() in _own_names() else name


@cache
def _own_names() -> frozenset[str]:
    """What the pipeline (and the repository) keep in output/ itself."""
    templates = {t(lang, "template.file") for lang in LANGS}
    return frozenset(n.casefold() for n in (INDEX, output.LOCK, "README.md", ".gitkeep", *templates))


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
    pdf: str = DEFAULT_POLICY  # which visits get PDF copies (pipeline.documents.pdf.POLICIES)
    soffice: str | None = None  # LibreOffice's program (pdf.find_soffice()); None: no PDFs are made
    versions: Versions | None = None  # the approved versions kept beside the send log; None: none compared or kept
    company: Company = NO_COMPANY  # the profile every document and page shows (pipeline.settings)


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
    planned: list[tuple[VisitResult, VisitFiles]] = field(default_factory=list)  # the visits with documents
    contexts: VisitContexts | None = None  # what their documents say, kept for the mail stage
    pdfs: PdfResult | None = None  # the PDF copies
    notes: list[Phrase] = field(default_factory=list)  # how an output was made, when the user should know
    identity: Identity | None = None  # the workbook's mail identity, when this run recorded a new one (or a move)
    identities: Path | None = None  # the file that keeps it
    folder: Path | None = None  # its output folder, once made


@dataclass
class Run:
    workbooks: list[WorkbookRun]
    skipped: list[tuple[str, Path]]
    pdf_failure: str | None = None  # LibreOffice is there but could not be started: why

    @property
    def pdfs_skipped(self) -> int:
        """PDFs wanted but not made for want of LibreOffice."""
        return sum(w.pdfs.skipped for w in self.workbooks if w.pdfs)

    @property
    def locks(self) -> list[Path]:
        """Excel lock files in the input: a workbook is open in Excel or WPS."""
        return [p for reason, p in self.skipped if reason == "skipped_lock"]

    @property
    def exit_code(self) -> int:
        """0 done; 1 done, with error-level findings; 2 a file could not be read (or a lock
        file); 3 a defect stopped a workbook or a visit (see InternalError)."""
        if any(isinstance(w.error, InternalError) or (w.documents and w.documents.defects) for w in self.workbooks):
            return 3
        if any(w.error for w in self.workbooks) or not self.workbooks or self.locks:
            return 2
        failed = any(w.result and w.result.has_errors for w in self.workbooks)
        failed = failed or any(w.documents and w.documents.errors for w in self.workbooks)
        failed = failed or any(w.pdfs and w.pdfs.problems for w in self.workbooks)
        return 1 if failed else 0


def check(options: Options, on_workbook: Callable[[WorkbookRun], None] = lambda w: None) -> Run:
    """Check every workbook and write its findings and reports."""
    return _run(options, on_workbook, documents=False)


def build(options: Options, on_workbook: Callable[[WorkbookRun], None] = lambda w: None) -> Run:
    """Check, then produce everything the standard asks staff to prepare."""
    return _run(options, on_workbook, documents=True)


def build_locked(options: Options) -> Run:
    """`build` for a caller that holds output/'s lock (`output.locked`) already: the mail
    stage, which writes the outboxes after it under the same lock."""
    return _run_locked(options, lambda w: None, documents=True)


def _run(options: Options, on_workbook, documents: bool) -> Run:
    with output.locked(options.output):  # a second build at the same time waits, then stops
        return _run_locked(options, on_workbook, documents)


def _run_locked(options: Options, on_workbook, documents: bool) -> Run:
    """Each workbook in input order (read → check → its outputs), then the overview.
    LibreOffice makes a workbook's PDF copies while the next one is read and rendered;
    each is finished and reported in input order (`_InOrder`)."""
    paths, skipped = find_workbooks(options.input)
    # once for the run, when a workbook's documents first need it (a template that cannot be
    # read stops that workbook, as any error of its build does)
    sources = cache(lambda: sources_digest(options.standard.path, options.templates))
    folders: dict[str, Path] = {}  # output folder, as a case-insensitive file system sees it -> its workbook
    with _converter(options, documents) as converter:
        done = _InOrder(options, on_workbook)
        for path in paths:
            run = WorkbookRun(path)
            pending = None
            with _stops(run):
                wb = read_workbook(path, options.standard)
                name = _folder_of(path, folders)
                run.result = _check(run, wb, options)
                if documents:
                    pending = _build_workbook(run, name, options, sources(), converter)
                else:
                    _reports_only(run, name, options)
            done.add(run, pending)
            done.finish(block=False)  # the workbooks whose PDFs are ready, while LibreOffice works on
        done.finish(block=True)
        failure = converter.failure if converter else None
    if documents and done.runs:
        _write_overview(done.runs, options)
    return Run(done.runs, skipped, failure)


@contextmanager
def _stops(run: WorkbookRun) -> Iterator[None]:
    """An error stops this workbook's build, recorded on its run; the others are built."""
    try:
        yield
    except PipelineError as e:
        run.error = e
    except Exception as e:  # a defect: this workbook stops here, the others are still built
        run.error = InternalError.of_exception(run.path, e)


def _folder_of(path: Path, folders: dict[str, Path]) -> str:
    """The workbook's output folder, refused when an earlier workbook has it (`a.xlsx`
    beside `A.xlsm`: one would overwrite the other's outputs)."""
    name = workbook_folder(path)
    first = folders.setdefault(name.casefold(), path)
    if first is not path:
        raise WorkbookError.of(path, "file.folder_clash", folder=name, other=first.name)
    return name


def _check(run: WorkbookRun, wb, options: Options) -> CheckResult:
    """The check, against the approved versions when they are kept; then a visit first
    seen approved (or approved again) has its version kept. `check` and `build` do the
    same, so they agree on every finding."""
    store = options.versions
    approved = store.approved(run.path, wb) if store else None
    result = check_workbook(wb, options.standard, options.today, options.lang, approved)
    if store:
        store.keep(run.path, result)
        announce(run, store)
    return result


def announce(run: WorkbookRun, store: Versions) -> None:
    """Tell the user (once) of an identity this run recorded for the workbook: new, moved,
    or taken over from an older send log (pipeline.mail.identity)."""
    identity = store.identity(run.path, run.result.workbook.visits if run.result else ())
    if identity.how != "known" and identity.name in store.saved:
        run.identity, run.identities = identity, store.identities.path


@contextmanager
def _converter(options: Options, documents: bool) -> Iterator[Converter | None]:
    """The build's LibreOffice (its processes and temporary folder end with the build), or
    None when no PDF is to be made."""
    if not documents or options.pdf == "none" or not options.soffice:
        yield None
        return
    with Converter(options.soffice) as converter:
        yield converter


def _open_folder(run: WorkbookRun, name: str, options: Options) -> Manifest:
    """The workbook's output folder (refused if a link or outside), without what a killed
    run left half-written; the manifest of what the last build made there."""
    folder = run.folder = output.ensure_dir(options.output / name, options.output)
    output.sweep_temporary(folder)
    return Manifest.load(folder)


def _reports_only(run: WorkbookRun, name: str, options: Options) -> None:
    """`check`: the reports, written afresh."""
    manifest = _open_folder(run, name, options)
    run.written = _write_reports(run, run.folder, options.company)
    if manifest.workbook:  # the reports are no longer the ones the last build made
        manifest.workbook = ""
        manifest.save()


@dataclass
class _Plan:
    """A workbook's outputs before they are made."""

    manifest: Manifest
    fingerprint: str  # of the workbook-level reports
    current: bool  # they are up to date: not written again
    links: Links  # what the dashboards link: the documents (the index links their PDF copies too)


@dataclass
class _Pending:
    """A workbook whose PDF copies LibreOffice is making: finished (`_finish`) once it is done."""

    run: WorkbookRun
    plan: _Plan
    copies: PdfCopies
    error: PipelineError | None = None  # the reports could not be written: raised once the PDFs are recorded


def _build_workbook(run: WorkbookRun, name: str, options: Options, sources: str,
                    converter: Converter | None) -> _Pending:
    """`build` of a checked workbook up to its PDF copies; `_finish` does the rest (the
    PDFs recorded, the index, the manifest) once LibreOffice is done with them."""
    manifest = _open_folder(run, name, options)
    plan = _plan(run, manifest, options, sources)
    copies, error = _render_and_report(run, plan, options, sources, converter)
    return _Pending(run, plan, copies, error)


def _plan(run: WorkbookRun, manifest: Manifest, options: Options, sources: str) -> _Plan:
    """Where each visit's documents go, where their contexts are kept, the dashboards'
    figures and links, and whether the reports are current. The reports follow from the
    workbook, the standard and the templates, today, the language, the company profile,
    the code and the changes since approval (which follow from the versions kept too):
    when none changed and the files are there, they stay."""
    result = run.result
    run.planned = visit_files(result)
    run.contexts = VisitContexts(result, options.standard)
    run.figures = dashboard_figures(result, upcoming_days=options.standard.settings.get("upcoming_days", 30))
    fingerprint = run_salt(result.lang, result.today, file_digest(run.path), sources, options.company.digest,
                           [vr.changes.to_json() for vr in result.visits if vr.changes])
    current = manifest.workbook == fingerprint and bool(manifest.files) and all(
        (run.folder / f).is_file() for f in manifest.files)
    return _Plan(manifest, fingerprint, current, _links(result, run.planned))


def _render_and_report(run: WorkbookRun, plan: _Plan, options: Options, sources: str,
                       converter: Converter | None) -> tuple[PdfCopies, PipelineError | None]:
    """The visits' documents, then their PDF copies started; the workbook's reports
    written in this process meanwhile (both cores busy): while the render workers work,
    or, when the visits render here, while LibreOffice makes the PDFs (its start alone
    takes seconds)."""
    result, folder = run.result, run.folder
    rendering = start_rendering(result, options.standard, folder, plan.manifest, options.templates,
                                options.workers, run.planned, options.company, sources,
                                run.contexts)  # many visits: the workers fork here
    with Background(partial(_reports, run, plan, options), now=rendering.in_workers) as reports:
        run.documents = rendering.finish(options.on_progress)
        copies = start_copies(run.planned, plan.manifest, folder, options.pdf, result.today,
                              fmt_date(result.today, result.lang), converter)
        try:
            run.written = reports.result()  # written by now, or now, while LibreOffice works
        except PipelineError as e:
            return copies, e  # raised once the PDFs on the way are recorded
    return copies, None


def _reports(run: WorkbookRun, plan: _Plan, options: Options) -> list[Path]:
    """The workbook-level reports and dashboards, unless they are current."""
    if plan.current:
        return []
    return [*_write_reports(run, run.folder, options.company),
            *_write_dashboards(run.result, run.figures, run.folder, plan.links, options)]


def _finish(pending: _Pending, options: Options) -> None:
    """Once LibreOffice has made the workbook's PDFs: record them, write the index that
    links them, save the manifest."""
    run, plan = pending.run, pending.plan
    result, folder, manifest = run.result, run.folder, plan.manifest
    run.pdfs = pending.copies.finish(options.on_progress)
    failed = {v.visit_id for v in run.documents.errors}
    run.links = _links(result, [(vr, vf) for vr, vf in run.planned if vf.visit_id not in failed])
    if pending.error:
        manifest.workbook = ""
        manifest.save()
        raise pending.error
    if not plan.current or run.pdfs.changed:  # the index links the PDFs there are
        from .documents.index import render_index
        index = output.write_text(folder / INDEX, render_index(result, run.links, result.lang, options.templates,
                                                               options.company), folder)
    if plan.current:
        run.written, run.unchanged = [folder / f for f in manifest.files], not run.pdfs.changed
    else:
        run.written.append(index)
    # A visit that failed is left out of the index: redo the reports when it is retried.
    manifest.workbook = "" if failed else plan.fingerprint
    manifest.files = [p.name for p in run.written]
    manifest.save()


class _InOrder:
    """The workbooks read so far: each finished (`_finish`) once LibreOffice is done with
    its PDFs, and reported, in input order."""

    def __init__(self, options: Options, on_workbook: Callable[[WorkbookRun], None]):
        self.options, self.on_workbook = options, on_workbook
        self.waiting: list[tuple[WorkbookRun, _Pending | None]] = []
        self.runs: list[WorkbookRun] = []

    def add(self, run: WorkbookRun, pending: _Pending | None) -> None:
        self.runs.append(run)
        self.waiting.append((run, pending))

    def finish(self, block: bool) -> None:
        """Finish the workbooks at the front whose PDFs are ready (`block`: all of them)."""
        while self.waiting:
            run, pending = self.waiting[0]
            if pending is not None:
                if not block and not pending.copies.ready():
                    return
                with _stops(run):
                    _finish(pending, self.options)
            self.waiting.pop(0)
            self.on_workbook(run)


def _links(result: CheckResult, planned: list[tuple[VisitResult, VisitFiles]]) -> Links:
    """The workbook's files (under None) and each visit's, relative to its output folder."""
    lang = result.lang
    links: Links = {None: [(t(lang, "files.dashboard_html"), t(lang, "dashboard.files.html")),
                           (t(lang, "files.dashboard_xlsx"), t(lang, "dashboard.files.xlsx")),
                           (t(lang, "files.report"), t(lang, "files.report")),
                           (t(lang, "files.annotated"), annotated_name(result)),
                           (t(lang, "files.findings"), FINDINGS)]}
    for _, vf in planned:
        links[vf.visit_id] = [link for kind, name in vf.files.items() for link in _document_links(lang, vf, kind, name)]
    return links


def _document_links(lang: str, vf: VisitFiles, kind: str, name: str) -> list[tuple[str, PurePosixPath]]:
    """The document, then its PDF copy where there is one."""
    label = t(lang, f"files.labels.{kind}")
    links = [(label, PurePosixPath(vf.folder, name))]
    if kind in vf.pdfs:
        links.append((t(lang, "files.labels.pdf", document=label), PurePosixPath(vf.folder, pdf_name(name))))
    return links


def _write_dashboards(result: CheckResult, figures, folder: Path, links: Links, options: Options) -> list[Path]:
    from .dashboard.excel import render_dashboard_xlsx
    from .dashboard.html import render_dashboard_html
    lang = result.lang
    plans = {vid: str(files[0][1]) for vid, files in links.items() if vid is not None}
    company = options.company
    return [output.write_bytes(folder / t(lang, "dashboard.files.xlsx"),
                               render_dashboard_xlsx(figures, lang, plans, company), folder),
            output.write_text(folder / t(lang, "dashboard.files.html"),
                              render_dashboard_html(figures, lang, links, options.templates, company), folder)]


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
            folder = workbook_folder(run.path)
            entries.append(OverviewEntry(run.path.stem, folder if (options.output / folder).is_dir() else None,
                                         error=error))  # no link to nothing
            continue
        name = run.result.workbook.name
        prefix = PurePosixPath(workbook_folder(run.path))
        reports = [(label, prefix / path) for label, path in run.links.get(None, [])]
        entries.append(OverviewEntry(
            name, str(prefix), run.figures,
            dashboards=reports[:2] + [(t(lang, "files.index"), prefix / INDEX)], reports=reports[2:],
            visits={vid: [(label, prefix / path) for label, path in files]
                    for vid, files in run.links.items() if vid is not None}))
    return output.write_text(options.output / INDEX, render_overview(entries, lang, options.today, options.templates,
                                                                     options.company), options.output)


def findings_json(result: CheckResult) -> str:
    """A JSON list, one finding per line: readable, diffable, and written by the C encoder
    (an `indent` would fall back to the slow pure-Python one)."""
    if not result.findings:
        return "[]"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(f.to_json()) for f in result.findings) + "\n]"


def _write_findings(result: CheckResult, folder: Path) -> Path:
    return output.write_text(folder / FINDINGS, findings_json(result) + "\n", folder)


def _write_report(result: CheckResult, folder: Path, company: Company) -> Path:
    from .report import render_report
    return output.write_bytes(folder / t(result.lang, "files.report"), render_report(result, company), folder)


def _write_annotated(run: WorkbookRun, folder: Path) -> Path:
    """The annotated copy; a note for the user when it had to be made the slow way."""
    from .annotate import annotate
    result = run.result
    copy, name = annotate(result), annotated_name(result)
    if copy.fallback is not None:
        reason = copy.fallback
        run.notes.append(Phrase(lambda lang: t(lang, "report.annotated.slow_way", file=name, reason=reason)))
    return output.write_bytes(folder / name, copy.data, folder)


def annotated_name(result: CheckResult) -> str:
    return safe_name(result.workbook.name, suffix=".checked.xlsx")


def _write_reports(run: WorkbookRun, folder: Path, company: Company) -> list[Path]:
    """findings.json, the check report and the annotated copy."""
    return [_write_findings(run.result, folder), _write_report(run.result, folder, company),
            _write_annotated(run, folder)]

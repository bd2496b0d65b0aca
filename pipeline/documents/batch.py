"""Every visit's documents of one workbook: rendered in parallel, and only when changed.

Each visit that is not cancelled gets a folder `<workbook output>/<visit id>/` holding its
reception plan, client itinerary and role assignment workbook, and its seating document
when it has an item to seat. A manifest beside them records each visit's fingerprint
(pipeline.incremental); a visit whose fingerprint and files are unchanged is not rendered
again, files a visit no longer has are removed, and so are the folders of visits that
left the workbook or were cancelled. Only files the
manifest lists are ever removed: nothing a user put in `output/` is touched.

The templates are read once per run, before the worker processes fork, so the workers
inherit them compiled. Work is sent as visit indexes; each worker renders and writes its
visits' files itself, so only errors travel back. The workers fork when the rendering
starts and work while the caller does something else (the build writes the workbook's
reports meanwhile: pipeline.build); `Rendering.finish` takes their results.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from .. import output
from ..checks import CheckResult, VisitResult
from ..company import NO_COMPANY, Company
from ..errors import PipelineError, said
from ..i18n import t
from ..incremental import Manifest, run_salt, sources_digest, visit_fingerprint
from ..standard import Standard
from .contexts import VisitContexts
from .docx import DocxTemplate
from .names import NameBook, safe_name
from .roles import render_roles
from ..templating import TEMPLATES
from .seating import has_seating, render_seating
from .word import load_word_templates, render_itinerary, render_plan

KINDS = ("plan", "itinerary", "roles", "seating")
SUFFIX = {"plan": ".docx", "itinerary": ".docx", "roles": ".xlsx", "seating": ".docx"}
PARALLEL_FROM = 24  # fewer visits than this render in this process: forking costs more
CHUNK = 8
PROGRESS_EVERY = 1.0  # seconds between saves of the manifest while visits render

Progress = Callable[[int, int], None]  # (visits done, visits to render)


@dataclass
class VisitFiles:
    visit_id: str
    folder: str  # relative to the workbook's output folder
    files: dict[str, str] = field(default_factory=dict)  # kind -> file name
    pdfs: dict[str, str] = field(default_factory=dict)  # kind -> its PDF copy's name, where one is current
    rendered: bool = False
    error: str | None = None
    trace: str | None = None  # a defect's traceback (for --debug): the error was not raised on purpose


@dataclass
class BatchResult:
    visits: list[VisitFiles]

    @property
    def rendered(self) -> int:
        return sum(1 for v in self.visits if v.rendered)

    @property
    def errors(self) -> list[VisitFiles]:
        return [v for v in self.visits if v.error]

    @property
    def defects(self) -> list[VisitFiles]:
        return [v for v in self.visits if v.trace]


@dataclass
class _Job:
    """What a worker needs, inherited through fork rather than pickled."""
    result: CheckResult
    standard: Standard
    lang: str
    templates: dict[str, DocxTemplate]
    folder: Path
    visits: list[tuple[VisitResult, VisitFiles]]  # the visits to render
    company: Company
    contexts: VisitContexts


_JOB: _Job | None = None


def document_name(kind: str, vr: VisitResult, lang: str, book: NameBook) -> str:
    """`接待方案_V2027-001_华东精密.docx`: kind in the output language, visit id, client."""
    return book.claim(t(lang, f"files.{kind}"), vr.visit.id or "", vr.visit.record.client_org or "",
                      suffix=SUFFIX[kind])


def visit_files(result: CheckResult) -> list[tuple[VisitResult, VisitFiles]]:
    """Where each visit's documents go (folder and file names, relative to the
    workbook's output folder), for every visit that gets documents: not cancelled."""
    folders = NameBook()
    out = []
    for vr in result.visits:
        if vr.readiness == "cancelled" or not vr.visit.id:
            continue
        vf = VisitFiles(vr.visit.id, folders.claim(vr.visit.id))
        names = NameBook()
        kinds = KINDS if has_seating(vr.visit) else KINDS[:-1]
        vf.files = {kind: document_name(kind, vr, result.lang, names) for kind in kinds}
        out.append((vr, vf))
    return out


@lru_cache(maxsize=4)
def _word_templates(folder: str, digest: str, company: Company) -> dict[str, DocxTemplate]:
    """Parsed once per run however many workbooks it builds (again if a file changed)."""
    return load_word_templates(folder, company)


def render_documents(result: CheckResult, standard: Standard, folder: Path, manifest: Manifest,
                     templates: Path = TEMPLATES, workers: int | None = None,
                     on_progress: Progress = lambda done, total: None,
                     planned: list[tuple[VisitResult, VisitFiles]] | None = None,
                     company: Company = NO_COMPANY, sources: str | None = None) -> BatchResult:
    """Render the documents of every visit that is not cancelled and whose inputs changed
    (`start_rendering`, then `Rendering.finish`)."""
    return start_rendering(result, standard, folder, manifest, templates, workers, planned, company,
                           sources).finish(on_progress)


def start_rendering(result: CheckResult, standard: Standard, folder: Path, manifest: Manifest,
                    templates: Path = TEMPLATES, workers: int | None = None,
                    planned: list[tuple[VisitResult, VisitFiles]] | None = None,
                    company: Company = NO_COMPANY, sources: str | None = None,
                    contexts: VisitContexts | None = None) -> Rendering:
    """Find the visits whose documents must be made again and, when they are many, fork
    the workers that render them: they work from here on, until `finish` takes their
    results. `planned` is `visit_files(result)` when the caller has worked it out
    already; `company` the profile the documents show; `sources` the standard's and the
    templates' digest (pipeline.incremental.sources_digest) when the caller has it. Each
    is part of every visit's fingerprint. `contexts`: where the visits' contexts are kept
    for the caller (the build's, which the mail stage takes after it)."""
    global _JOB
    sources = sources or sources_digest(standard.path, Path(templates))
    word = _word_templates(str(templates), sources, company)
    salt = run_salt(result.lang, result.today, sources, company.digest)
    plan: list[tuple[VisitResult, VisitFiles, str]] = []
    todo: list[int] = []
    for vr, vf in planned if planned is not None else visit_files(result):
        fingerprint = visit_fingerprint(vr, salt)
        if not manifest.unchanged(vr.visit.id, fingerprint, folder, vf.folder, vf.files.values()):
            todo.append(len(plan))
        plan.append((vr, vf, fingerprint))
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    forked = workers > 1 and len(todo) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods()
    if forked or contexts is None:  # a worker's contexts are its own: none is kept for the caller
        contexts = VisitContexts(result, standard, keep=not forked)
    _JOB = _Job(result, standard, result.lang, word, folder, [(plan[i][0], plan[i][1]) for i in todo], company,
                contexts)
    return Rendering(plan, todo, folder, manifest, workers if forked else 0)


class Rendering:
    """One workbook's visits on their way: rendered by `workers` forked processes from the
    start (`in_workers`), else (0) in this process when `finish` asks for them."""

    def __init__(self, plan: list[tuple[VisitResult, VisitFiles, str]], todo: list[int], folder: Path,
                 manifest: Manifest, workers: int):
        self.plan, self.todo, self.folder, self.manifest = plan, todo, folder, manifest
        total = len(todo)
        chunks = [range(i, min(i + CHUNK, total)) for i in range(0, total, CHUNK)]
        self.pool: ProcessPoolExecutor | None = None
        if workers:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            self.results: Iterator[list[_Rendered]] = self.pool.map(_render_chunk, chunks)  # the workers fork here
        else:
            self.results = map(_render_chunk, chunks)  # rendered one by one as `finish` takes them

    @property
    def in_workers(self) -> bool:
        return self.pool is not None

    def finish(self, on_progress: Progress = lambda done, total: None) -> BatchResult:
        """Take each visit as it is done (`on_progress(visits done, visits to render)`) and
        update `manifest.visits`: the caller saves it at the end; meanwhile it is saved as
        visits finish, at most every PROGRESS_EVERY seconds, so that a killed build keeps
        what it finished. Each save, and the return, comes after the files it records are
        flushed to disk (the workers write them without: pipeline.output.flush_to_disk)."""
        global _JOB
        manifest, folder, plan = self.manifest, self.folder, self.plan
        previous = dict(manifest.visits)

        def checkpoint() -> None:  # what the manifest records is on disk first
            output.flush_to_disk(folder)
            manifest.save()
        save = _every(PROGRESS_EVERY, checkpoint)
        total, done = len(self.todo), 0
        try:
            on_progress(0, total)
            for chunk in self.results:
                for index, error, trace in chunk:
                    _, vf, fingerprint = plan[self.todo[index]]
                    vf.rendered, vf.error, vf.trace = error is None, error, trace
                    if error is None:  # recorded now, its old files gone: a kill from here on costs it nothing
                        manifest.visits[vf.visit_id] = _entry(vf, fingerprint, previous.get(vf.visit_id))
                        _remove_stale(folder, {k: previous[k] for k in (vf.visit_id,) if k in previous},
                                      manifest.visits)
                        save()
                done += len(chunk)
                on_progress(done, total)
        finally:
            _JOB = None
            if self.pool:
                self.pool.shutdown(cancel_futures=True)
        if total:
            output.flush_to_disk(folder)  # the files are on disk before the caller saves the manifest

        manifest.visits = {}
        for vr, vf, fingerprint in plan:
            if vf.error:  # keep the old entry (and its files): the next build tries again
                if vf.visit_id in previous:
                    manifest.visits[vf.visit_id] = previous[vf.visit_id]
                continue
            manifest.visits[vf.visit_id] = _entry(vf, fingerprint, previous.get(vf.visit_id))
        _remove_stale(folder, previous, manifest.visits)
        return BatchResult([vf for _, vf, _ in plan])


def _entry(vf: VisitFiles, fingerprint: str, before: dict | None) -> dict:
    """The visit's manifest entry (`before`: the last build's)."""
    return {"fingerprint": fingerprint, "folder": vf.folder, "files": sorted(vf.files.values()), **_pdfs(before, vf)}


def _every(seconds: float, action: Callable[[], None]) -> Callable[[], None]:
    """`action`, done at the first call and then at most once every `seconds`."""
    last = [float("-inf")]

    def maybe() -> None:
        now = time.monotonic()
        if now - last[0] >= seconds:
            last[0] = now
            action()
    return maybe


_Rendered = tuple[int, str | None, str | None]  # (index of the job's visit, error, a defect's traceback)


def _render_chunk(indexes: range) -> list[_Rendered]:
    """Runs in a worker (or in this process): render and write these visits' documents."""
    job = _JOB
    assert job is not None, "render_documents sets the job before rendering"
    return [(i, *_render_visit(job, *job.visits[i])) for i in indexes]


def _render_visit(job: _Job, vr: VisitResult, vf: VisitFiles) -> tuple[str | None, str | None]:
    """Write the visit's documents; (the error text if they could not be made, the
    traceback if that was a defect)."""
    folder = job.folder / vf.folder
    try:
        docs = {
            "plan": render_plan(vr, job.result, job.standard, job.lang, job.templates["plan"], job.company),
            "itinerary": render_itinerary(vr, job.result, job.standard, job.lang, job.templates["itinerary"],
                                          job.company, job.contexts.itinerary(vr)),
            "roles": render_roles(vr, job.result, job.standard, job.lang, job.company,
                                  partial(job.contexts.run_sheet, vr)),
        }
        if "seating" in vf.files:
            docs["seating"] = render_seating(vr, job.result, job.standard, job.lang, job.templates["seating"],
                                             job.company)
        for kind, data in docs.items():  # made durable all at once before the manifest records them
            output.write_bytes(folder / vf.files[kind], data, job.folder, durable=False)
    except PipelineError as e:
        return said(e, job.lang), None
    except Exception as e:  # a defect must not cost the other visits their documents
        return t(job.lang, "files.internal_error", error=type(e).__name__), traceback.format_exc()
    return None, None


def _pdfs(before: dict | None, vf: VisitFiles) -> dict:
    """The visit's PDF copies, left for pipeline.documents.pdf to judge while the visit
    keeps its folder."""
    if before and before.get("folder") == vf.folder and before.get("pdfs"):
        return {"pdfs": dict(before["pdfs"])}
    return {}


def _remove_stale(folder: Path, before: dict[str, dict], now: dict[str, dict]) -> None:
    """Remove the files the last build made that this build no longer makes (a visit's
    PDF copies go with its folder)."""
    for visit_id, entry in before.items():
        sub = entry.get("folder") or safe_name(visit_id)
        kept = now[visit_id] if visit_id in now and now[visit_id].get("folder") == sub else {}
        keep = {*kept.get("files", ()), *kept.get("pdfs", ())}
        for name in [*entry.get("files", []), *entry.get("pdfs", {})]:
            if name not in keep and name == safe_name(name):  # a plain name, never a path
                output.remove(folder / sub / name, folder)
        if not keep:
            output.remove_empty_dir(folder / sub, folder)

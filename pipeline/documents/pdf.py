"""PDF copies of a visit's documents: which visits get them, and keeping them current.

The client itinerary (it goes to the client), the reception plan (to the approver) and
the role assignment workbook (printed as run sheets, one page per person) each get a PDF
beside them, made by LibreOffice (pipeline.documents.libreoffice). Which visits get them
is the policy, one of POLICIES: `--pdf`, else `documents.pdf` in the settings file,
else DEFAULT_POLICY:
- `upcoming`: visits that are not over (not completed, the guests not yet gone); a
  cancelled visit has no documents at all;
- `all`: every visit with documents;
- `none`: no PDFs (those made before are removed).

A PDF is made again only when what its document says changed: the manifest keeps, per
PDF, the content digest of the document it was made from (pipeline.incremental.
document_digest, the measure the send log uses: file properties and the build date do
not count). An unchanged rebuild starts no LibreOffice. PDFs are listed in the manifest
with their visit's files, so one whose visit, document or policy went away is removed
like any other stale file, and so is one whose document changed and could not be made
again: a PDF never tells an older story than its document.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import output
from ..checks import VisitResult
from ..errors import OutputError
from ..incremental import Manifest, document_digest
from .batch import VisitFiles
from .libreoffice import Batch, Converter, Job

POLICIES = ("all", "upcoming", "none")
DEFAULT_POLICY = "upcoming"
KINDS = ("plan", "itinerary", "roles")  # the documents that get a PDF copy
PROBLEMS = ("failed", "timeout", "stopped", "unwritable")  # outcomes that are one error each

# Where LibreOffice installs itself when it is not on the PATH.
INSTALLED = {"darwin": ["/Applications/LibreOffice.app/Contents/MacOS/soffice"],
             "win32": [r"C:\Program Files\LibreOffice\program\soffice.exe",
                       r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]}
INSTALL = {"apt-get": "sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk",
           "dnf": "sudo dnf install libreoffice-writer libreoffice-calc google-noto-sans-cjk-fonts",
           "darwin": "brew install --cask libreoffice",
           "win32": "winget install TheDocumentFoundation.LibreOffice",
           "other": "https://www.libreoffice.org/download/"}


def find_soffice() -> str | None:
    """LibreOffice's program: on the PATH, else where its installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in INSTALLED.get(sys.platform, []) if os.path.isfile(p)), None)


def install_hint() -> str:
    """The command (or the page) that installs LibreOffice and the CJK fonts here."""
    if sys.platform in ("darwin", "win32"):
        return INSTALL[sys.platform]
    return next((INSTALL[tool] for tool in ("apt-get", "dnf") if shutil.which(tool)), INSTALL["other"])


def pdf_name(document: str) -> str:
    """`接待方案_V1_华东精密.pdf` beside `接待方案_V1_华东精密.docx`."""
    return Path(document).with_suffix(".pdf").name


def wanted(policy: str, vr: VisitResult, today: date) -> bool:
    """Whether the policy gives this visit (one with documents) PDF copies."""
    if policy == "all":
        return True
    return policy == "upcoming" and not vr.visit.over(today)


@dataclass(frozen=True)
class PdfProblem:
    """A PDF that could not be made: the visit, the document it was to copy, and why
    (one of PROBLEMS)."""

    visit_id: str
    document: str
    reason: str
    cause: OutputError | None = None  # unwritable: why the file could not be written


@dataclass
class PdfResult:
    """One workbook's PDF copies after the build."""

    converted: int = 0
    unchanged: int = 0
    skipped: int = 0  # wanted, but LibreOffice is not there (or could not start)
    problems: list[PdfProblem] = field(default_factory=list)
    changed: bool = False  # a PDF was written or removed: the pages that link them are stale


@dataclass
class _Pending:
    vf: VisitFiles
    kind: str
    entry: dict  # the visit's manifest entry
    digest: str  # of the document being copied


class PdfCopies:
    """One workbook's PDF copies: planned and submitted by `start_copies`, recorded by
    `finish` once the converter is done with them."""

    def __init__(self, folder: Path, build_date: str, converter: Converter | None):
        self.folder, self.build_date, self.converter = folder, build_date, converter
        self.result = PdfResult()
        self.pending: list[_Pending] = []
        self.batch: Batch | None = None

    def ready(self) -> bool:
        return self.batch is None or self.converter is None or self.converter.ready(self.batch)

    def finish(self, on_progress: Callable[[int, int], None] = lambda done, total: None) -> PdfResult:
        """Wait for the conversions (`on_progress(PDFs done, PDFs)` meanwhile); record each
        PDF in its visit's entry and VisitFiles."""
        if self.batch is None or self.converter is None:
            return self.result
        for pending, outcome in zip(self.pending, self.converter.wait(self.batch, on_progress)):
            name = outcome.job.target.name
            if outcome.error is None:
                pending.entry["pdfs"][name] = pending.digest
                pending.vf.pdfs[pending.kind] = name
                self.result.converted += 1
                self.result.changed = True
            elif outcome.error == "unavailable":
                self.result.skipped += 1
                self._drop(pending.entry, outcome.job.target)
            else:
                self.result.problems.append(PdfProblem(pending.vf.visit_id, pending.vf.files[pending.kind],
                                                       outcome.error, outcome.cause))
                self._drop(pending.entry, outcome.job.target)
        return self.result

    def _drop(self, entry: dict, target: Path) -> None:
        """A PDF that is not current goes; one that cannot be removed stays listed, so the
        next build removes or replaces it."""
        try:
            if target.exists():
                output.remove(target, self.folder)
                self.result.changed = True
            entry["pdfs"].pop(target.name, None)
        except OutputError:
            entry["pdfs"][target.name] = ""


def start_copies(planned: list[tuple[VisitResult, VisitFiles]], manifest: Manifest, folder: Path,
                 policy: str, today: date, build_date: str, converter: Converter | None) -> PdfCopies:
    """Decide which PDFs are current, remove those no longer wanted, and submit the rest to
    `converter` (None: LibreOffice is not there, they are skipped). `manifest.visits` holds
    this build's entries (pipeline.documents.batch); `build_date` is the date as the
    documents write it."""
    copies = PdfCopies(folder, build_date, converter)
    jobs = []
    for vr, vf in planned:
        entry = manifest.visits.get(vf.visit_id)
        if entry is None or vf.error:  # its documents failed: the entry is last build's, left as it was
            continue
        before: dict[str, str] = dict(entry.get("pdfs") or {})
        entry["pdfs"] = {}
        if wanted(policy, vr, today):
            for kind in KINDS:
                source = folder / vf.folder / vf.files[kind]
                target = source.with_name(pdf_name(source.name))
                digest = _current_digest(before.get(target.name), vf.rendered, source, build_date)
                if digest and digest == before.get(target.name) and target.is_file():
                    entry["pdfs"][target.name] = digest
                    vf.pdfs[kind] = target.name
                    copies.result.unchanged += 1
                elif converter is None:
                    copies.result.skipped += 1
                else:
                    entry["pdfs"][target.name] = ""  # listed while it is made: a killed build leaves no stray file
                    jobs.append(Job(source, target, folder))
                    copies.pending.append(_Pending(vf, kind, entry, digest))
        for name in before:
            if name not in entry["pdfs"]:
                copies._drop(entry, folder / vf.folder / name)
    if jobs and converter is not None:
        copies.batch = converter.submit(jobs)
    return copies


def _current_digest(recorded: str | None, rendered: bool, source: Path, build_date: str) -> str:
    """The content digest of the document now. A document not rendered again this build is
    the one its PDF was made from: its recorded digest stands without reading it."""
    if recorded and not rendered:
        return recorded
    try:
        return document_digest(source.read_bytes(), build_date)
    except OSError:
        return ""  # not there: the converter says so for this document

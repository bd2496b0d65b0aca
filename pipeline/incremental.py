"""What changed since the last build: per-visit fingerprints kept in a manifest.

A visit's documents depend on its rows, its findings, the output language, the date the
build takes as today, the templates, the standard, the company profile (its logo's bytes
included: pipeline.company.Company.digest) and the code that renders them. Their
hash is the visit's fingerprint; a visit whose fingerprint and files are unchanged is not
rendered again. Which files of the standard and the templates count is said once
(`sources_digest`), for the visits' fingerprints and the workbook reports' alike.

What a document says is its content digest (`document_digest`): the send log compares it
before sending again, and a PDF copy is made again only when it changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from functools import cache

from . import output
from .checks import VisitResult
from .templating import TEMPLATES

MANIFEST = ".manifest.json"
PACKAGE = Path(__file__).resolve().parent


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]


def document_digest(data: bytes, build_date: str = "") -> str:
    """The hash of a document's content, without its file properties or `build_date`
    (the build date as the documents write it): the same on another day, or after the
    file was made again, as long as it says the same."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return content_hash(data)
    parts: list[bytes | str] = []
    marker = build_date.encode("utf-8") if build_date else b""
    for name in sorted(archive.namelist()):
        if name.startswith("docProps/"):
            continue
        content = archive.read(name)
        if marker:
            content = content.replace(marker, b"")
        parts += [name, content]
    return content_hash(*parts)


def content_hash(*parts: bytes | str) -> str:
    """One hash of several parts, each kept apart from the next."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:32]


def visit_fingerprint(vr: VisitResult, salt: str) -> str:
    """The hash of everything the visit's documents are made from."""
    v = vr.visit
    rows = [r.values for r in (v.record, *v.guests, *v.items, *v.staff, *v.bookings)]
    prep = v.preparation.values if v.preparation else None
    changes = vr.changes.to_json() if vr.changes else None  # the plan's section on them (pipeline.versions)
    return _digest(salt, rows, prep, [f.to_json() for f in vr.findings], vr.readiness, changes)


def _not_empty(path: Path) -> bool:
    """A file there with something in it (no document is ever empty)."""
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def folder_digest(folder: Path, patterns: tuple[str, ...]) -> str:
    """One hash of the files under `folder` matching `patterns` (names and contents)."""
    files = sorted({p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()})
    return _digest(*((p.relative_to(folder).as_posix(), file_digest(p)) for p in files))


def sources_digest(standard: Path, templates: Path) -> str:
    """What a run's outputs are made from besides the workbook, the code and the settings:
    the standard's file and the templates (every file under the templates folder, and
    the shipped templates it falls back on for what it lacks). The build takes it once
    per run, for every fingerprint the manifest keeps."""
    folders = dict.fromkeys(f.resolve() for f in (templates, TEMPLATES))
    return _digest(file_digest(standard), *(folder_digest(f, ("*",)) for f in folders))


@cache
def code_digest() -> str:
    """The pipeline's own code and texts: a new version of either renders everything again."""
    return folder_digest(PACKAGE, ("*.py", "*.yaml"))


def run_salt(*parts: object) -> str:
    """What every output of a run shares: the code, and the run's language, today, sources
    (`sources_digest`) and company profile as the caller passes them."""
    return _digest(code_digest(), *parts)


@dataclass
class Manifest:
    path: Path
    visits: dict[str, dict] = field(default_factory=dict)  # visit id -> {fingerprint, files}
    workbook: str = ""  # fingerprint of the workbook-level reports
    files: list[str] = field(default_factory=list)  # the workbook-level reports

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data.get("visits", {})), str(data.get("workbook", "")),
                       [str(f) for f in data.get("files", [])])
        except (OSError, ValueError, AttributeError):
            return cls(path)

    def unchanged(self, visit_id: str, fingerprint: str, folder: Path, sub: str, files) -> bool:
        """The visit was built from the same inputs into the same files, and they are there
        (none empty: a document rewritten just before a power cut may be, see
        pipeline.output.flush_to_disk)."""
        entry = self.visits.get(visit_id)
        files = sorted(files)
        return bool(entry) and entry.get("fingerprint") == fingerprint and entry.get("folder") == sub \
            and entry.get("files") == files and all(_not_empty(folder / sub / f) for f in files)

    def save(self) -> None:
        # No indent: the C encoder (an indent falls back to the pure-Python one, and the
        # manifest is saved as visits finish, see documents.batch)
        output.write_text(self.path, json.dumps({"workbook": self.workbook, "files": self.files, "visits": self.visits},
                                                ensure_ascii=False, sort_keys=True), self.path.parent)

"""What counts as a change: the hash the send log compares before sending again.

A document is the same document when what it says is the same. Word and Excel files are
zip archives whose bytes also carry the day they were made: the file properties
(`docProps/`) and the plan's version line, which is the build date. Both are left out of
the hash, so a plan rebuilt the next day, or after `make clean`, is not sent again; any
other change to a document is a change.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path


def _hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:32]


def document_digest(data: bytes, build_date: str = "") -> str:
    """The hash of a document's content, without its file properties or `build_date`
    (the build date as the documents write it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return _hash(data)
    parts: list[bytes | str] = []
    marker = build_date.encode("utf-8") if build_date else b""
    for name in sorted(archive.namelist()):
        if name.startswith("docProps/"):
            continue
        content = archive.read(name)
        if marker:
            content = content.replace(marker, b"")
        parts += [name, content]
    return _hash(*parts)


def file_digest(path: Path, build_date: str = "") -> str:
    return document_digest(path.read_bytes(), build_date)


def message_digest(kind: str, documents: Iterable[tuple[str, str]], events: Iterable[tuple[str, str]],
                   extra: Iterable[str] = ()) -> str:
    """The hash of everything a message delivers: its documents (kind and content hash),
    its calendar's events (UID and content hash) and, for the approver, the open findings.
    Not the wording of the e-mail itself: a reworded template sends nothing again."""
    return _hash(kind, *(f"{k}={d}" for k, d in documents), *(f"{u}={d}" for u, d in sorted(events)), *extra)

"""What counts as a change: the hash the send log compares before sending again.

A document is the same document when what it says is the same. Word and Excel files are
zip archives whose bytes also carry the day they were made: the file properties
(`docProps/`) and the plan's version line, which is the build date. Both are left out of
the hash, so a plan rebuilt the next day, or after `make clean`, is not sent again; any
other change to a document is a change. (`document_digest` lives in pipeline.incremental:
a PDF copy is made again by the same measure.) A PDF attached in place of, or beside, its
document adds nothing to the hash: a PDF made again from the same document sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..incremental import content_hash, document_digest

__all__ = ["document_digest", "file_digest", "message_digest"]


def file_digest(path: Path, build_date: str = "") -> str:
    return document_digest(path.read_bytes(), build_date)


def message_digest(kind: str, documents: Iterable[tuple[str, str]], events: Iterable[tuple[str, str]],
                   extra: Iterable[str] = ()) -> str:
    """The hash of everything a message delivers: its documents (kind and content hash),
    its calendar's events (UID and content hash) and, for the approver, the open findings.
    Not the wording of the e-mail itself: a reworded template sends nothing again."""
    return content_hash(kind, *(f"{k}={d}" for k, d in documents), *(f"{u}={d}" for u, d in sorted(events)), *extra)

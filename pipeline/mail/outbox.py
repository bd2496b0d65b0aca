"""The outboxes: `output/<workbook>/<visit>/outbox/*.eml`, the drafts still to send.

Every `mail` (and `send`) rewrites them: a draft is there while its message is not yet
sent (or changed since); drafts the pipeline wrote earlier that are no longer due are
removed. Which files the pipeline wrote is kept in `output/<workbook>/.outbox.json`:
only those are ever removed, never a file a user put there. Written through
pipeline.output (atomic, owner-only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import output
from ..documents.names import NameBook, safe_name
from ..i18n import t

OUTBOX = "outbox"
MANIFEST = ".outbox.json"


@dataclass(frozen=True)
class Draft:
    visit_folder: str  # relative to the workbook's output folder
    kind: str
    recipient: str  # the name the file is called by (the person's name, else the address)
    data: bytes


def draft_name(book: NameBook, kind: str, recipient: str, lang: str) -> str:
    """`内部通报_张伟.eml` / `briefing_Zhang Wei.eml`."""
    return book.claim(t(lang, f"mail.kinds.{kind}"), recipient, suffix=".eml")


def write_outboxes(folder: Path, drafts: list[Draft], lang: str) -> list[Path]:
    """Write the drafts into their visits' outboxes and remove the ones no longer due;
    the paths written."""
    before = _load(folder)
    books: dict[str, NameBook] = {}
    now: dict[str, list[str]] = {}
    written = []
    for d in drafts:
        name = draft_name(books.setdefault(d.visit_folder, NameBook()), d.kind, d.recipient, lang)
        written.append(output.write_bytes(folder / d.visit_folder / OUTBOX / name, d.data, folder))
        now.setdefault(d.visit_folder, []).append(name)
    for sub, names in before.items():
        keep = set(now.get(sub, ()))
        for name in names:
            if name not in keep and name == safe_name(name) and sub == safe_name(sub):
                output.remove(folder / sub / OUTBOX / name, folder)
        if not keep:
            output.remove_empty_dir(folder / sub / OUTBOX, folder)
            output.remove_empty_dir(folder / sub, folder)  # a visit cancelled since: its folder was left for the outbox
    if now or before:
        output.write_text(folder / MANIFEST, json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True), folder)
    return written


def _load(folder: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): [str(n) for n in v] for k, v in data.items() if isinstance(v, list)}

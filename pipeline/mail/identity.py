"""Which workbook is which, for the send log and the calendars.

A message's key in the send log and its calendar events' UIDs are made from the visit id
and the workbook's identity, not from its file name: two folders' workbooks of one name
(two departments) must not share them, and a renamed or moved workbook must keep them,
or everyone would get every message and every event again.

The identities are kept beside the send log, in `<log>.workbooks.json` (by default
`.reception/sendlog.workbooks.json`), as {identity: {"path": the workbook's absolute path
as last seen, "visits": its visit ids}}. For a workbook:
- at a path the file knows: that path's identity ("known");
- at a new path, sharing a visit id with exactly one known workbook whose file is gone:
  that one's identity, and the file records the new path ("renamed": renamed or moved);
- else, if the send log knows its file name from before identities were kept and no
  workbook has taken that name: the name itself, so that the messages and events already
  sent stay theirs ("taken_over");
- else a new one: its file name and a random part, `visits-3f9c2a1b` ("new"), which no
  workbook elsewhere will have.
What keeps an identity: the workbook staying where it is, or being renamed or moved
(not copied: a copy beside the original is another workbook), and this file. A user may
edit a path in it, e.g. to make a workbook the successor of one whose visits it does not
share.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import output


@dataclass(frozen=True)
class Identity:
    name: str
    how: str  # known, renamed, taken_over, new
    was: Path | None = None  # renamed: where the workbook was


class Identities:
    def __init__(self, path: Path):
        self.path = path
        self.reload()

    def reload(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.known: dict[str, dict] = {str(k): v for k, v in data.items() if isinstance(v, dict)} \
            if isinstance(data, dict) else {}

    @classmethod
    def beside(cls, log: Path) -> Identities:
        return cls(log.with_name(log.stem + ".workbooks.json"))

    def of(self, workbook: Path, visits: Iterable[str], in_log: Callable[[str], bool]) -> Identity:
        """The identity of the workbook at `workbook` holding `visits`; `in_log(name)`:
        the send log has messages of a workbook so named. Recorded (see save)."""
        where, visits = str(workbook.resolve()), sorted(visits)
        identity = self._find(where, set(visits), workbook.stem, in_log)
        self.known[identity.name] = {"path": where, "visits": visits}
        return identity

    def _find(self, where: str, visits: set[str], stem: str, in_log: Callable[[str], bool]) -> Identity:
        for name, entry in self.known.items():
            if entry.get("path") == where:
                return Identity(name, "known")
        gone = [(name, Path(str(entry.get("path", "")))) for name, entry in self.known.items()
                if visits & set(entry.get("visits") or ()) and not Path(str(entry.get("path", ""))).exists()]
        if len(gone) == 1:
            return Identity(gone[0][0], "renamed", gone[0][1])
        if stem not in self.known and in_log(stem):
            return Identity(stem, "taken_over")
        return Identity(_new_name(stem), "new")

    def save(self) -> None:
        """Write the file (atomically, owner-only), beside the send log."""
        text = json.dumps(self.known, ensure_ascii=False, indent=1, sort_keys=True)
        output.write_text(self.path, text, self.path.parent)


def _new_name(stem: str) -> str:
    return f"{stem}-{secrets.token_hex(4)}"

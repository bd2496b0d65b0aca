"""The versions kept beside the send log.

`.reception/sendlog.versions/<workbook>/` (with `log.path` set, beside that file), where
<workbook> stands for the workbook's mail identity (pipeline.mail.identity, so a renamed
or moved workbook keeps its versions), as a hash: an identity is made from a file name,
which may hold anything. In it:

- `index.json`: {"visits": {"V1": {"on": "2027-03-01", "version": "<hash>",
  "fingerprint": "<quick digest>"}, …}}, the approved version of each visit that has one:
  its approval date, its content's hash and the quick digest of the visit as approved
  (pipeline.versions.content.quick_digest). One small file, so that a check reads one
  file however many visits there are, and a visit's own file only when it changed.
- `<visit id>.json`: {"visit": "V1", "versions": {"<hash>": <content>, …}}: the approved
  version and those the send log names as the last delivered by a message of the visit
  (an update says what changed since that one). A content is
  pipeline.versions.content's: what the plan holds, nothing more.

Folders are owner-only (0700) and files too (0600), written atomically through
pipeline.output. A visit that leaves the workbook, or is over (completed, cancelled, or
its guests have left), takes its file with it; a file that cannot be read counts as
none (the visit is kept again as it then stands).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from .. import output
from ..checks import CheckResult
from ..mail.identity import Identities, Identity
from ..mail.sendlog import SendLog
from ..model import Workbook
from .content import Approved, content_digest, quick_digest, visit_content

INDEX = "index.json"


class Versions:
    """The store of one send log (its identities and its versions)."""

    def __init__(self, sendlog: Path, log: SendLog | None = None, identities: Identities | None = None,
                 read_only: bool = False):
        self.folder = sendlog.with_name(sendlog.stem + ".versions")
        self.identities = identities or Identities.beside(sendlog)
        self.read_only = read_only  # a dry run: nothing is written
        self._sendlog, self._log = sendlog, log
        self._found: dict[str, Identity] = {}  # workbook path (resolved) -> its identity, as first found
        self._index: dict[str, dict[str, dict]] = {}  # identity -> visit id -> its approved version's entry
        self._files: dict[tuple[str, str], dict | None] = {}  # (identity, visit id) -> its file's data, once read
        self._lost: set[tuple[str, str]] = set()  # approved versions whose file could not be read
        self.saved: set[str] = set()  # identities this store wrote to the identities file

    @property
    def log(self) -> SendLog:
        if self._log is None:
            self._log = SendLog(self._sendlog)  # read only when an identity or a reference needs it
        return self._log

    def identity(self, workbook: Path, visits: Iterable[str]) -> Identity:
        """The workbook's identity, found once per run (how it was found stays as found)."""
        where = str(workbook.resolve())
        if where not in self._found:
            self._found[where] = self.identities.of(workbook, visits, lambda name: self.log.knows_workbook(name))
        return self._found[where]

    # ---- the approved versions ---------------------------------------------------------

    def approved(self, path: Path, wb: Workbook) -> dict[str, Approved]:
        """The approved version of each visit of the workbook that has one (its content is
        read when the check asks for it)."""
        identity = self.identity(path, wb.visits).name
        out = {}
        for vid, entry in self._entries(identity).items():
            if vid in wb.visits:
                on = _date(entry.get("on"))
                if on is not None:
                    out[vid] = Approved(on, str(entry.get("fingerprint")), self._loader(identity, vid, entry))
        return out

    def _loader(self, identity: str, visit_id: str, entry: dict):
        def load() -> dict | None:
            content = self.version(identity, visit_id, entry.get("version"))
            if content is None:
                self._lost.add((identity, visit_id))
            return content
        return load

    def keep(self, path: Path, result: CheckResult) -> None:
        """After the check: a visit approved with an approval date the index does not have
        for it (first seen approved, or approved again) gets its content as the approved
        version; a visit no longer in the workbook, or over, loses its file. Never
        replaces an approved version with content changed under the same approval date."""
        if self.read_only:
            return
        visits = result.workbook.visits
        identity = self.identity(path, visits)
        entries = self._entries(identity.name)
        changed = False
        for vr in result.visits:
            visit, vid = vr.visit, vr.visit.id
            v, on = visit.record, visit.record.approved_on
            if not vid:
                continue
            if visit.over(result.today) or v.approval != "approved" or not isinstance(on, date):
                if visit.over(result.today) and vid in entries:  # nothing is sent or compared any more
                    self._forget(identity.name, vid)
                    changed = True
                continue
            entry = entries.get(vid)
            if entry is not None and _date(entry.get("on")) == on and (identity.name, vid) not in self._lost:
                continue
            content = visit_content(visit)
            digest = content_digest(content)
            entries[vid] = {"on": on.isoformat(), "version": digest, "fingerprint": quick_digest(visit)}
            data = self._file(identity.name, vid) or {"visit": vid, "versions": {}}
            data["versions"][digest] = content
            self._write(identity.name, vid, data)
            self._lost.discard((identity.name, vid))
            changed = True
        gone = {*entries, *self._on_disk(identity.name)} - set(visits)
        for vid in gone:
            self._forget(identity.name, vid)
        if changed or gone:
            self._save_index(identity.name)
            self.save_identities(identity)

    def save_identities(self, identity: Identity) -> None:
        """Record the workbook's identity (once it holds something of it)."""
        if not self.read_only:
            self.identities.save()
            self.saved.add(identity.name)

    # ---- the versions messages delivered -----------------------------------------------

    def version(self, identity: str, visit_id: str, digest: str | None) -> dict | None:
        """The content of a version kept for the visit, or None."""
        if not digest:
            return None
        return (self._file(identity, visit_id) or {}).get("versions", {}).get(digest)

    def remember(self, identity: str, visit_id: str, content: dict) -> str:
        """Keep a version a message is about to deliver (before it goes: its send-log line
        names it); its hash."""
        digest = content_digest(content)
        if self.read_only:
            return digest
        data = self._file(identity, visit_id) or {"visit": visit_id, "versions": {}}
        if digest not in data["versions"]:
            data["versions"][digest] = content
            self._write(identity, visit_id, data, keep={digest})
        return digest

    # ---- files -------------------------------------------------------------------------

    def _dir(self, identity: str) -> Path:
        return self.folder / hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]

    def _entries(self, identity: str) -> dict[str, dict]:
        """The index of the workbook's approved versions (read once per run)."""
        if identity not in self._index:
            data = _read_json(self._dir(identity) / INDEX)
            visits = data.get("visits") if data else None
            self._index[identity] = {str(k): v for k, v in visits.items() if isinstance(v, dict)} \
                if isinstance(visits, dict) else {}
        return self._index[identity]

    def _on_disk(self, identity: str) -> set[str]:
        try:
            with os.scandir(self._dir(identity)) as entries:
                return {e.name[:-5] for e in entries
                        if e.name.endswith(".json") and e.name != INDEX and e.is_file(follow_symlinks=False)}
        except OSError:
            return set()

    def _file(self, identity: str, visit_id: str) -> dict | None:
        key = (identity, visit_id)
        if key not in self._files:
            data = _read_json(self._dir(identity) / f"{visit_id}.json")
            self._files[key] = data if data and isinstance(data.get("versions"), dict) else None
        return self._files[key]

    def _write(self, identity: str, visit_id: str, data: dict, keep: set[str] = frozenset()) -> None:
        """Write the visit's file, keeping the versions still wanted (see the module's text)."""
        wanted = {*keep, (self._entries(identity).get(visit_id) or {}).get("version")}
        wanted |= {e.get("version") for e in self.log.sent_of(identity) if e.get("visit") == visit_id}
        data["versions"] = {k: v for k, v in data["versions"].items() if k in wanted}
        self._files[(identity, visit_id)] = data
        _write_json(self._dir(identity) / f"{visit_id}.json", data, self.folder)

    def _save_index(self, identity: str) -> None:
        entries = self._entries(identity)
        if entries:
            _write_json(self._dir(identity) / INDEX, {"workbook": identity, "visits": entries}, self.folder)
        else:
            output.remove(self._dir(identity) / INDEX, self.folder)
            output.remove_empty_dir(self._dir(identity), self.folder)

    def _forget(self, identity: str, visit_id: str) -> None:
        self._entries(identity).pop(visit_id, None)
        self._files.pop((identity, visit_id), None)
        output.remove(self._dir(identity) / f"{visit_id}.json", self.folder)


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: dict, root: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # An unpaired surrogate (no workbook cell holds one, the reader removes them) is
    # written as its JSON escape, which reads back as itself.
    output.write_bytes(path, text.encode("utf-8", "backslashreplace"), root)


def _date(text) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None

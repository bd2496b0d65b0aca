"""The versions kept beside the send log, one file per visit.

`.reception/sendlog.versions/<workbook>/<visit id>.json` (with `log.path` set, beside that
file), where <workbook> stands for the workbook's mail identity (pipeline.mail.identity,
so a renamed or moved workbook keeps its versions), as a hash: an identity is made from a
file name, which may hold anything. Each file is

    {"visit": "V1", "approved": {"on": "2027-03-01", "version": "<hash>"},
     "versions": {"<hash>": <content>, …}}

where a content is pipeline.versions.content's: what the plan holds, nothing more. The
versions kept are the approved one and those the send log names as the last delivered by
a message of the visit (an update says what changed since that one). Folders are
owner-only (0700) and files too (0600), written atomically through pipeline.output. A
visit that leaves the workbook takes its file with it; a file that cannot be read counts
as none (the next approval makes it again).
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
from .content import Approved, content_digest, visit_content


class Versions:
    """The store of one send log (its identities and its versions)."""

    def __init__(self, sendlog: Path, log: SendLog | None = None, identities: Identities | None = None,
                 read_only: bool = False):
        self.folder = sendlog.with_name(sendlog.stem + ".versions")
        self.identities = identities or Identities.beside(sendlog)
        self.read_only = read_only  # a dry run: nothing is written
        self._sendlog, self._log = sendlog, log
        self._found: dict[str, Identity] = {}  # workbook path (resolved) -> its identity, as first found
        self._files: dict[str, dict[str, dict]] = {}  # identity -> visit id -> its file's data
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
        """The approved version of each visit of the workbook that has one."""
        identity = self.identity(path, wb.visits)
        files = self._load(identity.name, wb.visits)
        out = {}
        for vid, data in files.items():
            found = _approved(data)
            if found is not None:
                out[vid] = found
        return out

    def keep(self, path: Path, result: CheckResult) -> None:
        """After the check: a visit approved with an approval date its file does not have
        (first seen approved, or approved again) gets its content as the approved version;
        a visit no longer in the workbook loses its file. Never replaces an approved
        version with content changed under the same approval date."""
        if self.read_only:
            return
        visits = result.workbook.visits
        identity = self.identity(path, visits)
        files = self._load(identity.name, visits)
        wrote = False
        for vr in result.visits:
            v, vid = vr.visit.record, vr.visit.id
            on = v.approved_on
            if v.approval != "approved" or not isinstance(on, date) or not vid:
                continue
            data = files.get(vid) or {"visit": vid, "versions": {}}
            known = _approved(data)
            if known is not None and known.on == on:
                continue
            content = visit_content(vr.visit)
            digest = content_digest(content)
            data["approved"] = {"on": on.isoformat(), "version": digest}
            data["versions"][digest] = content
            self._write(identity.name, vid, data)
            files[vid] = data
            wrote = True
        for vid in [vid for vid in self._on_disk(identity.name) if vid not in visits]:
            self._remove(identity.name, vid)
            files.pop(vid, None)
            wrote = True
        if wrote:
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
        data = self._load(identity, [visit_id]).get(visit_id)
        return (data or {}).get("versions", {}).get(digest)

    def remember(self, identity: str, visit_id: str, content: dict) -> str:
        """Keep a version a message is about to deliver (before it goes: its send-log line
        names it); its hash."""
        digest = content_digest(content)
        if self.read_only:
            return digest
        files = self._files.setdefault(identity, {})
        data = files.get(visit_id) or self._read(identity, visit_id) or {"visit": visit_id, "versions": {}}
        if digest not in data["versions"]:
            data["versions"][digest] = content
            self._write(identity, visit_id, data, keep={digest})
            files[visit_id] = data
        return digest

    # ---- files -------------------------------------------------------------------------

    def _dir(self, identity: str) -> Path:
        return self.folder / hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]

    def _on_disk(self, identity: str) -> set[str]:
        try:
            with os.scandir(self._dir(identity)) as entries:
                return {e.name[:-5] for e in entries if e.name.endswith(".json") and e.is_file(follow_symlinks=False)}
        except OSError:
            return set()

    def _load(self, identity: str, visits: Iterable[str]) -> dict[str, dict]:
        """The files of these visits (read once per run)."""
        files = self._files.get(identity)
        if files is None:
            files = self._files[identity] = {}
            for vid in self._on_disk(identity):
                data = self._read(identity, vid)
                if data is not None:
                    files[vid] = data
        return {vid: files[vid] for vid in visits if vid in files}

    def _read(self, identity: str, visit_id: str) -> dict | None:
        try:
            data = json.loads((self._dir(identity) / f"{visit_id}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("versions"), dict):
            return None
        return data

    def _write(self, identity: str, visit_id: str, data: dict, keep: set[str] = frozenset()) -> None:
        """Write the visit's file, keeping the versions still wanted (see the module's text)."""
        wanted = {*keep, (data.get("approved") or {}).get("version")}
        wanted |= {e.get("version") for e in self.log.sent_of(identity) if e.get("visit") == visit_id}
        data["versions"] = {k: v for k, v in data["versions"].items() if k in wanted}
        # ASCII with escapes: a value holding anything (an unpaired surrogate) is still written
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        output.write_text(self._dir(identity) / f"{visit_id}.json", text, self.folder)

    def _remove(self, identity: str, visit_id: str) -> None:
        folder = self._dir(identity)
        output.remove(folder / f"{visit_id}.json", self.folder)
        output.remove_empty_dir(folder, self.folder)


def _approved(data: dict) -> Approved | None:
    approved = data.get("approved")
    if not isinstance(approved, dict):
        return None
    try:
        on = date.fromisoformat(str(approved.get("on")))
    except ValueError:
        return None
    content = data["versions"].get(approved.get("version"))
    return Approved(on, content, str(approved.get("version"))) if isinstance(content, dict) else None

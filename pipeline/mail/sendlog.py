"""The send log: what went to whom, so that nothing unchanged is ever sent twice.

One JSON object per line, appended and flushed to disk before each message is sent (the
attempt: status "sending"; a message is sent only once that line is on disk) and after
(its outcome: "sent", "failed", or "unknown" when the connection was lost before the
server confirmed it), before the next message is sent. It
lives outside `output/` (default `.reception/sendlog.jsonl` in the working folder), so
`make clean` never causes a re-send. Each line holds the message's key (workbook, visit,
kind, recipient address), the hash of what it delivered, its Message-ID, the outcome,
and for its calendar each event's SEQUENCE; the only personal data is the recipient's
own address. A line that cannot be read (a write cut short) is skipped.

While a send runs it holds a lock on the log: a second `send` at the same time stops
rather than sending the same messages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..output import private_dirs
from . import MailError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a single user runs one send at a time
    fcntl = None

FILE_MODE = 0o600


class SendLog:
    def __init__(self, path: Path):
        self.path = path
        self._last_sent: dict[str, dict] = {}
        self._workbooks: set[str] = set()  # the workbooks (identities) the log has lines of
        self._read()

    def _read(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        except OSError as e:
            raise MailError.of(self.path, "mail_error.log_unreadable", reason=e.strerror or str(e)) from None
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("status") == "sent" and entry.get("key"):
                self._last_sent[entry["key"]] = entry
                self._workbooks.add(str(entry.get("workbook")))

    def knows_workbook(self, name: str) -> bool:
        """Whether the log has messages sent for a workbook of this identity (before
        identities were kept: of this file name)."""
        return name in self._workbooks

    def sent_of(self, workbook: str) -> list[dict]:
        """The last successful send of each message of the workbook (its identity)."""
        return [e for e in self._last_sent.values() if e.get("workbook") == workbook]

    def last_sent(self, key: str) -> dict | None:
        """The last successful send of this message key, or None."""
        return self._last_sent.get(key)

    def check_writable(self) -> None:
        """Before anything is sent: the log can be appended to (a message whose result
        could not be recorded would go again on every run)."""
        self._ensure_folder()
        try:
            os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE))
        except OSError as e:
            raise MailError.of(self.path, "mail_error.log_unwritable", reason=e.strerror or str(e)) from None

    def record(self, entry: dict) -> None:
        """Append one attempt's outcome and make sure it is on disk."""
        entry = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **entry}
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        self._ensure_folder()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            raise MailError.of(self.path, "mail_error.log_unwritable", reason=e.strerror or str(e)) from None
        if entry.get("status") == "sent":
            self._last_sent[entry["key"]] = entry
            self._workbooks.add(str(entry.get("workbook")))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Held while sending: one send at a time per log."""
        self._ensure_folder()
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
        try:
            if fcntl:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    raise MailError.of(self.path, "mail_error.log_locked") from None
            self._last_sent.clear()
            self._workbooks.clear()
            self._read()  # what a send that finished meanwhile recorded
            yield
        finally:
            os.close(fd)

    def _ensure_folder(self) -> None:
        try:
            private_dirs(self.path.parent)  # owner-only, however many folders it makes
        except OSError as e:
            raise MailError.of(Path(e.filename), "mail_error.log_folder", reason=e.strerror or str(e)) from None

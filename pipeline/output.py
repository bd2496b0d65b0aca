"""The write stage: the only code that touches the output folder.

Every file is written to a temporary file beside its final name and then renamed over
it, so a crash or kill never leaves a half-written file under a final name. Files are
readable by their owner only (0600, folders 0700): they hold personal data (§2.5).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_PREFIX = ".tmp-"


def private_dirs(path: Path) -> None:
    """Make the folder, owner-only, and so every folder made on the way to it (`mkdir -p`
    would make those with the umask's permissions); folders above that were there keep
    theirs. An OSError names the folder that could not be made."""
    missing = []
    folder = path
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for folder in [*reversed(missing), *([] if missing else [path])]:
        try:
            folder.mkdir(mode=DIR_MODE, exist_ok=True)
            os.chmod(folder, DIR_MODE)
        except OSError as e:
            e.filename = str(folder)
            raise


def ensure_dir(path: Path) -> Path:
    """The folder, made owner-only with every folder on the way to it (see private_dirs)."""
    try:
        private_dirs(path)
    except OSError as e:
        raise OutputError.of(Path(e.filename), "output.create_folder", reason=e.strerror or str(e)) from None
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically, readable by the owner only."""
    ensure_dir(path.parent)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as e:
        raise OutputError.of(path, _cannot("folder", e, read_only=True), reason=e.strerror or str(e)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError.of(path, _cannot("file", e), reason=e.strerror or str(e)) from None
    return path


def _cannot(what: str, e: OSError, read_only: bool = False) -> str:
    """The interface text for "cannot write the file (or in its folder): reason; what
    to do": a full disk, a folder that may not be written, or (replacing the file) a
    program holding it open, as on Windows."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"output.{what}_disk_full"
    if e.errno == errno.EROFS or (read_only and e.errno in (errno.EACCES, errno.EPERM)):
        return f"output.{what}_read_only"
    return f"output.{what}_open"


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def remove(path: Path) -> None:
    """Remove a file this pipeline wrote earlier; a file already gone is fine."""
    try:
        path.unlink(missing_ok=True)
    except OSError as e:
        raise OutputError.of(path, "output.remove", reason=e.strerror or str(e)) from None


def remove_empty_dir(path: Path) -> None:
    """Remove a folder this pipeline made, if nothing is left in it."""
    try:
        path.rmdir()
    except OSError:
        pass  # not empty (a user's own file stays), or already gone


def sweep_temporary(folder: Path) -> int:
    """Remove the temporary files a killed run left under `folder`; how many there were."""
    removed = 0
    if folder.is_dir():
        for path in folder.rglob(TEMP_PREFIX + "*"):
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass  # a file another run is writing right now, or already gone
    return removed

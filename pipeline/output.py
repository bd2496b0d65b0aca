"""The write stage: the only code that touches the output folder.

Every file is written to a temporary file beside its final name and then renamed over
it, so a crash or kill never leaves a half-written file under a final name. Files are
readable by their owner only (0600, folders 0700): they hold personal data (§2.5).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_PREFIX = ".tmp-"


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(path, DIR_MODE)
    except OSError as e:
        raise OutputError(path, f"cannot create the folder ({e.strerror})") from None
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically, readable by the owner only."""
    ensure_dir(path.parent)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as e:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        reason = e.strerror or str(e)
        raise OutputError(path, f"cannot write the file ({reason}); is it open in another program?") from None
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def remove(path: Path) -> None:
    """Remove a file this pipeline wrote earlier; a file already gone is fine."""
    try:
        path.unlink(missing_ok=True)
    except OSError as e:
        raise OutputError(path, f"cannot remove the old file ({e.strerror}); is it open in another program?") from None


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

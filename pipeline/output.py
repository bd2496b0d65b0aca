"""The write stage: the only code that touches the output folder.

Every file is written to a temporary file beside its final name and then renamed over
it, so a crash or kill never leaves a half-written file under a final name. Files are
readable by their owner only (0600, folders 0700): they hold personal data (§2.5).

A file is on disk (fsync) before its name is in place, so that not even a power cut
leaves an empty file under it; except the visits' documents, thousands a build, which
are written `durable=False` and made durable together (`flush_to_disk`, one sync of the
file system instead of one per file: a fifth of a 1,000-visit build) before the manifest
records them as made.

The output folder is not trusted: a manifest in it may have been edited, a folder in it
replaced by a symbolic link. Every path written or removed is given with its `root` (the
workbook's output folder, or `output/` itself) and must lie inside it with no symbolic
link on the way; anything else is refused with one error naming the path.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one user runs one build at a time
    fcntl = None

FILE_MODE = 0o600
DIR_MODE = 0o700
# A temporary file's name: a prefix and a random part no file of a user's plausibly has,
# so that sweeping what a killed run left never touches a user's own `.tmp-…` file.
TEMP_PREFIX = ".~reception-"
TEMP_SUFFIX = ".tmp"
_TEMPORARY = re.compile(re.escape(TEMP_PREFIX) + "[0-9a-f]{16}" + re.escape(TEMP_SUFFIX))
LOCK = ".reception.lock"  # in output/: held while a build writes there
LOCK_WAIT = 10.0  # seconds a second build waits for the first before it stops


def is_temporary(name: str) -> bool:
    """A name this module gives its temporary files."""
    return _TEMPORARY.fullmatch(name) is not None


def inside(path: Path, root: Path) -> Path:
    """`path`, when it lies inside `root` (given as the same kind of path: both from
    the same --output) and nothing from `root` down to it is a symbolic link; else the
    OutputError that refuses it. `root` itself may be a link (a user's own --output)."""
    # On strings (a Path's are normalised but for ".."): this runs for every file written.
    where, top = str(path), str(root)
    parts = where[len(top) + 1:].split(os.sep) if where.startswith(top + os.sep) else [os.pardir]
    if os.pardir in parts:
        raise OutputError.of(path, "output.outside", root=root)
    here = top
    for part in parts:
        here = os.path.join(here, part)
        if os.path.islink(here):
            raise OutputError.of(Path(here), "output.symlink")
    return path


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


def ensure_dir(path: Path, root: Path) -> Path:
    """The folder inside `root`, made owner-only with every folder on the way to it (see
    private_dirs)."""
    inside(path, root)
    return _make_dirs(path)


def _make_dirs(path: Path) -> Path:
    try:
        private_dirs(path)
    except OSError as e:
        raise OutputError.of(Path(e.filename), _cannot_make(e), reason=e.strerror or str(e)) from None
    return path


def _cannot_make(e: OSError) -> str:
    """A file where a folder should be says so: it, not a program holding it, is in the way."""
    return "output.create_folder_file" if e.errno == errno.EEXIST else "output.create_folder"


def write_bytes(path: Path, data: bytes, root: Path, durable: bool = True) -> Path:
    """Write `data` to `path` (inside `root`) atomically, readable by the owner only;
    `durable=False`: not flushed to disk yet, the caller calls `flush_to_disk` before it
    records the file as made (where the system can flush a file system at once)."""
    _make_dirs(inside(path, root).parent)
    tmp = path.parent / (TEMP_PREFIX + secrets.token_hex(8) + TEMP_SUFFIX)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except OSError as e:
        raise OutputError.of(path, _cannot("folder", e, read_only=True), reason=e.strerror or str(e)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if durable or _SYNC_ALL is None:
                os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError.of(path, _cannot("file", e), reason=e.strerror or str(e)) from None
    return path


def flush_to_disk(folder: Path) -> None:
    """Make every file written so far on `folder`'s file system durable, as an fsync of
    each would (Linux: syncfs, that file system only; elsewhere each file was flushed as
    it was written)."""
    if _SYNC_ALL is None:
        return  # each file was flushed as it was written
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            _SYNC_ALL(fd)
        finally:
            os.close(fd)
    except OSError as e:
        raise OutputError.of(folder, "output.flush", reason=e.strerror or str(e)) from None


def _sync_all() -> Callable[[int], None] | None:
    """How to flush a whole file system, given a descriptor of a folder on it: Linux's
    syncfs, which returns once the data is on disk (and, since Linux 5.8, says when
    writing it failed). None elsewhere: sync() may return before the data is written
    (POSIX, macOS), so each file is flushed as it is written."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None

    def flush(fd: int) -> None:
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
    return flush


_SYNC_ALL = _sync_all()


def _cannot(what: str, e: OSError, read_only: bool = False) -> str:
    """The interface text for "cannot write the file (or in its folder): reason; what
    to do": a full disk, a folder that may not be written, a folder of the file's name in
    the way, or (replacing the file) a program holding it open, as on Windows."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"output.{what}_disk_full"
    if e.errno == errno.EROFS or (read_only and e.errno in (errno.EACCES, errno.EPERM)):
        return f"output.{what}_read_only"
    if what == "file" and e.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
        return "output.file_is_folder"
    return f"output.{what}_open"


def write_text(path: Path, text: str, root: Path) -> Path:
    return write_bytes(path, text.encode("utf-8"), root)


def remove(path: Path, root: Path) -> None:
    """Remove a file this pipeline wrote earlier (inside `root`); a file already gone is fine."""
    inside(path, root)
    try:
        path.unlink(missing_ok=True)
    except OSError as e:
        raise OutputError.of(path, "output.remove", reason=e.strerror or str(e)) from None


def remove_empty_dir(path: Path, root: Path) -> None:
    """Remove a folder this pipeline made (inside `root`), if nothing is left in it."""
    inside(path, root)
    try:
        path.rmdir()
    except OSError:
        pass  # not empty (a user's own file stays), or already gone


def sweep_temporary(folder: Path) -> int:
    """Remove the temporary files a killed run left under `folder` (never following a
    link, never a file of another name); how many there were."""
    removed = 0
    for here, _, names in os.walk(folder):
        for name in filter(is_temporary, names):
            path = Path(here, name)
            try:
                if not path.is_symlink():
                    path.unlink()
                    removed += 1
            except OSError:
                pass  # already gone
    return removed


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Held while a build writes into `folder` (output/), so that two builds never write
    (and sweep) the same files at once: a second build waits up to LOCK_WAIT seconds,
    then stops with one error. When the folder cannot be made there is nothing to lock:
    the first write then says why, naming its file."""
    try:
        private_dirs(folder)
        fd = os.open(inside(folder / LOCK, folder), os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except OSError:
        fd = None
    try:
        if fd is not None and fcntl is not None:
            _wait_for(fd, folder)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # and with it the lock


def _wait_for(fd: int, folder: Path) -> None:
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OutputError.of(folder, "output.locked", lock=LOCK, seconds=round(LOCK_WAIT)) from None
            time.sleep(0.1)

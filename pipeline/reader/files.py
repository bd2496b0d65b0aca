"""Which files of a folder are workbooks to read, and which are skipped and why."""

from __future__ import annotations

from pathlib import Path

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
# Spreadsheets in other formats are not skipped but refused with what to do (save as .xlsx).
OTHER_SPREADSHEET_SUFFIXES = {".xls", ".xlsb", ".ods", ".csv", ".et", ".numbers"}


def find_workbooks(path: Path) -> tuple[list[Path], list[tuple[str, Path]]]:
    """The workbooks to process under `path` (a folder or one file), and the files skipped
    with the reason key (`skipped_lock`, `skipped_hidden`, `skipped_other`, `skipped_special`:
    not a regular file).

    An Excel lock file (`~$…`) is skipped too, but it fails the run once the rest is
    built (see `Run.exit_code`): the workbook it stands for is open in Excel or WPS, so
    what was read may not be what staff see on screen."""
    if path.is_file():
        return [path], []
    if not path.is_dir():  # a pipe, socket or device given as --input
        return [], [("skipped_special", path)]
    found, skipped = [], []
    for p in sorted(path.iterdir()):
        if p.is_dir():
            continue
        if not p.is_file():  # a FIFO would block the read forever; a socket or device is no workbook
            skipped.append(("skipped_special", p))
        elif p.name.startswith("~$"):
            skipped.append(("skipped_lock", p))
        elif p.name.startswith("."):
            skipped.append(("skipped_hidden", p))
        elif p.suffix.lower() in WORKBOOK_SUFFIXES | OTHER_SPREADSHEET_SUFFIXES:
            found.append(p)
        elif p.name.lower() not in ("readme.md", "readme.txt", ".gitkeep"):
            skipped.append(("skipped_other", p))
    return found, skipped


def locked_workbook(lock: Path) -> Path | None:
    """The workbook an Office lock file stands for, when it is beside it: the lock of
    `visits.xlsx` is `~$visits.xlsx`, or, as Office names it for some longer names, `~$`
    in place of the first two characters (`~$27年客户接待台账.xlsx`)."""
    rest = lock.name[2:]
    for p in sorted(lock.parent.iterdir()) if lock.parent.is_dir() else ():
        if p != lock and not p.name.startswith("~$") and (p.name == rest or p.name[2:] == rest):
            return p
    return None

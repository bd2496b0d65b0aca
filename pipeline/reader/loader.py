"""The sheets of one workbook parsed in background threads, handed over as each is ready.

The engine is python-calamine (the reader pandas uses as `engine="calamine"`), called
directly: on the 10,000-visit benchmark it reads the six sheets several times faster
than openpyxl and saves pandas' import and DataFrame building (see scripts/bench.py).
Before calamine sees a file, preflight.inspect tells what it is when it is no .xlsx and
refuses packages built to exhaust memory, and preflight.check_sheet refuses a sheet whose
cells span more than calamine can allocate; whatever the parsers still refuse is a
WorkbookError naming the file, never an exception of theirs.
"""

from __future__ import annotations

import threading
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import NamedTuple

import python_calamine as calamine
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .. import preflight
from ..errors import WorkbookError
from . import sheetxml
from .sheetxml import SheetXml

# What the parsers raise on a file they cannot read (zlib: a corrupt part; KeyError: a
# part the package names but lacks; the rest: zip and XML errors, a part too odd to read).
UNREADABLE = (calamine.CalamineError, zipfile.BadZipFile, zlib.error, SafeET.ParseError, DefusedXmlException,
              KeyError, EOFError, NotImplementedError, RuntimeError, UnicodeError, ValueError, OSError)


def open_book(path: Path) -> calamine.CalamineWorkbook:
    """The workbook opened for parsing (its sheet names are known then, no sheet parsed)."""
    preflight.inspect(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except OSError as e:
        raise WorkbookError.of(path, "file.cannot_open", reason=e.strerror or str(e)) from None
    except Exception:  # calamine's own errors: broken zip, broken XML, password, …
        raise WorkbookError.of(path, "file.not_workbook") from None


class ParsedSheet(NamedTuple):
    key: str  # the contract's key of the sheet
    grid: list[list]  # its cells, row by row, from A1
    xml: SheetXml  # what its XML tells beyond the values
    merged: list  # its merged ranges: ((first row, first column), (last row, last column)), 0-based


class _Handles(threading.local):
    """One thread's own workbook object and zip handle (None until it first parses)."""

    book: calamine.CalamineWorkbook | None = None
    zip: zipfile.ZipFile | None = None


class SheetLoader:
    """The parsed sheets, as each is ready (see `parsed`).

    Two background threads parse the sheets while the caller's thread takes each parsed
    sheet as it comes and turns it into records: calamine releases the GIL while it
    parses, so on two cores the parsing and the work on parsed sheets overlap. One thread
    starts on the largest sheet, so that it does not keep the others waiting at the end,
    the other on the smallest, so that the caller has work at once; then the rest,
    largest first. A workbook object parses one sheet at a time, so the second thread
    opens the file once more. Each thread also scans the sheet's XML for what calamine
    does not tell (pipeline.reader.sheetxml; zlib, too, releases the GIL while it
    inflates).

        with SheetLoader(book, path, sheets) as loader:
            for parsed in loader.parsed():
                ...
    """

    THREADS = 2

    def __init__(self, book: calamine.CalamineWorkbook, path: Path, sheets: dict[str, str]):
        """`book`: the workbook as open_book opened it; `sheets`: the workbook's sheet
        name -> the contract's key of the sheet."""
        self.path = path
        self.books = [book]  # a workbook object for each thread: this one, then new ones
        self.zips: list[zipfile.ZipFile] = []  # each thread's own handle on the file
        self.lock = threading.Lock()
        self.handles = _Handles()
        try:
            with zipfile.ZipFile(path) as z:
                self.parts = sheetxml.sheet_parts(z)
                self.date1904 = sheetxml.date1904(z)
                self.padded_styles = sheetxml.padded_styles(z)
                sizes = {info.filename: info.file_size for info in z.infolist()}
        except UNREADABLE:
            raise WorkbookError.of(path, "file.not_workbook") from None
        by_size = sorted(sheets, key=lambda name: -sizes.get(self.parts.get(name, ""), 0))
        order = by_size[:1] + by_size[-1:] + by_size[1:-1] if len(by_size) > 2 else by_size
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(self.THREADS, len(sheets))),
                                       thread_name_prefix="read-sheets")
        self.jobs = {self.pool.submit(self._parse, name): sheets[name] for name in order}

    def parsed(self) -> Iterator[ParsedSheet]:
        """Each sheet, in the order they are parsed."""
        for job in as_completed(self.jobs):
            try:
                sheet, xml = job.result()
                grid = sheet.to_python(skip_empty_area=False)
            except UNREADABLE:
                raise WorkbookError.of(self.path, "file.not_workbook") from None
            yield ParsedSheet(self.jobs[job], grid, xml, sheet.merged_cell_ranges or [])

    def _parse(self, name: str) -> tuple[calamine.CalamineSheet, SheetXml]:
        """In a background thread: the sheet parsed, and its XML scanned."""
        handles = self._handles()
        part = self.parts.get(name)
        if part is None:  # calamine names a sheet workbook.xml does not give the same way
            raise WorkbookError.of(self.path, "file.not_workbook")
        data = handles.zip.read(part)
        preflight.check_sheet(data, self.path, name)  # before calamine allocates its cells
        return handles.book.get_sheet_by_name(name), sheetxml.scan(data, self.padded_styles)

    def _handles(self) -> _Handles:
        """This thread's workbook object and zip handle, opened when it first parses."""
        handles = self.handles
        if handles.book is None:
            with self.lock:
                book = self.books.pop() if self.books else None
                handles.zip = zipfile.ZipFile(self.path)
                self.zips.append(handles.zip)
            handles.book = book or calamine.CalamineWorkbook.from_path(str(self.path))
        return handles

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for z in self.zips:
            z.close()

    def __enter__(self) -> SheetLoader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

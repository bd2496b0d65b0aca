"""Read a visits workbook (the contract in ../shared/WORKBOOK.md) into typed records.

The engine is python-calamine (the reader pandas uses as `engine="calamine"`), called
directly: on the 10,000-visit benchmark it reads the six sheets several times faster
than openpyxl and saves pandas' import and DataFrame building (see scripts/bench.py).
Calamine gives a formula's cached value but cannot tell a formula without one from a
blank, so sheets that hold formulas are scanned once in their XML for those cells.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath

import python_calamine as calamine
from defusedxml import ElementTree as SafeET

from . import values
from .contract import SHEETS, Column, Sheet
from .errors import WorkbookError
from .findings import SEVERITY_ORDER, Finding
from .i18n import t
from .model import Record, SheetInfo, Visit, Workbook
from .standard import Standard

HEADER_SEARCH_ROWS = 10
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


# ---- finding the workbooks -------------------------------------------------------------

def find_workbooks(path: Path) -> tuple[list[Path], list[tuple[str, Path]]]:
    """The workbooks to process under `path` (a folder or one file), and the files skipped
    with the reason key (`skipped_lock`, `skipped_hidden`, `skipped_other`)."""
    if path.is_file():
        return [path], []
    found, skipped = [], []
    for p in sorted(path.iterdir()):
        if p.is_dir():
            continue
        if p.name.startswith("~$"):
            skipped.append(("skipped_lock", p))
        elif p.name.startswith("."):
            skipped.append(("skipped_hidden", p))
        elif p.suffix.lower() in WORKBOOK_SUFFIXES:
            found.append(p)
        elif p.name.lower() not in ("readme.md", "readme.txt", ".gitkeep"):
            skipped.append(("skipped_other", p))
    return found, skipped


# ---- reading one workbook --------------------------------------------------------------

def read_workbook(path: Path, standard: Standard) -> Workbook:
    """Read every contract sheet of the workbook at `path`.

    Raises WorkbookError when the file is not a readable visits workbook; every problem
    inside the workbook (a missing sheet or column, a value that cannot be read) becomes
    a finding in `Workbook.problems` instead.
    """
    book = _open(path)
    names = [m.name for m in book.sheets_metadata]
    matched = {s.key: _match_sheet(s, names) for s in SHEETS}
    if matched["visits"] is None:
        raise WorkbookError(path, t("en", "file.no_visits_sheet"))
    lang = "zh" if _has_cjk(matched["visits"]) else "en"
    formulas = _uncached_formulas(path, {n for n in matched.values() if n})

    wb = Workbook(path=path, lang=lang, sheets={}, rows={})
    for contract_sheet in SHEETS:
        sheet = standard.sheet(contract_sheet.key)
        name = matched[sheet.key]
        wb.rows[sheet.key] = []
        if name is None:
            wb.problems.append(_sheet_missing(wb, sheet))
            continue
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        header_row = _header_row(grid, sheet)
        if header_row is None:
            if sheet.key == "visits":
                raise WorkbookError(path, t(lang, "file.no_header", sheet=name))
            wb.problems.append(_sheet_missing(wb, sheet))
            continue
        info = _map_columns(sheet, name, header_row, grid[header_row - 1])
        wb.sheets[sheet.key] = info
        wb.problems.extend(_missing_columns(wb, sheet, info, standard))
        wb.rows[sheet.key] = list(_records(wb, sheet, info, grid, formulas.get(name, set()), standard))
    _group(wb)
    return wb


def _open(path: Path):
    try:
        if not zipfile.is_zipfile(path):
            raise WorkbookError(path, _not_zip_reason(path))
        return calamine.CalamineWorkbook.from_path(str(path))
    except WorkbookError:
        raise
    except OSError as e:
        raise WorkbookError(path, f"cannot be opened ({e.strerror})") from None
    except Exception:  # calamine's own errors: broken zip, broken XML, password, …
        raise WorkbookError(path, t("en", "file.not_workbook")) from None


def _not_zip_reason(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("is password-protected or an old .xls file: remove the password, or open it "
                "in Excel or WPS and save it as .xlsx")
    return t("en", "file.not_workbook")


_CJK = re.compile(r"[\u3400-\u9fff]")


def _has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def _match_sheet(sheet: Sheet, names: list[str]) -> str | None:
    wanted = {values.normalize(x) for x in (sheet.zh, sheet.en, sheet.zh + sheet.en, sheet.en + sheet.zh)}
    for n in names:
        if values.normalize(n) in wanted:
            return n
    return None


def _labels(column: Column) -> set[str]:
    return {values.normalize(x) for x in (column.key, column.zh, column.en, column.zh + column.en)}


def _header_keys(cell: object) -> set[str]:
    """The normalized forms a header cell can be matched by (each of its lines, and all)."""
    if not isinstance(cell, str) or not cell.strip():
        return set()
    lines = [values.normalize(x) for x in cell.splitlines() if x.strip()]
    return {values.normalize(cell), *lines}


def _header_row(grid: list[list], sheet: Sheet) -> int | None:
    id_labels = _labels(sheet.column("visit_id"))
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if any(_header_keys(c) & id_labels for c in row):
            return i + 1
    return None


def _map_columns(sheet: Sheet, name: str, header_row: int, cells: list) -> SheetInfo:
    info = SheetInfo(key=sheet.key, name=name, header_row=header_row)
    by_label = {label: col for col in sheet.columns for label in _labels(col)}
    for i, cell in enumerate(cells):
        for k in _header_keys(cell):
            col = by_label.get(k)
            if col and col.key not in info.columns:
                info.columns[col.key] = i
                info.headers[col.key] = str(cell).strip()
                break
    return info


def _field_severity(standard: Standard, sheet: str, key: str, default: str = "warning") -> tuple[str, str | None]:
    """The strongest severity and first clause of the rules on a field."""
    rules = standard.rules_for(sheet, key)
    if not rules:
        return default, None
    strongest = min((r.severity for r in rules), key=SEVERITY_ORDER.__getitem__)
    return strongest, rules[0].clause


def _sheet_missing(wb: Workbook, sheet: Sheet) -> Finding:
    return Finding(None, "sheet.missing", sheet.clause, "error", sheet.label(wb.lang), None, None,
                   t(wb.lang, "read.sheet_missing", sheet=sheet.label(wb.lang)))


def _missing_columns(wb: Workbook, sheet: Sheet, info: SheetInfo, standard: Standard) -> Iterator[Finding]:
    for col in sheet.columns:
        if col.key in info.columns:
            continue
        rules = standard.rules_for(sheet.key, col.key)
        if col.type == "prep" or col.key == "visit_id":
            rules = rules or [None]
        if not rules:
            continue  # an optional column: it simply has no values
        severity, clause = _field_severity(standard, sheet.key, col.key, "error")
        label = col.label(wb.lang)
        yield Finding(None, "column.missing", clause or sheet.clause, severity, info.name,
                      info.header_row, label, t(wb.lang, "read.column_missing", sheet=info.name, column=label),
                      field=col.key)


def _parser(column: Column) -> Callable[[object], object]:
    match column.type:
        case "id":
            return values.visit_id
        case "int":
            return partial(values.whole_number, lo=column.min, hi=column.max)
        case "date":
            return values.date_value
        case "time":
            return values.time_value
        case "datetime":
            return values.datetime_value
        case "yesno":
            return values.yes_no
        case "enum" | "prep":
            return partial(values.choice, choices=column.choices)
        case "email":
            return values.email
        case "names":
            return values.names
        case _:
            return values.text


def _records(wb: Workbook, sheet: Sheet, info: SheetInfo, grid: list[list], uncached: set[tuple[int, int]],
             standard: Standard) -> Iterator[Record]:
    """The sheet's data rows as records; a cell that cannot be read is a finding on it."""
    columns = [(c, info.columns[c.key], _parser(c)) for c in sheet.columns if c.key in info.columns]
    defaults = {c.key: standard.default(c.key) for c, _, _ in columns if standard.default(c.key)} \
        if sheet.key == "visits" else {}
    id_col = info.columns.get("visit_id")
    uncached_by_row: dict[int, set[int]] = {}
    for r, j in uncached:
        uncached_by_row.setdefault(r, set()).add(j)
    blank = values.is_blank
    for i in range(info.header_row, len(grid)):
        cells = grid[i]
        if all(blank(c) for c in cells):
            continue
        row = i + 1
        parsed: dict = {}
        bad: set[str] = set()
        no_value = uncached_by_row.get(row, ())
        for col, j, parse in columns:
            raw = cells[j] if j < len(cells) else None
            if j in no_value:
                bad.add(col.key)
                continue
            try:
                parsed[col.key] = parse(raw)
            except values.BadValue as e:
                bad.add(col.key)
                parsed[col.key] = None
                wb.problems.append(_bad_value(wb, sheet, info, row, col, e.reason, standard, cells, id_col))
        for key, value in defaults.items():
            if parsed.get(key) is None:
                parsed[key] = value
        for col, j, _ in columns:
            if j in no_value:
                wb.problems.append(_formula_finding(wb, sheet, info, row, col, standard, parsed.get("visit_id")))
        yield Record(sheet.key, row, parsed, frozenset(bad))


def _row_visit(cells: list, id_col: int | None) -> str | None:
    if id_col is None or id_col >= len(cells):
        return None
    try:
        return values.visit_id(cells[id_col])
    except values.BadValue:
        return None


def _bad_value(wb: Workbook, sheet: Sheet, info: SheetInfo, row: int, col: Column, reason: str,
               standard: Standard, cells: list, id_col: int | None) -> Finding:
    severity, clause = _field_severity(standard, sheet.key, col.key)
    header = info.headers[col.key]
    sep = "、" if wb.lang == "zh" else ", "
    choices = sep.join(c.label(wb.lang) for c in col.choices)
    bounds = f"{col.min if col.min is not None else ''}–{col.max if col.max is not None else ''}"
    message = t(wb.lang, f"read.value.{reason}", column=header, choices=choices, range=bounds)
    return Finding(_row_visit(cells, id_col), "value.invalid", clause or sheet.clause, severity, info.name, row,
                   header, message, field=col.key)


def _formula_finding(wb: Workbook, sheet: Sheet, info: SheetInfo, row: int, col: Column, standard: Standard,
                     visit_id: str | None) -> Finding:
    severity, clause = _field_severity(standard, sheet.key, col.key)
    return Finding(visit_id, "value.formula_uncached", clause or sheet.clause, severity, info.name, row,
                   info.headers[col.key], t(wb.lang, "read.formula_uncached"), field=col.key)


# ---- formulas without a cached value -----------------------------------------------------

_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _uncached_formulas(path: Path, sheet_names: set[str]) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the (Excel row, 0-based column) of formula cells with no cached value."""
    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as z:
        for name, part in _sheet_parts(z).items():
            if name not in sheet_names:
                continue
            data = z.read(part)
            if not _HAS_FORMULA.search(data):
                continue
            cells = set(_formula_cells_without_value(data))
            if cells:
                found[name] = cells
    return found


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, from workbook.xml and its relationships."""
    wb_xml = SafeET.fromstring(z.read("xl/workbook.xml"))
    rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts = {}
    for el in wb_xml.iter():
        if el.tag.endswith("}sheet"):
            target = targets.get(el.get(_NS_REL), "")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[el.get("name")] = part
    return parts


def _formula_cells_without_value(data: bytes) -> Iterator[tuple[int, int]]:
    root = SafeET.fromstring(data)
    for c in root.iter():
        if not c.tag.endswith("}c"):
            continue
        children = {ch.tag.rsplit("}", 1)[-1]: ch for ch in c}
        if "f" not in children:
            continue
        v = children.get("v")
        is_ = children.get("is")
        if (v is None or not (v.text or "").strip()) and is_ is None:
            m = _CELL_REF.match(c.get("r") or "")
            if m:
                yield int(m[2]), _column_index(m[1])


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


# ---- grouping rows by visit ----------------------------------------------------------------

def _group(wb: Workbook) -> None:
    for rec in wb.rows["visits"]:
        vid = rec.visit_id
        if vid and vid not in wb.visits:
            wb.visits[vid] = Visit(record=rec)
    targets = {"guests": "guests", "itinerary": "items", "staff": "staff", "bookings": "bookings"}
    for sheet, attr in targets.items():
        for rec in wb.rows[sheet]:
            visit = wb.visits.get(rec.visit_id)
            if visit is None:
                wb.orphans.append(rec)
            else:
                getattr(visit, attr).append(rec)
    for rec in wb.rows["preparation"]:
        visit = wb.visits.get(rec.visit_id)
        if visit is None:
            wb.orphans.append(rec)
        elif visit.preparation is None:
            visit.preparation = rec

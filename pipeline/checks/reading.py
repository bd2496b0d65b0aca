"""Findings on what the reader could not read: a contract sheet or a required column the
workbook lacks, a cell whose value cannot be read (`Workbook.unreadable`).

Their rule ids are fixed (`sheet.missing`, `column.missing`, `value.invalid`,
`value.formula_uncached`); their clause and severity are those of the standard's rules
on the sheet or column, so that a company's rules file decides them as it decides the
rest. Their messages are in the workbook's language, like the headers they quote.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..contract import SHEETS_BY_KEY, Sheet
from ..findings import SEVERITY_ORDER, Finding
from ..i18n import joined, t
from ..model import FORMULA_UNCACHED, SheetInfo, Unreadable, Workbook
from ..standard import Standard


def reading_findings(wb: Workbook, standard: Standard) -> list[Finding]:
    """Sheet by sheet, in the contract's order: the sheet missing, or its missing
    columns and then its cells that cannot be read, row by row."""
    unreadable: dict[str, list[Unreadable]] = {}
    for u in wb.unreadable:
        unreadable.setdefault(u.record.sheet, []).append(u)
    findings = []
    for sheet in map(standard.sheet, SHEETS_BY_KEY):
        info = wb.sheets.get(sheet.key)
        if info is None:
            findings.append(_sheet_missing(wb.lang, sheet))
            continue
        findings += _missing_columns(wb.lang, sheet, info, standard)
        findings += (_unreadable(wb.lang, sheet, info, u, standard) for u in unreadable.get(sheet.key, ()))
    return findings


def _field_severity(standard: Standard, sheet: str, key: str, default: str = "warning") -> tuple[str, str | None]:
    """The strongest severity and first clause of the rules on a field."""
    rules = standard.rules_for(sheet, key)
    if not rules:
        return default, None
    strongest = min((r.severity for r in rules), key=SEVERITY_ORDER.__getitem__)
    return strongest, rules[0].clause


def _sheet_missing(lang: str, sheet: Sheet) -> Finding:
    return Finding(None, "sheet.missing", sheet.clause, "error", sheet.label(lang), None, None,
                   t(lang, "read.sheet_missing", sheet=sheet.label(lang)), sheet_key=sheet.key)


def _missing_columns(lang: str, sheet: Sheet, info: SheetInfo, standard: Standard) -> Iterator[Finding]:
    """A column the sheet lacks that a rule needs (or the visit ID, or a Preparation
    item); an optional column simply has no values."""
    for col in sheet.columns:
        if col.key in info.columns:
            continue
        if not (standard.rules_for(sheet.key, col.key) or col.type == "prep" or col.key == "visit_id"):
            continue
        severity, clause = _field_severity(standard, sheet.key, col.key, "error")
        label = col.label(lang)
        yield Finding(None, "column.missing", clause or sheet.clause, severity, info.name, info.header_row, label,
                      t(lang, "read.column_missing", sheet=info.name, column=label), field=col.key,
                      sheet_key=sheet.key)


def _bounds(lang: str, low: int | None, high: int | None) -> str:
    """`from 1 to 5`, `of at least 1` (`1 到 5 之间`, `不小于 1`): a column's allowed range."""
    if low is not None and high is not None:
        return t(lang, "read.range.between", min=low, max=high)
    return t(lang, "read.range.at_least", min=low) if low is not None else t(lang, "read.range.at_most", max=high)


def _unreadable(lang: str, sheet: Sheet, info: SheetInfo, u: Unreadable, standard: Standard) -> Finding:
    """The cell's finding; its message never repeats what the cell holds (it may be
    confidential, §2.5)."""
    severity, clause = _field_severity(standard, sheet.key, u.field)
    header = info.headers[u.field]
    if u.reason == FORMULA_UNCACHED:
        rule, message = "value.formula_uncached", t(lang, "read.formula_uncached")
    else:
        col = sheet.column(u.field)
        choices = joined(lang, (c.label(lang) for c in col.choices))
        bounds = _bounds(lang, col.min, col.max)
        years = "–".join(map(str, standard.settings["plausible_years"]))
        rule = "value.invalid"
        message = t(lang, f"read.value.{u.reason}", column=header, choices=choices, range=bounds, years=years)
    return Finding(u.record.visit_id, rule, clause or sheet.clause, severity, info.name, u.record.row, header,
                   message, field=u.field, sheet_key=sheet.key)

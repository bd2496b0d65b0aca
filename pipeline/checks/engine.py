"""Run the standard's rules over a workbook and collect every finding.

Field rules are interpreted from the rules file here; code rules name a function
registered with `@visit_check` (one visit) or `@workbook_check` (across visits). A check
yields `Hit`s (the row and column at fault, and the message's parameters); the engine
turns them into findings, applying the rule's clause, severity, message and deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field as dc_field
from datetime import date, timedelta

from ..contract import SHEETS_BY_KEY
from ..errors import StandardError
from ..findings import Finding, sort_key, worst
from ..i18n import fill, t
from ..model import Record, Visit, Workbook
from ..standard import Rule, Standard

ROWS_OF = {
    "visits": lambda v: [v.record],
    "guests": lambda v: v.guests,
    "itinerary": lambda v: v.items,
    "staff": lambda v: v.staff,
    "bookings": lambda v: v.bookings,
    "preparation": lambda v: [v.preparation] if v.preparation else [],
}


@dataclass(frozen=True)
class Hit:
    """A failed requirement: the row at fault (None: the visit's own row), the column's
    contract key (None: the whole row) and the parameters of the rule's message."""

    record: Record | None = None
    field: str | None = None
    params: dict = dc_field(default_factory=dict)


@dataclass
class VisitContext:
    visit: Visit
    workbook: Workbook
    standard: Standard
    today: date

    @property
    def settings(self) -> dict:
        return self.standard.settings

    @property
    def v(self) -> Record:
        return self.visit.record


VisitCheck = Callable[[VisitContext], Iterable[Hit]]
WorkbookCheck = Callable[[Workbook, Standard, date], Iterable[Hit]]
VISIT_CHECKS: dict[str, VisitCheck] = {}
WORKBOOK_CHECKS: dict[str, WorkbookCheck] = {}


def visit_check(fn: VisitCheck) -> VisitCheck:
    VISIT_CHECKS[fn.__name__] = fn
    return fn


def workbook_check(fn: WorkbookCheck) -> WorkbookCheck:
    WORKBOOK_CHECKS[fn.__name__] = fn
    return fn


@dataclass
class VisitResult:
    visit: Visit
    findings: list[Finding]
    applicable: int
    failed: int
    readiness: str  # ready, attention, not_ready, cancelled
    urgent: bool

    @property
    def completeness(self) -> int:
        """Percent of the requirements that apply to this visit and are met (rounded
        down, so a visit with an open finding never shows 100)."""
        if not self.applicable:
            return 100
        return (100 * (self.applicable - self.failed)) // self.applicable

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass
class CheckResult:
    workbook: Workbook
    lang: str
    today: date
    findings: list[Finding]  # all of them, in a stable order
    visits: list[VisitResult]  # in workbook order

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def check_workbook(wb: Workbook, standard: Standard, today: date, lang: str | None = None) -> CheckResult:
    """Every finding of the workbook: reading problems, field rules, code rules."""
    _validate(standard)
    lang = lang or wb.lang
    cancelled = {vid for vid, v in wb.visits.items() if v.cancelled}
    builder = _FindingBuilder(wb, standard, today, lang)
    per_visit: dict[str | None, list[Finding]] = {}
    applicable: dict[str, set[str]] = {vid: set() for vid in wb.visits}

    def add(f: Finding) -> None:
        per_visit.setdefault(f.visit_id, []).append(f)

    for f in wb.problems:
        if f.visit_id not in cancelled:
            add(f)
    for vid, visit in wb.visits.items():
        if vid in cancelled:
            continue
        ctx = VisitContext(visit, wb, standard, today)
        for rule in standard.rules:
            if rule.check in VISIT_CHECKS:
                applicable[vid].add(rule.id)
                for hit in VISIT_CHECKS[rule.check](ctx):
                    add(builder.from_hit(rule, hit, visit))
            elif rule.field:
                n, findings = _field_rule(rule, ctx, builder)
                if n:
                    applicable[vid].add(rule.id)
                for f in findings:
                    add(f)
    for rule in standard.rules:
        if rule.check in WORKBOOK_CHECKS:
            for hit in WORKBOOK_CHECKS[rule.check](wb, standard, today):
                visit = wb.visits.get(hit.record.visit_id) if hit.record else None
                if visit is None or not visit.cancelled:
                    add(builder.from_hit(rule, hit, visit))

    order = {info.name: i for i, info in enumerate(wb.sheets.values())}
    findings = sorted((f for fs in per_visit.values() for f in fs), key=lambda f: sort_key(f, order))
    by_visit: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_visit.setdefault(f.visit_id, []).append(f)
    visits = [_visit_result(v, by_visit.get(vid, []), applicable[vid], standard, today)
              for vid, v in wb.visits.items()]
    return CheckResult(wb, lang, today, findings, visits)


def _validate(standard: Standard) -> None:
    for rule in standard.rules:
        if rule.check and rule.check not in VISIT_CHECKS and rule.check not in WORKBOOK_CHECKS:
            known = ", ".join(sorted({*VISIT_CHECKS, *WORKBOOK_CHECKS}))
            raise StandardError(standard.path, f"rule {rule.id}: there is no check named {rule.check!r} "
                                               f"(known: {known})")


def _visit_result(visit: Visit, findings: list[Finding], applicable: set[str], standard: Standard,
                  today: date) -> VisitResult:
    """Readiness and completeness; a requirement is a rule that applies to the visit."""
    failed_rules = {f.rule for f in findings}
    failed = len(failed_rules)
    if visit.cancelled:
        return VisitResult(visit, findings, 0, 0, "cancelled", False)
    readiness = {"error": "not_ready", "warning": "attention", "info": "attention", None: "ready"}[worst(findings)]
    arrival = visit.record.arrival
    days = (as_date(arrival) - today).days if arrival else None
    urgent = bool(findings) and days is not None and 0 <= days <= standard.settings["urgent_days"]
    return VisitResult(visit, findings, len(applicable | failed_rules), failed, readiness, urgent)


def as_date(d: date) -> date:
    return d.date() if hasattr(d, "date") and callable(d.date) else d


class _FindingBuilder:
    def __init__(self, wb: Workbook, standard: Standard, today: date, lang: str):
        self.wb, self.standard, self.today, self.lang = wb, standard, today, lang

    def column(self, sheet: str, key: str | None) -> str | None:
        if key is None:
            return None
        contract = self.standard.sheet(sheet)
        fallback = next((c.label(self.lang) for c in contract.columns if c.key == key), key)
        return self.wb.header(sheet, key, fallback)

    def make(self, rule: Rule, record: Record, key: str | None, message: str, visit: Visit | None) -> Finding:
        severity, due = rule.severity, None
        arrival = visit.record.arrival if visit else None
        if rule.due_days is not None and arrival is not None:
            deadline = as_date(arrival) - timedelta(days=rule.due_days)
            if self.today <= deadline:
                severity, due = "info", deadline
                message += t(self.lang, "due_suffix", due=deadline.isoformat())
        sheet = self.wb.sheet_name(record.sheet, SHEETS_BY_KEY[record.sheet].label(self.lang))
        return Finding(record.visit_id, rule.id, rule.clause, severity, sheet, record.row,
                       self.column(record.sheet, key), message, due, key)

    def from_hit(self, rule: Rule, hit: Hit, visit: Visit | None) -> Finding:
        record = hit.record or visit.record
        params = {"column": self.column(record.sheet, hit.field) or "", **hit.params}
        message = fill(rule.text(self.lang), **params)
        return self.make(rule, record, hit.field, _prefixed(self.lang, record, message), visit)


def _prefixed(lang: str, record: Record, message: str) -> str:
    """Name the guest or staff member a row-level message is about."""
    if record.sheet in ("guests", "staff") and record.name:
        return t(lang, "row_prefix", name=record.name) + message
    return message


def _holds(rule: Rule, record: Record, visit: Record) -> bool:
    for cond, expected in rule.when.items():
        target, _, key = cond.rpartition(".")
        value = (visit if target else record).values.get(key)
        allowed = expected if isinstance(expected, list) else [expected]
        if value not in allowed:
            return False
    return True


def _field_rule(rule: Rule, ctx: VisitContext, builder: _FindingBuilder) -> tuple[int, list[Finding]]:
    """Apply one field rule to the visit's rows: (rows it applies to, findings)."""
    info = ctx.workbook.sheets.get(rule.sheet)
    if info is None or rule.field not in info.columns:
        return 0, []  # the missing sheet or column is one finding already
    column = next(c for c in ctx.standard.sheet(rule.sheet).columns if c.key == rule.field)
    applicable, findings = 0, []
    lang = builder.lang
    for record in ROWS_OF[rule.sheet](ctx.visit):
        if not _holds(rule, record, ctx.v):
            continue
        applicable += 1
        if rule.field in record.bad:
            continue  # its unreadable value is a finding already
        value = record.values.get(rule.field)
        header = builder.column(rule.sheet, rule.field)
        if rule.equals is not None:
            if value in rule.equals:
                continue
            message = rule.text(lang)
        elif value is None or value == ():
            message = t(lang, "field_missing", column=header, fix=rule.text(lang))
        elif column.type == "datetime" and not hasattr(value, "hour"):
            message = t(lang, "read.time_missing", column=header)
        else:
            continue
        findings.append(builder.make(rule, record, rule.field, _prefixed(lang, record, message), ctx.visit))
    return applicable, findings

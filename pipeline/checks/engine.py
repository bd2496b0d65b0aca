"""Run the standard's rules over a workbook and collect every finding.

Field rules are interpreted from the rules file here; code rules name a function
registered with `@visit_check` (one visit) or `@workbook_check` (across visits). A check
yields `Hit`s (the row and column at fault, and the message's parameters); the engine
turns them into findings, applying the rule's clause, severity, message and deadline.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import compress, count, repeat
from operator import attrgetter, itemgetter, not_

from ..contract import CONFIDENTIAL_GUEST_FIELDS, SHEETS_BY_KEY, Choice, Column
from ..errors import StandardError
from ..findings import Finding, sort_key, worst
from ..i18n import fill, joined, t
from ..model import Record, Visit, Workbook, no_gc
from ..standard import Rule, Standard
from ..places import word_forms
from ..serving import Serving, once
from ..versions.content import Approved
from ..versions.diff import PlanChanges, changes_since_approval, with_severity
from .parallel import Shared
from .reading import reading_findings

# From this many visits to check, the visits' own checks run in a forked process while
# this one applies the field rules and the checks across visits (about half the work
# each), then shares the visits left (parallel.Shared); with fewer, forking costs more
# than it saves.
PARALLEL_FROM = 2_000

ROWS_OF = {
    "visits": lambda v: [v.record],
    "guests": lambda v: v.guests,
    "itinerary": lambda v: v.items,
    "staff": lambda v: v.staff,
    "bookings": lambda v: v.bookings,
    "preparation": lambda v: [v.preparation] if v.preparation else [],
}


@dataclass(frozen=True)
class Said:
    """A message parameter that is itself said in the finding's language: the interface
    text at `key` (pipeline/locale), filled with `params` (which may be Said, a Choice or
    a Column too, said by their label, or a tuple of them, said as a list)."""

    key: str
    params: dict = dc_field(default_factory=dict)


def said(value, lang: str):
    """A message parameter in the finding's language (see Said); a tuple is a list, said
    with the language's separator (`孙伟、周敏`, `Sun Wei, Zhou Min`)."""
    if isinstance(value, Said):
        return t(lang, value.key, **{k: said(v, lang) for k, v in value.params.items()})
    if isinstance(value, (Choice, Column)):
        return value.label(lang)
    if isinstance(value, tuple):
        return joined(lang, (str(said(v, lang)) for v in value))
    return value


@dataclass(frozen=True)
class Hit:
    """A failed requirement: the row at fault (None: the visit's own row), the column's
    contract key (None: the whole row) and the parameters of the rule's message."""

    record: Record | None = None
    field: str | None = None
    params: dict = dc_field(default_factory=dict)


@dataclass
class VisitContext(Serving):
    """One visit as its checks see it: the records, the rules, the day, what checks work
    out once per run (`shared`), and the visit's booking index (pipeline.serving)."""

    visit: Visit
    workbook: Workbook
    standard: Standard
    today: date
    shared: dict = dc_field(default_factory=dict)  # what checks work out once per run, for every visit
    changes: Mapping[str, PlanChanges] = dc_field(default_factory=dict)  # since approval, by visit id
    lang: str = "zh"  # the output language (for a message's parameter made of words)
    memo: dict = dc_field(default_factory=dict)  # what two checks of this visit both need, worked out once

    @property
    def settings(self) -> dict:
        return self.standard.settings

    @property
    def v(self) -> Record:
        return self.visit.record

    @once
    def venues(self) -> tuple[str, ...]:
        """The in-house venues as looked for (pipeline.serving), once per run."""
        venues = self.shared.get("in_house_venues")
        if venues is None:
            venues = self.shared["in_house_venues"] = word_forms(tuple(self.settings.get("in_house_venues") or ()))
        return venues


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
    changes: PlanChanges | None = None  # what changed since the approved version (pipeline.versions)

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


def check_workbook(wb: Workbook, standard: Standard, today: date, lang: str | None = None,
                   approved: Mapping[str, Approved] | None = None) -> CheckResult:
    """Every finding of the workbook: what could not be read, field rules, code rules.
    `approved`: the approved version of each visit that has one (pipeline.versions.store),
    which the plan as it stands is compared with (§3.2.3)."""
    _validate(standard)
    with no_gc():
        return _check(wb, standard, today, lang or wb.lang, approved or {})


def _check(wb: Workbook, standard: Standard, today: date, lang: str, approved: Mapping[str, Approved]) -> CheckResult:
    builder = _FindingBuilder(wb, standard, today, lang)
    builder.changes = changes_since_approval(wb, approved, today) if approved else {}
    live = [(vid, v) for vid, v in wb.visits.items() if not v.cancelled]
    cancelled = {vid for vid, v in wb.visits.items() if v.cancelled}
    visit_rules = [(rule, VISIT_CHECKS[rule.check]) for rule in standard.rules if rule.check in VISIT_CHECKS]
    visit_rule_ids = {rule.id for rule, _ in visit_rules}
    # the rules that apply to each visit
    applicable = {vid: set() if vid in cancelled else set(visit_rule_ids) for vid in wb.visits}

    # The visits' own checks in a forked child, while this process does the rest; then both.
    work = partial(_visit_findings, builder, visit_rules, {})
    with Shared(work, live, len(live) >= PARALLEL_FROM) as visit_findings:
        findings = [f for f in reading_findings(wb, standard) if f.visit_id not in cancelled]
        findings += _field_findings(wb, standard, builder, live, applicable)
        findings += _workbook_findings(wb, standard, today, builder)
        findings += visit_findings()

    # By visit first, then place and rule (findings that tie on every key are alike).
    findings.sort(key=partial(sort_key, sheet_order={key: i for i, key in enumerate(wb.sheets)}))
    return CheckResult(wb, lang, today, findings, _visit_results(wb, findings, applicable, standard, today,
                                                                 builder.changes))


def _visit_findings(builder: _FindingBuilder, rules: list[tuple[Rule, VisitCheck]], shared: dict,
                    visits: list[tuple[str, Visit]]) -> list[Finding]:
    """The findings of the code rules that look at one visit at a time, for each of the
    `visits`. `shared`: what the checks work out once per run (one dict for every call
    of a run in one process)."""
    b = builder
    found = []
    for _, visit in visits:
        ctx = VisitContext(visit, b.wb, b.standard, b.today, shared, b.changes, b.lang)
        for rule, check in rules:
            for hit in check(ctx):
                found.append(b.from_hit(rule, hit, visit))
    return found


def _workbook_findings(wb: Workbook, standard: Standard, today: date, builder: _FindingBuilder) -> list[Finding]:
    """The findings of the code rules that look across visits (none on a cancelled visit)."""
    found = []
    for rule in standard.rules:
        if rule.check in WORKBOOK_CHECKS:
            for hit in WORKBOOK_CHECKS[rule.check](wb, standard, today):
                visit = wb.visits.get(hit.record.visit_id) if hit.record else None
                if visit is None or not visit.cancelled:
                    found.append(builder.from_hit(rule, hit, visit))
    return found


def _validate(standard: Standard) -> None:
    for rule in standard.rules:
        if rule.check and rule.check not in VISIT_CHECKS and rule.check not in WORKBOOK_CHECKS:
            known = ", ".join(sorted({*VISIT_CHECKS, *WORKBOOK_CHECKS}))
            raise StandardError.of(standard.path, "standard_error.unknown_check", rule=rule.id,
                                   check=repr(rule.check), known=known)


def _visit_results(wb: Workbook, findings: list[Finding], applicable: dict[str, set[str]], standard: Standard,
                   today: date, changes: Mapping[str, PlanChanges]) -> list[VisitResult]:
    """Each visit's readiness and completeness, and what changed since its approval."""
    by_visit: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_visit.setdefault(f.visit_id, []).append(f)
    urgent_days = standard.settings["urgent_days"]
    visits = [_visit_result(v, by_visit.get(vid, []), applicable[vid], urgent_days, today)
              for vid, v in wb.visits.items()]
    if changes:
        for vr in visits:
            if vr.visit.id in changes:
                vr.changes = with_severity(changes[vr.visit.id], vr.findings, standard.rules)
    return visits


_READINESS = {"error": "not_ready", "warning": "attention", "info": "attention", None: "ready"}  # by worst finding


def _visit_result(visit: Visit, findings: list[Finding], applicable: set[str], urgent_days: int,
                  today: date) -> VisitResult:
    """Readiness and completeness; a requirement is a rule that applies to the visit."""
    if visit.cancelled:
        return VisitResult(visit, findings, 0, 0, "cancelled", False)
    if not findings:  # every requirement met (the usual visit)
        return VisitResult(visit, findings, len(applicable), 0, "ready", False)
    failed_rules = {f.rule for f in findings}
    arrival = visit.record.arrival
    days = (as_date(arrival) - today).days if arrival else None
    urgent = days is not None and 0 <= days <= urgent_days
    return VisitResult(visit, findings, len(applicable | failed_rules), len(failed_rules),
                       _READINESS[worst(findings)], urgent)


def as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


class _FindingBuilder:
    def __init__(self, wb: Workbook, standard: Standard, today: date, lang: str):
        self.wb, self.standard, self.today, self.lang = wb, standard, today, lang
        self.changes: Mapping[str, PlanChanges] = {}  # since approval, by visit id
        self._columns: dict[tuple[str, str], str] = {}
        self._sheets: dict[str, str] = {}
        self.contracts = {key: standard.sheet(key) for key in SHEETS_BY_KEY}

    def column(self, sheet: str, key: str | None) -> str | None:
        if key is None:
            return None
        header = self._columns.get((sheet, key))
        if header is None:
            contract = self.contracts[sheet]
            fallback = next((c.label(self.lang) for c in contract.columns if c.key == key), key)
            header = self._columns[(sheet, key)] = self.wb.header(sheet, key, fallback)
        return header

    def sheet_name(self, sheet: str) -> str:
        name = self._sheets.get(sheet)
        if name is None:
            name = self._sheets[sheet] = self.wb.sheet_name(sheet, SHEETS_BY_KEY[sheet].label(self.lang))
        return name

    def make(self, rule: Rule, record: Record, key: str | None, message: str, visit: Visit | None) -> Finding:
        severity, due = rule.severity, None
        arrival = visit.record.arrival if visit else None
        if rule.due_days is not None and arrival is not None:
            deadline = as_date(arrival) - timedelta(days=rule.due_days)
            if self.today <= deadline:
                severity, due = "info", deadline
                message += t(self.lang, "due_suffix", due=deadline.isoformat())
        return Finding(record.visit_id, rule.id, rule.clause, severity, self.sheet_name(record.sheet), record.row,
                       self.column(record.sheet, key), message, due, key, record.sheet)

    def from_hit(self, rule: Rule, hit: Hit, visit: Visit | None) -> Finding:
        record = hit.record or visit.record
        params = {"column": self.column(record.sheet, hit.field) or "",
                  **{k: said(v, self.lang) for k, v in hit.params.items()}}
        message = fill(rule.text(self.lang), **params)
        return self.make(rule, record, hit.field, _prefixed(self.lang, record, message), visit)


def _prefixed(lang: str, record: Record, message: str) -> str:
    """Name the guest or staff member a row-level message is about."""
    if record.sheet in ("guests", "staff") and record.name:
        return t(lang, "row_prefix", name=record.name) + message
    return message


def _field_findings(wb: Workbook, standard: Standard, builder: _FindingBuilder, live: list[tuple[str, Visit]],
                    applicable: dict[str, set[str]]) -> list[Finding]:
    """The findings of the field rules on the rows of the visits checked, sheet by sheet
    and field by field; each rule is added to `applicable` of the visits it applies to.

    A rule applies to a visit when one of the visit's rows meets its conditions (a rule
    without conditions: when the visit has a row in that sheet). The rows that meet a
    condition and the rows that fail a rule are found in a column of values (one field,
    every row) in C, rather than row by row; headers and messages are made only for the
    rows that fail.
    """
    by_sheet: dict[str, list[Rule]] = {}
    for rule in standard.rules:
        if not rule.field:
            continue
        info = wb.sheets.get(rule.sheet)
        if info is None or rule.field not in info.columns:
            continue  # the missing sheet or column is one finding already
        by_sheet.setdefault(rule.sheet, []).append(rule)
    lang = builder.lang
    findings: list[Finding] = []

    for sheet, rules in by_sheet.items():
        rows_of = ROWS_OF[sheet]
        unconditional = {r.id for r in rules if not r.when}
        records: list[Record] = []
        owners: list[Visit] = []  # each row's visit
        owner_ids: list[str] = []  # and its id
        for vid, visit in live:
            rows = rows_of(visit)
            if rows:
                if unconditional:
                    applicable[vid] |= unconditional
                records += rows
                owners += [visit] * len(rows)
                owner_ids += [vid] * len(rows)
        if not records:
            continue
        columns = _Columns(records, owners)
        contract = builder.contracts[sheet]
        for rule in rules:
            field_ = rule.field
            kind = contract.column(field_).type
            column = columns.get(field_)
            held = None
            if rule.when:
                held = columns.meeting(rule.when)
                if held:  # the rule applies to the visits of those rows (set.add on each, in C)
                    visits_held = set(itemgetter(*held)(owner_ids)) if len(held) > 1 else {owner_ids[held[0]]}
                    deque(map(set.add, map(applicable.__getitem__, visits_held), repeat(rule.id)), maxlen=0)
            if rule.equals is not None:
                failing = [(i, None) for i in _positions(column, rule.equals, negate=True)]
            else:
                failing = [(i, None) for i in _positions(column, (None,))]
                if kind == "names":
                    failing += [(i, None) for i in _positions(column, ((),))]
                if kind == "datetime" and not set(map(type, column)) <= {datetime, type(None)}:
                    failing += [(i, "read.time_missing") for i, v in enumerate(column)
                                if v is not None and v != () and not isinstance(v, datetime)]
            if held is not None:
                held_set = set(held)
                failing = [f for f in failing if f[0] in held_set]
            for i, text_key in sorted(failing):
                record = records[i]
                if field_ in record.bad:
                    continue  # its unreadable value is a finding already
                if rule.equals is not None:
                    message = rule.text(lang)
                elif field_ in record.held:  # the cell holds a placeholder (`待定`, `TBD`, …)
                    message = _placeholder_message(lang, sheet, field_, builder.column(sheet, field_),
                                                   record.held[field_], rule.text(lang))
                elif text_key:
                    message = t(lang, text_key, column=builder.column(sheet, field_))
                else:
                    message = t(lang, "field_missing", column=builder.column(sheet, field_), fix=rule.text(lang))
                findings.append(builder.make(rule, record, field_, _prefixed(lang, record, message), owners[i]))
    return findings


def _placeholder_message(lang: str, sheet: str, key: str, column: str, held: str, fix: str) -> str:
    """What a required cell holding a placeholder says: the placeholder it holds, except
    in a confidential column (§2.5), whose cell a finding never repeats."""
    if sheet == "guests" and key in CONFIDENTIAL_GUEST_FIELDS:
        return t(lang, "field_placeholder_unsaid", column=column, fix=fix)
    return t(lang, "field_placeholder", column=column, value=held, fix=fix)


class _Columns:
    """The values of one sheet's rows (and of each row's visit) field by field, each
    field's column made once."""

    def __init__(self, rows: list[Record], visits: list[Visit]):
        self.rows, self.visits = rows, visits
        self.values: dict[bool, list[dict]] = {}
        self.made: dict[tuple[bool, str], list] = {}

    def get(self, key: str, on_visit: bool = False) -> list:
        column = self.made.get((on_visit, key))
        if column is None:
            values = self.values.get(on_visit)
            if values is None:
                values = self.values[on_visit] = list(map(_VISIT_VALUES if on_visit else _VALUES,
                                                          self.visits if on_visit else self.rows))
            column = self.made[(on_visit, key)] = list(map(dict.get, values, repeat(key)))
        return column

    def meeting(self, when: dict) -> list[int]:
        """The rows (indexes, in order) that meet every condition: `field: value` or
        `field: [values]` on the row, `visit.field: ...` on its visit."""
        held: set[int] | None = None
        for cond, expected in when.items():
            target, _, key = cond.rpartition(".")
            column = self.get(key, on_visit=bool(target))
            allowed = tuple(expected) if isinstance(expected, list) else (expected,)
            meets = set(_positions(column, allowed))
            held = meets if held is None else held & meets
        return sorted(held or ())


_VALUES = attrgetter("values")
_VISIT_VALUES = attrgetter("record.values")


def _positions(items: list, allowed: tuple, negate: bool = False) -> list[int]:
    """The indexes of the items equal to one of `allowed` (`negate`: to none of them),
    found in C (map, compress): `in` a tuple, as `value in allowed` row by row would.
    (Most columns hold no blank at all: `in` on the list tells that quickest.)"""
    if not negate and not any(a in items for a in allowed):
        return []
    hits = map(allowed.__contains__, items)
    return list(compress(count(), map(not_, hits) if negate else hits))

"""Load the company's rules file (the standard as data) and validate it."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .contract import ITEM_KINDS, SHEETS_BY_KEY, VISITS, Sheet, preparation_sheet
from .errors import StandardError
from .findings import SEVERITIES
from .protocol.seating import ALONG, FACING_DOOR, LEFT, RIGHT, SeatingSettings
from .values import Placeholders

DEFAULT_STANDARD = Path(__file__).with_name("standard.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML has it

DEFAULT_SETTINGS: dict[str, Any] = {
    "pickup_early_hours": 2,
    "send_off_late_hours": 1,
    "send_off_window_hours": 4,
    "host_wait_minutes": 30,
    "urgent_days": 3,
    "upcoming_days": 30,
    "in_house_venues": [],
    "plausible_years": [1990, 2100],
    "defaults": {},
    # contract v2 and the checks of issue 13: a copy of the rules file from before them has none
    "placeholders": [],
    "travel_places": {},
    "dietary_families": {},
    "approval_lead_days": 3,
    "briefing_lead_days": 1,
    "umbrella_kinds": [],
}


@dataclass(frozen=True)
class PrepItem:
    key: str
    zh: str
    en: str
    na_unless: str | None = None  # a Visits field: the item is n/a when it is blank
    # When the item applies, so that n/a is no answer (all must hold): `itinerary: [kinds]`
    # (an item of those kinds shown to the client), `filled: field` (a Visits field is
    # filled), `field: value` or `field: [values]` (a Visits field has one of them).
    needed_when: tuple[tuple[str, object], ...] = ()

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str
    severity: str
    sheet: str | None = None  # field rules: the sheet and field that must be filled
    field: str | None = None
    equals: tuple | None = None  # field rules: the values the field must have
    when: dict = dc_field(default_factory=dict)
    due_days: int | None = None
    check: str | None = None  # code rules: the name of the check function
    fix: dict = dc_field(default_factory=dict)  # field rules: how to fix it, per language
    message: dict = dc_field(default_factory=dict)  # code rules: the message, per language

    def text(self, lang: str) -> str:
        d = self.message or self.fix
        return d.get(lang) or d.get("en") or d.get("zh") or self.id


@dataclass(frozen=True)
class Standard:
    path: Path
    name: dict
    settings: dict
    preparation: tuple[PrepItem, ...]
    rules: tuple[Rule, ...]
    seating: SeatingSettings = SeatingSettings()

    def sheet(self, key: str) -> Sheet:
        """The contract sheet, with the Preparation items of this standard."""
        if key == "preparation":
            return _preparation_sheet(self.preparation)
        return SHEETS_BY_KEY[key]

    def rules_for(self, sheet: str, field_: str) -> list[Rule]:
        return [r for r in self.rules if r.sheet == sheet and r.field == field_]

    def default(self, field_: str) -> str | None:
        value = (self.settings.get("defaults") or {}).get(field_)
        return value or None

    @cached_property
    def placeholders(self) -> Placeholders:
        """The placeholders a cell may hold instead of a value (settings.placeholders)."""
        return Placeholders(self.settings.get("placeholders") or ())


@lru_cache(maxsize=16)
def _preparation_sheet(items: tuple[PrepItem, ...]) -> Sheet:
    return preparation_sheet(items)


def load_standard(path: Path | str | None = None) -> Standard:
    path = Path(path) if path else DEFAULT_STANDARD
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except OSError as e:
        raise StandardError.of(path, "standard_error.unreadable", reason=e.strerror or str(e)) from None
    except yaml.YAMLError as e:
        raise StandardError.of(path, "standard_error.not_yaml", detail=str(e)) from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise StandardError.of(path, "standard_error.no_rules")
    settings = {**DEFAULT_SETTINGS, **(data.get("settings") or {})}
    years = settings["plausible_years"]
    if not (isinstance(years, list) and len(years) == 2 and all(type(y) is int for y in years)
            and 1 <= years[0] <= years[1] <= 9998):
        raise StandardError.of(path, "standard_error.plausible_years", value=repr(years))
    prep = tuple(_prep_item(path, i) for i in data.get("preparation") or [])
    rules = tuple(_rule(path, r, prep) for r in data["rules"])
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise StandardError.of(path, "standard_error.duplicate_ids", ids=", ".join(sorted(dup)))
    # `enabled: false` switches a rule off and keeps it in the file (validated all the same)
    rules = tuple(r for r, d in zip(rules, data["rules"]) if d.get("enabled", True) is not False)
    return Standard(path, data.get("name") or {}, settings, prep, rules, _seating(path, data.get("seating")))


# The `seating:` section (§4.1.4, §4.2.1, §4.3.1): each key's accepted values.
SEATING_CHOICES = {"senior": (RIGHT, LEFT), "talks": (FACING_DOOR, ALONG)}
SEATING_NUMBERS = {"table_size": (2, 30), "row_size": (1, 60), "car_seats": (1, 60)}


def _seating(path: Path, d: Any) -> SeatingSettings:
    """The seating settings; a key left out keeps its default."""
    if d is None:
        return SeatingSettings()
    if not isinstance(d, dict):
        raise StandardError.of(path, "standard_error.seating_section")
    known = [*SEATING_CHOICES, *SEATING_NUMBERS]
    for key, value in d.items():
        if key in SEATING_CHOICES and value not in SEATING_CHOICES[key]:
            raise StandardError.of(path, "standard_error.seating_choice", setting=f"seating.{key}",
                                   choices=", ".join(SEATING_CHOICES[key]), value=repr(value))
        if key in SEATING_NUMBERS:
            lo, hi = SEATING_NUMBERS[key]
            if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
                raise StandardError.of(path, "standard_error.seating_number", setting=f"seating.{key}",
                                       lo=lo, hi=hi, value=repr(value))
        if key not in known:
            raise StandardError.of(path, "standard_error.seating_unknown", setting=f"seating.{key}",
                                   known=", ".join(known))
    return SeatingSettings(**d)


# A row's fields are attributes of its Record next to these (pipeline/model.py).
_RECORD_NAMES = frozenset({"sheet", "row", "values", "bad", "get"})


def _prep_item(path: Path, d: Any) -> PrepItem:
    if not isinstance(d, dict) or not all(isinstance(d.get(k), str) for k in ("key", "zh", "en")):
        raise StandardError.of(path, "standard_error.prep_item", item=repr(d))
    if d["key"] in _RECORD_NAMES or d["key"].startswith("__"):
        raise StandardError.of(path, "standard_error.prep_reserved", name=repr(d["key"]))
    return PrepItem(d["key"], d["zh"], d["en"], d.get("na_unless"), _needed_when(path, d))


_KINDS = frozenset(c.key for c in ITEM_KINDS)
_VISIT_FIELDS = frozenset(c.key for c in VISITS.columns)


def _needed_when(path: Path, d: dict) -> tuple[tuple[str, object], ...]:
    """A checklist item's `needed_when` conditions, checked against the contract."""
    when = d.get("needed_when") or {}
    if not isinstance(when, dict):
        raise StandardError.of(path, "standard_error.needed_when", item=d["key"], condition=repr(when))
    for key, value in when.items():
        values = value if isinstance(value, list) else [value]
        known = (set(values) <= _KINDS if key == "itinerary" else
                 value in _VISIT_FIELDS if key == "filled" else key in _VISIT_FIELDS)
        if not known:
            raise StandardError.of(path, "standard_error.needed_when", item=d["key"], condition=repr({key: value}))
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in when.items())


def _rule(path: Path, d: Any, prep: tuple[PrepItem, ...]) -> Rule:
    if not isinstance(d, dict) or not isinstance(d.get("id"), str):
        raise StandardError.of(path, "standard_error.no_id", rule=repr(d))
    rid = d["id"]

    def bad(problem: str, **params) -> StandardError:
        return StandardError.of(path, f"standard_error.{problem}", rule=rid, **params)

    severity = d.get("severity")
    if severity not in SEVERITIES:
        raise bad("severity", choices=", ".join(SEVERITIES), value=repr(severity))
    if d.get("clause") is None:
        raise bad("no_clause")
    sheet, field_, check = d.get("sheet"), d.get("field"), d.get("check")
    if bool(check) == bool(sheet or field_):
        raise bad("check_or_field")
    if sheet:
        if sheet not in SHEETS_BY_KEY:
            raise bad("unknown_sheet", sheet=repr(sheet), choices=", ".join(SHEETS_BY_KEY))
        columns = {c.key for c in SHEETS_BY_KEY[sheet].columns}
        if sheet == "preparation":
            columns |= {i.key for i in prep}
        if field_ not in columns:
            raise bad("unknown_field", sheet=sheet, field=repr(field_))
        for cond in d.get("when") or {}:
            target_sheet, _, target = cond.rpartition(".")
            known = {c.key for c in SHEETS_BY_KEY["visits" if target_sheet else sheet].columns}
            if target_sheet not in ("", "visit") or target not in known:
                raise bad("unknown_condition", condition=repr(cond))
        if not (d.get("fix") or {}):
            raise bad("no_fix")
    elif not (d.get("message") or {}):
        raise bad("no_message")
    due = d.get("due_days")
    if due is not None and (not isinstance(due, int) or due < 0):
        raise bad("due_days")
    equals = d.get("equals")
    if equals is not None and not isinstance(equals, list):
        equals = [equals]
    return Rule(
        id=rid, clause=str(d["clause"]), severity=severity, sheet=sheet, field=field_,
        equals=tuple(equals) if equals is not None else None, when=dict(d.get("when") or {}),
        due_days=due, check=check, fix=dict(d.get("fix") or {}), message=dict(d.get("message") or {}),
    )

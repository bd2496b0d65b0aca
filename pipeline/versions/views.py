"""What changed, said for each reader, in the output language.

- The plan's section "Changes since the approved version" and the approver's message:
  every change of the plan (`plan_lines`). A guest's confidential field (§2.5) is named
  as changed, never with its values (a version keeps only their digest; the plan's guest
  list has the values now).
- A staff member: their own run sheet (pipeline.documents.roles.run_sheet) of the version
  they were last sent against today's (`run_sheet_lines`): rows added, removed, moved to
  another time or place, or changed in what they are or the person's part in them.
- The client: their itinerary (pipeline.documents.plan.itinerary_context: what the client
  may read, internal items left out) of both versions (`itinerary_lines`): its rows and
  the meeting details it gives.

Rows are paired by pipeline.versions.diff, so cosmetic edits and row order are never a
change for anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from ..checks import CheckResult, VisitResult
from ..contract import CONFIDENTIAL_GUEST_FIELDS, Column
from ..documents.fmt import choice_label, fmt_date, fmt_datetime, fmt_short_date, fmt_span, name_title, yes_no_label
from ..documents.plan import itinerary_context
from ..documents.roles import run_sheet
from ..i18n import joined, punct, t, texts
from ..model import Record, Visit
from ..standard import Standard
from .content import visit_from
from .diff import PlanChanges, RowChange, compare_rows


@dataclass(frozen=True)
class ChangeLine:
    """One change as a reader sees it: a row added or removed (`what` says it all), or
    changed (`what` names it, `before` and `after` say how)."""

    change: str  # added, removed, changed
    label: str  # the change, in words
    sheet: str  # which kind of row, in words
    what: str
    before: str = ""
    after: str = ""

    def to_json(self) -> dict:
        return {"change": self.change, "label": self.label, "sheet": self.sheet, "what": self.what,
                "before": self.before, "after": self.after}


def _words(lang: str) -> Mapping:
    return texts(lang)["changes"]


# ---- the plan ---------------------------------------------------------------------------

def plan_lines(changes: PlanChanges, standard: Standard, lang: str) -> list[ChangeLine]:
    """Every change of the plan."""
    lines: list[ChangeLine] = []
    for r in changes.rows:
        sheet = standard.sheet(r.sheet)
        label = t(lang, f"changes.kinds.{r.change}")
        show = _Shower(sheet.columns, lang, r.sheet == "guests")
        if r.sheet in ("visits", "preparation") and r.change == "changed":  # one row: a line per field
            lines += [ChangeLine(r.change, label, sheet.label(lang), show.label(key), show(key, r.old.get(key)),
                                 show(key, r.new.get(key))) for key in r.fields]
            continue
        row = r.new if r.new is not None else r.old
        what = _row_name(r.sheet, row, show, lang)
        if r.change == "changed":
            sep = punct(lang, "details")
            shown = [key for key in r.fields if not show.withheld(key)]
            after = sep.join(show.field(key, r.new.get(key)) for key in shown)
            hidden = [show.label(key) for key in r.fields if show.withheld(key)]
            if hidden:  # said changed, never with their values
                after = sep.join(x for x in (after, t(lang, "changes.withheld", fields=show.join(hidden))) if x)
            lines.append(ChangeLine(r.change, label, sheet.label(lang), what,
                                    sep.join(show.field(key, r.old.get(key)) for key in shown), after))
        else:
            details = _row_details(r.sheet, row, show, lang)
            lines.append(ChangeLine(r.change, label, sheet.label(lang), f"{what}{details}"))
    return lines


class _Shower:
    """A field's value of a version (JSON) as display text."""

    def __init__(self, columns: tuple[Column, ...], lang: str, guests: bool):
        self.columns = {c.key: c for c in columns}
        self.lang, self.guests = lang, guests
        self.words = _words(lang)

    def label(self, key: str) -> str:
        column = self.columns.get(key)
        return column.label(self.lang) if column else key

    def field(self, key: str, value) -> str:
        return f"{self.label(key)}{punct(self.lang, 'colon')}{self(key, value)}"

    def withheld(self, key: str) -> bool:
        """A guest's confidential field (§2.5): its values are never shown."""
        return self.guests and key in CONFIDENTIAL_GUEST_FIELDS

    def join(self, texts: list[str]) -> str:
        return joined(self.lang, texts)

    def __call__(self, key: str, value) -> str:
        if self.withheld(key):
            return self.words["withheld_value"]
        if value is None or value == [] or value == "":
            return self.words["blank"]
        column = self.columns.get(key)
        kind = column.type if column else "text"
        lang = self.lang
        try:
            if kind == "date":
                return fmt_date(date.fromisoformat(value), lang)
            if kind == "time":
                return time.fromisoformat(value).strftime("%H:%M")
            if kind == "datetime":
                return fmt_datetime(datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value), lang)
        except (TypeError, ValueError):
            return str(value)
        if kind in ("enum", "prep"):
            return choice_label(column, value, lang)
        if kind == "yesno":
            return yes_no_label(bool(value), lang)
        if isinstance(value, list):
            return self.join(list(map(str, value)))
        return str(value)


def _row_name(sheet: str, row: Mapping, show: _Shower, lang: str) -> str:
    """How a row is named in a line: a guest or staff member by name and title or role,
    an item by its day, time and activity, a booking by its kind and resource."""
    if sheet == "guests":
        return name_title(row.get("name") or show.words["blank"], row.get("title"), lang)
    if sheet == "staff":
        return name_title(row.get("name") or show.words["blank"], show("role", row.get("role")), lang)
    if sheet == "itinerary":
        day = row.get("date")
        when = " ".join(x for x in (fmt_short_date(date.fromisoformat(day), lang) if day else "",
                                    fmt_span(_time(row.get("start")), _time(row.get("end")))) if x)
        return " ".join(x for x in (when, row.get("activity") or show("kind", row.get("kind"))) if x)
    if sheet == "bookings":
        return " ".join(x for x in (show("kind", row.get("kind")), row.get("resource") or "") if x)
    return show.words["blank"]


def _row_details(sheet: str, row: Mapping, show: _Shower, lang: str) -> str:
    """What an added or removed row says besides its name."""
    keys = {"itinerary": ("location", "owner"), "bookings": ("start", "end"), "staff": ("department",),
            "guests": ()}.get(sheet, ())
    parts = [show(k, row.get(k)) for k in keys if row.get(k) not in (None, "", [])]
    return f" · {' · '.join(parts)}" if parts else ""


def _time(value) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# ---- a staff member's run sheet ------------------------------------------------------------

RUN_SHEET_KEYS = (("what", "part", "date"), ("what", "part"), ("date", "time", "part"), ("what", "date", "time"))
RUN_SHEET_FIELDS = ("date", "time", "what", "place", "part")  # contacts and details are not compared


def run_sheet_lines(before: dict, now: Visit, people: list[Record], visit_id: str, standard: Standard,
                    lang: str) -> list[ChangeLine]:
    """The rows of these people's run sheet (one person, as they appear on the staff
    sheet now) added, removed, moved or changed from the version `before` (its content)."""
    old_visit = visit_from(before, visit_id, standard)
    names = {p.name for p in people if p.name}
    old_people = [s for s in old_visit.staff if s.name in names]
    old = _entries(old_people, old_visit, standard, lang)
    new = _entries(people, now, standard, lang)
    changes = compare_rows("run_sheet", old, new, RUN_SHEET_KEYS)
    return [_entry_line(c, lang) for c in changes]


def _entries(people: list[Record], visit: Visit, standard: Standard, lang: str) -> list[dict]:
    entries = sorted((e for p in people for e in run_sheet(p, visit, standard, lang)), key=lambda e: e.when)
    return [{"date": e.date, "time": e.time, "what": e.what, "place": e.place, "part": e.part} for e in entries]


def _entry_line(c: RowChange, lang: str) -> ChangeLine:
    words = _words(lang)
    label = t(lang, f"changes.kinds.{c.change}")
    sheet = words["run_sheet"]
    row = c.new if c.new is not None else c.old
    if c.change != "changed":
        return ChangeLine(c.change, label, sheet, _entry_text(row, words, with_what=True))
    with_what = "what" in c.fields or "part" in c.fields
    return ChangeLine("changed", t(lang, "changes.kinds.moved") if {"date", "time", "place"} & set(c.fields)
                      and not with_what else label, sheet, c.new["what"],
                      _entry_text(c.old, words, with_what), _entry_text(c.new, words, with_what))


def _entry_text(row: Mapping, words: Mapping, with_what: bool) -> str:
    when = " ".join(x for x in (row.get("date"), row.get("time")) if x)
    text = " · ".join(x for x in (when, row.get("what") if with_what else "", row.get("place")) if x)
    part = row.get("part")
    return f"{text}{words['part'].format(part=part)}" if with_what and part else text or words["blank"]


# ---- the client's itinerary ---------------------------------------------------------------

ITINERARY_KEYS = (("date", "activity"), ("activity",), ("date", "time"))
MEETING = ("arrival", "point", "person")  # the itinerary's meeting details, then its hotel and our contact


def itinerary_lines(before: dict, vr: VisitResult, result: CheckResult, standard: Standard,
                    lang: str) -> list[ChangeLine]:
    """The client's itinerary of the version `before` (its content) against today's: its
    rows and the meeting details it gives, added, removed or changed."""
    old = _client_view(visit_from(before, vr.visit.id, standard), result, standard, lang)
    new = _client_view(vr.visit, result, standard, lang)
    words = _words(lang)
    sheet = words["itinerary"]
    lines = []
    for key, label in _client_fields(lang):
        if old["info"].get(key) != new["info"].get(key):
            lines.append(ChangeLine("changed", t(lang, "changes.kinds.changed"), sheet, label,
                                    old["info"].get(key) or words["blank"], new["info"].get(key) or words["blank"]))
    for c in compare_rows("itinerary", old["rows"], new["rows"], ITINERARY_KEYS):
        label = t(lang, f"changes.kinds.{c.change}")
        if c.change == "changed":
            with_activity = "activity" in c.fields
            lines.append(ChangeLine("changed", label if with_activity else t(lang, "changes.kinds.moved"), sheet,
                                    c.new["activity"], _client_text(c.old, with_activity),
                                    _client_text(c.new, with_activity)))
        else:
            lines.append(ChangeLine(c.change, label, sheet, _client_text(c.new or c.old, True)))
    return lines


def _client_view(visit: Visit, result: CheckResult, standard: Standard, lang: str) -> dict:
    """What the client's itinerary says (its allowlist: pipeline.documents.plan), its
    internal items left out."""
    shown = Visit(visit.record, visit.guests, [i for i in visit.items if i.client_facing is not False],
                  visit.staff, visit.bookings, visit.preparation)
    context = itinerary_context(VisitResult(shown, [], 0, 0, "ready", False), result, standard, lang)
    info = {**{k: context["meeting"][k] for k in MEETING}, "hotel": context["hotel"] or "",
            "contact": " ".join(x for x in (context["contact"]["name"], context["contact"]["phone"]) if x)}
    rows = [{"date": day["date"], "time": e["time"], "activity": " ".join(e["activity"].split("\n")[0].split()),
             "location": e["location"]} for day in context["days"] for e in day["entries"]]
    return {"info": info, "rows": rows}


def _client_fields(lang: str) -> list[tuple[str, str]]:
    labels = texts(lang)["docs"]["itinerary"]
    return [("arrival", labels["arrival"]), ("point", labels["meeting_point"]), ("person", labels["greeter"]),
            ("hotel", labels["hotel"]), ("contact", labels["contact"])]


def _client_text(row: Mapping, with_activity: bool) -> str:
    when = " ".join(x for x in (row.get("date"), row.get("time")) if x)
    return " · ".join(x for x in (when, row.get("activity") if with_activity else "", row.get("location")) if x)

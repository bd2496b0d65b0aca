"""What the reception plan and the client itinerary say: their contexts, as plain data.

The plan (接待方案) is internal and holds everything §3.2.1 lists. The itinerary
(客户行程) goes to the client: its context is built from an allowlist of fields and
never receives a record, so no confidential or internal value (§2.5) can reach it.
Every value is a display string in the output language; labels are the locale's
`docs` section, so one template serves both languages.

`PLAN_FIELDS` and `ITINERARY_FIELDS` are the shapes of the contexts: the fields a
template may use (a dict maps names to shapes, a set lists plain values, `[shape]` is a
list). Templates are checked against them when they load.
"""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import zip_longest

from ..checks import CheckResult, VisitResult
from ..contract import BOOKINGS, GUESTS, STAFF, VISITS
from ..findings import SEVERITY_ORDER
from ..i18n import aside, fill, joined, punct, texts
from ..model import Record, Visit
from ..serving import Serving
from ..standard import Standard
from . import aids
from .fmt import (choice_label, fmt_date, fmt_datetime, fmt_short_date, fmt_span, fmt_time, name_title,
                  yes_no_label)


def labels(lang: str, doc: str) -> dict[str, str]:
    """The template labels of one document: the locale's docs.common and docs.<doc>, and
    the language's colon (punct.colon)."""
    docs = texts(lang)["docs"]
    return {**docs["common"], "colon": punct(lang, "colon"), **docs[doc]}


def _docs(lang: str, key: str) -> dict:
    return texts(lang)["docs"][key]


# --------------------------------------------------------------------------------------
# Shapes


def _label_keys(doc: str) -> frozenset[str]:
    return frozenset(labels("zh", doc)) & frozenset(labels("en", doc))


PLAN_FIELDS: dict = {
    "draft": None, "draft_notice": None, "version": None, "welcome_line": None,
    "visit": {"id", "client_org", "client_type", "theme", "purpose", "objective", "emphasis", "level",
              "status", "approval", "arrival", "departure", "headcount", "requester", "contact_name",
              "contact_phone", "contact_email", "org_profile", "business_domain", "industry_position",
              "notes", "accommodation", "catering", "transport", "gifts", "security", "emergency",
              "approver", "approved_on", "approval_notes", "briefed_on"},
    "guests": [{"no", "name", "title", "gender", "ethnicity", "core", "dietary", "smoker", "preferences"}],
    "profiles": [{"name", "title", "details"}],
    "staff": [{"name", "role", "department", "phone", "duties"}],
    "days": [{"date": None, "entries": [{"time", "activity", "location", "owner"}]}],
    "bookings": [{"kind", "resource", "time", "quantity", "status", "reconfirmed", "reference", "details"}],
    "prep_owner": None,
    "prep": [{"no", "item", "status", "pending"}],
    "lodging": [{"kind", "time", "place", "arrangement"}],
    "transport": {"arrival", "arrival_ref", "arrival_point", "departure", "departure_ref", "departure_point",
                  "vehicles", "transfers"},
    "aids": {"host": None, "waits": [{"what", "place", "at", "be_there"}], "intro": [{"no", "ours", "theirs"}],
             "boarding": None, "diet_note": None, "diet": [{"name", "need", "unknown"}],
             "ethnicity_note": None, "smoking_note": None},
    "open_items": [{"no", "severity", "clause", "place", "message"}],
    "changes": {"intro": None, "rows": [{"sheet", "change", "label", "what", "before", "after"}]},
}

ITINERARY_FIELDS: dict = {
    "visit": {"client_org", "theme", "dates"},
    "welcome": {"greeting", "text"},
    "meeting": {"arrival", "point", "person"},
    "hotel": None,
    "contact": {"name", "phone"},
    "days": [{"date": None, "entries": [{"time", "activity", "location"}]}],
}


def plan_fields() -> dict:
    return {"L": _label_keys("plan"), **PLAN_FIELDS}


def itinerary_fields() -> dict:
    return {"L": _label_keys("itinerary"), **ITINERARY_FIELDS}


# --------------------------------------------------------------------------------------
# Formatting shared by both documents


class _Fmt:
    """Display strings for one visit's records in one language.

    A blank shows as a dash; a blank that an error-level finding points at shows as
    "to be completed", so the reader of a draft sees where the gaps are.
    """

    def __init__(self, vr: VisitResult, lang: str, words: dict[str, str]):
        self.lang, self.words = lang, words
        self.gaps = {(f.sheet_key, f.row, f.field) for f in vr.findings if f.severity == "error" and f.field}

    def blank(self, rec: Record, key: str) -> str:
        return self.words["to_complete"] if (rec.sheet, rec.row, key) in self.gaps else self.words["blank"]

    def text(self, rec: Record, key: str) -> str:
        value = rec.values.get(key)
        if value is None or value == ():
            return self.blank(rec, key)
        return self.join(value) if isinstance(value, tuple) else str(value)

    def choice(self, rec: Record, key: str, sheet=VISITS) -> str:
        value = rec.values.get(key)
        return choice_label(sheet.column(key), value, self.lang) if value else self.blank(rec, key)

    def yes_no(self, rec: Record, key: str) -> str:
        value = rec.values.get(key)
        return yes_no_label(value, self.lang) if value is not None else self.blank(rec, key)

    def day(self, rec: Record, key: str) -> str:
        value = rec.values.get(key)
        return fmt_date(value, self.lang) if value else self.blank(rec, key)

    def moment(self, rec: Record, key: str) -> str:
        value = rec.values.get(key)
        return fmt_datetime(value, self.lang) if value else self.blank(rec, key)

    def span(self, start: date | datetime | None, end: date | datetime | None) -> str:
        """`3月10日 13:30–16:30`, or both dates when the span crosses midnight."""
        if start is None and end is None:
            return self.words["blank"]
        if isinstance(start, datetime) and isinstance(end, datetime) and start.date() == end.date():
            return f"{fmt_short_date(start, self.lang)} {fmt_span(start.time(), end.time())}"
        return f"{self._short(start)} – {self._short(end)}"

    def _short(self, value: date | datetime | None) -> str:
        if value is None:
            return self.words["blank"]
        if isinstance(value, datetime):
            return f"{fmt_short_date(value, self.lang)} {fmt_time(value)}"
        return fmt_short_date(value, self.lang)

    def person(self, name: str | None, detail: str | None) -> str:
        """`孙伟（总经理）` / `Sun Wei (CEO)`."""
        return name_title(name, detail, self.lang) if name else self.words["blank"]

    def join(self, items) -> str:
        return joined(self.lang, items)


def item_order(item: Record) -> tuple:
    """Itinerary items in time order, undated ones last."""
    return (item.date is None, item.date or date.min, item.start or time.min, item.row)


def _days(items: list[Record], fmt: _Fmt, make_item) -> list[dict]:
    """The items grouped by day, in time order; undated items last."""
    days: list[dict] = []
    for item in sorted(items, key=item_order):
        label = fmt_date(item.date, fmt.lang) if item.date else fmt.words["date_unknown"]
        if not days or days[-1]["date"] != label:
            days.append({"date": label, "entries": []})
        days[-1]["entries"].append(make_item(item))
    return days


def _time(item: Record, fmt: _Fmt) -> str:
    if item.start is None and item.end is None:
        return fmt.blank(item, "start")
    return fmt_span(item.start, item.end)


def _role(staff: Record | None, lang: str) -> str:
    return choice_label(STAFF.column("role"), staff.role, lang) if staff else ""


# --------------------------------------------------------------------------------------
# The reception plan


def plan_context(vr: VisitResult, result: CheckResult, standard: Standard, lang: str) -> dict:
    """Everything §3.2.1 asks of a written reception plan, for one visit."""
    words = labels(lang, "plan")
    fmt = _Fmt(vr, lang, words)
    visit, v = vr.visit, vr.visit.record
    errors = vr.count("error")
    return {
        "L": words,
        "draft": errors > 0,
        "draft_notice": fill(words["draft_notice"], n=errors) if errors else "",
        "version": fmt_date(result.today, lang),
        "welcome_line": fill(words["welcome_line"], client=v.client_org or ""),  # §3.3.1 signage
        "visit": _visit_fields(v, fmt),
        "guests": [_guest(i, g, fmt) for i, g in enumerate(visit.guests_in_order(), 1)],
        "profiles": _profiles(visit, fmt),
        "staff": [_staff(s, fmt) for s in visit.staff],
        "days": _days(visit.items, fmt, lambda item: _plan_item(item, fmt)),
        "bookings": [_booking(b, fmt) for b in sorted(visit.bookings, key=_booking_key)],
        "prep_owner": fmt.text(visit.preparation, "prep_owner") if visit.preparation else words["to_complete"],
        "prep": _prep(visit, standard, fmt),
        "lodging": _lodging(visit, standard, fmt),
        "transport": _transport(visit, fmt),
        "aids": _aids(visit, standard, fmt),
        "open_items": _open_items(vr, fmt) if errors else [],
        "changes": _changes(vr, standard, fmt),
    }


def _visit_fields(v: Record, fmt: _Fmt) -> dict:
    emphasis = _docs(fmt.lang, "emphasis")
    return {
        "id": v.visit_id or "",
        "client_org": fmt.text(v, "client_org"),
        "client_type": fmt.choice(v, "client_type"),
        "theme": fmt.text(v, "theme"),
        "purpose": fmt.choice(v, "purpose"),
        "objective": fmt.text(v, "objective"),
        "emphasis": emphasis.get(v.purpose or "", fmt.blank(v, "purpose")),
        "level": fmt.choice(v, "level"),
        "status": fmt.choice(v, "status"),
        "approval": fmt.choice(v, "approval"),
        "arrival": fmt.moment(v, "arrival"),
        "departure": fmt.moment(v, "departure"),
        "headcount": fmt.text(v, "headcount"),
        "requester": fmt.text(v, "requester"),
        "contact_name": fmt.text(v, "contact_name"),
        "contact_phone": fmt.text(v, "contact_phone"),
        "contact_email": fmt.text(v, "contact_email"),
        "org_profile": fmt.text(v, "org_profile"),
        "business_domain": fmt.text(v, "business_domain"),
        "industry_position": fmt.text(v, "industry_position"),
        "notes": fmt.text(v, "notes"),
        "accommodation": fmt.yes_no(v, "accommodation"),
        "catering": fmt.yes_no(v, "catering"),
        "transport": fmt.yes_no(v, "transport"),
        "gifts": v.gifts or fmt.words["no_gifts"],
        "security": fmt.text(v, "security"),
        "emergency": fmt.text(v, "emergency"),
        "approver": fmt.text(v, "approver"),
        "approved_on": fmt.day(v, "approved_on"),
        "approval_notes": fmt.text(v, "approval_notes"),
        "briefed_on": fmt.day(v, "briefed_on"),
    }


def _guest(no: int, g: Record, fmt: _Fmt) -> dict:
    return {
        "no": str(no),
        "name": fmt.text(g, "name"),
        "title": fmt.text(g, "title"),
        "gender": fmt.choice(g, "gender", GUESTS),
        "ethnicity": fmt.text(g, "ethnicity"),
        "core": fmt.yes_no(g, "core"),
        "dietary": g.dietary or fmt.words["diet_unknown_short"],
        "smoker": fmt.yes_no(g, "smoker"),
        "preferences": fmt.text(g, "preferences"),
    }


def _profiles(visit: Visit, fmt: _Fmt) -> list[dict]:
    """Background and phone of the guests who have any; a core person's missing background
    too (§3.1.2)."""
    rows = []
    for g in visit.guests_in_order():
        parts = [fill(fmt.words[key + "_line"], value=g.values[key])
                 for key in ("background", "phone") if g.values.get(key)]
        if g.core and not g.background:
            parts.insert(0, fill(fmt.words["background_line"], value=fmt.blank(g, "background")))
        if parts:
            rows.append({"name": g.name or fmt.words["blank"], "title": g.title or "", "details": "\n".join(parts)})
    return rows


def _staff(s: Record, fmt: _Fmt) -> dict:
    return {
        "name": fmt.text(s, "name"),
        "role": fmt.choice(s, "role", STAFF),
        "department": s.department or "",
        "phone": s.phone or "",
        "duties": s.duties or "",
    }


def _plan_item(item: Record, fmt: _Fmt) -> dict:
    activity = fmt.text(item, "activity")
    if item.client_facing is False:  # kept out of what the client is sent
        activity = fmt.words["internal_mark"] + activity
    if item.notes:
        activity += "\n" + fill(fmt.words["notes_line"], value=item.notes)
    owner = fmt.text(item, "owner")
    if item.attendees:
        owner += "\n" + fill(fmt.words["attending_line"], names=fmt.join(item.attendees))
    if item.guests:
        owner += "\n" + fill(fmt.words["guests_line"], names=fmt.join(item.guests))
    return {"time": _time(item, fmt), "activity": activity, "location": fmt.text(item, "location"), "owner": owner}


def _booking_key(b: Record) -> tuple:
    start = b.start
    d = start.date() if isinstance(start, datetime) else start
    return (d is None, d or date.min, start.time() if isinstance(start, datetime) else time.min, b.row)


def _booking(b: Record, fmt: _Fmt) -> dict:
    return {
        "kind": fmt.choice(b, "kind", BOOKINGS),
        "resource": fmt.text(b, "resource"),
        "time": fmt.span(b.start, b.end),
        "quantity": "\n".join(x for x in (str(b.quantity) if b.quantity is not None else "",
                                           fill(fmt.words["capacity_line"], n=b.capacity)
                                           if b.capacity is not None else "") if x),
        "status": fmt.choice(b, "status", BOOKINGS),
        "reconfirmed": _reconfirmed(b, fmt),
        "reference": b.reference or "",
        "details": b.details or "",
    }


def _reconfirmed(b: Record, fmt: _Fmt) -> str:
    """Hotels and restaurants are reconfirmed with the venue (§3.3.3)."""
    if b.reconfirmed is None and b.kind not in ("hotel", "restaurant"):
        return ""
    return fmt.words["reconfirmed_yes"] if b.reconfirmed else fmt.words["reconfirmed_no"]


def _prep(visit: Visit, standard: Standard, fmt: _Fmt) -> list[dict]:
    sheet = standard.sheet("preparation")
    rows = []
    for no, item in enumerate(standard.preparation, 1):
        status = visit.preparation.values.get(item.key) if visit.preparation else None
        rows.append({
            "no": str(no),
            "item": item.label(fmt.lang),
            "status": choice_label(sheet.column(item.key), status, fmt.lang) if status else fmt.words["blank"],
            "pending": "" if status in ("done", "n/a") else "1",
        })
    return rows


def _lodging(visit: Visit, standard: Standard, fmt: _Fmt) -> list[dict]:
    """Meals (with what the restaurant booking serving each says, pipeline.serving) and
    hotel stays (§3.3.3)."""
    serving = Serving.of(visit, standard.settings)
    rows = []
    for item in sorted((i for i in visit.items if i.kind == "meal"), key=item_order):
        booking = next(iter(serving.bookings_for(item)), None)
        arrangement = booking.details or booking.resource if booking else ""
        rows.append({"kind": item.activity or fmt.words["meal"],
                     "time": f"{fmt_short_date(item.date, fmt.lang)} {_time(item, fmt)}",
                     "place": fmt.text(item, "location"), "arrangement": arrangement or fmt.words["blank"]})
    for b in visit.bookings:
        if b.kind == "hotel" and b.status != "cancelled":
            details = [x for x in (fill(fmt.words["rooms"], n=b.quantity) if b.quantity else "", b.details or "") if x]
            rows.append({"kind": fmt.words["stay"], "time": fmt.span(b.start, b.end), "place": fmt.text(b, "resource"),
                         "arrangement": "\n".join(details) or fmt.words["blank"]})
    return rows


def _transport(visit: Visit, fmt: _Fmt) -> dict:
    v = visit.record
    vehicles = [aside(fmt.lang, b.resource or fmt.words["blank"], fmt.span(b.start, b.end))
                for b in visit.bookings if b.kind == "vehicle" and b.status != "cancelled"]
    transfers = [fill(fmt.words["transfer_line"], when=f"{fmt_short_date(i.date, fmt.lang)} {_time(i, fmt)}",
                      activity=i.activity or fmt.words["blank"], location=i.location or fmt.words["blank"],
                      owner=i.owner or fmt.words["blank"])
                 for i in sorted(visit.items, key=item_order) if i.kind in ("pickup", "send_off", "transfer")]
    return {
        "arrival": fmt.moment(v, "arrival"),
        "arrival_ref": _mode(v, "arrival", fmt),
        "arrival_point": fmt.text(v, "arrival_point"),
        "departure": fmt.moment(v, "departure"),
        "departure_ref": _mode(v, "departure", fmt),
        "departure_point": fmt.text(v, "departure_point"),
        "vehicles": "\n".join(vehicles) or fmt.words["blank"],
        "transfers": "\n".join(transfers) or fmt.words["blank"],
    }


def _mode(v: Record, key: str, fmt: _Fmt) -> str:
    """`航班 MU5101`: how the guests travel, with the flight or train number."""
    mode = fmt.choice(v, key + "_mode")
    ref = v.values.get(key + "_ref") or fmt.blank(v, key + "_ref")
    return mode if ref == fmt.words["blank"] else f"{mode} {ref}"


def _aids(visit: Visit, standard: Standard, fmt: _Fmt) -> dict:
    words, lang = fmt.words, fmt.lang
    host = aids.host(visit)
    waits = [{
        "what": fill(words["wait_arrival"], ref=visit.record.arrival_ref or "") if w.what == "arrival"
        else fill(words["wait_pickup"], activity=w.item.activity or ""),
        "place": w.place or words["to_complete"],
        "at": f"{fmt_short_date(w.at, lang)} {fmt_time(w.at)}",
        "be_there": f"{fmt_short_date(w.be_there, lang)} {fmt_time(w.be_there)}",
    } for w in aids.host_waits(visit, standard.settings)]
    ours = [fmt.person(s.name, _role(s, lang)) for s in aids.host_side_order(visit)]
    theirs = [fmt.person(g.name, g.title) for g in aids.guest_side_order(visit)]
    intro = [{"no": str(i), "ours": a or "", "theirs": b or ""}
             for i, (a, b) in enumerate(zip_longest(ours, theirs), 1)]
    boarding = joined(lang, (f"{i}. {fmt.person(g.name, g.title)}"
                             for i, g in enumerate(aids.boarding_order(visit), 1)), "details")
    diet = aids.dietary_summary(visit)
    counts = {s: sum(1 for d in diet if d.status == s) for s in ("need", "none", "unknown")}
    hints = aids.ethnicity_hints(visit, standard.settings)
    smokers = aids.smokers(visit)
    return {
        "host": fill(words["host_line"], name=host.name, minutes=standard.settings["host_wait_minutes"])
        if host and host.name else words["no_host"],
        "waits": waits,
        "intro": intro,
        "boarding": boarding or words["blank"],
        "diet_note": fill(words["diet_note"], total=len(diet), **counts),
        "diet": [{"name": fmt.person(d.guest.name, d.guest.title),
                  "need": d.need if d.status == "need"
                  else words["diet_none"] if d.status == "none" else words["diet_unknown"],
                  "unknown": "1" if d.status == "unknown" else ""} for d in diet],
        "ethnicity_note": fill(words["ethnicity_note"], guests=fmt.join(fmt.person(g.name, g.ethnicity) for g in hints))
        if hints else "",
        "smoking_note": fill(words["smoking_note"], guests=fmt.join(g.name or "" for g in smokers)) if smokers else "",
    }


def _changes(vr: VisitResult, standard: Standard, fmt: _Fmt) -> dict:
    """"Changes since the approved version" (§3.2.3): while the plan differs from the
    version approved, every change, old and new (pipeline.versions)."""
    if vr.changes is None:
        return {"intro": "", "rows": []}
    from ..versions.views import plan_lines  # the views use this module's itinerary
    return {"intro": fill(fmt.words["changes_intro"], on=fmt_date(vr.changes.approved_on, fmt.lang)),
            "rows": [line.to_json() for line in plan_lines(vr.changes, standard, fmt.lang)]}


def _open_items(vr: VisitResult, fmt: _Fmt) -> list[dict]:
    """The visit's findings, errors first: what is still open before the plan is final."""
    severity = texts(fmt.lang)["severity"]
    findings = sorted(vr.findings, key=lambda x: SEVERITY_ORDER[x.severity])
    rows = []
    for no, x in enumerate(findings, 1):
        row = fill(fmt.words["row"], row=x.row) if x.row else ""
        place = " ".join(p for p in (x.sheet or "", row, x.column or "") if p)
        rows.append({"no": str(no), "severity": severity[x.severity], "clause": f"§{x.clause}",
                     "place": place, "message": x.message})
    return rows


# --------------------------------------------------------------------------------------
# The client itinerary: an allowlist of fields, nothing else


def itinerary_context(vr: VisitResult, result: CheckResult, standard: Standard, lang: str) -> dict:
    """What the client may read: welcome, schedule, meeting point, hotel, our contact."""
    words = labels(lang, "itinerary")
    fmt = _Fmt(vr, lang, words)
    visit, v = vr.visit, vr.visit.record
    host = aids.host(visit)
    client = v.client_org or ""
    theme = v.theme or ""
    hotels = [b.resource for b in visit.bookings if b.kind == "hotel" and b.status != "cancelled" and b.resource]
    return {
        "L": words,
        "visit": {"client_org": client, "theme": theme, "dates": _dates(v, fmt)},
        "welcome": {"greeting": fill(words["greeting"], client=client),
                    "text": fill(words["welcome"] if theme else words["welcome_no_theme"], client=client, theme=theme)},
        "meeting": {"arrival": _client_arrival(v, fmt), "point": v.arrival_point or words["tbc"],
                    "person": _greeter(visit, host, fmt)},
        "hotel": fmt.join(dict.fromkeys(hotels)) or (words["tbc"] if v.accommodation else ""),
        "contact": {"name": host.name if host and host.name else words["tbc"],
                    "phone": host.phone if host and host.phone else words["tbc"]},
        "days": _days(visit.client_items(), fmt, lambda item: _client_item(item, host, fmt)),
    }


def _dates(v: Record, fmt: _Fmt) -> str:
    start, end = v.arrival, v.departure
    if not start:
        return fmt.words["tbc"]
    if not end or fmt_date(start, fmt.lang) == fmt_date(end, fmt.lang):
        return fmt_date(start, fmt.lang)
    return f"{fmt_date(start, fmt.lang)} – {fmt_date(end, fmt.lang)}"


def _client_arrival(v: Record, fmt: _Fmt) -> str:
    when = fmt_datetime(v.arrival, fmt.lang) if v.arrival else fmt.words["tbc"]
    return f"{when}  {v.arrival_ref}" if v.arrival_ref else when


def _greeter(visit: Visit, host: Record | None, fmt: _Fmt) -> str:
    """Who meets the guests (§4.1.1): the one who meets them at the first pick-up, else
    the main host; with role and department."""
    pickups = sorted((i for i in visit.client_items() if i.kind == "pickup"), key=item_order)
    name = _meets(pickups[0], host) if pickups else (host.name if host else None)
    if not name:
        return fmt.words["tbc"]
    person = next((s for s in visit.staff if s.name == name), None)
    details = [_role(person, fmt.lang), person.department or ""] if person else []
    return joined(fmt.lang, (x for x in (name, *details) if x), "apposition")


def _meets(item: Record, host: Record | None) -> str | None:
    """The main host when at the pick-up, else the pick-up's owner."""
    if host and host.name and host.name in (item.owner, *item.get("attendees", ())):
        return host.name
    return item.owner


def _client_item(item: Record, host: Record | None, fmt: _Fmt) -> dict:
    activity = item.activity or fmt.words["tbc"]
    if item.kind == "pickup" and _meets(item, host):
        activity += "\n" + fill(fmt.words["met_by"], name=_meets(item, host))
    if item.guests:  # an item for part of the delegation says for whom (their own names)
        activity += "\n" + fill(fmt.words["guests_line"], names=fmt.join(item.guests))
    return {"time": fmt_span(item.start, item.end) or fmt.words["tbc"], "activity": activity,
            "location": item.location or fmt.words["tbc"]}

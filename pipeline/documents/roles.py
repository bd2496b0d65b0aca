"""The role assignment workbook (人员分工表, §3.3.2): who does what, and each person's run sheet.

A summary sheet lists every staff member with their role's standard duties (§4, from the
locale files' `duties:` section, each citing its clause) and the duties written in the
workbook; then one sheet per person lists, in time order, the itinerary items they own
or attend, the bookings they own and, for its owner, the preparation checklist.

Staff documents carry no confidential guest field (§2.5): of the guests only names,
titles and ranks are read (the car seating of the driver's and the host's pick-ups and
transfers, §4.1.4), and whether one smokes, which only switches on the ashtray duty
(§4.2.3) and names nobody. Every cell is a text (pipeline.layout.sheetml), so a value
such as `=HYPERLINK(…)` stays text.

A build makes one of these per visit, so it is written by the small SpreadsheetML writer
rather than xlsxwriter (a third of its time), its formats made once per language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from math import ceil

from ..checks.engine import CheckResult, VisitResult
from ..company import NO_COMPANY, Company
from ..contract import BOOKINGS, ITINERARY, STAFF, prep_column
from ..errors import TemplateError
from ..i18n import fill, joined, t, texts
from ..layout.palette import font
from ..layout.sheetml import Book, Sheet, Styles
from ..layout.sheets import MAX_SHEET_NAME, column_px, fit_sheet_name, header_text, without_bad_characters
from ..layout.text import legal, wide_count
from ..model import Record, Visit
from ..protocol.cars import Car
from ..protocol.people import cars_for
from ..serving import Serving
from ..standard import Standard
from .aids import host_side_order, host_waits, smokers
from .fmt import choice_label, fmt_date, fmt_short_date, fmt_span, fmt_time, name_title
from .letterhead import sheet_header
from .names import safe_part

SUMMARY_COLUMNS = ("name", "role", "department", "phone", "email", "duty", "source")
RUN_COLUMNS = ("date", "time", "what", "place", "part", "contacts", "details")
# (min, max) column widths in Excel character units; text wraps beyond the max
SUMMARY_WIDTHS = {"name": (8, 16), "role": (8, 14), "department": (8, 16), "phone": (8, 16),
                  "email": (8, 28), "duty": (30, 70), "source": (6, 16)}
RUN_WIDTHS = {"date": (10, 24), "time": (8, 20), "what": (14, 32), "place": (10, 24), "part": (6, 12),
              "contacts": (12, 34), "details": (12, 30)}
FONT_SIZE = 10
TITLE_SIZE = 13
# Points per text line at FONT_SIZE: row heights are set, not left to the application
# (LibreOffice and WPS do not grow rows for wrapped text in a file that gives no heights).
LINE_HEIGHT = {"zh": 16.5, "en": 13.5}
# The printed page: A4 landscape, in points, less the margins (inches). Each sheet prints
# at a scale worked out here from its column widths and row heights, so that it is one
# page wide and a run sheet one page long: a fixed scale, because LibreOffice takes three
# times as long to convert a sheet that asks it to fit pages itself.
PAGE = (841.9, 595.3)
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75}
MIN_SCALE = 40  # percent: a run sheet too long for one page at this size prints on more
# A column's width is counted in digits of the workbook's font (Calibri: 7 pixels, 5.25
# points). Where it is missing, as on most servers that run LibreOffice, a wider one
# stands in (DejaVu Sans: 7 points, measured), so columns are counted as that wide, with
# a little room; rows have their heights in points, the same everywhere.
WIDE_DIGITS = 1.36
ROUNDING = 0.97

_ITEM_KIND = ITINERARY.column("kind")
_BOOKING_KIND = BOOKINGS.column("kind")
_BOOKING_STATUS = BOOKINGS.column("status")
_ROLE = STAFF.column("role")
_PREP = prep_column("status", "", "")  # its choices: done, pending, n/a
CAR_SEATING_ROLES = ("driver", "host")  # whose run sheets say who sits where in the car (§4.1.4)

# Conditions a standard duty may carry (`when:` in the locale's duties section).
CONDITIONS: dict[str, Callable[[Visit], bool]] = {
    "smoker": lambda v: bool(smokers(v)),
    "meals": lambda v: any(i.kind == "meal" for i in v.items),
}


@dataclass(frozen=True)
class Duty:
    text: str
    source: str  # "§4.1.1", or the label of duties written in the workbook


@dataclass(frozen=True)
class Entry:
    """One line of a person's run sheet."""

    when: tuple  # sort key: known times first, in order
    date: str
    time: str
    what: str
    place: str
    part: str
    contacts: str = ""
    details: str = ""

    def cells(self) -> tuple[str, ...]:
        return (self.date, self.time, self.what, self.place, self.part, self.contacts, self.details)


# ---- content ---------------------------------------------------------------------------

def standard_duties(role: str | None, visit: Visit, standard: Standard, lang: str) -> list[Duty]:
    """The role's duties from the standard (§4) that apply to this visit."""
    params = {
        "meeting_point": _one_line(visit.record.arrival_point) or t(lang, "roles.tbd"),
        "wait_minutes": standard.settings["host_wait_minutes"],
    }
    duties = []
    for d in texts(lang)["duties"].get(role or "other") or []:
        condition = d.get("when")
        if condition is not None:
            if condition not in CONDITIONS:
                raise TemplateError.of(f"pipeline/locale/{lang}.yaml", "template_error.unknown_condition",
                                       f"duties.{role}.when", condition=repr(condition), known=", ".join(CONDITIONS))
            if not CONDITIONS[condition](visit):
                continue
        duties.append(Duty(fill(d["text"], **params), f"§{d['clause']}"))
    return duties


def person_duties(person: Record, visit: Visit, standard: Standard, lang: str) -> list[Duty]:
    """Standard duties of the person's role, then those written in the workbook."""
    duties = standard_duties(person.role, visit, standard, lang)
    if person.duties:
        duties.append(Duty(person.duties, t(lang, "roles.workbook_duty")))
    return duties or [Duty(t(lang, "roles.no_duties"), "")]


def run_sheet(person: Record, visit: Visit, standard: Standard, lang: str) -> list[Entry]:
    """Everything on this person's plate, in time order."""
    name = person.name
    if not name:
        return []
    entries = [*_item_entries(name, person.role, visit, standard, lang),
               *_booking_entries(name, visit, lang),
               *_prep_entries(name, visit, standard, lang)]
    if person.role == "host":
        entries.extend(_host_wait_entries(visit, standard, lang))
    return sorted(entries, key=lambda e: e.when)


def _item_entries(name: str, role: str | None, visit: Visit, standard: Standard,
                  lang: str) -> Iterable[Entry]:
    phones = _phones(visit)
    serving = Serving.of(visit, standard.settings) if role in CAR_SEATING_ROLES else None
    v = visit.record
    client = _contact(v.contact_name, v.contact_phone) if role in ("host", "escort") else ""
    for item in visit.items:
        if item.owner == name:
            part = t(lang, "roles.owner")
        elif name in (item.attendees or ()):
            part = t(lang, "roles.attending")
        else:
            continue
        contacts = []
        if item.owner and item.owner != name:
            contacts.append(t(lang, "roles.item_owner", name=_contact(item.owner, phones.get(item.owner))))
        if client:
            contacts.append(t(lang, "roles.client_contact", name=client))
        details = [item.notes or ""]
        if serving is not None:
            details.append(car_lines(cars_for(serving, item, standard.seating), lang))
        yield Entry(_sort_key(item.date, item.start, item.row), fmt_date(item.date, lang),
                    fmt_span(item.start, item.end), item.activity or choice_label(_ITEM_KIND, item.kind, lang),
                    item.location or "", part, "\n".join(contacts), "\n".join(d for d in details if d))


def car_lines(cars: tuple[Car, ...], lang: str) -> str:
    """Who sits where (§4.1.4): a heading, then one line per car, the seats most senior
    first: `1号车（司机：陈强）：后排右 孙伟（总经理）；…`."""
    if not cars:
        return ""
    lines = [t(lang, "roles.cars")]
    for car in cars:
        driver = car.driver.name if car.driver else t(lang, "roles.tbd")
        seats = joined(lang, (f"{_seat_label(seat, lang)} {name_title(p.name, p.title, lang)}"
                              for seat, p in car.seats), "details")
        lines.append(t(lang, "roles.car_host_drives" if car.host_drives else "roles.car", n=car.number,
                       driver=driver, seats=seats))
    return "\n".join(lines)


def _seat_label(seat: str, lang: str) -> str:
    if seat.startswith("extra"):
        return t(lang, "roles.car_seats.extra", n=seat.removeprefix("extra"))
    return t(lang, f"roles.car_seats.{seat}")


def _booking_entries(name: str, visit: Visit, lang: str) -> Iterable[Entry]:
    for b in visit.bookings:
        if b.owner != name:
            continue
        details = [choice_label(_BOOKING_STATUS, b.status, lang)]
        if b.reference:
            details.append(t(lang, "roles.booking_ref", reference=b.reference))
        if b.quantity is not None:
            details.append(t(lang, "roles.booking_quantity", quantity=b.quantity))
        if b.capacity is not None:
            details.append(t(lang, "roles.booking_capacity", capacity=b.capacity))
        start = b.start
        yield Entry(_sort_key(start, start if isinstance(start, datetime) else None, b.row),
                    fmt_date(start, lang), _booking_time(start, b.end, lang),
                    t(lang, "roles.booking", kind=choice_label(_BOOKING_KIND, b.kind, lang)),
                    b.resource or "", t(lang, "roles.owner"), "", "\n".join(d for d in details if d))


def _prep_entries(name: str, visit: Visit, standard: Standard, lang: str) -> Iterable[Entry]:
    prep = visit.preparation
    if prep is None or prep.prep_owner != name:
        return
    day = _first_day(visit)
    when = (0, datetime.combine(day, time.min), -1) if day else (1, datetime.max, prep.row)
    for item in standard.preparation:
        status = prep.values.get(item.key)
        if item.na_unless and not visit.record.values.get(item.na_unless):
            status = "n/a"
        yield Entry(when, fmt_date(day, lang), t(lang, "roles.before_arrival"),
                    t(lang, "roles.prep_item", item=item.label(lang)), "", t(lang, "roles.owner"), "",
                    choice_label(_PREP, status, lang))


def _host_wait_entries(visit: Visit, standard: Standard, lang: str) -> Iterable[Entry]:
    """§4.1.1 when the host must be waiting: before the arrival and each pick-up (the
    same times as the plan's). An arrival met by an earlier pick-up at the same place is
    one entry, the pick-up's, that also names the arrival."""
    v = visit.record
    contact = t(lang, "roles.client_contact", name=_contact(v.contact_name, v.contact_phone))
    waits = host_waits(visit, standard.settings)
    arrival = next((w for w in waits if w.what == "arrival"), None)
    covering = next((w for w in waits if w.what == "pickup" and arrival and w.place == arrival.place
                     and w.be_there.date() == arrival.be_there.date() and w.be_there <= arrival.be_there), None)
    for wait in waits:
        if wait is arrival and covering:
            continue
        details = []
        if wait.what == "pickup":
            details.append(t(lang, "roles.host_wait_pickup", time=fmt_time(wait.at), activity=wait.item.activity or ""))
        if wait is arrival or wait is covering:
            ref = _one_line(v.arrival_ref)
            details.append(t(lang, "roles.host_wait_details_ref", ref=ref, time=fmt_time(arrival.at)) if ref
                           else t(lang, "roles.host_wait_details", time=fmt_time(arrival.at)))
        yield Entry((0, wait.be_there, -1), fmt_date(wait.be_there, lang), fmt_time(wait.be_there),
                    t(lang, "roles.host_wait"), wait.place or "", choice_label(_ROLE, "host", lang),
                    contact, joined(lang, details, "details"))


def _sort_key(d: date | datetime | None, tm: time | datetime | None, row: int) -> tuple:
    if d is None:
        return (1, datetime.max, row)
    day = d.date() if isinstance(d, datetime) else d
    moment = tm.time() if isinstance(tm, datetime) else (tm or time.min)
    return (0, datetime.combine(day, moment), row)


def _booking_time(start, end, lang: str) -> str:
    if not isinstance(start, datetime):
        return ""
    if not isinstance(end, datetime):
        return fmt_time(start)
    if end.date() == start.date():
        return fmt_span(start, end)
    return f"{fmt_time(start)}–{fmt_short_date(end, lang)} {fmt_time(end)}"


def _first_day(visit: Visit) -> date | None:
    arrival = visit.record.arrival
    if arrival is not None:
        return arrival.date() if isinstance(arrival, datetime) else arrival
    days = [i.date for i in visit.items if i.date is not None]
    return min(days) if days else None


def _phones(visit: Visit) -> dict[str, str]:
    phones: dict[str, str] = {}
    for s in visit.staff:
        if s.name and s.phone and s.name not in phones:
            phones[s.name] = s.phone
    return phones


def _contact(name: str | None, phone: str | None) -> str:
    return " ".join(p for p in (name, phone) if p)


def _one_line(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def sheet_names(names: list[str | None], reserved: Iterable[str], unnamed: str) -> list[str]:
    """One valid, distinct Excel sheet name per person: ≤ 31 characters, none of []:*?/\\,
    not starting or ending with an apostrophe, unique ignoring case."""
    taken = {r.casefold() for r in reserved} | {"history"}  # Excel reserves "History"
    out = []
    for name in names:
        base = safe_part(without_bad_characters(name or "")).strip("' ") or unnamed
        candidate, n = fit_sheet_name(base), 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = fit_sheet_name(base, MAX_SHEET_NAME - len(suffix)) + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


# ---- workbook --------------------------------------------------------------------------

def render_roles(vr: VisitResult, result: CheckResult, standard: Standard, lang: str,
                 company: Company = NO_COMPANY, run_sheets: Callable[[Record], list[Entry]] | None = None) -> bytes:
    """The role assignment workbook of one visit, as .xlsx bytes; its printed sheets
    headed by the company, where the profile names it. `run_sheets` gives a staff row's
    run sheet (pipeline.documents.contexts) when the caller keeps them."""
    visit = vr.visit
    run_sheets = run_sheets or (lambda person: run_sheet(person, visit, standard, lang))
    staff = host_side_order(visit)  # §4.2.2, as the plan introduces them
    summary_name = t(lang, "roles.summary_sheet")
    names = sheet_names([s.name for s in staff], [summary_name], t(lang, "roles.unnamed"))
    context = _Context(vr, lang, sheet_header(company, lang))

    fmt = _formats(lang)
    book = Book(fmt.styles, title=context.file_title, company=company.name(lang),
                created=datetime.combine(result.today, time()))

    _write_summary(book.add_sheet(summary_name), fmt, context,
                   [(person, sheet, person_duties(person, visit, standard, lang))
                    for person, sheet in zip(staff, names)])

    for person, sheet in zip(staff, names):
        role = choice_label(_ROLE, person.role, lang)
        title = t(lang, "roles.person_title", name=person.name or "", role=role, title=t(lang, "roles.run_title"),
                  visit_id=context.visit_id, client=context.client, dates=context.dates)
        _write_run_sheet(book.add_sheet(sheet), fmt, context, title + context.draft, run_sheets(person))
    return book.to_bytes()


class _Context:
    """The visit's texts shared by every sheet: title parts, page header and footer."""

    def __init__(self, vr: VisitResult, lang: str, company: str = ""):
        v = vr.visit.record
        self.lang = lang
        self.visit_id = vr.visit.id or ""
        self.client = _one_line(v.client_org)
        self.dates = t(lang, "roles.dates", start=fmt_date(v.arrival, lang), end=fmt_date(v.departure, lang))
        self.file_title = t(lang, "roles.file_title")
        errors = vr.count("error")
        self.draft = t(lang, "roles.draft", errors=errors) if errors else ""
        # With a company: its name left, the visit in the middle (each part under 255
        # characters together, as Excel wants the whole header).
        visit_line = header_text(legal(f"{self.visit_id}  {self.client}"), 120 if company else 200)
        left = f"&L{header_text(legal(company), 60)}&C" if company else "&L"
        self.header = f"{left}{visit_line}&R{header_text(self.file_title)}"
        page = header_text(t(lang, "roles.page", page="\0P", pages="\0N")).replace("\0", "&")
        self.footer = f"&C{page}"


@lru_cache(maxsize=8)
def _formats(lang: str) -> _Formats:
    """Made once per language: every visit's workbook has the same styles part."""
    return _Formats(lang)


class _Formats:
    """The role sheets' formats: text in the language's font, wrapped and aligned to the
    top."""

    def __init__(self, lang: str):
        self.styles = formats = Styles({"font_name": font(lang), "font_size": FONT_SIZE, "valign": "top",
                                        "text_wrap": True})
        cell = {"border": 1, "border_color": "#A6A6A6"}
        self.title = formats(font_size=TITLE_SIZE, bold=True, valign="vcenter")
        self.header = formats(cell, bold=True, bg_color="#DCE6F1", valign="vcenter")
        self.cell = formats(cell)
        self.muted = formats(cell, font_color="#595959")
        self.note = formats(italic=True, font_color="#595959", text_wrap=False)
        # A person's details in the summary stand once at the top of their block of duty
        # rows, framed as one cell (cheaper than merging: speed matters here).
        link = {**cell, "font_color": "#1F4E79", "underline": 1}
        edges = {"only": {}, "first": {"bottom": 0}, "middle": {"top": 0, "bottom": 0}, "last": {"top": 0}}
        self.block = {k: formats(cell, v) for k, v in edges.items()}
        self.link = {k: formats(link, edges[k]) for k in ("only", "first")}


def _write_summary(ws: Sheet, fmt: _Formats, ctx: _Context, people: list[tuple[Record, str, list[Duty]]]) -> None:
    """One block of rows per person: their details in its first row, then one row per
    duty with its clause."""
    lang = ctx.lang
    blocks = [(sheet, (person.name or "", choice_label(_ROLE, person.role, lang), person.department or "",
                       person.phone or "", person.email or ""), duties) for person, sheet, duties in people]
    headers = [t(lang, f"roles.columns.{c}") for c in SUMMARY_COLUMNS]
    table = [personal + (d.text, d.source) for _, personal, duties in blocks for d in duties]
    widths = _column_widths(headers, table, SUMMARY_WIDTHS, SUMMARY_COLUMNS)
    title = t(lang, "roles.title", title=ctx.file_title, visit_id=ctx.visit_id, client=ctx.client,
              dates=ctx.dates) + ctx.draft
    _start_sheet(ws, fmt, ctx, title, headers, widths, None)
    first = 2
    for sheet, personal, duties in blocks:
        last = first + len(duties) - 1
        for row, duty in enumerate(duties, start=first):
            cells = (personal if row == first else ("",) * len(personal)) + (duty.text, duty.source)
            ws.set_row(row, _row_height(cells, widths, lang))
            ws.write(row, 5, duty.text, fmt.cell)
            ws.write(row, 6, duty.source, fmt.muted)
        edge = "only" if last == first else "first"
        for col, value in enumerate(personal):
            if col == 0 and value:  # the name links to the person's run sheet
                ws.write_link(first, 0, sheet, value, fmt.link[edge])
            else:
                ws.write(first, col, value, fmt.block[edge])
            for row in range(first + 1, last + 1):
                ws.write_blank(row, col, fmt.block["last" if row == last else "middle"])
        first = last + 1


def _write_run_sheet(ws: Sheet, fmt: _Formats, ctx: _Context, title: str, entries: list[Entry]) -> None:
    lang = ctx.lang
    headers = [t(lang, f"roles.run_columns.{c}") for c in RUN_COLUMNS]
    table = [e.cells() for e in entries]
    widths = _column_widths(headers, table, RUN_WIDTHS, RUN_COLUMNS)
    heights = [_row_height(cells, widths, lang) for cells in table]
    _start_sheet(ws, fmt, ctx, title, headers, widths, sum(heights) or LINE_HEIGHT.get(lang, LINE_HEIGHT["en"]))
    if not entries:
        ws.write(2, 0, t(lang, "roles.nothing"), fmt.note)
        return
    for r, (cells, height) in enumerate(zip(table, heights), start=2):
        ws.set_row(r, height)
        for c, value in enumerate(cells):
            ws.write(r, c, value, fmt.cell)


def _start_sheet(ws: Sheet, fmt: _Formats, ctx: _Context, title: str, headers: list[str], widths: list[int],
                 body: float | None) -> None:
    """Title row, header row, column widths and the print setup shared by every sheet;
    `body` is the height of the rows below the header to fit on one page (None: the sheet
    may run over several pages, one page wide)."""
    last = len(headers) - 1
    title_lines = ceil(max(_line_widths(title)) * TITLE_SIZE / FONT_SIZE / sum(widths))
    heads = (8 + title_lines * TITLE_SIZE * 1.5, LINE_HEIGHT.get(ctx.lang, LINE_HEIGHT["en"]) + 3)
    ws.set_row(0, heads[0])
    ws.set_row(1, heads[1])
    ws.merge(0, 0, last, fmt.title)
    ws.write(0, 0, title, fmt.title)
    for c, h in enumerate(headers):
        ws.write(1, c, h, fmt.header)
    for c, width in enumerate(widths):
        ws.set_column(c, width)
    ws.freeze_rows(2)
    ws.print_setup(scale=_print_scale(widths, None if body is None else sum(heads) + body), margins=MARGINS,
                   repeat_rows=(1, 1), centre=True, header=ctx.header, footer=ctx.footer)


def _print_scale(widths: list[int], height: float | None) -> int:
    """Percent at which the columns fit the page's width and, given a `height` in points,
    the rows its length (no larger than life, no smaller than MIN_SCALE)."""
    across = PAGE[0] - 72 * (MARGINS["left"] + MARGINS["right"])
    down = PAGE[1] - 72 * (MARGINS["top"] + MARGINS["bottom"])
    width = sum(column_px(w) + 5 for w in widths) * 0.75 * WIDE_DIGITS  # Excel's pixels, as points
    fit = min(1.0, across / width, ROUNDING * down / height if height else 1.0)
    return max(MIN_SCALE, int(fit * 100))


def _column_widths(headers: list[str], table: list[tuple[str, ...]], limits: dict[str, tuple[int, int]],
                   columns: tuple[str, ...]) -> list[int]:
    """Each column as wide as its longest line, within its limits (beyond, text wraps)."""
    widths = []
    for c, key in enumerate(columns):
        lo, hi = limits[key]
        needed = max(max(_line_widths(headers[c])), *(max(_line_widths(r[c])) for r in table)) if table \
            else max(_line_widths(headers[c]))
        widths.append(min(max(lo, ceil(needed) + 2), hi))
    return widths


def _row_height(cells: tuple[str, ...], widths: list[int], lang: str) -> float:
    """Points for the tallest cell of a row once its text wraps in its column."""
    lines = 1
    for text, width in zip(cells, widths):
        if text:
            room = max(width - 1, 1)
            lines = max(lines, sum(max(1, ceil(w / room)) for w in _line_widths(text)))
    return lines * LINE_HEIGHT.get(lang, LINE_HEIGHT["en"]) + 3


@lru_cache(maxsize=4096)
def _line_widths(text: str) -> tuple[float, ...]:
    """Width of each line in Excel character units at FONT_SIZE: a wide (CJK) character is
    nearly two, any other a little less than one."""
    widths = []
    for line in text.split("\n"):
        wide = wide_count(line)
        widths.append(wide * 1.8 + (len(line) - wide) * 0.85)
    return tuple(widths)

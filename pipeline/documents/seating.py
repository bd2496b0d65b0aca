"""The seating document of a visit (座次与桌签, internal): pick-up signs (§4.1.1, §3.3.1),
a seating plan for each meeting and meal (§4.2.1, §4.3.1) drawn and listed, and a name
card for everyone seated at a meeting shown to the client (an internal meeting, contract
v2 `client_facing` no, gets a plan but no cards: the cards stand before the guests).

The seating orders are pipeline.protocol's; this module words and draws them in the
document's language and fills `templates/seating.docx`. Diagrams are DrawingML groups,
card faces VML WordArt (pipeline/documents/drawing.py), both in the template's styles
("Seat Text", "Seat Title", "Diagram Label"; the signs: "Sign Text").

Only names, titles and ranks of the guests are read here: no confidential field (§2.5).
"""

from __future__ import annotations

from math import ceil, cos, pi, sin

from markupsafe import Markup

from ..checks import CheckResult, VisitResult
from ..company import NO_COMPANY, Company
from ..i18n import fill, joined
from ..model import Record, Visit
from ..protocol.people import guest_person, guests_of, layout_of, plan_for
from ..protocol.seating import (
    ALONG, DEPUTY, GUEST, HOST, INTERPRETER, PRINCIPAL, RIGHT, ROUND, ROWS, TABLE_HOST, TALKS, Person, Plan,
    Seat, precedence, row_column,
)
from ..serving import Serving
from ..standard import Standard
from .docx import DocxTemplate
from .drawing import PAGE_BREAK, PT_PER_CM, Box, Group, Ids, Line, page_wordart, sized_text, text_width
from .fmt import fmt_short_date, fmt_span, name_title
from .letterhead import word_fields
from .plan import item_order, labels

SEATING_FIELDS: dict = {
    "visit": {"id", "client_org", "dates"},
    "rules_note": None,
    "plans": [{"new_page": None, "title": None, "layout": None, "diagram": None, "overflow": None,
               "seats": [{"no", "seat", "name", "title", "side"}]}],
    "cards": [{"faces"}],
    "signs": [{"text"}],
}

WIDTH = 16.0  # cm: the drawings fill the text width of the A4 page
COLOURS = {GUEST: ("DDEBF7", "2F5597"), HOST: ("FBE5D6", "C55A11")}  # (fill, line) of a side's seats
EMPTY = ("FFFFFF", "A6A6A6")
TABLE = ("F2F2F2", "7F7F7F")
DOOR = "404040"
RED = "C00000"
# The cards' WordArt names its font itself (VML takes no style): a CJK sans that Windows
# has; LibreOffice substitutes Noto Sans CJK where it is missing.
CARD_FONT = "Microsoft YaHei"
CARD = {"width": 21.0, "height": 29.7, "margin": 1.5, "name": 5.0, "title": 1.8, "gap": 1.4}
SIGN = {"width": 26.7, "height": 18.0, "max": 150.0, "line": 1.4}  # cm of text area; points; ems a line


def seating_fields() -> dict:
    return {"L": frozenset(labels("zh", "seating")) & frozenset(labels("en", "seating")), **SEATING_FIELDS}


def has_seating(visit: Visit) -> bool:
    """Whether the visit has an item to seat (a meeting, a meal, or an item whose
    seating says so) with someone to seat at it."""
    return any(layout_of(item) and (item.owner or item.attendees or guests_of(visit, item)) for item in visit.items)


def render_seating(vr: VisitResult, result: CheckResult, standard: Standard, lang: str,
                   template: DocxTemplate, company: Company = NO_COMPANY) -> bytes:
    return template.render({**seating_context(vr, result, standard, lang), "company": word_fields(company, lang)})


def seating_context(vr: VisitResult, result: CheckResult, standard: Standard, lang: str) -> dict:
    words = labels(lang, "seating")
    visit, v = vr.visit, vr.visit.record
    ids = Ids()
    serving = Serving.of(visit, standard.settings)
    plans, cards = [], {}
    for item in sorted(visit.items, key=item_order):
        plan = plan_for(serving, item, standard.seating)
        if plan is None:
            continue
        plans.append(_plan(item, plan, words, lang, ids, new_page=bool(plans)))
        if item.kind == "meeting" and item.client_facing is not False:  # name cards stand before the guests
            for s in plan.seated():
                cards.setdefault((s.person.side, s.person.name, s.person.title), s.person)
    seated = precedence([p for p in cards.values() if p.side == GUEST]) + \
        precedence([p for p in cards.values() if p.side == HOST])
    return {
        "L": words,
        "visit": {"id": visit.id or "", "client_org": v.client_org or "", "dates": _dates(v, lang)},
        "rules_note": fill(words["rules_note"], senior=words["senior"][standard.seating.senior],
                           frame=words["frame_note"]),
        "plans": plans,
        "cards": [{"faces": _card(p, ids, first=i == 0)} for i, p in enumerate(seated)],
        "signs": [{"text": _sign(visit, item, words)} for item in sorted(visit.items, key=item_order)
                  if item.kind == "pickup"],
    }


def _dates(v: Record, lang: str) -> str:
    start, end = fmt_short_date(v.arrival, lang), fmt_short_date(v.departure, lang)
    return f"{start}–{end}" if start and end and start != end else start or end


# ---- one plan: heading, drawing, list ------------------------------------------------------

def _plan(item: Record, plan: Plan, words: dict, lang: str, ids: Ids, new_page: bool) -> dict:
    """Each plan after the first starts a page (the first stands under the title)."""
    when = " ".join(x for x in (fmt_short_date(item.date, lang), fmt_span(item.start, item.end)) if x)
    notes = [fill(words["plan_where"], location=item.location)] if item.location else []
    notes.append(words["layouts"][plan.layout])
    s = plan.settings
    if plan.layout == TALKS:
        notes.append(words["orientation"][s.talks if s.talks != ALONG else f"along_{s.senior}"])
    elif plan.layout == ROUND:
        notes.append(fill(words["round_note"], senior_hand=words["hands"][s.senior], tables=plan.tables,
                          size=plan.size))
    else:
        notes.append(fill(words["rows_note"], size=plan.size))
    overflow = ""
    if plan.overflow:
        names = joined(lang, (name_title(p.name, p.title, lang) for p in plan.overflow))
        overflow = fill(words["overflow"], capacity=plan.capacity, n=len(plan.overflow), names=names)
    return {
        "new_page": PAGE_BREAK if new_page else "",
        "title": fill(words["plan_title"], when=when, activity=item.activity or ""),
        "layout": " · ".join(notes),
        "diagram": DIAGRAMS[plan.layout](plan, words, ids).markup(words["layouts"][plan.layout]),
        "overflow": overflow,
        "seats": [_row(s, plan, words, lang) for s in plan.seats if s.person or s.part],
    }


def _row(s: Seat, plan: Plan, words: dict, lang: str) -> dict:
    p = s.person
    return {"no": str(s.number) if p else "", "seat": seat_name(s, plan, words, lang),
            "name": p.name if p else words["kept_seat"], "title": p.title if p else "",
            "side": words["guest_side"] if (p and p.side == GUEST) else words["host_side"]}


def seat_name(s: Seat, plan: Plan, words: dict, lang: str) -> str:
    """`客方 右1（主宾）`, `主桌 主人右1`, `第1排 居中`: where the seat is, in words."""
    part = _part(s, plan, words)
    if plan.layout == TALKS:
        where = fill(words["talks_seat"], side=words["guest_side" if s.side == GUEST else "host_side"],
                     place=_from_centre(s.place, words))
    elif plan.layout == ROUND:
        table = words["table_main"] if s.table == 1 and plan.tables > 1 else fill(words["table_n"], n=s.table)
        if plan.tables == 1:
            table = ""
        deputy = next((x.place for x in plan.seats if x.table == s.table and x.part == DEPUTY), None)
        place = _round_place(s.place, plan.size, deputy, words)
        where = fill(words["round_seat"], table=table, place=place).strip(" ,")
    else:
        where = fill(words["rows_seat"], row=s.row, place=_from_centre(s.place, words))
    return name_title(where, part, lang)


def _part(s: Seat, plan: Plan, words: dict) -> str:
    if plan.layout == ROUND and s.part in (TABLE_HOST, DEPUTY):
        return ""  # the place says it: 主人位, 副主人位
    if s.part == TABLE_HOST:
        return words["talks_host"] if plan.layout == TALKS else words["parts"]["host"]
    return words["parts"].get(s.part, "") if s.part in (PRINCIPAL, DEPUTY, INTERPRETER) else ""


def _from_centre(place: int, words: dict) -> str:
    if place == 0:
        return words["centre"]
    return fill(words["right_n" if place > 0 else "left_n"], n=abs(place))


def _round_place(place: int, size: int, deputy: int | None, words: dict) -> str:
    """From the nearer of the host and the deputy: `主人右1`, `副主人左1`."""
    if place == 0:
        return words["host_seat"]
    if place == deputy:
        return words["deputy_seat"]
    from_host = place if place <= size // 2 else place - size  # + to the host's right
    if deputy is not None and abs(place - deputy) < abs(from_host):
        return fill(words["deputy_right" if place > deputy else "deputy_left"], n=abs(place - deputy))
    return fill(words["host_right" if from_host > 0 else "host_left"], n=abs(from_host))


# ---- the drawings ----------------------------------------------------------------------------
# The door is at the bottom of every drawing; a seat box shows the list number, the name
# and the title.

def _seat_box(g: Group, x: float, y: float, w: float, h: float, seat: Seat | None, words: dict) -> None:
    if seat is None or seat.person is None:
        kept = seat is not None  # a table's host seat kept for one of ours
        g.shape(x, y, w, h, fill=EMPTY[0], line=EMPTY[1], dashed=True,
                lines=(Line(words["kept_seat"], "SeatTitle"),) if kept else ())
        return
    p = seat.person
    fill_colour, line = COLOURS[p.side]
    lines = [Line(f"{seat.number} {p.name}", "SeatText", bold=seat.part in (PRINCIPAL, TABLE_HOST))]
    if p.title:
        lines.append(Line(p.title, "SeatTitle"))
    g.shape(x, y, w, h, fill=fill_colour, line=line, weight=1.5 if seat.part else 0.75, lines=tuple(lines))


def _door(g: Group, y: float, words: dict) -> None:
    g.shape(WIDTH / 2 - 1.5, y, 3.0, 0.18, fill=DOOR, line=None)
    g.text(WIDTH / 2 - 1.5, y + 0.2, 3.0, 0.5, Line(words["door"], "DiagramLabel"))


def _overflow_note(g: Group, plan: Plan, words: dict) -> None:
    if plan.overflow:
        g.text(0, g.height - 0.55, WIDTH, 0.5, Line(fill(words["overflow_short"], n=len(plan.overflow)), "DiagramLabel",
                                                    bold=True))


def _talks(plan: Plan, words: dict, ids: Ids) -> Group:
    if plan.settings.talks == ALONG:
        return _talks_along(plan, words, ids)
    # Guests face the door (toward the bottom): their right is the drawing's left.
    x_of = {GUEST: lambda place: -place, HOST: lambda place: place}
    by_x = {(s.side, x_of[s.side](s.place)): s for s in plan.seats}
    xs = [x for _, x in by_x] or [0]
    lo, hi = min(xs), max(xs)
    n = hi - lo + 1
    step = min(2.4, (WIDTH - 0.4) / n)
    w, h = step - 0.12, 1.2
    left = (WIDTH - n * step) / 2
    extra = 0.6 if plan.overflow else 0
    g = Group(WIDTH, 6.9 + extra, ids)
    g.text(0, 0, WIDTH, 0.5, Line(f"{words['guest_side']} ↓", "DiagramLabel"))
    for side, y in ((GUEST, 0.55), (HOST, 3.45)):
        for x in range(lo, hi + 1):
            _seat_box(g, left + (x - lo) * step + 0.06, y, w, h, by_x.get((side, x)), words)
    g.shape(left, 1.9, n * step, 1.4, fill=TABLE[0], line=TABLE[1])
    g.text(0, 4.7, WIDTH, 0.5, Line(f"{words['host_side']} ↑", "DiagramLabel"))
    _door(g, 5.6, words)
    _overflow_note(g, plan, words)
    return g


def _talks_along(plan: Plan, words: dict, ids: Ids) -> Group:
    # The table runs up the drawing from the door. On the right-hand side (as one enters)
    # people face left: their right is up; on the left-hand side, down.
    guests_right = plan.settings.senior == RIGHT
    column = {GUEST: "right" if guests_right else "left", HOST: "left" if guests_right else "right"}
    y_of = {"right": lambda place: -place, "left": lambda place: place}
    by_y = {(column[s.side], y_of[column[s.side]](s.place)): s for s in plan.seats}
    ys = [y for _, y in by_y] or [0]
    lo, hi = min(ys), max(ys)
    n = hi - lo + 1
    step = min(1.35, 11.0 / n)
    h, w = step - 0.1, 3.2
    extra = 0.6 if plan.overflow else 0
    g = Group(WIDTH, n * step + 2.6 + extra, ids)
    table_x, table_w = WIDTH / 2 - 1.2, 2.4
    top = 0.6
    xs = {"left": table_x - 0.15 - w, "right": table_x + table_w + 0.15}
    for col in ("left", "right"):
        side = GUEST if column[GUEST] == col else HOST
        g.text(xs[col], 0, w, 0.5, Line(words["guest_side" if side == GUEST else "host_side"], "DiagramLabel"))
        for y in range(lo, hi + 1):
            _seat_box(g, xs[col], top + (y - lo) * step, w, h, by_y.get((col, y)), words)
    g.shape(table_x, top, table_w, n * step - 0.1, fill=TABLE[0], line=TABLE[1])
    _door(g, top + n * step + 0.5, words)
    _overflow_note(g, plan, words)
    return g


def _round(plan: Plan, words: dict, ids: Ids) -> Group:
    size = plan.size
    w, h = 1.7, 1.1
    radius = 2.6 if size <= 4 else max(2.6, (w + 0.1) / sin(2 * pi / size))
    cell_w, cell_h = 2 * radius + w + 0.2, 2 * radius + h + 0.7
    columns = 2 if 2 * cell_w <= WIDTH else 1
    others = plan.tables - 1
    rows = 1 + ceil(others / columns)
    extra = 0.6 if plan.overflow else 0
    g = Group(WIDTH, rows * cell_h + 1.1 + extra, ids)
    by_table: dict[int, dict[int, Seat]] = {}
    for s in plan.seats:
        by_table.setdefault(s.table, {})[s.place] = s
    for t in range(1, plan.tables + 1):
        if t == 1:  # the main table at the front, in the middle
            cx, cy = WIDTH / 2, cell_h / 2
        else:
            k = t - 2
            row, col = divmod(k, columns)
            in_row = min(columns, others - row * columns)
            cx = WIDTH / 2 + (col - (in_row - 1) / 2) * cell_w
            cy = (row + 1.5) * cell_h
        _round_table(g, cx, cy, radius, w, h, size, by_table.get(t, {}), t, plan, words)
    _door(g, rows * cell_h + 0.1, words)
    _overflow_note(g, plan, words)
    return g


def _round_table(g: Group, cx: float, cy: float, radius: float, w: float, h: float, size: int,
                 seats: dict[int, Seat], table: int, plan: Plan, words: dict) -> None:
    inner = radius - h / 2 - 0.35
    g.shape(cx - inner, cy - inner, 2 * inner, 2 * inner, geometry="ellipse", fill=TABLE[0], line=TABLE[1])
    name = words["table_main"] if table == 1 and plan.tables > 1 \
        else fill(words["table_n"], n=table) if plan.tables > 1 else words["layouts"][ROUND]
    g.text(cx - inner, cy - 0.3, 2 * inner, 0.6, Line(name, "DiagramLabel"))
    for place in range(size):
        # The host (place 0) sits at the top, facing the door; places run on to the
        # host's right, which is the drawing's left: counter-clockwise.
        angle = pi / 2 + 2 * pi * place / size
        x, y = cx + radius * cos(angle), cy - radius * sin(angle)
        _seat_box(g, x - w / 2, y - h / 2, w, h, seats.get(place), words)


def _rows(plan: Plan, words: dict, ids: Ids) -> Group:
    size, step_dir = plan.size, plan.settings.step
    rows = max((s.row for s in plan.seats), default=1)
    label_w = 1.3
    step = min(2.0, (WIDTH - label_w) / size)
    w, h = step - 0.1, 1.1
    left = label_w + (WIDTH - label_w - size * step) / 2
    extra = 0.6 if plan.overflow else 0
    g = Group(WIDTH, 1.0 + rows * (h + 0.3) + 1.0 + extra, ids)
    g.shape(left, 0, size * step, 0.5, fill=TABLE[0], line=TABLE[1], lines=(Line(words["front"], "DiagramLabel"),))
    by_place = {(s.row, row_column(s.place, size, step_dir)): s for s in plan.seats}
    for r in range(1, rows + 1):
        y = 0.8 + (r - 1) * (h + 0.3)
        g.text(0, y, label_w, h, Line(fill(words["row_label"], row=r), "DiagramLabel"))
        for c in range(size):  # seen from behind, as the seated see the front: their left is the drawing's left
            _seat_box(g, left + c * step + 0.05, y, w, h, by_place.get((r, c)), words)
    _door(g, 0.8 + rows * (h + 0.3) + 0.1, words)
    _overflow_note(g, plan, words)
    return g


DIAGRAMS = {TALKS: _talks, ROUND: _round, ROWS: _rows}


# ---- name cards and pick-up signs ----------------------------------------------------------

def _card(person: Person, ids: Ids, first: bool) -> Markup:
    """An A4 page folded across the middle into a tent: the lower half upright, the upper
    half the same turned upside down, so both faces read upright when it stands."""
    width, half, margin = CARD["width"], CARD["height"] / 2, CARD["margin"]
    room = width - 2 * margin
    lines = [(person.name or " ", CARD["name"])] + ([(person.title, CARD["title"])] if person.title else [])
    sized = []
    for text, height in lines:
        height = min(height, room / max(text_width(text), 0.5))
        sized.append((text, height, text_width(text) * height))
    block = sum(h for _, h, _ in sized) + CARD["gap"] * (len(sized) - 1)
    y = half + (half - block) / 2
    boxes = []
    for text, height, length in sized:
        box = Box((width - length) / 2, y, length, height, text)
        boxes += [box, Box(width - box.x - box.w, CARD["height"] - box.y - box.h, box.w, box.h, text,
                           upside_down=True)]
        y += height + CARD["gap"]
    return page_wordart(boxes, CARD_FONT, ids, define_type=first, fold_at=half, page_width=width)


def _sign(visit: Visit, item: Record, words: dict) -> Markup:
    """"欢迎 / <client> / <principal guest and title> 一行", each line in the largest type
    that fits the A4 landscape page, at most SIGN["max"] points."""
    guests = precedence([guest_person(g) for g in guests_of(visit, item)])
    lines = [words["sign_welcome"], visit.record.client_org or ""]
    if guests:
        lead = guests[0]
        lines.append(fill(words["sign_party_titled" if lead.title else "sign_party"], name=lead.name, title=lead.title))
    lines = [x for x in lines if x]
    points_wide = SIGN["width"] * PT_PER_CM * 0.92  # a little room for the estimate
    sizes = [min(SIGN["max"], points_wide / max(text_width(x), 1)) for x in lines]
    tall = SIGN["height"] * PT_PER_CM * 0.92
    scale = min(1.0, tall / (SIGN["line"] * sum(sizes)))
    sizes = [s * scale for s in sizes]
    lead = (SIGN["height"] * PT_PER_CM - SIGN["line"] * sum(sizes)) / 2 / SIGN["line"]  # centred on the page
    return sized_text(list(zip(lines, sizes)), lead)

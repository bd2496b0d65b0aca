"""The HTML dashboard (one self-contained page) and the overall index of output/.

The charts are inline SVG laid out here as plain geometry (bars, ticks, points) that the
templates draw, so the page needs no script, no font and no network: a Content Security
Policy in the page forbids loading anything. Rendered with autoescaping on; values from
the workbook reach the templates only as data, never as template text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath

from ..company import NO_COMPANY, Company
from ..contract import CLIENT_TYPES, PURPOSES, VISIT_STATUS, Choice
from ..documents.fmt import fmt_date, fmt_datetime, fmt_month, fmt_short_date, month_name
from ..documents.index import Links, href
from ..documents.letterhead import page_fields
from ..findings import SEVERITIES
from ..i18n import t, texts
from ..layout.palette import READINESS_COLOURS, SEVERITY_COLOURS
from ..layout.text import is_wide
from ..templating import TEMPLATES, render_page
from .figures import (BAR_COLOUR, LINE_COLOUR, MONTH_COLOURS, READINESS, STATUS_COLOURS, ClauseFigures, Figures,
                      VisitRow, clause_text, severity_counts)

DASHBOARD_TEMPLATE = "dashboard.html.j2"
OVERVIEW_TEMPLATE = "overview.html.j2"
TOP_CLAUSES = 10  # bars in the clauses chart (the findings section lists them all)
TOP_PEOPLE = 15  # bars in the workload chart
FINDINGS_PER_CLAUSE = 100  # the findings listed under a clause; the check report has the rest

# Chart geometry, in SVG user units (the viewBox scales them to the page's width)
WIDTH = 440
FONT = 12
ROW = 26
BAR = 16
LEGEND_ROW = 20
MAX_LABEL = 190


@dataclass(frozen=True)
class Series:
    label: str
    fill: str  # hex RGB, no '#'
    stroke: str


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: int
    series: Series


@dataclass(frozen=True)
class Bar:
    label: str  # as shown (shortened when too long)
    full_label: str
    y: float
    segments: tuple[Segment, ...]
    total: int
    end: float  # where the bar ends: the total is written after it


@dataclass(frozen=True)
class Column:
    label: str
    sublabel: str  # the year under the first month of each year
    full_label: str  # `2027年4月`
    x: float  # centre
    width: float
    segments: tuple[tuple[float, float, int, Series], ...]  # (y, height, value, series)
    total: int
    top: float


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    series: Series


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: str
    label: str
    sublabel: str
    full_label: str


@dataclass
class Chart:
    """One chart: `kind` is hbar, columns or line; the template draws each kind."""

    id: str
    kind: str
    title: str
    desc: str  # the chart's data as a sentence, for screen readers
    height: float
    note: str = ""
    empty: str = ""  # shown instead of the chart when there is nothing to draw
    width: float = WIDTH
    legend: list[LegendItem] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # x, y, width, height
    colour: str = ""  # the line's

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def render_dashboard_html(figures: Figures, lang: str | None = None, links: Links | None = None,
                          templates: Path = TEMPLATES, company: Company = NO_COMPANY) -> str:
    """dashboard.html for one workbook. `links` maps a visit id to its files ((label, path
    relative to the dashboard)), and None to the workbook's reports (as for index.html)."""
    lang = lang or figures.lang
    links = links or {}
    labels = texts(lang)["dashboard"]
    context = dict(
        lang=labels["html_lang"],
        label=labels,
        title=t(lang, "dashboard.title", workbook=figures.workbook),
        checked_on=t(lang, "dashboard.checked_on", date=fmt_date(figures.today, lang)),
        kpis=kpis(figures, lang),
        upcoming_heading=t(lang, "dashboard.upcoming.heading", days=figures.upcoming_days),
        upcoming_note=t(lang, "dashboard.upcoming.note", soon=figures.soon_days),
        upcoming_none=t(lang, "dashboard.upcoming.none", days=figures.upcoming_days),
        upcoming=[_upcoming_row(v, links.get(v.visit_id, []), lang) for v in figures.upcoming],
        charts=charts(figures, lang),
        clauses=[_clause_section(c, lang) for c in figures.clauses],
        reports=[_link(label, path) for label, path in links.get(None, [])],
        colours=_colours(),
        company=page_fields(company, lang),
    )
    return render_page(templates, DASHBOARD_TEMPLATE, context)


@dataclass
class OverviewEntry:
    """One workbook on output/index.html; every path is relative to output/."""

    name: str  # the workbook's name
    folder: str | PurePath | None  # its output folder (None: it has none, as it could not be read)
    figures: Figures | None = None  # None: the workbook could not be checked
    dashboards: list[tuple[str, str | PurePath]] = field(default_factory=list)  # (label, path)
    reports: list[tuple[str, str | PurePath]] = field(default_factory=list)
    visits: dict[str, list[tuple[str, str | PurePath]]] = field(default_factory=dict)  # visit id -> files
    error: str | None = None  # why the workbook could not be read


def render_overview(entries: list[OverviewEntry], lang: str, today: date | None = None,
                    templates: Path = TEMPLATES, company: Company = NO_COMPANY) -> str:
    """output/index.html: every workbook's dashboards, reports and visits' files."""
    labels = texts(lang)["dashboard"]
    today = today or next((e.figures.today for e in entries if e.figures), None)
    context = dict(
        lang=labels["html_lang"],
        label=labels,
        overview=labels["overview"],
        title=labels["overview"]["title"],
        built_on=t(lang, "dashboard.overview.built_on", date=fmt_date(today, lang)) if today else "",
        workbooks=[_overview_entry(e, lang) for e in entries],
        colours=_colours(),
        company=page_fields(company, lang),
    )
    return render_page(templates, OVERVIEW_TEMPLATE, context)


# ---- the page's content ---------------------------------------------------------------

def kpis(figures: Figures, lang: str) -> list[dict]:
    """The headline figures as cards: key, label, number (None: no data), value (the
    number as shown), note."""
    h = figures.headline

    def card(key: str, number: int | float | None, note: str) -> dict:
        label = t(lang, f"dashboard.kpi.{key}", days=figures.upcoming_days)
        value = "–" if number is None else f"{number:.1f}" if isinstance(number, float) else str(number)
        return {"key": key, "label": label, "number": number, "value": value, "note": note}

    readiness_note = t(lang, "dashboard.kpi.readiness_note")
    return [
        card("visits", h.visits, t(lang, "dashboard.kpi.visits_note", cancelled=h.cancelled)),
        card("upcoming", h.upcoming, t(lang, "dashboard.kpi.upcoming_note")),
        card("ready", h.ready, readiness_note),
        card("attention", h.attention, readiness_note),
        card("not_ready", h.not_ready, readiness_note),
        card("errors", h.errors, t(lang, "dashboard.kpi.errors_note", warnings=h.warnings, info=h.info)),
        card("satisfaction", h.satisfaction,
             t(lang, "dashboard.kpi.satisfaction_note", n=h.rated) if h.rated
             else t(lang, "dashboard.kpi.satisfaction_none")),
    ]


def when_label(v: VisitRow, lang: str) -> str:
    """`today`, `in 3 days`, `under way`."""
    if v.days_to_go is None:
        return ""
    if v.days_to_go < 0:
        return t(lang, "dashboard.under_way")
    if v.days_to_go == 0:
        return t(lang, "dashboard.today")
    return t(lang, "dashboard.in_days", n=v.days_to_go)


def row_flag(v: VisitRow) -> str:
    """The upcoming table's colour: red (not ready, soon), amber (warnings) or none."""
    return "soon" if v.soon else "warn" if v.warnings else ""


def _upcoming_row(v: VisitRow, files: list[tuple[str, str | PurePath]], lang: str) -> dict:
    return {
        "id": v.visit_id,
        "client": v.client,
        "arrival": fmt_datetime(v.arrival, lang),
        "when": when_label(v, lang),
        "status": choice(VISIT_STATUS, v.status, lang),
        "readiness": v.readiness,
        "readiness_label": t(lang, f"readiness.{v.readiness}"),
        "urgent": v.urgent,
        "changed": changed_label(v, lang),
        "flag": row_flag(v),
        "completeness": v.completeness,
        "counts": [{"severity": s, "n": n, "text": t(lang, f"index.counts.{s}", n=n)}
                   for s, n in zip(SEVERITIES, (v.errors, v.warnings, v.info))],
        "files": [_link(label, path) for label, path in files],
    }


def changed_label(v: VisitRow, lang: str) -> str:
    """`changed since approval (1 Mar)`, for a visit whose plan differs from its approved
    version; "" otherwise."""
    return t(lang, "dashboard.changed", on=fmt_short_date(v.changed_since, lang)) if v.changed_since else ""


def clause_heading(c: ClauseFigures, lang: str) -> str:
    """`§3.3.1 场地与物料准备`."""
    if not c.clause:
        return t(lang, "dashboard.findings.no_clause")
    return f"§{c.clause} {clause_text(c.clause, lang).title}".strip()


def _clause_section(c: ClauseFigures, lang: str) -> dict:
    shown = c.findings[:FINDINGS_PER_CLAUSE]
    return {
        "id": "clause-" + (re.sub(r"[^0-9A-Za-z]+", "-", c.clause) or "none"),
        "heading": clause_heading(c, lang),
        "text": clause_text(c.clause, lang).text,
        "counts": [{"severity": s, "n": n, "text": t(lang, f"index.counts.{s}", n=n)}
                   for s, n in zip(SEVERITIES, severity_counts(c)) if n],
        "findings": [{
            "visit": f.visit_id or t(lang, "dashboard.findings.workbook_level"),
            "severity": f.severity,
            "severity_label": t(lang, f"severity.{f.severity}"),
            "where": _where(f.sheet, f.row, f.column, lang),
            "message": f.message,
        } for f in shown],
        "more": t(lang, "dashboard.findings.more", n=len(c.findings) - len(shown)) if len(c.findings) > len(shown)
                else "",
    }


def _where(sheet: str | None, row: int | None, column: str | None, lang: str) -> str:
    place = t(lang, "dashboard.findings.where", sheet=sheet or "", row=row) if row else (sheet or "")
    return f"{place} · {column}" if column else place


def choice(choices: tuple[Choice, ...], key: str | None, lang: str) -> str:
    """An enumeration value's label; `not filled in` for None."""
    if key is None:
        return t(lang, "dashboard.not_set")
    return next((c.label(lang) for c in choices if c.key == key), key)


def month_label(month: str | None, lang: str) -> str:
    """`2027年4月` / `Apr 2027`; `no date` for None."""
    if month is None:
        return t(lang, "dashboard.no_date")
    year, m = month.split("-")
    return fmt_month(int(year), int(m), lang)


def _link(label: str, path: str | PurePath) -> dict:
    return {"label": label, "href": href(path)}


def _colours() -> dict:
    """CSS colours of the readiness badges and severities: the check report's."""
    out = {f"r-{k}": v for k, v in READINESS_COLOURS.items()}
    out.update({f"s-{k}": v for k, v in SEVERITY_COLOURS.items()})
    return out


def _overview_entry(e: OverviewEntry, lang: str) -> dict:
    figures = e.figures
    visits = []
    if figures is not None:
        for v in figures.visits:
            visits.append({"id": v.visit_id, "client": v.client, "readiness": v.readiness,
                           "readiness_label": t(lang, f"readiness.{v.readiness}"), "changed": changed_label(v, lang),
                           "arrival": fmt_date(v.arrival, lang),
                           "files": [_link(label, path) for label, path in e.visits.get(v.visit_id, [])]})
    h = figures.headline if figures else None
    return {
        "name": e.name,
        "folder": _link(str(e.folder), e.folder) if e.folder is not None else None,
        "error": t(lang, "dashboard.overview.failed", message=e.error) if e.error else "",
        "totals": t(lang, "dashboard.overview.totals", visits=h.visits, not_ready=h.not_ready,
                    attention=h.attention, ready=h.ready, errors=h.errors) if h else "",
        "dashboards": [_link(label, path) for label, path in e.dashboards],
        "reports": [_link(label, path) for label, path in e.reports],
        "visits_heading": t(lang, "dashboard.overview.visits", n=len(visits)),
        "visits": visits,
        "open": len(visits) <= 30,
    }


# ---- charts -----------------------------------------------------------------------------

def charts(figures: Figures, lang: str) -> list[Chart]:
    """The seven charts of the dashboard, in reading order."""
    titles = texts(lang)["dashboard"]["charts"]
    status_series = [Series(choice(VISIT_STATUS, s, lang), *STATUS_COLOURS[s]) for s in figures.statuses]
    month_chart = columns_chart(
        "chart-by-month", titles["by_month"], [m.month for m in figures.by_month],
        [m.counts for m in figures.by_month], status_series, lang)
    bar = Series("", *BAR_COLOUR)
    purpose = hbar_chart("chart-by-purpose", titles["by_purpose"],
                         [(choice(PURPOSES, k, lang), (n,)) for k, n in figures.by_purpose], [bar], lang)
    client_type = hbar_chart("chart-by-client-type", titles["by_client_type"],
                             [(choice(CLIENT_TYPES, k, lang), (n,)) for k, n in figures.by_client_type], [bar], lang)
    readiness_series = [Series(t(lang, f"readiness.{r}"), *READINESS_COLOURS[r]) for r in READINESS]
    readiness = hbar_chart(
        "chart-readiness", t(lang, "dashboard.charts.readiness", days=figures.upcoming_days),
        [(s.label, tuple(n if j == i else 0 for j in range(len(READINESS))))
         for i, (s, (_, n)) in enumerate(zip(readiness_series, figures.upcoming_readiness))],
        readiness_series, lang, legend=False)
    severity_series = [Series(t(lang, f"severity.{s}"), *SEVERITY_COLOURS[s]) for s in SEVERITIES]
    top = figures.clauses[:TOP_CLAUSES]
    clause_title = titles["clauses"] + (t(lang, "dashboard.charts.top", n=TOP_CLAUSES)
                                   if len(figures.clauses) > TOP_CLAUSES else "")
    clauses = hbar_chart("chart-clauses", clause_title,
                         [(clause_heading(c, lang), severity_counts(c)) for c in top], severity_series, lang)
    load = figures.workload
    month_series = [Series(month_label(m, lang), MONTH_COLOURS[i % len(MONTH_COLOURS)],
                           MONTH_COLOURS[i % len(MONTH_COLOURS)]) for i, m in enumerate(load.months)]
    workload_title = titles["workload"] + (t(lang, "dashboard.charts.top", n=TOP_PEOPLE)
                                      if len(load.people) > TOP_PEOPLE else "")
    workload = hbar_chart("chart-workload", workload_title,
                          [(p.name, p.per_month) for p in load.people[:TOP_PEOPLE]], month_series, lang)
    workload.note = titles["workload_note"]
    satisfaction = line_chart("chart-satisfaction", titles["satisfaction"],
                              [(s.month, s.average) for s in figures.satisfaction], lang)
    return [month_chart, readiness, clauses, purpose, client_type, workload, satisfaction]


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of a text's width in SVG units (points of a `size` font): what takes
    two display columns (pipeline.layout.text) one em, anything else 0.6 em."""
    return sum(size if is_wide(ch) else size * 0.6 for ch in text)


def shorten(text: str, width: float, size: float = FONT) -> str:
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2, 5 × 10ⁿ) up to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def _legend(series: list[Series], y: float) -> tuple[list[LegendItem], float]:
    """Legend items in rows across the chart; returns them and the height they take."""
    items, x, row = [], 0.0, 0
    for s in series:
        w = 18 + text_width(s.label) + 14
        if x and x + w > WIDTH:
            x, row = 0.0, row + 1
        items.append(LegendItem(x, y + row * LEGEND_ROW, s))
        x += w
    return items, (row + 1) * LEGEND_ROW if series else 0


def _desc(categories: list[str], values: list[tuple[int | float, ...]], series: list[Series]) -> str:
    parts = []
    for cat, vals in zip(categories, values):
        shown = [f"{s.label} {v:g}" if s.label else f"{v:g}" for s, v in zip(series, vals) if v]
        parts.append(f"{cat}: {', '.join(shown) or 0}")
    return "; ".join(parts)


def hbar_chart(chart_id: str, title: str, rows: list[tuple[str, tuple[int, ...]]], series: list[Series],
               lang: str, legend: bool = True) -> Chart:
    """Horizontal bars, stacked by series: one row per category."""
    desc = _desc([r[0] for r in rows], [r[1] for r in rows], series)
    if not rows or not any(sum(v) for _, v in rows):
        return Chart(chart_id, "hbar", title, desc, 60, empty=t(lang, "dashboard.charts.empty"))
    items, legend_h = _legend(series, 0) if legend and len(series) > 1 else ([], 0)
    label_w = min(max(text_width(label) for label, _ in rows), MAX_LABEL) + 10
    top_total = max(sum(v) for _, v in rows)
    ticks = nice_ticks(top_total)
    plot_x, plot_y = label_w, legend_h + 6
    plot_w = WIDTH - label_w - 10 - text_width(str(top_total)) - 6
    scale = plot_w / ticks[-1]
    bars = []
    for i, (label, values) in enumerate(rows):
        y, x, segments = plot_y + i * ROW + (ROW - BAR) / 2, plot_x, []
        for s, v in zip(series, values):
            if v:
                segments.append(Segment(x, v * scale, v, s))
                x += v * scale
        bars.append(Bar(shorten(label, MAX_LABEL), label, y, tuple(segments), sum(values), x))
    plot_h = len(rows) * ROW
    return Chart(chart_id, "hbar", title, desc, plot_y + plot_h + 22, legend=items, bars=bars,
                 ticks=[Tick(plot_x + v * scale, f"{v:g}") for v in ticks], plot=(plot_x, plot_y, plot_w, plot_h))


def _month_axis(months: list[str | None], lang: str) -> list[tuple[str, str]]:
    """(label, year under it) per month: the year shows under January and the first month."""
    out, last_year = [], None
    for m in months:
        if m is None:
            out.append((t(lang, "dashboard.no_date"), ""))
            continue
        year, month = m.split("-")
        out.append((month_name(int(month), lang), year if year != last_year else ""))
        last_year = year
    return out


def columns_chart(chart_id: str, title: str, months: list[str | None], values: list[tuple[int, ...]],
                  series: list[Series], lang: str) -> Chart:
    """Vertical columns per month, stacked by series."""
    desc = _desc([month_label(m, lang) for m in months], values, series)
    if not months:
        return Chart(chart_id, "columns", title, desc, 60, empty=t(lang, "dashboard.charts.empty"))
    used = [i for i in range(len(series)) if any(v[i] for v in values)]
    items, legend_h = _legend([series[i] for i in used], 0)
    top_total = max(sum(v) for v in values)
    ticks = nice_ticks(top_total)
    plot_x, plot_y, plot_h = 30 + text_width(f"{ticks[-1]:g}"), legend_h + 16, 170
    plot_w = WIDTH - plot_x - 4
    band = plot_w / len(months)
    width = min(band * 0.6, 44)
    scale = plot_h / ticks[-1]
    columns = []
    for i, (m, (label, year), counts) in enumerate(zip(months, _month_axis(months, lang), values)):
        x = plot_x + band * (i + 0.5)
        bottom, segments = plot_y + plot_h, []
        for s, v in zip(series, counts):
            if v:
                bottom -= v * scale
                segments.append((bottom, v * scale, v, s))
        columns.append(Column(label, year, month_label(m, lang), x, width, tuple(segments), sum(counts), bottom))
    return Chart(chart_id, "columns", title, desc, plot_y + plot_h + 40, legend=items, columns=columns,
                 ticks=[Tick(plot_y + plot_h - v * scale, f"{v:g}") for v in ticks],
                 plot=(plot_x, plot_y, plot_w, plot_h))


def line_chart(chart_id: str, title: str, points: list[tuple[str, float]], lang: str,
               top: float = 5) -> Chart:
    """A line through monthly values on a 0..top scale (satisfaction is 1..5)."""
    desc = "; ".join(f"{month_label(m, lang)}: {v:.1f}" for m, v in points)
    if not points:
        return Chart(chart_id, "line", title, desc, 60, empty=t(lang, "dashboard.charts.empty"))
    plot_x, plot_y, plot_h = 30.0, 16.0, 160.0
    plot_w = WIDTH - plot_x - 10
    band = plot_w / len(points)
    scale = plot_h / top
    axis = _month_axis([m for m, _ in points], lang)
    out = [Point(plot_x + band * (i + 0.5), plot_y + plot_h - v * scale, f"{v:.1f}", label, year,
                 month_label(m, lang)) for i, ((m, v), (label, year)) in enumerate(zip(points, axis))]
    return Chart(chart_id, "line", title, desc, plot_y + plot_h + 40, points=out, colour=LINE_COLOUR,
                 ticks=[Tick(plot_y + plot_h - v * scale, f"{v:g}") for v in range(int(top) + 1)],
                 plot=(plot_x, plot_y, plot_w, plot_h))

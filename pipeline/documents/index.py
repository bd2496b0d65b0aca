"""The index page of a workbook's outputs (index.html): every visit, its readiness and
links to its files, so a user knows what to open and what to send.

Rendered from `templates/index.html.j2` with autoescaping on; workbook values only ever
reach the template as data, never as template text.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from urllib.parse import quote

from ..checks.engine import CheckResult, VisitResult
from ..company import NO_COMPANY, Company
from ..contract import VISITS
from ..findings import SEVERITIES
from ..i18n import t, texts
from ..templating import TEMPLATES, render_page
from .fmt import choice_label, fmt_date, fmt_short_date
from .letterhead import page_fields

INDEX_TEMPLATE = "index.html.j2"

Links = dict[str | None, list[tuple[str, str | PurePath]]]


def href(path: str | PurePath) -> str:
    """A relative link: `/` separated, every other reserved character percent-encoded."""
    text = path.as_posix() if isinstance(path, PurePath) else str(path).replace("\\", "/")
    return quote(text, safe="/")


def render_index(result: CheckResult, links: Links, lang: str, templates: Path = TEMPLATES,
                 company: Company = NO_COMPANY) -> str:
    """index.html for one workbook; `links` maps a visit id to its files ((label, path
    relative to the index)), and None to the workbook-level reports."""
    visits = [_visit_row(vr, links.get(vr.visit.id, []), lang) for vr in result.visits]
    totals = {"ready": 0, "attention": 0, "not_ready": 0}
    for vr in result.visits:
        if vr.readiness in totals:
            totals[vr.readiness] += 1
    labels = texts(lang)["index"]
    context = dict(
        lang=labels["html_lang"],
        label=labels,
        title=t(lang, "index.title", workbook=result.workbook.name),
        checked_on=t(lang, "index.checked_on", date=fmt_date(result.today, lang)),
        totals=t(lang, "index.totals", visits=len(result.visits), **totals),
        visits=visits,
        reports=[_link(label, path) for label, path in links.get(None, [])],
        company=page_fields(company, lang),
    )
    return render_page(templates, INDEX_TEMPLATE, context)


def _visit_row(vr: VisitResult, files: list[tuple[str, str | PurePath]], lang: str) -> dict:
    v = vr.visit.record
    return {
        "id": vr.visit.id or "",
        "client": v.client_org or "",
        "dates": t(lang, "index.dates", start=fmt_date(v.arrival, lang), end=fmt_date(v.departure, lang))
                 if v.arrival or v.departure else "",
        "status": choice_label(VISITS.column("status"), v.status, lang),
        "readiness": vr.readiness,
        "readiness_label": t(lang, f"readiness.{vr.readiness}"),
        "urgent": vr.urgent,
        "changed": t(lang, "index.changed", on=fmt_short_date(vr.changes.approved_on, lang)) if vr.changes else "",
        "cancelled": vr.readiness == "cancelled",
        "completeness": vr.completeness,
        "counts": [{"severity": s, "n": vr.count(s), "text": t(lang, f"index.counts.{s}", n=vr.count(s))}
                   for s in SEVERITIES],
        "files": [_link(label, path) for label, path in files],
    }


def _link(label: str, path: str | PurePath) -> dict:
    return {"label": label, "href": href(path)}

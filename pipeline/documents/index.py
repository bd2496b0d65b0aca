"""The index page of a workbook's outputs (index.html): every visit, its readiness and
links to its files, so a user knows what to open and what to send.

Rendered from `templates/index.html.j2` with autoescaping on; workbook values only ever
reach the template as data, never as template text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path, PurePath
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .. import values
from ..checks.engine import CheckResult, VisitResult
from ..contract import VISITS
from ..errors import TemplateError
from ..findings import SEVERITIES
from ..i18n import t, texts
from .docx import undefined_field
from .fmt import choice_label, fmt_date

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INDEX_TEMPLATE = "index.html.j2"

Links = dict[str | None, list[tuple[str, str | PurePath]]]


@cache
def page_environment(folder: Path) -> jinja2.Environment:
    """The environment of every HTML page (index, dashboards): autoescaped, a misspelt
    field is an error, not a blank, and what a page prints loses the characters XML
    cannot hold, as in every other output."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, finalize=_legal,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _legal(value: object) -> object:
    if isinstance(value, str) and values.has_illegal(value):
        return Markup(values.clean(value)) if isinstance(value, Markup) else values.clean(value)
    return value


def render_page(folder: Path | str, name: str, context: dict) -> str:
    """The HTML page of template `name` in `folder` (parsed once per run: the
    environment keeps it); see `render_jinja` for its errors."""
    return render_jinja(page_environment(Path(folder)), name, context, Path(folder) / name)


def render_jinja(env: jinja2.Environment, name: str, context: dict, where: Path | str) -> str:
    """Template `name` of `env` rendered with `context`. A template that is missing,
    does not parse or names a field the context lacks is a TemplateError naming it as
    `where` (pages and mail templates alike)."""
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise TemplateError.of(where, "template_error.not_found") from None
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError.of(where, "template_error.syntax", line=e.lineno, detail=e.message) from None
    try:
        return template.render(context)
    except jinja2.UndefinedError as e:
        raise TemplateError.of(where, "template_error.undefined", undefined_field(e),
                               detail=e.message or "undefined") from None


def href(path: str | PurePath) -> str:
    """A relative link: `/` separated, every other reserved character percent-encoded."""
    text = path.as_posix() if isinstance(path, PurePath) else str(path).replace("\\", "/")
    return quote(text, safe="/")


def render_index(result: CheckResult, links: Links, lang: str, templates: Path = TEMPLATES) -> str:
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
        "cancelled": vr.readiness == "cancelled",
        "completeness": vr.completeness,
        "counts": [{"severity": s, "n": vr.count(s), "text": t(lang, f"index.counts.{s}", n=vr.count(s))}
                   for s in SEVERITIES],
        "files": [_link(label, path) for label, path in files],
    }


def _link(label: str, path: str | PurePath) -> dict:
    return {"label": label, "href": href(path)}

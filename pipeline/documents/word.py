"""The Word documents of a visit: the reception plan, the client itinerary and the seating
document."""

from __future__ import annotations

from pathlib import Path

from ..checks import CheckResult, VisitResult
from ..company import NO_COMPANY, Company
from ..standard import Standard
from ..templating import TEMPLATES
from .docx import DocxTemplate
from .letterhead import COMPANY_FIELDS, logo_media, word_fields
from .plan import itinerary_context, itinerary_fields, plan_context, plan_fields
from .seating import seating_fields

TEMPLATE_FILES = {"plan": "plan.docx", "itinerary": "itinerary.docx", "seating": "seating.docx"}
FIELDS = {"plan": plan_fields, "itinerary": itinerary_fields, "seating": seating_fields}


def load_word_templates(folder: Path | str = TEMPLATES, company: Company = NO_COMPANY) -> dict[str, DocxTemplate]:
    """Every template, read, compiled and checked against its fields once per run, with
    the company's logo added where it shows it. A template the folder lacks is the
    shipped one (a company's folder made before a document was added keeps working)."""
    folder = Path(folder)
    media = logo_media(company)
    templates = {}
    for kind, name in TEMPLATE_FILES.items():
        path = folder / name
        if not path.exists() and (TEMPLATES / name).exists():
            path = TEMPLATES / name
        templates[kind] = DocxTemplate.load(path, {**FIELDS[kind](), "company": COMPANY_FIELDS}, media)
    return templates


def render_plan(vr: VisitResult, result: CheckResult, standard: Standard, lang: str,
                template: DocxTemplate, company: Company = NO_COMPANY) -> bytes:
    """The reception plan (.docx bytes), marked as a draft while errors remain."""
    return template.render({**plan_context(vr, result, standard, lang), "company": word_fields(company, lang)})


def render_itinerary(vr: VisitResult, result: CheckResult, standard: Standard, lang: str,
                     template: DocxTemplate, company: Company = NO_COMPANY, context: dict | None = None) -> bytes:
    """The client itinerary (.docx bytes): client-facing, no internal data. `context` is
    the visit's itinerary context when the caller keeps it (pipeline.documents.contexts)."""
    context = context or itinerary_context(vr, result, standard, lang)
    return template.render({**context, "company": word_fields(company, lang)})

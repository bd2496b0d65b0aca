"""The Word documents of a visit: the reception plan and the client itinerary."""

from __future__ import annotations

from pathlib import Path

from ..checks import CheckResult, VisitResult
from ..standard import Standard
from ..templating import TEMPLATES
from .docx import DocxTemplate
from .plan import itinerary_context, itinerary_fields, plan_context, plan_fields

TEMPLATE_FILES = {"plan": "plan.docx", "itinerary": "itinerary.docx"}


def load_word_templates(folder: Path | str = TEMPLATES) -> dict[str, DocxTemplate]:
    """Both templates, read, compiled and checked against their fields once per run."""
    folder = Path(folder)
    return {
        "plan": DocxTemplate.load(folder / TEMPLATE_FILES["plan"], plan_fields()),
        "itinerary": DocxTemplate.load(folder / TEMPLATE_FILES["itinerary"], itinerary_fields()),
    }


def render_plan(vr: VisitResult, result: CheckResult, standard: Standard, lang: str,
                template: DocxTemplate) -> bytes:
    """The reception plan (.docx bytes), marked as a draft while errors remain."""
    return template.render(plan_context(vr, result, standard, lang))


def render_itinerary(vr: VisitResult, result: CheckResult, standard: Standard, lang: str,
                     template: DocxTemplate) -> bytes:
    """The client itinerary (.docx bytes): client-facing, no internal data."""
    return template.render(itinerary_context(vr, result, standard, lang))

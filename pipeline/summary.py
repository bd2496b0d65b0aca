"""The terminal summary: one line per visit and the totals, in the output language."""

from __future__ import annotations

from .checks import CheckResult
from .contract import VISIT_STATUS
from .i18n import t
from .model import Record
from .terminal import shown

MARKS = {"ready": "✓", "attention": "!", "not_ready": "✗", "cancelled": "-"}


def _dates(v: Record) -> str:
    def day(d):
        return f"{d:%Y-%m-%d}" if d else "?"
    return f"{day(v.arrival)}→{day(v.departure)}"


def summary_lines(result: CheckResult) -> list[str]:
    """No personal data: visit id, client, dates, readiness and counts only; the names
    escaped and cut for the terminal (pipeline.terminal)."""
    lang = result.lang
    lines = [t(lang, "summary.header", workbook=shown(result.workbook.name), visits=len(result.visits))]
    totals = {"ready": 0, "attention": 0, "not_ready": 0}
    for vr in result.visits:
        v = vr.visit.record
        client = shown((v.client_org or "?").replace("\n", " "))
        if vr.readiness == "cancelled":
            lines.append(t(lang, "summary.visit_cancelled", visit_id=shown(vr.visit.id), client=client))
            continue
        totals[vr.readiness] += 1
        mark = MARKS[vr.readiness] + (" " + t(lang, "summary.urgent") if vr.urgent else "")
        lines.append(t(lang, "summary.visit", mark=mark, visit_id=shown(vr.visit.id), client=client, dates=_dates(v),
                       readiness=t(lang, f"readiness.{vr.readiness}"), percent=vr.completeness,
                       error=vr.count("error"), warning=vr.count("warning"), info=vr.count("info")))
    loose = [f for f in result.findings if f.visit_id is None or f.visit_id not in result.workbook.visits]
    if loose:
        lines.append(t(lang, "summary.workbook_level", error=sum(f.severity == "error" for f in loose),
                       warning=sum(f.severity == "warning" for f in loose)))
    lines.append(t(lang, "summary.totals", visits=len(result.visits), **totals,
                   error=result.count("error"), warning=result.count("warning"), info=result.count("info")))
    return lines


def status_label(key: str | None, lang: str) -> str:
    for c in VISIT_STATUS:
        if c.key == key:
            return c.label(lang)
    return ""

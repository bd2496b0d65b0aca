"""Colours and fonts that several outputs share, so that a severity or a readiness looks
the same in the check report, the annotated copy and both dashboards."""

from __future__ import annotations

# (fill, font) per severity and per readiness: Excel's own Bad / Neutral / Good colours
SEVERITY_COLOURS = {"error": ("FFC7CE", "9C0006"), "warning": ("FFEB9C", "9C5700"), "info": ("DDEBF7", "1F4E78")}
READINESS_COLOURS = {"not_ready": SEVERITY_COLOURS["error"], "attention": SEVERITY_COLOURS["warning"],
                     "ready": ("C6EFCE", "006100"), "cancelled": ("E7E6E6", "595959")}
HEADER_COLOUR = "D9E1F2"  # a table's header row (report, notes sheet, blank template)

# The sheet font of each language (the role sheets', the Excel dashboard's)
FONT = {"zh": "Microsoft YaHei", "en": "Calibri"}
DEFAULT_FONT = "Calibri"


def font(lang: str) -> str:
    """The sheet font for `lang` (Calibri for a language without its own)."""
    return FONT.get(lang, DEFAULT_FONT)

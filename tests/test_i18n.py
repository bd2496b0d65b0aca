"""The interface texts: every text in both languages, with the same placeholders."""

from __future__ import annotations

import re

from pipeline.i18n import LANGS, texts

# Placeholders one language needs and the other does not: (key, language) -> the extra ones.
EXTRA = {("template.comment.na_unless", "zh"): {"na"}}  # the Chinese says which answer "n/a" is
_PLACEHOLDER = re.compile(r"\{(\w+)")


def flat(node, prefix: str = "") -> dict[str, object]:
    if hasattr(node, "items"):
        out = {}
        for key, value in node.items():
            out.update(flat(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: node}


def test_every_text_is_in_both_languages_with_the_same_placeholders():
    by_lang = {lang: flat(texts(lang)) for lang in LANGS}
    zh, en = by_lang["zh"], by_lang["en"]
    assert set(zh) == set(en)
    for key, text in zh.items():
        if isinstance(text, str):
            assert isinstance(en[key], str), key
            needs = {lang: set(_PLACEHOLDER.findall(by_lang[lang][key])) - EXTRA.get((key, lang), set())
                     for lang in LANGS}
            assert needs["zh"] == needs["en"], key
    assert "standard_error.unknown_check" in zh  # the walk reaches nested sections

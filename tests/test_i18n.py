"""The interface texts: every text in both languages, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pipeline
from pipeline.i18n import LANGS, aside, joined, other_lang, punct, texts

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


def test_punctuation_follows_the_language():
    assert joined("zh", ["孙伟", "周敏"]) == "孙伟、周敏" and joined("en", ["Sun Wei", "Zhou Min"]) == "Sun Wei, Zhou Min"
    assert joined("zh", ["a", "b"], "details") == "a；b" and joined("en", ["a", "b"], "details") == "a; b"
    assert joined("zh", ["张伟", "主接待人"], "apposition") == "张伟\u3000主接待人"
    assert joined("en", ["Zhang Wei", "Host"], "apposition") == "Zhang Wei, Host"
    assert aside("zh", "孙伟", "总经理") == "孙伟（总经理）" and aside("en", "Sun Wei", "CEO") == "Sun Wei (CEO)"
    assert aside("en", "{x}", "{y}") == "{x} ({y})"  # a value is never read as a placeholder
    assert punct("zh", "colon") == "：" and punct("en", "colon") == ": "
    assert other_lang("zh") == "en" and other_lang("en") == "zh"


# Where output is made: what a document, sheet or page says follows the locale files, not
# a test of the language in code. (Code that picks which language's *data* to read, such
# as contract labels, the bilingual standard or the company's two names, is elsewhere.)
PRESENTATION = ("documents", "dashboard", "versions", "layout", "mail", "template.py", "report.py", "summary.py")
_BRANCH = re.compile(r"""(==|!=)\s*["'](zh|en)["']|["'](zh|en)["']\s*(==|!=)""")


def test_no_presentation_code_branches_on_the_language():
    root = Path(pipeline.__file__).parent
    files = [p for name in PRESENTATION for p in ((root / name).rglob("*.py") if (root / name).is_dir()
                                                    else [root / name])]
    assert len(files) > 20
    found = [f"{p.relative_to(root)}:{i}" for p in files
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _BRANCH.search(line)]
    assert not found

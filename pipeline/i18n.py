"""Interface text per language: one YAML file per language in pipeline/locale/.

A language's punctuation (`punct`: list separator, colon, brackets), its date formats
(`dates`) and yes/no (`answer`) are texts too: code joins and brackets with `joined` and
`aside` rather than testing which language it writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml

LANGS = ("zh", "en")
_DIR = Path(__file__).with_name("locale")
# libyaml's loader when PyYAML was built with it (several times faster), else the pure one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def texts(lang: str) -> Mapping:
    """The language's texts, read once. They are shared by every caller, so they are
    read-only: mappings are MappingProxyType, lists are tuples (copy before changing)."""
    return _frozen(yaml.load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=_LOADER))


def _frozen(node):
    if isinstance(node, dict):
        return MappingProxyType({k: _frozen(v) for k, v in node.items()})
    if isinstance(node, list):
        return tuple(_frozen(v) for v in node)
    return node


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **params) -> str:
    """Fill {placeholders}; an unknown one stays as written rather than failing."""
    return template.format_map(_Keep(params))


@cache
def _text(lang: str, key: str):
    node = texts(lang)
    for part in key.split("."):
        node = node[part]
    return node


def t(lang: str, key: str, **params) -> str:
    """The text at a dotted key (`read.value.date`), filled with params."""
    node = _text(lang, key)
    return fill(node, **params) if params else node


def joined(lang: str, items: Iterable[str], mark: str = "list") -> str:
    """`items` joined by the language's punctuation mark (`punct.list`: `孙伟、周敏`,
    `Sun Wei, Zhou Min`; `details`, `apposition`, `parts`)."""
    return _text(lang, "punct." + mark).join(items)


def punct(lang: str, mark: str) -> str:
    """One punctuation mark of the language (`colon`: `：` or `: `)."""
    return _text(lang, "punct." + mark)


def aside(lang: str, text: str, remark: str) -> str:
    """`text` with a remark in brackets: `孙伟（总经理）`, `Sun Wei (CEO)`."""
    return _text(lang, "punct.aside").format(text=text, aside=remark)


def other_lang(lang: str) -> str:
    """The other interface language (a bilingual text shows it second)."""
    return LANGS[1] if lang == LANGS[0] else LANGS[0]

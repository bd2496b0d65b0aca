"""Interface text per language: one YAML file per language in pipeline/locale/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LANGS = ("zh", "en")
_DIR = Path(__file__).with_name("locale")


@cache
def texts(lang: str) -> dict:
    return yaml.safe_load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **params) -> str:
    """Fill {placeholders}; an unknown one stays as written rather than failing."""
    return template.format_map(_Keep(params))


def t(lang: str, key: str, **params) -> str:
    """The text at a dotted key (`read.value.date`), filled with params."""
    node = texts(lang)
    for part in key.split("."):
        node = node[part]
    return fill(node, **params) if params else node

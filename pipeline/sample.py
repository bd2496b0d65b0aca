"""The sample visits workbook: its rows are data (`sample.yaml`), written by the blank
template's own writer (`template.render_template` with a `Filling`), so the sample looks
exactly like the template users get: same headers, drop-down lists, instructions, styles.

`scripts/make_sample.py` (`make sample`) writes it to `input/`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path

import yaml

from .contract import SHEETS
from .standard import Standard
from .template import Filling, render_template

DATA = Path(__file__).with_name("sample.yaml")
FILE_NAME = "2027年客户接待台账.xlsx"
AUTHOR = "reception pipeline sample"
PARSE = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "time": time.fromisoformat}


class Text(str):
    """A value written `!text …` in the data: a text cell exactly as given, even in a date
    column (staff type dates as text; the reader has to cope with them)."""


class _Loader(yaml.SafeLoader):
    """YAML that leaves `2027-05-18` and `14:00` as strings (YAML 1.1 would make the first a
    date and the second the number 840): their column says what they are."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_constructor("!text", lambda loader, node: Text(loader.construct_scalar(node)))


def load_sample(path: Path = DATA) -> dict:
    """The data file as written (dates still strings)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def sample_filling(data: Mapping, standard: Standard) -> Filling:
    """The rows of every sheet with typed values, the title and the file's properties."""
    directory = data["directory"]
    rows = {}
    for sheet in (standard.sheet(s.key) for s in SHEETS):
        types = {c.key: c.type for c in sheet.columns}
        source = data[sheet.key]
        if sheet.key == "staff":  # a staff row takes the person's id, department, phone, e-mail from its name
            source = [{**directory[row["name"]], **row} for row in source]
        rows[sheet.key] = [{k: _typed(v, types.get(k)) for k, v in row.items() if v is not None} for row in source]
    created = datetime.fromisoformat(data["created"])
    return Filling(rows, data["title"], {"title": data["title"], "author": AUTHOR, "created": created})


def _typed(value: object, kind: str | None) -> object:
    if isinstance(value, Text):
        return str(value)
    if kind in PARSE and isinstance(value, str):
        return PARSE[kind](value)
    return value


def render_sample(standard: Standard, path: Path = DATA) -> bytes:
    """The sample workbook's bytes (the same bytes for the same data: the file is committed)."""
    data = load_sample(path)
    return render_template(standard, data["lang"], sample_filling(data, standard))

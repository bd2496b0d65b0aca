"""Jinja2 for every template of the pipeline: Word documents, HTML pages and e-mails.

One place says where the shipped templates are (`TEMPLATES`), how an environment is
set up for each kind of output, and how a template's own mistake (missing, not parsing,
naming a field the data lacks) becomes a TemplateError naming the template. Every
environment is strict: a misspelt field is an error, never a silent blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import values
from .errors import TemplateError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _legal(value: object) -> object:
    """What a page prints loses the characters XML cannot hold, as in every other output."""
    if isinstance(value, str) and values.has_illegal(value):
        return Markup(values.clean(value)) if isinstance(value, Markup) else values.clean(value)
    return value


# How each kind of output is rendered: Word XML and HTML are escaped (values are data,
# never markup); a mail is plain text, kept as written.
_KINDS: dict[str, dict] = {
    "word": dict(autoescape=True, keep_trailing_newline=True, auto_reload=False, cache_size=0),
    "html": dict(autoescape=True, finalize=_legal, trim_blocks=True, lstrip_blocks=True),
    "mail": dict(autoescape=False, keep_trailing_newline=True),
}


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment, but `x.name` on a dict (the contexts are dicts, and a document
    looks up hundreds of fields) goes to the key at once, not first to an attribute no
    dict has (an AttributeError raised and caught each time). The result is Jinja2's: a
    dict's own methods (`items`, `get`, …) stay its methods, a missing key is undefined."""

    def getattr(self, obj, attribute):
        if obj.__class__ is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment(kind: str, folders: Sequence[Path] = (), finalize: Callable | None = None) -> jinja2.Environment:
    """A strict environment for `kind` (word, html, mail) that loads templates from
    `folders`, the first that has one winning (none: templates are compiled from strings)."""
    options = dict(_KINDS[kind])
    if finalize is not None:
        options["finalize"] = finalize
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders]) if folders else None
    return _Environment(loader=loader, undefined=jinja2.StrictUndefined, **options)


@cache
def page_environment(folder: Path) -> jinja2.Environment:
    """The environment of the HTML pages in `folder` (index, dashboards, overview), made
    once per run so that each page is parsed once; what the folder lacks (a page, the
    letterhead the pages import) is the shipped one."""
    return environment("html", _with_shipped(folder))


def _with_shipped(folder: Path) -> list[Path]:
    return [folder] if folder.resolve() == TEMPLATES.resolve() else [folder, TEMPLATES]


@cache
def mail_environment(folder: Path) -> jinja2.Environment:
    """The company's mail templates first (`<folder>/mail/`), then the shipped ones."""
    return environment("mail", [f / "mail" for f in _with_shipped(folder)])


def render_page(folder: Path | str, name: str, context: dict) -> str:
    """The HTML page of template `name` in `folder`; see `render_jinja` for its errors."""
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


_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def undefined_field(e: jinja2.UndefinedError) -> str | None:
    """The field a template named that its data lacks, from Jinja's message."""
    m = _UNDEFINED.search(e.message or "")
    return (m[1] or m[2]) if m else None

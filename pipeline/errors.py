"""The project's exceptions: failures that stop a file, with the place they happened."""

from __future__ import annotations

from collections.abc import Callable


class PipelineError(Exception):
    """Base of every error this project raises on purpose."""


class Phrase:
    """A text said in the reader's language: a part of an error's message (the name of a
    kind of thing, a list of suggestions), or a note on a run. `say(lang)` gives it."""

    def __init__(self, say: Callable[[str], str]):
        self.say = say


Show = Callable[[object], object]  # how a value from outside is shown (pipeline.terminal.shown)


def _as_is(value: object) -> object:
    return value


def _say(lang: str, key: str, params: dict, show: Show = _as_is) -> str:
    from .i18n import t
    return t(lang, key, **{k: v.say(lang) if isinstance(v, Phrase) else show(v) for k, v in params.items()})


class SaidError(PipelineError):
    """An error about a file (`path`; None: about none) whose message is one of the
    interface texts (made with `of`): said in English by `str()` and in the reader's
    language by `message_in`."""

    def __init__(self, path, message: str, key: str | None = None, params: dict | None = None):
        super().__init__(message if path is None else f"{path}: {message}")
        self.path = path
        self.message = message
        self.key, self.params = key, params or {}

    @classmethod
    def of(cls, path, key: str, /, **params):
        """The error of interface text `key` about `path`, filled with `params` (any
        names: `path` and `key` are taken by position)."""
        return cls(path, _say("en", key, params), key, params)

    def message_in(self, lang: str, show: Show = _as_is) -> str:
        """What is wrong and what to do, in `lang`; its values (file names, cell text)
        passed through `show`."""
        if self.key is None:
            return self.message
        return _say(lang, self.key, self.params, show)


class WorkbookError(SaidError):
    """A workbook that cannot be read at all (not a workbook, no Visits sheet, …)."""


class StandardError(SaidError):
    """A rules file that is not valid: names the file and the rule."""


class SettingsError(SaidError):
    """A settings file (reception.toml) that is not valid: names the file (None: an
    environment variable) and, in the message, the key."""


class OutputError(SaidError):
    """An output file that could not be written: names the file and what to do."""


class InternalError(SaidError):
    """A defect: an exception the pipeline did not raise on purpose, while it worked on a
    file (`path`; None: on none). Said as one line naming the file and the kind of
    exception, never its message (which may hold a cell's value), with a hint to report
    it; the exception itself is the `__cause__`, whose traceback `--debug` prints."""

    @classmethod
    def of_exception(cls, path, e: Exception) -> InternalError:
        error = cls.of(path, "internal.file" if path is not None else "internal.run", error=type(e).__name__)
        error.__cause__ = e
        return error


class TemplateError(SaidError):
    """A document template that cannot be used: names the template and the field."""

    def __init__(self, template, message: str, field: str | None = None, key: str | None = None,
                 params: dict | None = None):
        PipelineError.__init__(self, f"template {template}{_field_part(field)}: {message}")
        self.path = self.template = template
        self.field = field
        self.message = message
        self.key, self.params = key, params or {}

    @classmethod
    def of(cls, template, key: str, /, field: str | None = None, **params):
        return cls(template, _say("en", key, params), field, key, params)


def _field_part(field: str | None) -> str:
    return f" (field '{field}')" if field else ""


def said(error: PipelineError, lang: str, show: Show = _as_is) -> str:
    """The error as one line in `lang`: the file, then what is wrong and what to do
    (errors not made from the interface texts are said as they are); the file and the
    values in the message passed through `show` (for the terminal: escaped and cut)."""
    from .i18n import t
    if isinstance(error, TemplateError):
        where = t(lang, "template_error.said_field", field=show(error.field)) if error.field else ""
        return t(lang, "template_error.said", name=show(error.template), field=where,
                 message=error.message_in(lang, show))
    if isinstance(error, SaidError):
        if error.path is None:  # about no file (a setting from the environment)
            return error.message_in(lang, show)
        return t(lang, "summary.said", file=show(error.path), message=error.message_in(lang, show))
    return str(error)

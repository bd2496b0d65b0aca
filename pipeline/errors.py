"""The project's exceptions: failures that stop a file, with the place they happened."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error this project raises on purpose."""


class _Said(PipelineError):
    """An error about a file whose message is one of the interface texts (made with
    `of`): said in English by `str()` and in the reader's language by `message_in`."""

    def __init__(self, path, message: str, key: str | None = None, params: dict | None = None):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.key, self.params = key, params or {}

    @classmethod
    def of(cls, path, key: str, **params):
        from .i18n import t
        return cls(path, t("en", key, **params), key, params)

    def message_in(self, lang: str) -> str:
        """What is wrong and what to do, in `lang`."""
        if self.key is None:
            return self.message
        from .i18n import t
        return t(lang, self.key, **self.params)


class WorkbookError(_Said):
    """A workbook that cannot be read at all (not a workbook, no Visits sheet, …)."""


class StandardError(PipelineError):
    """A rules file that is not valid: names the file and the rule."""

    def __init__(self, path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class OutputError(_Said):
    """An output file that could not be written: names the file and what to do."""


class TemplateError(PipelineError):
    """A document template that cannot be used: names the template and the field."""

    def __init__(self, template, message: str, field: str | None = None):
        where = f" (field '{field}')" if field else ""
        super().__init__(f"template {template}{where}: {message}")
        self.template = template
        self.field = field
        self.message = message


def said(error: PipelineError, lang: str) -> str:
    """The error as one line in `lang`: the file, then what is wrong and what to do
    (errors not made from the interface texts are said as they are)."""
    if isinstance(error, _Said):
        from .i18n import t
        return t(lang, "summary.said", file=error.path, message=error.message_in(lang))
    return str(error)

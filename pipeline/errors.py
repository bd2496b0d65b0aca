"""The project's exceptions: failures that stop a file, with the place they happened."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error this project raises on purpose."""


class WorkbookError(PipelineError):
    """A workbook that cannot be read at all (not a workbook, no Visits sheet, …).

    Made with `of` from a message of the interface texts, it is said in English by
    `str()` and in the reader's language by `message_in(lang)`."""

    def __init__(self, path, message: str, key: str | None = None, params: dict | None = None):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.key, self.params = key, params or {}

    @classmethod
    def of(cls, path, key: str, **params) -> WorkbookError:
        from .i18n import t
        return cls(path, t("en", key, **params), key, params)

    def message_in(self, lang: str) -> str:
        """What is wrong and what to do, in `lang`."""
        if self.key is None:
            return self.message
        from .i18n import t
        return t(lang, self.key, **self.params)


class StandardError(PipelineError):
    """A rules file that is not valid: names the file and the rule."""

    def __init__(self, path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class OutputError(PipelineError):
    """An output file that could not be written: names the file."""

    def __init__(self, path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class TemplateError(PipelineError):
    """A document template that cannot be used: names the template and the field."""

    def __init__(self, template, message: str, field: str | None = None):
        where = f" (field '{field}')" if field else ""
        super().__init__(f"template {template}{where}: {message}")
        self.template = template
        self.field = field
        self.message = message

"""The project's exceptions: failures that stop a file, with the place they happened."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error this project raises on purpose."""


class WorkbookError(PipelineError):
    """A workbook that cannot be read at all (not a workbook, no Visits sheet, …)."""

    def __init__(self, path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


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

"""The recipe: for each workbook, read → check → write the reports (→ documents)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import output
from .checks import CheckResult, check_workbook
from .errors import PipelineError
from .reader import find_workbooks, read_workbook
from .standard import Standard


@dataclass
class Options:
    input: Path
    output: Path
    today: date
    standard: Standard
    lang: str | None = None  # None: follow each workbook's language


@dataclass
class WorkbookRun:
    path: Path
    result: CheckResult | None = None
    error: PipelineError | None = None
    written: list[Path] = field(default_factory=list)


@dataclass
class Run:
    workbooks: list[WorkbookRun]
    skipped: list[tuple[str, Path]]

    @property
    def exit_code(self) -> int:
        if any(w.error for w in self.workbooks) or not self.workbooks:
            return 2
        return 1 if any(w.result and w.result.has_errors for w in self.workbooks) else 0


def check(options: Options, on_workbook: Callable[[WorkbookRun], None] = lambda w: None) -> Run:
    """Check every workbook and write its findings and reports."""
    return _run(options, [_write_findings, _write_report, _write_annotated], on_workbook)


def build(options: Options, on_workbook: Callable[[WorkbookRun], None] = lambda w: None) -> Run:
    """Check, then produce everything the standard asks staff to prepare."""
    return _run(options, [_write_findings, _write_report, _write_annotated], on_workbook)


def _run(options: Options, steps, on_workbook) -> Run:
    paths, skipped = find_workbooks(options.input)
    runs = []
    for path in paths:
        run = WorkbookRun(path)
        try:
            wb = read_workbook(path, options.standard)
            run.result = check_workbook(wb, options.standard, options.today, options.lang)
            folder = options.output / wb.name
            for step in steps:
                run.written.append(step(run.result, folder))
        except PipelineError as e:
            run.error = e
        runs.append(run)
        on_workbook(run)
    return Run(runs, skipped)


def findings_json(result: CheckResult) -> str:
    return json.dumps([f.to_json() for f in result.findings], ensure_ascii=False, indent=1)


def _write_findings(result: CheckResult, folder: Path) -> Path:
    return output.write_text(folder / "findings.json", findings_json(result) + "\n")


def _write_report(result: CheckResult, folder: Path) -> Path:
    from .report import render_report
    name = "检查报告.xlsx" if result.lang == "zh" else "check_report.xlsx"
    return output.write_bytes(folder / name, render_report(result))


def _write_annotated(result: CheckResult, folder: Path) -> Path:
    from .annotate import annotate_copy
    return output.write_bytes(folder / f"{result.workbook.name}.checked.xlsx", annotate_copy(result))

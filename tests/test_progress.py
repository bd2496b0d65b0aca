"""The terminal progress bar: drawn on a terminal for long builds, silent otherwise."""

from __future__ import annotations

import io

from pipeline.progress import SHOW_FROM, ProgressBar


def test_draws_done_over_total_and_ends_the_line():
    out = io.StringIO()
    bar = ProgressBar(out, force=True)
    for done in range(0, 101, 25):
        bar(done, 100)
    text = out.getvalue()
    assert text.startswith("\r[") and "0/100" in text and text.endswith("] 100/100\n")
    assert "[" + "#" * 30 + "]" in text


def test_silent_when_not_a_terminal_or_the_build_is_short():
    out = io.StringIO()
    ProgressBar(out)(10, 100)  # a StringIO is not a terminal
    ProgressBar(out, force=True)(1, SHOW_FROM - 1)
    assert out.getvalue() == ""

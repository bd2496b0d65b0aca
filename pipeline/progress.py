"""A progress bar on the terminal for long builds: visits done / total.

Drawn only when the stream is a terminal and the work is long enough to wait for; it
prints counts, never names (no personal data in terminal output).
"""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30
SHOW_FROM = 50  # visits: below this a build is too quick to need a bar
INTERVAL = 0.1  # seconds between redraws


class ProgressBar:
    def __init__(self, stream: TextIO, force: bool = False):
        self.stream = stream
        self.enabled = force or stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < SHOW_FROM:
            return
        now = time.monotonic()
        if done < total and now - self._last < INTERVAL:
            return
        self._last = now
        filled = WIDTH * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()

"""Work done in a thread of this process while other processes work: the build's one use
of threads.

The build writes a workbook's reports (pure Python) while its render workers (forked
processes, pipeline.documents.batch) make the visits' documents, so that both cores stay
busy. The thread starts only after the workers have forked: forking a process that runs
threads is unsafe (a lock another thread holds stays held in the child for ever).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`action` started in a thread at once (`now`), else done in this thread when its
    result is asked for. `result()` returns what it returned, or raises what it raised;
    leaving the `with` block waits for the thread, so that it never outlives its step."""

    def __init__(self, action: Callable[[], T], now: bool = True):
        self._action = action
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if now:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._action()
        except BaseException as e:  # raised again in the thread that waits for it
            self._error = e

    def result(self) -> T:
        if self._thread is None:
            return self._action()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when the action returned

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._thread.join()

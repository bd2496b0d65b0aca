"""Work done in a forked child process while this process does something else.

The check of a large workbook gives its visits' own checks (about half its work) to a
child forked from this process: the child inherits the workbook as it is in memory (no
copy is sent) and sends back only its result, pickled (see Finding.__reduce__).

    with Forked(work, parallel) as result:
        ...  # the rest of the work, here
        done = result()

Where the system cannot fork, on a single core, or when not `parallel`, `result()`
works it out here; so it does when the child died (killed: out of memory, say).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

T = TypeVar("T")

_work: Callable[[], object] | None = None  # what the forked child works out: set before it forks


def can_fork() -> bool:
    """Whether a forked child can work beside this process: the system forks, and has
    more than one core."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def _in_child() -> object:
    assert _work is not None, "set before the child forks"
    return _work()


class Forked(Generic[T]):
    """`work()` worked out in a forked child while the `with` block runs (see above)."""

    def __init__(self, work: Callable[[], T], parallel: bool = True):
        self.work = work
        self.parallel = parallel and can_fork()
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Callable[[], T]:
        global _work
        if not self.parallel:
            return self.work
        _work = self.work
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = self.pool.submit(_in_child)

        def result() -> T:
            try:
                return future.result()
            except BrokenProcessPool:  # the child was killed: work it out here
                return self.work()
        return result

    def __exit__(self, *exc) -> None:
        global _work
        _work = None
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

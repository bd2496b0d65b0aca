"""Work done in a forked child process while this process does something else.

The check of a large workbook shares its visits' own checks (about half its work)
between a child forked from this process and this process once it has done the rest
(`Shared`): the child inherits the workbook as it is in memory (no copy is sent) and
sends back only its result, pickled (see Finding.__reduce__).

    with Forked(work, parallel) as result:
        ...  # the rest of the work, here
        done = result()

Where the system cannot fork, on a single core, or when not `parallel`, `result()`
works it out here; so it does when the child died (killed: out of memory, say).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
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
        try:
            future = self.pool.submit(_in_child)
        except OSError:  # no fork now (memory, process limit): the work is done here
            self.pool.shutdown(wait=False)
            self.pool, self.parallel, _work = None, False, None
            return self.work

        def result() -> T:
            try:
                return future.result()
            except BrokenProcessPool:  # the child was killed: work it out here
                return self.work()
        return result

    def __exit__(self, *exc) -> None:
        global _work
        _work = None
        if self.pool is not None:  # its threads ended before anything else forks (pipeline/background.py)
            self.pool.shutdown(cancel_futures=True)


CHUNK = 100  # items taken at a time (of visits: about 10 ms of checks)


class Shared(Generic[T]):
    """`work(chunk)` for each chunk of a list of items, shared between a forked child and
    this process: the child takes chunks from the front from the start, this process
    from the back once the `with` block's own work is done, until they meet. However
    busy the machine keeps either, neither waits long for the other (with a share fixed
    beforehand, one of them waits while the other finishes).

        with Shared(work, items, parallel) as finish:
            ...  # this process's own work
            done = finish()  # what work made of each chunk, joined in the items' order

    Each notes in shared memory the chunk it starts (the child its highest, this process
    its lowest) and stops at a chunk the other has started: each chunk is worked out once
    (or, started by both at the same instant, twice and kept once). Without a child (see
    Forked), or when it died, this process works out every chunk it has not.
    """

    def __init__(self, work: Callable[[Sequence], list[T]], items: Sequence, parallel: bool = True):
        self.work = work
        self.chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
        parallel = parallel and can_fork() and len(self.chunks) > 1
        started = [-1, len(self.chunks)]  # [the child's highest, this process's lowest]
        self.started = multiprocessing.get_context("fork").RawArray("q", started) if parallel else started
        self.forked = Forked(self._from_front, parallel)

    def __enter__(self) -> Callable[[], list[T]]:
        from_front = self.forked.__enter__()

        def finish() -> list[T]:
            done = self._from_back() if self.forked.parallel else {}
            done.update(from_front())  # in this process when there is no child (then all of them)
            return [x for k in range(len(self.chunks)) for x in done[k]]
        return finish

    def __exit__(self, *exc) -> None:
        if self.forked.parallel:  # the block ended early (an error): the child stops at its next chunk
            self.started[1] = -1
        self.forked.__exit__(*exc)

    def _from_front(self) -> dict[int, list[T]]:
        """In the child: the chunks from the first up to one this process has started.
        (Here, when the child could not do them: those this process has not done.)"""
        started, done = self.started, {}
        for k, chunk in enumerate(self.chunks):
            if k >= started[1]:
                break
            started[0] = k
            done[k] = self.work(chunk)
        return done

    def _from_back(self) -> dict[int, list[T]]:
        """The chunks from the last down to one the child has started."""
        started, done = self.started, {}
        for k in reversed(range(len(self.chunks))):
            if k <= started[0]:
                break
            started[1] = k
            done[k] = self.work(self.chunks[k])
        return done

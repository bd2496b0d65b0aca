"""Work done in a forked child while this process does the rest (pipeline.checks.parallel)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from pipeline.checks import parallel
from pipeline.checks.parallel import Forked, Shared

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="this system cannot fork, or has one core")


@needs_fork
def test_the_work_is_done_in_a_child_while_the_block_runs():
    parent = os.getpid()
    with Forked(lambda: (os.getpid(), os.getppid())) as result:
        child, its_parent = result()
    assert child != parent and its_parent == parent
    assert parallel._work is None  # nothing left for a later fork


def test_not_parallel_the_work_is_done_here_when_asked_for():
    done = []
    with Forked(lambda: done.append(os.getpid()) or "done", parallel=False) as result:
        assert done == []  # not before its result is asked for
        assert result() == "done"
    assert done == [os.getpid()]


@needs_fork
def test_a_killed_child_is_made_up_for_here():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "here"
    with Forked(work) as result:
        assert result() == "here"


@needs_fork
def test_an_error_in_the_child_is_raised_here():
    def work():
        raise ValueError("in the child")
    with pytest.raises(ValueError, match="in the child"), Forked(work) as result:
        result()


# ---- items shared between the child and this process (Shared) ---------------------------------

PARENT = os.getpid()


def _marked(chunk) -> list[tuple[int, int]]:
    """Each item with the process that worked it out; slowly here, so that the child,
    however late it starts, has items left."""
    time.sleep(0.01 if os.getpid() == PARENT else 0.001)
    return [(x, os.getpid()) for x in chunk]


@needs_fork
def test_shared_items_are_worked_out_once_each_in_order_by_both(monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 2)
    with Shared(_marked, list(range(101))) as finish:
        time.sleep(0.05)  # this process's own work: the child has begun meanwhile
        done = finish()
    assert [x for x, _ in done] == list(range(101))
    by = {pid for _, pid in done}
    assert os.getpid() in by and len(by) == 2  # this process took some from the back, the child the rest
    assert parallel._work is None


def test_not_parallel_every_item_is_worked_out_here(monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 2)
    with Shared(_marked, list(range(7)), parallel=False) as finish:
        done = finish()
    assert done == [(x, os.getpid()) for x in range(7)]


@needs_fork
def test_the_items_of_a_killed_child_are_worked_out_here(monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 2)
    parent = os.getpid()

    def work(chunk):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return _marked(chunk)
    with Shared(work, list(range(31))) as finish:
        done = finish()
    assert done == [(x, parent) for x in range(31)]


def test_when_the_system_cannot_fork_now_the_work_is_done_here(monkeypatch):
    """Out of memory or processes at the moment of forking: no error, the work is done here."""
    def no_fork(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel.ProcessPoolExecutor, "submit", no_fork)
    with Forked(os.getpid) as result:
        assert result() == os.getpid()
    assert parallel._work is None
    monkeypatch.setattr(parallel, "CHUNK", 2)
    with Shared(_marked, list(range(9))) as finish:
        assert finish() == [(x, os.getpid()) for x in range(9)]


@needs_fork
def test_a_block_that_fails_stops_the_child_at_its_next_chunk(monkeypatch, tmp_path):
    monkeypatch.setattr(parallel, "CHUNK", 1)
    seen = tmp_path / "seen"

    def slow(chunk):
        with open(seen, "a") as f:
            f.write("x")
        time.sleep(0.02)
        return list(chunk)
    start = time.monotonic()
    with pytest.raises(RuntimeError), Shared(slow, list(range(500))):
        time.sleep(0.05)
        raise RuntimeError("this process's own work failed")
    assert time.monotonic() - start < 3  # not the 10 s of all 500 chunks
    assert len(seen.read_text()) < 100

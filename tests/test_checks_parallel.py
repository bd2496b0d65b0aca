"""Work done in a forked child while this process does the rest (pipeline.checks.parallel)."""

from __future__ import annotations

import os
import signal

import pytest

from pipeline.checks import parallel
from pipeline.checks.parallel import Forked

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

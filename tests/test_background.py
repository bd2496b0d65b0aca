"""Work in a thread while other processes work: its result, or its error, when waited for."""

from __future__ import annotations

import threading
import time

import pytest

from pipeline.background import Background


def test_the_action_runs_in_another_thread_and_its_result_is_returned():
    started = threading.Event()
    go_on = threading.Event()

    def action() -> str:
        started.set()
        go_on.wait(10)
        return threading.current_thread().name

    work = Background(action)
    assert started.wait(10)  # running while this thread goes on
    go_on.set()
    assert work.result() != threading.current_thread().name


def test_what_the_action_raised_is_raised_by_result():
    def action() -> None:
        raise OSError("the reports failed")

    work = Background(action)
    with pytest.raises(OSError, match="the reports failed"):
        work.result()


def test_not_now_the_action_is_done_when_its_result_is_asked_for():
    done = []
    work = Background(lambda: done.append(threading.current_thread()) or 7, now=False)
    assert done == []
    assert work.result() == 7 and done == [threading.current_thread()]


def test_leaving_the_block_waits_for_the_thread():
    finished = []

    def action() -> None:
        time.sleep(0.3)
        finished.append(True)

    with Background(action):
        assert finished == []
    assert finished == [True]

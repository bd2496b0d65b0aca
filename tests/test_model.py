"""pipeline.model: the records' helpers that are not about one sheet (no_gc)."""

import gc
import weakref

import pytest

from pipeline.model import no_gc


class Node:
    """An object the collector tracks, that can take part in a cycle."""

    def __init__(self):
        self.other = None


@pytest.mark.parametrize("enabled", [True, False])
def test_no_gc_pauses_the_collector_and_restores_it(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with no_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_what_the_block_built_is_in_the_oldest_generation_afterwards():
    """So that the first collection after the block does not walk it all."""
    with no_gc():
        built = [Node() for _ in range(1_000)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in built)
    assert not {id(o) for o in gc.get_objects(generation=0)} & {id(node) for node in built}


def test_garbage_made_in_the_block_is_still_collected():
    """Moved to the oldest generation, not frozen for good: a full collection finds it."""
    with no_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None and gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None

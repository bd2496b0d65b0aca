import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.documents.word import load_word_templates
from pipeline.standard import load_standard

sys.path.insert(0, str(Path(__file__).parent))  # the tests' helper modules: workbooks, extract


@pytest.fixture(scope="session")
def std():
    """The shipped standard, loaded once."""
    return load_standard()


@pytest.fixture(scope="session")
def templates():
    """The shipped Word templates, parsed once."""
    return load_word_templates()


@pytest.fixture(autouse=True)
def _programs_only_in_slow_tests(request, monkeypatch):
    """`make test-fast` skips the tests marked slow: those that start another program
    (LibreOffice, Chromium, the pipeline's own command line, make). A test that starts
    one without the mark fails here, so the fast run stays fast."""
    if request.node.get_closest_marker("slow"):
        return

    def refuse(self, args, *more, **options):
        raise AssertionError(f"this test starts a program ({str(args)[:80]}): mark it @pytest.mark.slow")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.fixture(autouse=True, scope="session")
def _state_outside_the_repository(tmp_path_factory):
    """`check` and `build` keep the approved versions beside the send log, by default in
    .reception/ of the folder they run from: the tests that run the command line from the
    repository keep theirs in a temporary folder instead. (Tests that need the default
    place run in a folder of their own with the RECEPTION_ variables taken out.)"""
    before = os.environ.get("RECEPTION_SENDLOG")
    os.environ["RECEPTION_SENDLOG"] = str(tmp_path_factory.mktemp("state") / "sendlog.jsonl")
    yield
    if before is None:
        os.environ.pop("RECEPTION_SENDLOG", None)
    else:
        os.environ["RECEPTION_SENDLOG"] = before

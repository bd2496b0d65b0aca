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

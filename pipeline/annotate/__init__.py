"""The annotated copy of a checked workbook: each cell at fault coloured by severity and
carrying a comment that lists its findings. Findings that have no cell (a missing sheet)
are listed on a "Check notes" sheet added at the front, with a legend of the colours.

The copy is made by patching the user's .xlsx package (`patch.py`), not by loading and
re-saving the workbook. Every part is copied byte for byte (still compressed) except:

- the styles part (`styles.py`): for each style a marked cell uses, a clone with the
  severity's fill is appended to `cellXfs` (the fills and the bold fonts of the notes
  sheet too);
- each sheet with marked cells (`sheet.py`): the `s` attribute of those cells (a blank
  cell at fault is created, and its row if the sheet has none), the dimension if it
  grows, and a `<legacyDrawing>` for the comments; the other sheets only lose
  `tabSelected`;
- comments (`comments.py`, `vml.py`): a comments part and a legacy VML drawing per marked
  sheet, with their relationships and content types. Where the sheet already has
  comments, ours are added to its comments part and drawing; on a cell that already has
  the user's comment our text goes above theirs and the whole comment becomes plain text
  (its runs' formatting is lost, as it was when openpyxl saved the copy);
- the notes sheet (`notes.py`): a new worksheet part (inline strings), first in
  workbook.xml (`book.py`: the sheet indexes of defined names shift by one), with its
  relationship, content type and docProps/app.xml title;
- a macro-enabled workbook loses its VBA project (the copy is an .xlsx).

So values, number formats, shared strings, validation, conditional formats, images,
charts and whatever else the workbook holds are kept exactly (the date system does not
matter: nothing written here is a date), and the cost is a few regular-expression passes
over the marked sheets' XML plus compressing them again. The package itself (zip, parts,
relationships, content types, XML as text) is `pipeline/ooxml/`. A package that breaks
the patcher's assumptions (see `ooxml.xmltext` and `sheet.py`) raises `Unpatchable`
and is annotated the old way instead (`fallback.py`): loaded with openpyxl (formatting
kept), marked and saved, which is slower and drops what openpyxl does not support; the
result says why (`Annotated.fallback`), for the command line to tell the user.

Where each finding goes and what its comment says is `marks.py`, for both ways.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import ParseError

from ..checks import CheckResult
from ..errors import WorkbookError
from ..ooxml import Unpatchable
from . import fallback, patch
from .marks import AUTHOR

__all__ = ["AUTHOR", "Annotated", "Unpatchable", "annotate", "annotate_copy"]


@dataclass(frozen=True)
class Annotated:
    data: bytes  # the .xlsx
    fallback: str | None = None  # why it was made the slow way, through openpyxl (None: it was patched)


def annotate(result: CheckResult) -> Annotated:
    """The checked workbook with its findings marked on their cells.

    Raises WorkbookError when neither way can make it: a package damaged in a part
    calamine never reads (no content types, a broken style or relationship part)."""
    try:
        return Annotated(patch.annotate_by_patching(result))
    except Exception as e:  # noqa: BLE001 - Unpatchable, XML the parser refuses, or a case the patcher
        # got wrong: the copy is still made, the slow way, and says why (the tests make sure the
        # usual workbooks never get here)
        reason = _why(e)
    try:
        return Annotated(fallback.annotate_with_openpyxl(result), reason)
    except Exception:  # noqa: BLE001 - openpyxl's errors on a damaged package are of every kind
        raise WorkbookError.of(result.workbook.path, "file.cannot_annotate") from None


def annotate_copy(result: CheckResult) -> bytes:
    """The annotated copy's bytes alone, for a caller with no one to tell how it was made."""
    return annotate(result).data


def _why(e: Exception) -> str:
    """Why the patcher gave up: what it refused, in its words (a part's name and what is
    in the way); of an error it did not foresee only the kind, as its text might quote
    the workbook's contents."""
    if isinstance(e, (Unpatchable, ParseError, DefusedXmlException, zipfile.BadZipFile)):
        return str(e)
    return type(e).__name__

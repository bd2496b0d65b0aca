"""The read stage: a visits workbook → typed records (pipeline.model), nothing judged.

`workbook.py` is the recipe (`read_workbook`); `files.py` which files of a folder are
workbooks; `loader.py` the sheets parsed in background threads; `sheetxml.py` what a
sheet's XML tells beyond its values; `records.py` one parsed sheet → its records;
`columns.py` the cells parsed a column at a time (the many-strings parsers). What the
reader cannot read it reports as plain problems (`Workbook.unreadable`, a sheet or
column left out of `Workbook.sheets`); the check stage gives them their rule, clause and
severity.
"""

from .files import find_workbooks, locked_workbook
from .workbook import read_workbook

__all__ = ["find_workbooks", "locked_workbook", "read_workbook"]

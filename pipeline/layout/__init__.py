"""How outputs look, shared by every writer: one place for each thing.

- `text.py`: text every output may hold (`legal`) and how wide a text is, in display
  columns (a Chinese character takes two), with the wrap and line-count helpers on top;
- `sheets.py`: the spreadsheet toolbox: the xlsxwriter workbook options, a format cache
  keyed by the format's properties, one print setup, page headers, sheet names, column
  pixels. The check report, the Excel dashboard, the blank templates and the annotated
  copy's notes sheet use it;
- `sheetml.py`: a small SpreadsheetML writer of text cells, for the workbook made once
  per visit (the role sheets), where xlsxwriter's cost would add up over a build;
- `palette.py`: the colours of severities and readiness (the report's, the dashboards',
  the annotated copy's) and the sheet font of each language.

Nothing here knows of a document: feature modules import from here, never from each other.
"""

"""The text of generated documents, as a reader sees it, for assertions and golden files."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import openpyxl
from docx import Document


def docx_text(data: bytes) -> str:
    """Headers, body paragraphs and table cells (nested too), one per line."""
    doc = Document(io.BytesIO(data))
    lines: list[str] = []

    def cells(tables):
        for table in tables:
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue  # a merged cell appears once
                    seen.add(id(cell._tc))
                    lines.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    for section in doc.sections:
        lines.extend(p.text for p in section.header.paragraphs)
        cells(section.header.tables)
    lines.extend(p.text for p in doc.paragraphs)
    cells(doc.tables)
    for section in doc.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def xlsx_text(data: bytes) -> str:
    """Every sheet: its name, then each non-empty row as tab-separated values, with the
    print header and footer."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    lines: list[str] = []
    for ws in book.worksheets:
        lines.append(f"## {ws.title}")
        lines.append(f"header: {ws.oddHeader.left.text or ''} | {ws.oddHeader.center.text or ''} | "
                     f"{ws.oddHeader.right.text or ''}")
        lines.append(f"footer: {ws.oddFooter.left.text or ''} | {ws.oddFooter.center.text or ''} | "
                     f"{ws.oddFooter.right.text or ''}")
        for row in ws.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in row]
            if any(cells):
                lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines)



def to_pdf(files: list[Path], folder: Path) -> list[Path]:
    """Convert with headless LibreOffice, as a user opening the files would; the PDFs,
    each checked to exist and hold more than an empty page."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
                   check=True, capture_output=True, timeout=300)
    pdfs = [folder / (Path(f).stem + ".pdf") for f in files]
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 10_000, pdf.name
    return pdfs

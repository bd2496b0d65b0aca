"""Time the whole `build` command on generated workbooks: first build, rebuild with no
change, rebuild after one visit changed; then the PDF copies of 100 upcoming visits.

    python scripts/bench_build.py [--sizes 100,1000] [--workers N] [--pdf-visits 100|0]

Each run is `python -m pipeline build` as a subprocess, so the times include the
interpreter's start and the imports, as a user waits for them. The workbooks are the ones
scripts/bench.py generates into bench/ (generated here if missing). Targets (issue 3):
a full build of 1,000 visits under 10 s, a rebuild with no change under 3 s, and one
changed visit re-rendering that visit only. These builds make no PDFs (`--pdf none`):
the bench workbooks' visits lie in 2027, so at the bench's --today nearly all are
upcoming, and LibreOffice would take minutes over a thousand of them.

The PDF copies (issue 15) are timed on a 107-visit workbook with --today 2026-12-31:
100 of its visits are upcoming (5 are completed, 2 cancelled), so 300 documents get a
PDF. A build with `--pdf upcoming` is measured against the same build with `--pdf none`
just before it, the reference that makes the figure comparable on a shared machine (the
ratio); the difference is LibreOffice's share. Then the same build again, which converts
nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import BENCH, TODAY, engine_calamine, generate  # noqa: E402

TARGETS = {"build": 10.0, "rebuild": 3.0}
RENDERED = re.compile(r"(\d+) (?:visits rendered|次接待已重新生成)")
CONVERTED = re.compile(r"(?:PDF copies: (\d+) made|PDF 副本：(\d+) 份已生成)")
BEFORE_ALL = date(2026, 12, 31)  # the bench workbooks' visits start in 2027


def build(path: Path, out: Path, workers: int | None, pdf: str = "none", today: date = TODAY) -> tuple[float, int]:
    """(wall seconds, visits rendered) of one `build`."""
    wall, stdout = run_build(path, out, workers, pdf, today)
    found = RENDERED.search(stdout)
    return wall, int(found[1]) if found else -1


def run_build(path: Path, out: Path, workers: int | None, pdf: str, today: date) -> tuple[float, str]:
    """(wall seconds, what it printed) of one `build`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "build", "--input", str(path), "--output", str(out),
           "--today", today.isoformat(), "--pdf", pdf]
    if workers:
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if r.returncode not in (0, 1):
        raise SystemExit(f"build failed ({r.returncode}):\n{r.stderr}")
    return wall, r.stdout


def converted(stdout: str) -> int:
    """The PDFs a build says it made (0 when it made none)."""
    return sum(int(a or b) for a, b in CONVERTED.findall(stdout))


def bench_pdfs(n: int, workers: int | None) -> None:
    """The PDF copies of an n-visit workbook's upcoming visits, against the same build
    without them."""
    from pipeline.documents.pdf import find_soffice
    if find_soffice() is None:
        print("\nPDF copies: not timed, LibreOffice (soffice) is not installed")
        return
    path, _ = generate(n, False)
    work = BENCH / f"pdf-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    reference, _ = run_build(path, work / "reference", workers, "none", BEFORE_ALL)
    with_pdfs, stdout = run_build(path, work / "output", workers, "upcoming", BEFORE_ALL)
    again, stdout_again = run_build(path, work / "output", workers, "upcoming", BEFORE_ALL)
    made = converted(stdout)
    share = with_pdfs - reference
    print(f"\nPDF copies, {n}-visit workbook, --today {BEFORE_ALL}: {made // 3} upcoming visits")
    print(f"  build without PDFs (reference) {reference:8.2f}s")
    print(f"  build with PDFs                {with_pdfs:8.2f}s  {made} PDFs made; "
          f"{with_pdfs / reference:.1f}x the reference")
    print(f"  LibreOffice's share            {share:8.2f}s  {share / max(made, 1):.3f}s a PDF")
    print(f"  rebuild, nothing changed       {again:8.2f}s  {converted(stdout_again)} PDFs made; "
          f"{again / reference:.1f}x the reference", flush=True)


def bare_parse(path: Path) -> float:
    """Seconds of the best of three bare parses of the workbook (the reference)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        engine_calamine(path)
        best = min(best, time.perf_counter() - start)
    return best


def change_one_visit(src: Path, dst: Path) -> None:
    """A copy of the workbook with the theme of its first visit changed (one cell)."""
    import openpyxl
    book = openpyxl.load_workbook(src)
    ws = book.worksheets[0]
    headers = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(headers, 1) if h and ("主题" in str(h) or "theme" in str(h).lower()))
    ws.cell(row=2, column=col).value = f"{ws.cell(row=2, column=col).value or ''} (changed)"
    book.save(dst)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--pdf-visits", type=int, default=107,
                    help="visits of the workbook whose PDFs are timed (default 107: 100 upcoming; 0: none)")
    args = ap.parse_args()
    print("Whole builds without PDF copies (--pdf none); reference: the bare parse of the same workbook\n"
          "(python-calamine to_python of every sheet, in this process, best of 3), so that builds compare across machines")
    print(f"{'visits':>7} {'full build':>11} {'no change':>10} {'one changed':>12} {'reference':>10} {'full/ref':>9}"
          "  rendered (full / none / one)")
    for n in (int(s) for s in args.sizes.split(",")):
        path, _ = generate(n, False)
        work = BENCH / f"build-{n}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        inbox = work / "input"
        inbox.mkdir()
        book = inbox / path.name
        shutil.copy(path, book)
        out = work / "output"
        full, r1 = build(book, out, args.workers)
        none, r2 = build(book, out, args.workers)
        change_one_visit(path, book)
        one, r3 = build(book, out, args.workers)
        reference = bare_parse(path)
        flags = "".join([" (over target)" if n == 1000 and full > TARGETS["build"] else "",
                         " (rebuild over target)" if n == 1000 and none > TARGETS["rebuild"] else ""])
        print(f"{n:>7} {full:>10.2f}s {none:>9.2f}s {one:>11.2f}s {reference:>9.2f}s {full / reference:>8.1f}x"
              f"  {r1} / {r2} / {r3}{flags}", flush=True)
    if args.pdf_visits:
        bench_pdfs(args.pdf_visits, args.workers)


if __name__ == "__main__":
    main()

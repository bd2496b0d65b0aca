"""Time the whole `build` command on generated workbooks: first build, rebuild with no
change, rebuild after one visit changed.

    python scripts/bench_build.py [--sizes 100,1000] [--workers N]

Each run is `python -m pipeline build` as a subprocess, so the times include the
interpreter's start and the imports, as a user waits for them. The workbooks are the ones
scripts/bench.py generates into bench/ (generated here if missing). Targets (issue 3):
a full build of 1,000 visits under 10 s, a rebuild with no change under 3 s, and one
changed visit re-rendering that visit only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import BENCH, TODAY, generate  # noqa: E402

TARGETS = {"build": 10.0, "rebuild": 3.0}
RENDERED = re.compile(r"(\d+) (?:visits rendered|次接待已重新生成)")


def build(path: Path, out: Path, workers: int | None) -> tuple[float, int]:
    """(wall seconds, visits rendered) of one `build`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "build", "--input", str(path), "--output", str(out),
           "--today", TODAY.isoformat()]
    if workers:
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if r.returncode not in (0, 1):
        raise SystemExit(f"build failed ({r.returncode}):\n{r.stderr}")
    found = RENDERED.search(r.stdout)
    return wall, int(found[1]) if found else -1


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
    args = ap.parse_args()
    print(f"{'visits':>7} {'full build':>11} {'no change':>10} {'one changed':>12}  rendered (full / none / one)")
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
        flags = "".join([" (over target)" if n == 1000 and full > TARGETS["build"] else "",
                         " (rebuild over target)" if n == 1000 and none > TARGETS["rebuild"] else ""])
        print(f"{n:>7} {full:>10.2f}s {none:>9.2f}s {one:>11.2f}s  {r1} / {r2} / {r3}{flags}", flush=True)


if __name__ == "__main__":
    main()

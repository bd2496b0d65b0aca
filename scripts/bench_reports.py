"""Time the report workbook and the annotated copy on the generated benchmark workbooks.

    python scripts/bench_reports.py [--sizes 1000,10000] [--repeat 3] [--profile report|annotate]

Reads and checks bench/visits-N.xlsx once (generate it first with `make bench` or
scripts/big_workbook.py), then times `render_report` and `annotate_copy` `--repeat`
times each and prints the best wall time, with the CPU time of that run (all threads:
the annotated copy compresses in threads). On a shared machine the best is the least
noisy, and CPU time well below wall time means the process waited. `--profile` runs the named stage once under cProfile for the largest size and
prints the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.annotate import annotate_copy  # noqa: E402
from pipeline.checks import check_workbook  # noqa: E402
from pipeline.reader import read_workbook  # noqa: E402
from pipeline.report import render_report  # noqa: E402
from pipeline.standard import load_standard  # noqa: E402

TODAY = date(2027, 1, 15)
STAGES = {"report": render_report, "annotate": annotate_copy}


def best_of(fn, arg, repeat: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of all threads, output size) of the fastest run."""
    runs, size = [], 0
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(fn(arg))
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return *min(runs), size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", choices=sorted(STAGES))
    args = ap.parse_args()
    std = load_standard()
    for n in (int(s) for s in args.sizes.split(",")):
        path = ROOT / "bench" / f"visits-{n}.xlsx"
        if not path.exists():
            sys.exit(f"{path} is missing: run `python scripts/big_workbook.py {n} {path}`")
        result = check_workbook(read_workbook(path, std), std, TODAY)
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(STAGES[args.profile], result)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
            continue
        line = [f"{n:>6} visits, {len(result.findings)} findings:"]
        for name, fn in STAGES.items():
            wall, cpu, size = best_of(fn, result, args.repeat)
            line.append(f"{name} {wall:.3f} s (CPU {cpu:.3f} s, {size // 1024} KiB)")
        print("  ".join(line), flush=True)


if __name__ == "__main__":
    main()

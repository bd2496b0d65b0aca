"""Write the sample visits workbook input/2027年客户接待台账.xlsx from its data file.

    python scripts/make_sample.py [--today YYYY-MM-DD] [--output PATH]

The rows are in pipeline/sample.yaml; pipeline/sample.py writes them with the blank
template's own writer, every date moved by whole weeks so that the sample is as of today
(or `--today`, or the week before it). The output is byte-for-byte deterministic for a
given week.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.sample import FILE_NAME, as_of, load_sample, render_sample  # noqa: E402
from pipeline.standard import load_standard  # noqa: E402

DEFAULT_OUTPUT = ROOT / "input" / FILE_NAME


def write_atomically(output: Path, data: bytes) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    # a hidden temporary name: a reader scanning the folder meanwhile skips it
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".xlsx", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # the committed sample, not personal data
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                   help=f"where to write it (default: input/{FILE_NAME})")
    p.add_argument("--today", type=date.fromisoformat, default=date.today(),
                   help="the date the sample's dates are moved to (default: the real date)")
    args = p.parse_args(argv)
    write_atomically(args.output, render_sample(load_standard(), args.today))
    seen_on = as_of(load_sample(), args.today)
    print(f"wrote {args.output}, its dates as of {seen_on:%Y-%m-%d %a}: `make build TODAY={seen_on}` shows it as "
          "intended (on another day, without TODAY=, visits may have moved from upcoming to past)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the sample visits workbook input/2027年客户接待台账.xlsx from its data file.

    python scripts/make_sample.py [--output PATH]

The rows are in pipeline/sample.yaml; pipeline/sample.py writes them with the blank
template's own writer. The output is byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.sample import FILE_NAME, render_sample  # noqa: E402
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
    args = p.parse_args(argv)
    write_atomically(args.output, render_sample(load_standard()))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

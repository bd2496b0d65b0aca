"""A stand-in for LibreOffice's `soffice --convert-to pdf --outdir DIR FILE…`, for the
tests of what happens when a conversion fails, hangs or LibreOffice cannot start. It
writes a small PDF per file, in order, unless the file's text asks otherwise:
FAIL (no PDF, like a file LibreOffice cannot load), HANG (half a PDF, then it hangs),
DIE (it exits with status 3 there); so do files whose suffix is FAKE_SOFFICE_FAIL
(`.xlsx`). With FAKE_SOFFICE_BROKEN set it exits at once.

    make_fake_soffice(folder) -> the path of an executable that runs this file
"""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def make_fake_soffice(folder: Path) -> str:
    program = folder / "soffice"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n', encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def main(args: list[str]) -> int:
    if os.environ.get("FAKE_SOFFICE_BROKEN"):
        print("fake soffice: cannot start", file=sys.stderr)
        return 1
    out = Path(args[args.index("--outdir") + 1])
    out.mkdir(parents=True, exist_ok=True)
    files = [Path(a) for a in args[args.index("--outdir") + 2:]]
    for f in files:
        data = f.read_bytes()
        target = out / (f.stem + ".pdf")
        if b"FAIL" in data or f.suffix == os.environ.get("FAKE_SOFFICE_FAIL"):
            print("Error: source file could not be loaded", file=sys.stderr)
            continue
        if b"DIE" in data:
            return 3
        if b"HANG" in data:
            target.write_bytes(PDF[:12])
            time.sleep(3600)
        target.write_bytes(PDF + f"% from {f.name} at {time.time_ns()}\n%%EOF\n".encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

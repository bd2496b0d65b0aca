"""LibreOffice headless as a batch converter to PDF: few processes, many files each.

Starting LibreOffice costs about 2 s (more with a new profile) and each document then
0.1–0.5 s, so documents go to one `soffice --convert-to pdf --outdir DIR f1 f2 …` per
batch, never one process per file (36 documents: 16 s in one process, 36 × 1.5 s one by
one). From SPLIT_FROM documents on they are shared by two processes, each with its own
profile folder (two instances cannot share one). The processes run while the caller
goes on; `wait` collects a batch.

What LibreOffice reads and writes stays in a private temporary folder (0700) that
`close` removes: a copy of each source under a numbered name (so two documents of the
same name never meet in one output folder, and a source rewritten meanwhile does not
matter), the profiles and the PDFs. A PDF reaches its final name only whole, through
pipeline.output. LibreOffice's own output goes to a file there, never to the terminal.

A process that makes no PDF for `stall_limit` seconds (the first: `start_limit`) is
killed: the document it was on is a "timeout", the ones after it go to the next process.
One that cannot start at all makes every document "unavailable", with `failure` saying
why. No threads (the build forks its render workers, and forking a threaded process is
unsafe): the converter advances whenever the caller asks (`ready`, `wait`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from .. import output
from ..errors import OutputError

START_LIMIT = 180.0  # seconds to start and make the first PDF (a new profile, a busy machine)
STALL_LIMIT = 60.0  # seconds for each further PDF
SPLIT_FROM = 8  # documents in one go: from this many on, two processes share them
POLL = 0.05  # seconds between looks at the processes while waiting
LOG_TAIL = 300  # characters of LibreOffice's output kept to say why it failed


@dataclass(frozen=True)
class Job:
    source: Path
    target: Path
    root: Path | None = None  # the folder the PDF must stay in (pipeline.output.inside); None: the target's own

    @property
    def within(self) -> Path:
        return self.root or self.target.parent


@dataclass(frozen=True)
class Outcome:
    job: Job
    error: str | None = None  # None (written), failed, timeout, stopped, unavailable, unwritable
    cause: OutputError | None = None  # why the PDF could not be written (unwritable)


class Batch:
    """The jobs of one `submit`; their outcomes arrive as processes finish."""

    def __init__(self, jobs: list[Job]):
        self.jobs = jobs
        self.outcomes: dict[int, Outcome] = {}

    @property
    def done(self) -> bool:
        return len(self.outcomes) == len(self.jobs)

    def results(self) -> list[Outcome]:
        return [self.outcomes[i] for i in range(len(self.jobs))]


@dataclass
class _Task:
    batch: Batch
    index: int

    @property
    def job(self) -> Job:
        return self.batch.jobs[self.index]

    def settle(self, error: str | None = None, cause: OutputError | None = None) -> None:
        self.batch.outcomes[self.index] = Outcome(self.job, error, cause)


@dataclass
class _Process:
    popen: subprocess.Popen
    tasks: list[tuple[_Task, str]]  # each with the numbered name of its copy
    folder: Path  # this run's inputs, outputs and log
    last: float  # when it started, or made its last PDF
    made: int = 0

    @property
    def out(self) -> Path:
        return self.folder / "out"


class Converter:
    """Converts batches of .docx/.xlsx files to PDF in at most `processes` LibreOffice
    processes at a time; use as a context manager (or call `close`)."""

    def __init__(self, program: str, processes: int = 2, start_limit: float | None = None,
                 stall_limit: float | None = None):
        self.program = program
        self.start_limit = START_LIMIT if start_limit is None else start_limit
        self.stall_limit = STALL_LIMIT if stall_limit is None else stall_limit
        self.slots: list[_Process | None] = [None] * max(1, processes)
        self.queue: list[_Task] = []
        self.failure: str | None = None  # LibreOffice could not be started: why
        self.started = 0  # LibreOffice processes started so far
        self._worked = False  # some process made a PDF: LibreOffice itself works
        self._folder: Path | None = None
        self._runs = count(1)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, jobs: list[Job]) -> Batch:
        """Queue the jobs; they start at once when a process slot is free."""
        batch = Batch(list(jobs))
        tasks = [_Task(batch, i) for i in range(len(jobs))]
        if self.failure:
            for task in tasks:
                task.settle("unavailable")
        else:
            self.queue.extend(tasks)
            self._advance()
        return batch

    def ready(self, batch: Batch) -> bool:
        """Whether every job of the batch is settled (never blocks)."""
        self._advance()
        return batch.done

    def wait(self, batch: Batch, on_progress: Callable[[int, int], None] = lambda done, total: None) -> list[Outcome]:
        """The batch's outcomes, in the order of its jobs, once all are settled;
        `on_progress(documents done, documents)` meanwhile."""
        while not self.ready(batch):
            on_progress(self._done(batch), len(batch.jobs))
            time.sleep(POLL)
        on_progress(len(batch.jobs), len(batch.jobs))
        return batch.results()

    def _done(self, batch: Batch) -> int:
        """Settled, or converted by a process still at work (it goes through its list in order)."""
        running = sum(1 for p in self.slots if p for task, _ in p.tasks[:p.made] if task.batch is batch)
        return len(batch.outcomes) + running

    def close(self) -> None:
        """Stop what still runs and remove the temporary folder."""
        for i, process in enumerate(self.slots):
            if process:
                _kill(process.popen)
                self.slots[i] = None
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # ---- the processes ------------------------------------------------------------------

    def _advance(self) -> None:
        for slot, process in enumerate(self.slots):
            if process:
                self._check(slot, process)
        idle = [slot for slot, process in enumerate(self.slots) if process is None]
        if not self.queue or not idle:
            return
        # Split only what can start at once on every slot: with one slot busy, the next
        # batch waits for no one and takes the free one.
        shares = len(idle) if len(idle) == len(self.slots) and len(self.queue) >= SPLIT_FROM else 1
        tasks, self.queue = self.queue, []
        for n, slot in enumerate(idle[:shares]):
            self._launch(slot, tasks[n::shares])  # interleaved: each gets its share of slow workbooks

    def _launch(self, slot: int, tasks: list[_Task]) -> None:
        if self.failure:  # the other slot's start just failed
            self._give_up(self.failure, tasks)
            return
        try:
            folder = self._temporary() / f"run-{next(self._runs)}"
            (folder / "in").mkdir(parents=True)
        except OSError as e:
            self._give_up(f"{tempfile.gettempdir()}: {e.strerror or e}", tasks)
            return
        named = []
        for n, task in enumerate(tasks, start=1):
            name = f"{n:05d}"
            try:
                shutil.copyfile(task.job.source, folder / "in" / (name + task.job.source.suffix.lower()))
            except OSError:
                task.settle("failed")  # the document is not there to convert
                continue
            named.append((task, name))
        if not named:
            shutil.rmtree(folder, ignore_errors=True)
            return
        profile = self._temporary() / f"profile-{slot}"
        command = [self.program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                   "--nologo", "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder / "out"),
                   *(str(folder / "in" / (name + task.job.source.suffix.lower())) for task, name in named)]
        try:
            with open(folder / "log", "wb") as log:
                popen = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         cwd=folder, start_new_session=os.name == "posix")
        except OSError as e:
            self._give_up(str(e), [task for task, _ in named])
            return
        self.started += 1
        self.slots[slot] = _Process(popen, named, folder, time.monotonic())

    def _check(self, slot: int, process: _Process) -> None:
        """Note progress; collect a process that finished, kill one that stalled."""
        now = time.monotonic()
        made = len(os.listdir(process.out)) if process.out.is_dir() else 0
        if made > process.made:
            process.made, process.last = made, now
        code = process.popen.poll()
        stalled = False
        if code is None:
            limit = self.start_limit if process.made == 0 else self.stall_limit
            if now - process.last <= limit:
                return
            _kill(process.popen)
            stalled = True
        self.slots[slot] = None
        self._collect(process, stalled, code)
        shutil.rmtree(process.folder, ignore_errors=True)

    def _collect(self, process: _Process, stalled: bool, code: int | None) -> None:
        missing = []
        for task, name in process.tasks:
            pdf = process.out / f"{name}.pdf"
            if not _complete(pdf):
                missing.append(task)
                continue
            self._worked = True
            try:
                output.write_bytes(task.job.target, pdf.read_bytes(), task.job.within)
            except OutputError as e:
                task.settle("unwritable", e)
            except OSError:
                task.settle("failed")  # gone from the temporary folder
            else:
                task.settle()
        if not missing:
            return
        if not stalled and code == 0:  # LibreOffice went through the list: these it could not load
            for task in missing:
                task.settle("failed")
            return
        if not self._worked:  # nothing ever came out: LibreOffice itself does not work here
            why = "no PDF after %d s" % self.start_limit if stalled else _tail(process.folder / "log", code)
            self._give_up(why, missing)
            return
        # It hung on, or died at, the first document it had not finished; the rest go again.
        missing[0].settle("timeout" if stalled else "stopped")
        self.queue[:0] = missing[1:]

    def _give_up(self, why: str, tasks: list[_Task]) -> None:
        self.failure = why
        for task in [*tasks, *self.queue]:
            task.settle("unavailable")
        self.queue = []

    def _temporary(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="reception-pdf-"))  # 0700
        return self._folder


def _complete(pdf: Path) -> bool:
    """A whole PDF: LibreOffice writes it in place, so a killed process may leave half
    of one; a whole one ends with %%EOF."""
    try:
        with open(pdf, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 64))
            return b"%%EOF" in f.read()
    except OSError:
        return False


def _tail(log: Path, code: int | None) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    last = " ".join(text.splitlines()[-3:])[-LOG_TAIL:]
    return f"exit status {code}" + (f": {last}" if last else "")


def _kill(popen: subprocess.Popen) -> None:
    """The process and what it started (soffice starts soffice.bin)."""
    try:
        if os.name == "posix":
            os.killpg(popen.pid, signal.SIGKILL)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(popen.pid)], capture_output=True)
    except OSError:
        pass
    popen.wait()

"""`piiscan scan --jobs N`: the files of a plain scan read by worker processes
(piiscan.execution.parallel.run_local, with its chunks and its memory and time
limits), their findings written in walk order, byte for byte what the scan in one
process writes (tests/test_scan_jobs.py), in flat memory:

- a worker keeps a file's findings in memory up to INLINE, then spools them to a file
  of a private folder (mode 0700, removed at the end, on an error and on Ctrl-C too);
  the coordinator copies a file's findings to the output when its turn comes and
  deletes the spool;
- results that arrive before their turn wait in the coordinator; past HELD bytes in
  all, the text of the next ones waits in that folder instead.

Formats whose class says `streams` (jsonl, csv) are formatted in the workers: the
coordinator copies text. Other formats (json, formats of other packages) get the
findings themselves, pickled, for the coordinator's writer. Raw values are in the
spool only when --show-values asked for them."""

from __future__ import annotations

import io
import os
import pickle
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, Iterator, Optional

from piiscan.core.model import FileError, FileResult, Finding
from piiscan.execution.parallel import run_local, worker_scanner
from piiscan.reports.findings import FORMATS, Summary, is_personal, streams
from piiscan.sources.walk import Problem, shown, walk, walk_problem

INLINE = 64 << 10  # a file's findings sent with its result, not spooled, up to this size
HELD = 32 << 20  # findings of results waiting for their turn kept in memory, at most
_COPY = 1 << 20


# --- in the worker ----------------------------------------------------------------
_FORMATTERS: dict[tuple[str, bool], tuple[Any, Any]] = {}  # per worker process: (buffer, writer or None)


def _formatter(fmt: str, show_values: bool) -> tuple[Any, Any]:
    key = (fmt, show_values)
    if key not in _FORMATTERS:
        cls = FORMATS.get(fmt)
        if streams(cls):
            buffer = io.StringIO()
            _FORMATTERS[key] = buffer, cls(buffer, show_values)
        else:
            _FORMATTERS[key] = io.BytesIO(), None
    buffer, writer = _FORMATTERS[key]
    buffer.seek(0)  # what the format wrote first (a CSV header) is the coordinator's to write
    buffer.truncate()
    return buffer, writer


class _Spool:
    """The `emit` of one file's scan: findings counted, formatted (or pickled) into a
    buffer, the buffer moved to a spool file whenever it passes INLINE."""

    def __init__(self, settings: dict):
        self.folder, self.show_values = settings["spool"], settings["show_values"]
        self.buffer, self.writer = _formatter(settings["format"], self.show_values)
        self.counts: Counter = Counter()
        self.personal = 0
        self.file: Optional[IO] = None
        self.path = ""

    def __call__(self, finding: Finding) -> None:
        self.counts[finding.entity_type] += 1
        self.personal += is_personal(finding)
        if self.writer is not None:
            self.writer.write(finding)
        else:
            kept = finding if self.show_values else replace(finding, value="")
            pickle.dump(kept, self.buffer, pickle.HIGHEST_PROTOCOL)
        if self.buffer.tell() > INLINE:
            self._spill()

    def _spill(self) -> None:
        if self.file is None:
            self.path, self.file = _spool_file(self.folder, self.writer is not None)
        self.file.write(self.buffer.getvalue())
        self.buffer.seek(0)
        self.buffer.truncate()

    def finish(self) -> dict:
        if self.file is None:
            return {"inline": self.buffer.getvalue()} if self.buffer.tell() else {}
        self._spill()
        self.file.close()
        return {"spool": self.path}


def _spool_file(folder: str, text: bool) -> tuple[str, IO]:
    fd, path = tempfile.mkstemp(dir=folder, suffix=".spool")  # mode 0600
    return path, (open(fd, "w", encoding="utf-8", newline="") if text else open(fd, "wb"))


def scan_to_spool(task: dict, settings: dict) -> dict:
    """The workers' unit of work (run_local's `work`): one file, its findings spooled."""
    from piiscan.pipeline.databases import scan_path

    spool = _Spool(settings)
    result = scan_path(worker_scanner(settings), Path(task["path"]), settings["sample_rows"], spool)
    return {"status": "ok", "result": result, "counts": spool.counts, "personal": spool.personal} | spool.finish()


# --- in the coordinator -------------------------------------------------------------
@contextmanager
def spool_folder() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="piiscan-spool-")  # mode 0700: findings of other people's files
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Output:
    """Where a file's findings go when its turn comes: the output stream (text the
    worker formatted) or the writer (findings it pickled); the summary counts them."""

    def __init__(self, writer, stream: IO[str], summary: Summary):
        self.writer, self.stream, self.summary = writer, stream, summary
        self.text = streams(type(writer))

    def take(self, message: dict) -> FileResult:
        if "spool" in message:
            with (open(message["spool"], encoding="utf-8", newline="") if self.text
                  else open(message["spool"], "rb")) as fh:
                self._copy(fh)
            os.unlink(message["spool"])
        elif "inline" in message:
            self._copy(io.StringIO(message["inline"], newline="") if isinstance(message["inline"], str)
                       else io.BytesIO(message["inline"]))
        if "counts" in message:
            self.summary.count_all(message["counts"], message["personal"])
        return message["result"]

    def _copy(self, source: IO) -> None:
        if isinstance(source, io.TextIOBase):
            while block := source.read(_COPY):
                self.stream.write(block)
            return
        while True:
            try:
                self.writer.write(pickle.load(source))
            except EOFError:
                return


class _InOrder:
    """Results by walk position, given back in walk order. Text waiting for its turn
    goes to a file of the spool folder once HELD bytes of it are in memory."""

    def __init__(self, folder: str):
        self.folder, self.next, self.held = folder, 0, 0
        self.waiting: dict[int, Optional[dict]] = {}

    def add(self, index: int, message: Optional[dict]) -> Iterator[dict]:
        """message None: nothing at this position (a file that vanished)."""
        inline = message.get("inline") if message else None
        if inline is not None and index != self.next:
            if self.held + len(inline) > HELD:
                path, fh = _spool_file(self.folder, isinstance(inline, str))
                with fh:
                    fh.write(inline)
                message = {k: v for k, v in message.items() if k != "inline"} | {"spool": path}
            else:
                self.held += len(inline)
        self.waiting[index] = message
        while self.next in self.waiting:
            ready = self.waiting.pop(self.next)
            if ready is not None and "inline" in ready and self.next != index:
                self.held -= len(ready["inline"])
            self.next += 1
            if ready is not None:
                yield ready


def _failed(task: dict, reason: str) -> dict:
    """A file whose worker was killed (time or memory limit) or ran out of memory."""
    from piiscan.sources.readers import reader_for

    name = shown(task["path"])
    try:
        reader = reader_for(Path(task["path"]))
    except OSError:
        reader = None
    return {"result": FileResult(name, reader.name if reader else "file", error=FileError(name, reason))}


def scan_in_workers(paths: list[Path], rules: dict, settings: dict, jobs: int, limits: dict,
                    output: Output) -> Iterator[FileResult]:
    """The files under `paths` (the walker and its `rules`), each file's findings given
    to `output` and its result yielded in walk order. settings: as run_local's workers
    build their Scanner (entities, min_score, ner, policy, key) and sample_rows,
    format, show_values. Close the generator (contextlib.closing) to stop the workers
    and remove the spool at once when the caller stops early."""
    with spool_folder() as folder:
        order = _InOrder(folder)
        tasks: list[dict] = []
        for index, item in enumerate(walk(paths, **rules)):
            if isinstance(item, Problem):
                for message in order.add(index, {"result": walk_problem(item)} if item.reason != "vanished" else None):
                    yield output.take(message)
            else:
                tasks.append({"path": item.path, "size": item.size, "index": index})
        done = run_local(tasks, settings | {"spool": folder}, jobs, work=scan_to_spool, **limits)
        try:
            for task, message in done:
                if "result" not in message:
                    message = _failed(task, message["error"])
                for ready in order.add(task["index"], message):
                    yield output.take(ready)
        finally:
            done.close()  # the workers stop before their folder goes

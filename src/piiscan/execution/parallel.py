"""Run Scanner.scan_file over many files: a local pool of worker processes, or a
Dask distributed cluster, behind one interface: `run(tasks, settings, ...)` yields
(task, result) as files finish, in any order.

A result is a plain dict with no raw value (see `scan_one`, the inventory's unit of
work; a local pool takes another as `work`, see piiscan.reports.spool): masked
previews and fingerprints leave the worker, the values never do.

Local workers get a memory limit (RLIMIT_AS) and a per-file time limit: a worker
past the limit is killed and replaced, its file recorded as an error, and the
rest of its chunk handed out again. An exception of our own code in a worker is
a bug, not a file's error: the coordinator raises WorkerBug.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import queue
import threading
import time
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler as _ForkingPickler
from pathlib import Path

from piiscan.execution.records import WorkerBug, bug_record, raise_bug, result_record  # noqa: F401 (WorkerBug: raised here)
from typing import Any, Iterator, Optional

_SCANNER = None
_SCANNER_KEY = None


def worker_scanner(settings: dict):
    """One Scanner per worker process, built on first use (~1 s)."""
    global _SCANNER, _SCANNER_KEY
    key = repr(sorted((k, v) for k, v in settings.items() if k != "key"))
    if _SCANNER is None or _SCANNER_KEY != key:
        from piiscan.detect.engine import Detector, build_analyzer
        from piiscan.core.fingerprint import Fingerprinter
        from piiscan.classify.policy import load_policy
        from piiscan.pipeline.scanner import Scanner
        analyzer = build_analyzer()
        detector = Detector(analyzer, settings.get("entities"), min_score=settings.get("min_score", 0.5),
                            ner=settings.get("ner", True))
        policy = load_policy(Path(settings["policy"]) if settings.get("policy") else None)
        _SCANNER, _SCANNER_KEY = Scanner(detector, Fingerprinter(settings["key"]), policy), key
    return _SCANNER


def file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def scan_one(task: dict, settings: dict) -> dict:
    """Scan one file. task: {"path", "verify_hash": old hash or None}.
    With verify_hash, an unchanged hash returns {"status": "unchanged"} without scanning.
    A database table (task with "url", see piiscan.pipeline.databases.table_tasks) is sampled every time."""
    from piiscan.pipeline import databases
    from piiscan.core.errors import safe_reason

    rows = settings.get("sample_rows") or 1000
    if "url" in task:
        return result_record(databases.scan_task(worker_scanner(settings), task, rows), None, 0)
    path = task["path"]
    try:
        digest = file_hash(path)
    except OSError as e:
        return {"status": "error", "error": f"cannot read: {e.strerror or type(e).__name__}", "bytes": 0}
    if task.get("verify_hash") and task["verify_hash"] == digest:
        return {"status": "unchanged", "content_hash": digest, "read": False}
    if settings.get("extract_only"):  # benchmark: readers without detection
        from piiscan.sources.readers import reader_for
        reader = reader_for(Path(path))
        if reader:
            try:
                for _ in reader.read(Path(path)):
                    pass
            except Exception as e:
                return {"status": "error", "error": safe_reason(e), "bytes": task.get("size", 0)}
        return {"status": "ok" if reader else "unsupported", "content_hash": digest, "bytes": task.get("size", 0)}
    result = databases.scan_path(worker_scanner(settings), Path(path), rows)
    if not result.reader:
        return {"status": "unsupported", "reader": None, "error": result.error.reason if result.error else None,
                "content_hash": digest, "read": False}
    return result_record(result, digest, task.get("size", 0))


# A finding on its way to the inventory: a tuple in the findings table's column order,
# location, metadata and explanation already JSON text. The coordinator, the one
# writer for every worker, unpickles tuples of strings five times faster than dicts
# and hands them to the driver as they are.
def scan_chunk(tasks: list[dict], settings: dict) -> list[dict]:
    """Dask unit of work: a few files, scanned by the worker that reads them."""
    return [scan_one(t, settings) for t in tasks]


BIG = 256 << 10  # a file this big (in plain-text bytes, see weight) is a unit of work of its own
# Reading cost per byte against plain text, roughly (CPU per MB of benchmarks/bench_vs_presidio.py's
# files, --no-ner: text and CSV 0.2-4 s, xlsx 4-9, PDF 22): pdfplumber lays out every page, a
# workbook is zipped XML. Two small PDFs in one unit kept one worker busy for 10 s after the other.
WEIGHT = {".pdf": 8, ".xlsx": 3, ".xlsm": 3, ".xls": 3}


def weight(task: dict) -> int:
    """A file's size in plain-text bytes of work (see WEIGHT)."""
    size = task.get("size") or 0
    return size * WEIGHT.get(os.path.splitext(task.get("path", ""))[1].lower(), 1) if size else 0


def chunks(tasks: list[dict], size: int, max_bytes: int = BIG) -> list[list[dict]]:
    """Units of work of at most `size` files and about `max_bytes` (weighted), largest
    first: a big file handed out last would keep one worker busy while the others
    idle (longest-processing-time-first scheduling). A file bigger than `max_bytes`
    is a unit of its own: five 1.6 MB ledgers in one unit went to one worker, which
    scanned them alone long after the other had finished."""
    parts: list[list[dict]] = []
    part: list[dict] = []
    total = 0
    for task in sorted(tasks, key=lambda t: -weight(t)):
        grows = weight(task)
        if part and (len(part) >= size or total + grows > max_bytes):
            parts.append(part)
            part, total = [], 0
        part.append(task)
        total += grows
    if part:
        parts.append(part)
    return parts


# --- local pool -----------------------------------------------------------------
READY = "ready"  # a worker's first message: its scanner is built
AHEAD = 2  # chunks queued with each worker, at least,
AHEAD_COST = 8 << 20  # and until about this much work is queued (see _cost): ~2,000 small
# files, ~0.7 s of scanning, enough to outlast the commit of a big file's findings


def _cost(task: dict) -> int:
    """A file's work, roughly: its weighted size plus 4 KB, for what every file costs however small."""
    return weight(task) + 4096


# Results go back over a Pipe, written by a thread of the worker's own: while the
# coordinator commits a batch it reads nothing, the pipe (64 KB, a few dozen small
# files' results) fills, and a worker writing itself would stop scanning and leave
# its core idle. Not a Queue: Queue.put starts its feeder thread lazily, and under a
# tight RLIMIT_AS that thread cannot start and put() waits forever; this sender
# starts before the limit is set.
def _worker(inbox, outbox, settings: dict, memory_limit: Optional[int], coordinator: int = 0, work=scan_one,
            environment: Optional[dict] = None) -> None:
    if environment is not None:  # the coordinator's PIISCAN_* now, not the fork server's when it started
        for name in [n for n in os.environ if n.startswith("PIISCAN_")]:
            del os.environ[name]
        os.environ.update(environment)
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's: it stops the workers
    outgoing: queue.SimpleQueue = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(outgoing, outbox), daemon=True)
    sender.start()
    if coordinator:
        threading.Thread(target=_die_with, args=(coordinator,), daemon=True).start()
    if memory_limit:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    if not settings.get("extract_only"):
        # Built before the first file, so the per-file time limit counts file time only.
        try:
            worker_scanner(settings)
        except MemoryError:
            pass  # the first file reports it
        except Exception as e:  # each file would fail the same way, each worker after it: stop the scan
            outgoing.put(bug_record(e))
    outgoing.put(READY)
    while True:
        chunk = inbox.get()
        if chunk is None:
            outgoing.put(None)
            sender.join()
            return
        for task in chunk:
            try:
                result = work(task, settings)
            except MemoryError:
                result = {"status": "error", "error": "memory limit exceeded", "bytes": 0}
            except Exception as e:  # a reader's failure is the result's error: anything else is ours
                result = bug_record(e)
            outgoing.put(result)


def _die_with(coordinator: int) -> None:
    """End this worker when the coordinator is gone, even by SIGKILL: an idle worker
    waits on its inbox, whose pipe it holds both ends of, and would wait forever
    (with the forkserver and the resource tracker waiting on it). A pidfd becomes
    readable when the process exits; without pidfds, the pid is checked each second."""
    import select

    try:
        fd = os.pidfd_open(coordinator)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
        os._exit(70)
    while True:
        time.sleep(1.0)
        try:
            os.kill(coordinator, 0)
        except ProcessLookupError:
            os._exit(70)
        except PermissionError:
            pass


def _send_all(outgoing: queue.SimpleQueue, outbox) -> None:
    """Send what is waiting as one message, a list: the results that piled up while
    the coordinator was busy cost it one read, not two per file. If sending fails
    (the memory limit, the coordinator gone), the worker ends at once: the
    coordinator then sees it die instead of waiting out the time limit."""
    try:
        done = False
        while not done:
            messages = [outgoing.get()]
            time.sleep(0.005)  # a few more pile up: a wake-up (a GIL hand-over) per file cost ~5%
            while not outgoing.empty():
                messages.append(outgoing.get())
            if messages[-1] is None:
                messages.pop()
                done = True
            if messages:
                outbox.send_bytes(_ForkingPickler.dumps(messages))
    except BaseException:
        os._exit(70)


class _Slot:
    def __init__(self, ctx, settings, memory_limit, work=scan_one):
        self.inbox = ctx.Queue()
        self.results, outbox = ctx.Pipe(duplex=False)
        self.work = work
        environment = {k: v for k, v in os.environ.items() if k.startswith("PIISCAN_")}
        self.proc = ctx.Process(target=_worker, daemon=True,
                                args=(self.inbox, outbox, settings, memory_limit, os.getpid(), work, environment))
        self.proc.start()
        outbox.close()  # the worker holds the only write end: EOF when it dies
        self.eof = False
        self.chunk: list[dict] = []  # tasks sent and not yet answered, in order
        self.parts: list[int] = []  # their chunks' sizes
        self.queued = 0  # their _cost
        self.since = time.monotonic()

    def feed(self, pending: list) -> None:
        """Keep AHEAD chunks and about AHEAD_COST of work with this worker, so it goes
        on reading while the coordinator commits a batch (a 40,000-row ledger's
        findings take over a second; 1 MB of small files lasted 0.1 s, and the
        worker waited). Not more, and no big file for a worker that has work: the
        big files go first, and a worker that took two would finish long after the
        others. `pending`: chunks still to hand out, the next one last."""
        while pending and (len(self.parts) < AHEAD or self.queued < AHEAD_COST):
            if self.parts and weight(pending[-1][0]) > BIG:
                return
            part = pending.pop()
            if not self.chunk:
                self.since = time.monotonic()
            self.chunk.extend(part)
            self.parts.append(len(part))
            self.queued += sum(_cost(t) for t in part)
            self.inbox.put(part)

    def answered(self) -> dict:
        """The task the worker's next result answers."""
        self.parts[0] -= 1
        if not self.parts[0]:
            self.parts.pop(0)
        self.queued -= _cost(self.chunk[0])
        return self.chunk.pop(0)


def _received(slot: _Slot) -> list:
    """What a worker has sent (a list, see _send_all); none when it died mid-file."""
    try:
        results = slot.results.recv()
    except (EOFError, OSError):  # handled as a dead worker
        slot.eof = True
        return []
    slot.since = time.monotonic()
    return results


def _stuck(slot: _Slot, ready: list, limit: float) -> Optional[bool]:
    """True when a worker with work died, False when it is over its time, else None."""
    if slot.eof or (slot.proc.sentinel in ready and not slot.proc.is_alive() and not slot.results.poll()):
        return True
    return False if time.monotonic() - slot.since > limit else None


def _replace(slot: _Slot, dead: bool, ctx, settings: dict, memory_limit: Optional[int], pending: list,
             time_limit: float) -> tuple[_Slot, str]:
    """A new worker in place of a stuck one; the stuck one's other files go back to the queue."""
    slot.proc.kill()
    slot.proc.join(5)
    reason = (f"worker died (exit code {slot.proc.exitcode}; memory limit or crash)" if dead else
              f"time limit exceeded ({time_limit:.0f} s)")
    if slot.chunk:
        pending.append(slot.chunk)
    slot.results.close()
    return _Slot(ctx, settings, memory_limit, slot.work), reason


def run_local(tasks: list[dict], settings: dict, jobs: int, time_limit: float = 600.0,
              memory_limit: Optional[int] = None, chunk_size: int = 8, work=scan_one) -> Iterator[tuple[dict, dict]]:
    """`work(task, settings)`, a module-level function, runs in the workers for each task."""
    if not tasks:
        return
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["piiscan.pipeline.scanner", "piiscan.detect.engine"])
    pending = chunks(tasks, chunk_size)
    pending.reverse()
    slots = [_Slot(ctx, settings, memory_limit, work) for _ in range(max(1, min(jobs, len(pending))))]
    startup = 120.0  # until a worker is READY: building the analyzer takes a while on a busy machine
    first = {s.proc.pid: True for s in slots}

    for s in slots:
        s.feed(pending)
    try:
        while any(s.chunk for s in slots):
            busy = [s for s in slots if s.chunk]
            ready = wait([s.results for s in busy] + [s.proc.sentinel for s in busy], timeout=0.5)
            for slot in busy:
                results = _received(slot) if slot.results in ready else []
                answers = []
                for result in results:
                    if result == READY:
                        first[slot.proc.pid] = False
                    elif result.get("status") == "bug":
                        raise_bug(result)
                    else:
                        answers.append((slot.answered(), result))
                if results:
                    slot.feed(pending)  # before the caller takes the results away to commit a batch
                yield from answers
            for i, slot in enumerate(slots):
                limit = time_limit + (startup if first.get(slot.proc.pid) else 0)
                if not slot.chunk or (dead := _stuck(slot, ready, limit)) is None:
                    continue
                task = slot.answered()
                slots[i], reason = _replace(slot, dead, ctx, settings, memory_limit, pending, time_limit)
                first[slots[i].proc.pid] = True
                yield task, {"status": "error", "error": reason, "bytes": 0}
                slots[i].feed(pending)
    finally:  # stopped early (Ctrl-C, an error, the caller closed us): the workers' files are not wanted
        for s in slots:
            if s.chunk:
                s.proc.kill()
            elif s.proc.is_alive():
                s.inbox.put(None)
        for s in slots:
            s.proc.join(2)
            if s.proc.is_alive():
                s.proc.kill()


def run_dask(tasks: list[dict], settings: dict, scheduler: Any, chunk_size: int = 8) -> Iterator[tuple[dict, dict]]:
    """scheduler: an address (tcp://host:8786) or a distributed.Client. Workers read the
    files themselves: the paths must be the same on every worker (a shared mount)."""
    from distributed import Client, as_completed
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        parts = chunks(tasks, chunk_size)
        futures = {client.submit(scan_chunk, part, settings, pure=False): part for part in parts}
        for future in as_completed(futures):
            part = futures[future]
            try:
                results = future.result()
            except Exception as e:
                from piiscan.core.errors import safe_reason
                results = [{"status": "error", "error": f"worker failed: {safe_reason(e)}", "bytes": 0}] * len(part)
            yield from zip(part, results)
    finally:
        if client is not scheduler:
            client.close()


def run(tasks: list[dict], settings: dict, jobs: int = 0, scheduler: Any = None, **limits) -> Iterator[tuple[dict, dict]]:
    if scheduler is not None:
        return run_dask(tasks, settings, scheduler)
    return run_local(tasks, settings, jobs or os.cpu_count() or 1, **limits)

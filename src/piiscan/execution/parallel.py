"""Run Scanner.scan_file over many files: a local pool of worker processes, or a
Dask distributed cluster, behind one interface: `run(tasks, settings, ...)` yields
(task, result) as files finish, in any order.

A result is a plain dict with no raw value (see `scan_one`): masked previews and
fingerprints leave the worker, the values never do.

Local workers get a memory limit (RLIMIT_AS) and a per-file time limit: a worker
past the limit is killed and replaced, its file recorded as an error, and the
rest of its chunk handed out again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import queue
import threading
import time
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler as _ForkingPickler
from pathlib import Path
from typing import Any, Iterator, Optional

_SCANNER = None
_SCANNER_KEY = None


def _scanner(settings: dict):
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
        return result_record(databases.scan_task(_scanner(settings), task, rows), None, 0)
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
    result = databases.scan_path(_scanner(settings), Path(path), rows)
    if not result.reader:
        return {"status": "unsupported", "reader": None, "error": result.error.reason if result.error else None,
                "content_hash": digest, "read": False}
    return result_record(result, digest, task.get("size", 0))


# A finding on its way to the inventory: a tuple in the findings table's column order,
# location, metadata and explanation already JSON text. The coordinator, the one
# writer for every worker, unpickles tuples of strings five times faster than dicts
# and hands them to the driver as they are.
FINDING_COLUMNS = ("seq", "location", "start", "end", "entity_type", "score", "recognizer", "jrt0171", "jrt0197",
                   "pipl_sensitive", "personal", "masked", "fingerprint", "metadata", "explanation")
JSON_COLUMNS = ("location", "metadata", "explanation")
PERSONAL = FINDING_COLUMNS.index("personal")
SUMMARY_COLUMNS = ("jrt0171", "jrt0197", "pipl_sensitive", "counts", "distinct_individuals", "records_with_pi",
                   "columns", "explanation")  # file_summaries, after file_id and run_id
PAIR_AT = tuple(FINDING_COLUMNS.index(c) for c in ("entity_type", "fingerprint", "jrt0171", "jrt0197",
                                                    "pipl_sensitive", "masked"))  # history.PAIR_COLUMNS


class RepeatedJson:
    """JSON text of a value, remembered for the lists of strings and flat dicts that
    repeat from finding to finding (explanations, metadata such as a carrier or an
    age band): a ledger's 80,000 findings hold a few dozen distinct ones, and the same
    string object is pickled once per message. Keys carry each item's type, so 1,
    1.0 and True (equal in Python) are never confused. A column whose values do not
    repeat (a ledger's locations) stops being remembered."""

    def __init__(self, limit: int = 4096):
        self.seen: dict = {}
        self.limit = limit
        self.calls = self.hits = 0
        self.bypass = False

    def __call__(self, value) -> str:
        if self.bypass:
            return _JSON(value)
        self.calls += 1
        if self.calls == 512 and self.hits < 256:
            self.bypass = True
        try:
            if isinstance(value, dict):
                key = (dict, tuple(zip(value.keys(), value.values(), map(type, value.values()))))
            else:
                key = (type(value), tuple(zip(value, map(type, value))))
            text = self.seen.get(key)
        except TypeError:  # something unhashable inside: not remembered
            return _JSON(value)
        if text is None:
            text = _JSON(value)
            if len(self.seen) < self.limit:
                self.seen[key] = text
        else:
            self.hits += 1
        return text


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ENCODE = {column: RepeatedJson() for column in JSON_COLUMNS}  # per worker process, across files


def finding_row(finding: dict) -> tuple:
    """A finding given as a dict (FINDING_COLUMNS keys, JSON columns as values) as a row."""
    return tuple(_ENCODE[c](finding[c]) if c in _ENCODE else finding[c] for c in FINDING_COLUMNS)


def finding_dict(row: tuple) -> dict:
    """A row back as a dict, JSON columns decoded (for readers of results other than the inventory)."""
    found = dict(zip(FINDING_COLUMNS, row))
    for c in JSON_COLUMNS:
        found[c] = json.loads(found[c])
    return found


def result_record(result, digest: Optional[str], size: int) -> dict:
    """A scanned source as the inventory stores it: findings as rows (FINDING_COLUMNS),
    the summary as a row (SUMMARY_COLUMNS), no raw value."""
    from piiscan.core.tiers import is_personal

    location, metadata, explanation = (_ENCODE[c] for c in JSON_COLUMNS)
    findings = []
    for seq, f in enumerate(result.findings):
        tier = f.tier or {}
        findings.append((seq, location(f.location), f.start, f.end, f.entity_type, round(f.score, 6), f.recognizer,
                         tier.get("jrt0171", "none"), tier.get("jrt0197"), bool(tier.get("pipl_sensitive")),
                         is_personal(f.tier), f.masked, f.fingerprint, metadata(f.metadata), explanation(f.explanation)))
    c = result.classification
    summary = None
    if c is not None:  # a row in SUMMARY_COLUMNS order, JSON columns as text like the findings'
        summary = (c.tier.get("jrt0171", "none"), c.tier.get("jrt0197"), bool(c.tier.get("pipl_sensitive")),
                   _JSON(c.counts), c.distinct_individuals, c.records_with_pi,
                   _JSON([col.to_dict() for col in c.columns]), explanation(c.explanation))
    return {"status": "error" if result.error else "ok", "reader": result.reader,
            "error": result.error.reason if result.error else None, "content_hash": digest,
            "findings": findings, "summary": summary, "bytes": size}


def scan_chunk(tasks: list[dict], settings: dict) -> list[dict]:
    """Dask unit of work: a few files, scanned by the worker that reads them."""
    return [scan_one(t, settings) for t in tasks]


BIG = 256 << 10  # a file this big is a unit of work of its own


def chunks(tasks: list[dict], size: int, max_bytes: int = BIG) -> list[list[dict]]:
    """Units of work of at most `size` files and about `max_bytes`, largest files
    first: a big file handed out last would keep one worker busy while the others
    idle (longest-processing-time-first scheduling). A file bigger than `max_bytes`
    is a unit of its own: five 1.6 MB ledgers in one unit went to one worker, which
    scanned them alone long after the other had finished."""
    parts: list[list[dict]] = []
    part: list[dict] = []
    total = 0
    for task in sorted(tasks, key=lambda t: -(t.get("size") or 0)):
        grows = task.get("size") or 0
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
    """A file's work, roughly: its size plus 4 KB, for what every file costs however small."""
    return (task.get("size") or 0) + 4096


# Results go back over a Pipe, written by a thread of the worker's own: while the
# coordinator commits a batch it reads nothing, the pipe (64 KB, a few dozen small
# files' results) fills, and a worker writing itself would stop scanning and leave
# its core idle. Not a Queue: Queue.put starts its feeder thread lazily, and under a
# tight RLIMIT_AS that thread cannot start and put() waits forever; this sender
# starts before the limit is set.
def _worker(inbox, outbox, settings: dict, memory_limit: Optional[int]) -> None:
    outgoing: queue.SimpleQueue = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(outgoing, outbox), daemon=True)
    sender.start()
    if memory_limit:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    if not settings.get("extract_only"):
        # Built before the first file, so the per-file time limit counts file time only.
        try:
            _scanner(settings)
        except MemoryError:
            pass  # the first file reports it
    outgoing.put(READY)
    while True:
        chunk = inbox.get()
        if chunk is None:
            outgoing.put(None)
            sender.join()
            return
        for task in chunk:
            try:
                result = scan_one(task, settings)
            except MemoryError:
                result = {"status": "error", "error": "memory limit exceeded", "bytes": 0}
            outgoing.put(result)


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
    def __init__(self, ctx, settings, memory_limit):
        self.inbox = ctx.Queue()
        self.results, outbox = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker, args=(self.inbox, outbox, settings, memory_limit), daemon=True)
        self.proc.start()
        outbox.close()  # the worker holds the only write end: EOF when it dies
        self.eof = False
        self.chunk: list[dict] = []  # tasks sent and not yet answered, in order
        self.parts: list[int] = []  # their chunks' sizes
        self.queued = 0  # their _cost
        self.since = time.monotonic()


def run_local(tasks: list[dict], settings: dict, jobs: int, time_limit: float = 600.0,
              memory_limit: Optional[int] = None, chunk_size: int = 8) -> Iterator[tuple[dict, dict]]:
    if not tasks:
        return
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["piiscan.pipeline.scanner", "piiscan.detect.engine"])
    pending = chunks(tasks, chunk_size)
    pending.reverse()
    slots = [_Slot(ctx, settings, memory_limit) for _ in range(max(1, min(jobs, len(pending))))]
    startup = 120.0  # until a worker is READY: building the analyzer takes a while on a busy machine
    first = {s.proc.pid: True for s in slots}

    def feed(slot: _Slot) -> None:
        """Keep AHEAD chunks and about AHEAD_COST of work with each worker, so it goes
        on reading while the coordinator commits a batch (a 40,000-row ledger's
        findings take over a second; 1 MB of small files lasted 0.1 s, and the
        worker waited). Not more, and no big file for a worker that has work: the
        big files go first, and a worker that took two would finish long after the
        others."""
        while pending and (len(slot.parts) < AHEAD or slot.queued < AHEAD_COST):
            if slot.parts and (pending[-1][0].get("size") or 0) > BIG:
                return
            part = pending.pop()
            if not slot.chunk:
                slot.since = time.monotonic()
            slot.chunk.extend(part)
            slot.parts.append(len(part))
            slot.queued += sum(_cost(t) for t in part)
            slot.inbox.put(part)

    def answered(slot: _Slot) -> dict:
        slot.parts[0] -= 1
        if not slot.parts[0]:
            slot.parts.pop(0)
        slot.queued -= _cost(slot.chunk[0])
        return slot.chunk.pop(0)

    for s in slots:
        feed(s)
    try:
        while any(s.chunk for s in slots):
            busy = [s for s in slots if s.chunk]
            ready = wait([s.results for s in busy] + [s.proc.sentinel for s in busy], timeout=0.5)
            for slot in busy:
                if slot.results not in ready:
                    continue
                try:
                    results = slot.results.recv()  # a list (see _send_all)
                except (EOFError, OSError):  # died mid-file: handled below
                    slot.eof = True
                    continue
                slot.since = time.monotonic()
                answers = []
                for result in results:
                    if result == READY:
                        first[slot.proc.pid] = False
                    else:
                        answers.append((answered(slot), result))
                feed(slot)  # before the caller takes the results away to commit a batch
                yield from answers
            for i, slot in enumerate(slots):
                if not slot.chunk:
                    continue
                limit = time_limit + (startup if first.get(slot.proc.pid) else 0)
                dead = slot.eof or (slot.proc.sentinel in ready and not slot.proc.is_alive()
                                    and not slot.results.poll())
                if dead or time.monotonic() - slot.since > limit:
                    task = answered(slot)
                    rest = slot.chunk
                    slot.proc.kill()
                    slot.proc.join(5)
                    reason = (f"time limit exceeded ({time_limit:.0f} s)" if not dead else
                              f"worker died (exit code {slot.proc.exitcode}; memory limit or crash)")
                    if rest:
                        pending.append(rest)
                    slot.results.close()
                    new = _Slot(ctx, settings, memory_limit)
                    first[new.proc.pid] = True
                    slots[i] = new
                    yield task, {"status": "error", "error": reason, "bytes": 0}
                    feed(new)
    finally:
        for s in slots:
            if s.proc.is_alive():
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

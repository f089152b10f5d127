"""An inventory scan: walk, decide what to read (incremental, resumed), scan in
parallel, commit results in batches, mark removed files, record the run.

Exit codes: 0 no new personal information since the last run, 1 new personal
information, 2 the scan could not run or finish (lock held, inventory error).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from sqlalchemy.exc import SQLAlchemyError

from piiscan import __version__
from piiscan.inventory.log import Log
from piiscan.inventory.store import KNOWN_COLUMNS, Inventory, InventoryLocked
from piiscan.sources.readers import reader_for
from piiscan.sources.walk import Problem, shown as shown_path, walk

SKIPPED = ("too large", "symlink loop", "symlink target missing")

EXIT_CLEAN, EXIT_NEW_PI, EXIT_ERROR = 0, 1, 2
BATCH_FILES = int(os.environ.get("PIISCAN_BATCH_FILES", "200"))  # files per transaction
BATCH_SECONDS = 2.0


@dataclass
class Options:
    roots: list[str]
    incremental: bool = False
    verify_hash: bool = False
    jobs: int = 0
    scheduler: Any = None  # address or distributed.Client
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_size: Optional[int] = None
    time_limit: float = 600.0
    memory_limit: Optional[int] = None
    entities: Optional[list[str]] = None
    min_score: float = 0.5
    ner: bool | str = True  # True (fast), "accurate" or False, as --ner gives it
    policy: Optional[str] = None
    urls: list[str] = field(default_factory=list)  # databases: each table is a source, always re-sampled
    sample_rows: int = 1000

    def settings(self) -> dict:
        """What decides the content of the inventory (recorded with the run; a run is
        resumed only with the same settings). Never the key."""
        return {"incremental": self.incremental, "verify_hash": self.verify_hash, "include": self.include,
                "exclude": self.exclude, "max_size": self.max_size, "entities": self.entities,
                "min_score": self.min_score, "ner": self.ner, "policy": self.policy, "sample_rows": self.sample_rows}


def versions(policy_path: Optional[str]) -> dict:
    from piiscan.classify.policy import load_policy
    policy = load_policy(policy_path and Path(policy_path))
    digest = hashlib.sha256(json.dumps(policy.model_dump(), sort_keys=True, default=str).encode()).hexdigest()[:12]
    try:
        from piiscan.core.resources import models_dir  # type: ignore
        meta = json.loads((models_dir() / "zh_piiscan" / "meta.json").read_text())
        model = f"{meta.get('name')}-{meta.get('version')}"
    except (OSError, ValueError):  # no model shipped, or an unreadable meta.json
        model = "zh_piiscan"
    return {"tool_version": __version__, "policy_version": f"{policy.policy}-{policy.version}-{digest}",
            "model_version": model[:64]}


STATUS, LAST_RUN = KNOWN_COLUMNS.index("status"), KNOWN_COLUMNS.index("last_run")  # in known_files' tuples


def _under(path: str, prefixes: list[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in prefixes)


@dataclass
class _Plan:
    """What a run reads, and what it records without reading."""

    seen: set = field(default_factory=set)  # every path and table met, as stored
    denied: list = field(default_factory=list)  # folders and URLs not listed: their files are not removed
    tasks: list = field(default_factory=list)  # for the workers
    facts: dict = field(default_factory=dict)  # stored name -> the file's facts
    problems: list = field(default_factory=list)  # (facts, result) recorded without a worker
    unchanged: int = 0


def _plan(roots: list[str], options: Options, known: dict, run_id: int, table_tasks) -> _Plan:
    """Walk the roots and list the tables: what to read, what is unchanged, what is a problem."""
    plan = _Plan()
    for item in walk(roots, options.include, options.exclude, options.max_size):
        name = shown_path(item.path)  # what the inventory stores: a name that is not UTF-8 escaped
        if isinstance(item, Problem):
            if item.reason == "vanished":
                continue
            plan.seen.add(name)
            if item.reason in ("permission denied", "path too long") or item.reason.startswith("cannot list"):
                plan.denied.append(name)
            skipped = item.reason in SKIPPED or item.reason.startswith("special file")
            k = known.get(name)
            if not (k and k[LAST_RUN] == run_id):
                plan.problems.append(({"path": name}, {"status": "skipped" if skipped else "error",
                                                  "error": item.reason, "read": False}))
            continue
        plan.seen.add(name)
        k = known.get(name)
        same = False
        if k is not None:
            size, mtime_ns, inode, known_status, last_run, content_hash = k
            if last_run == run_id and known_status != "removed":
                continue  # done before this run was cut short
            same = (size == item.size and mtime_ns == item.mtime_ns and inode == item.inode
                    and known_status in ("ok", "unsupported"))
        if options.incremental and same and (not options.verify_hash or known_status == "unsupported"):
            plan.unchanged += 1  # not opened, not even to peek at its header (reader_for does for unknown suffixes)
            continue
        fact = {"path": name, "size": item.size, "mtime_ns": item.mtime_ns,
                "inode": item.inode, "mode": item.mode, "uid": item.uid}
        if reader_for(Path(item.path)) is None:  # recorded here: no worker hashes a 4 GB .iso
            plan.problems.append((fact, {"status": "unsupported", "reader": None, "read": False}))
            continue
        task = {"path": item.path, "size": item.size, "name": name}
        if options.incremental and same:  # --verify-hash: the worker re-reads it only if its hash changed
            task["verify_hash"] = content_hash
        plan.tasks.append(task)
        plan.facts[name] = fact
    for shown, task, error in table_tasks(options.urls):
        plan.seen.add(shown)
        if error:  # its tables are not marked removed, like the files of a folder without permission
            plan.denied.append(shown)
            plan.problems.append(({"path": shown}, {"status": "error", "error": error, "read": False}))
        elif not (known.get(shown) and known[shown][LAST_RUN] == run_id):
            plan.tasks.append(task)
            plan.facts[shown] = {"path": shown}
    return plan


def _read_all(inventory: Inventory, run_id: int, plan: _Plan, options: Options, key: bytes, log: Log,
              on_commit: Optional[Callable[[int], None]]) -> int:
    """Scan the plan's tasks with the workers and commit their results in batches;
    returns how many the workers found unchanged (by content hash)."""
    from piiscan.execution.parallel import run

    unchanged = 0
    settings = {"entities": options.entities, "min_score": options.min_score, "ner": options.ner,
                "policy": options.policy, "sample_rows": options.sample_rows, "key": key}
    batch: list[tuple[dict, dict]] = []
    done = errors = nbytes = 0
    last_commit = time.monotonic()
    for task, result in run(plan.tasks, settings, jobs=options.jobs, scheduler=options.scheduler,
                            **({} if options.scheduler is not None else
                               {"time_limit": options.time_limit, "memory_limit": options.memory_limit})):
        done += 1
        nbytes += result.get("bytes", 0)
        if result["status"] == "unchanged":
            unchanged += 1
        else:
            if result["status"] == "error":
                errors += 1
                log.line("file_error", run=run_id, path=task.get("name", task["path"]), reason=result.get("error"))
            batch.append((plan.facts[task.get("name", task["path"])], result))
        if len(batch) >= BATCH_FILES or time.monotonic() - last_commit > BATCH_SECONDS:
            inventory.commit_batch(run_id, batch)
            if on_commit:
                on_commit(len(batch))
            batch, last_commit = [], time.monotonic()
        log.advance(done, nbytes, errors)
    if batch:
        inventory.commit_batch(run_id, batch)
    return unchanged


def _failed(inventory: Inventory, run_id: Optional[int], log: Log, e: BaseException) -> tuple[int, dict]:
    from piiscan.core.errors import safe_reason

    log.stop()
    log.line("error", run=run_id, reason=safe_reason(e))
    if run_id is not None:
        try:
            inventory.finish_run(run_id, "failed")
        except SQLAlchemyError:  # the database that failed the run may refuse this too
            pass
    return EXIT_ERROR, {"id": run_id, "status": "failed", "error": safe_reason(e)}


def scan_inventory(url: str, options: Options, key: bytes, log: Optional[Log] = None,
                   schema_name: Optional[str] = None, on_commit: Optional[Callable[[int], None]] = None
                   ) -> tuple[int, dict]:
    """Run one inventory scan; returns (exit code, the run's row)."""
    log = log or Log()
    inventory = Inventory(url, schema_name)
    try:
        inventory.acquire_lock()
    except InventoryLocked as e:
        log.line("error", reason=str(e))
        inventory.close()
        return EXIT_ERROR, {"error": str(e)}
    from piiscan.pipeline.databases import shown_target, table_tasks, within
    roots = sorted(os.path.abspath(r) for r in options.roots)
    scopes = [shown_target(u) for u in options.urls]  # no password: recorded with the run
    run_id = None
    try:
        run_id, resumed = inventory.begin_run(roots + scopes, options.settings(), versions(options.policy))
        inventory.heartbeat(run_id)
        log.line("run_started", run=run_id, resumed=resumed, incremental=options.incremental)
        known = inventory.known_files()  # path -> (size, mtime_ns, inode, status, last_run, content_hash)
        plan = _plan(roots, options, known, run_id, table_tasks)
        seen, denied, unchanged = plan.seen, plan.denied, plan.unchanged
        if plan.problems:
            inventory.commit_batch(run_id, plan.problems)
        log.start(len(plan.tasks), sum(t["size"] for t in plan.tasks))
        unchanged += _read_all(inventory, run_id, plan, options, key, log, on_commit)
        log.stop()
        removed = [p for p, k in known.items() if p not in seen and k[STATUS] != "removed"
                   and (_under(p, roots) or any(within(p, s) for s in scopes))
                   and not _under(p, denied) and not any(within(p, d) for d in denied)]
        inventory.mark_removed(run_id, removed)
        inventory.add_counts(run_id, {"files_unchanged": unchanged})
        from sqlalchemy import update

        from piiscan.inventory import schema
        with inventory.engine.begin() as conn:
            conn.execute(update(schema.runs).where(schema.runs.c.id == run_id).values(files_seen=len(seen)))
        row = inventory.finish_run(run_id, "completed")
        log.line("run_finished", **{k: row[k] for k in ("id", "status", "files_seen", "files_read", "files_unchanged",
                                                         "files_error", "files_removed", "bytes_read", "findings",
                                                         "new_pi")})
        return (EXIT_NEW_PI if row["new_pi"] else EXIT_CLEAN), row
    except KeyboardInterrupt:
        log.stop()
        log.line("run_interrupted", run=run_id, note="the next run with the same settings continues it")
        return EXIT_ERROR, {"id": run_id, "status": "running"}
    except (SQLAlchemyError, OSError) as e:  # the inventory's database or the disk: the run fails, exit 2
        return _failed(inventory, run_id, log, e)
    except BaseException as e:  # a bug of ours: the run is marked failed, the error surfaces (exit 70)
        _failed(inventory, run_id, log, e)
        raise
    finally:
        try:
            inventory.release_lock()
        finally:
            inventory.close()

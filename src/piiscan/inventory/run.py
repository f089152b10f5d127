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
    ner: bool = True
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
    from piiscan.execution.parallel import run
    roots = sorted(os.path.abspath(r) for r in options.roots)
    scopes = [shown_target(u) for u in options.urls]  # no password: recorded with the run
    run_id = None
    try:
        run_id, resumed = inventory.begin_run(roots + scopes, options.settings(), versions(options.policy))
        inventory.heartbeat(run_id)
        log.line("run_started", run=run_id, resumed=resumed, incremental=options.incremental)
        known = inventory.known_files()  # path -> (size, mtime_ns, inode, status, last_run, content_hash)
        seen: set[str] = set()
        denied: list[str] = []
        tasks: list[dict] = []
        facts: dict[str, dict] = {}
        problems: list[tuple[dict, dict]] = []
        unchanged = 0
        for item in walk(roots, options.include, options.exclude, options.max_size):
            name = shown_path(item.path)  # what the inventory stores: a name that is not UTF-8 escaped
            if isinstance(item, Problem):
                if item.reason == "vanished":
                    continue
                seen.add(name)
                if item.reason in ("permission denied", "path too long") or item.reason.startswith("cannot list"):
                    denied.append(name)
                skipped = item.reason in SKIPPED or item.reason.startswith("special file")
                k = known.get(name)
                if not (k and k[LAST_RUN] == run_id):
                    problems.append(({"path": name}, {"status": "skipped" if skipped else "error",
                                                      "error": item.reason, "read": False}))
                continue
            seen.add(name)
            k = known.get(name)
            same = False
            if k is not None:
                size, mtime_ns, inode, known_status, last_run, content_hash = k
                if last_run == run_id and known_status != "removed":
                    continue  # done before this run was cut short
                same = (size == item.size and mtime_ns == item.mtime_ns and inode == item.inode
                        and known_status in ("ok", "unsupported"))
            if options.incremental and same and (not options.verify_hash or known_status == "unsupported"):
                unchanged += 1  # not opened, not even to peek at its header (reader_for does for unknown suffixes)
                continue
            fact = {"path": name, "size": item.size, "mtime_ns": item.mtime_ns,
                    "inode": item.inode, "mode": item.mode, "uid": item.uid}
            if reader_for(Path(item.path)) is None:  # recorded here: no worker hashes a 4 GB .iso
                problems.append((fact, {"status": "unsupported", "reader": None, "read": False}))
                continue
            task = {"path": item.path, "size": item.size, "name": name}
            if options.incremental and same:  # --verify-hash: the worker re-reads it only if its hash changed
                task["verify_hash"] = content_hash
            tasks.append(task)
            facts[name] = fact
        for shown, task, error in table_tasks(options.urls):
            seen.add(shown)
            if error:  # its tables are not marked removed, like the files of a folder without permission
                denied.append(shown)
                problems.append(({"path": shown}, {"status": "error", "error": error, "read": False}))
            elif not (known.get(shown) and known[shown][LAST_RUN] == run_id):
                tasks.append(task)
                facts[shown] = {"path": shown}
        if problems:
            inventory.commit_batch(run_id, problems)
        log.start(len(tasks), sum(t["size"] for t in tasks))
        settings = {"entities": options.entities, "min_score": options.min_score, "ner": options.ner,
                    "policy": options.policy, "sample_rows": options.sample_rows, "key": key}
        batch: list[tuple[dict, dict]] = []
        done = errors = nbytes = 0
        last_commit = time.monotonic()
        for task, result in run(tasks, settings, jobs=options.jobs, scheduler=options.scheduler,
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
                batch.append((facts[task.get("name", task["path"])], result))
            if len(batch) >= BATCH_FILES or time.monotonic() - last_commit > BATCH_SECONDS:
                inventory.commit_batch(run_id, batch)
                if on_commit:
                    on_commit(len(batch))
                batch, last_commit = [], time.monotonic()
            log.advance(done, nbytes, errors)
        if batch:
            inventory.commit_batch(run_id, batch)
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
    except Exception as e:
        log.stop()
        from piiscan.core.errors import safe_reason
        log.line("error", run=run_id, reason=safe_reason(e))
        if run_id is not None:
            try:
                inventory.finish_run(run_id, "failed")
            except Exception:
                pass
        return EXIT_ERROR, {"id": run_id, "status": "failed", "error": safe_reason(e)}
    finally:
        try:
            inventory.release_lock()
        finally:
            inventory.close()

"""The inventory store: SQLite (WAL) by default, PostgreSQL for a shared inventory.

One writer at a time (the `scan_lock` row); a file's findings, summary and status
are written in one transaction, in batches, so a scan killed at any point loses
at most the batch in flight and never half a file.
"""

from __future__ import annotations

import os
import socket
from operator import itemgetter
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Optional

from sqlalchemy import Engine, bindparam, create_engine, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import table as sql_table

from piiscan.inventory import schema
from piiscan.inventory.history import CHUNK, EVENT_COLUMNS, PAIR_COLUMNS, pair_events, pi_pairs, write_run_totals
from piiscan.inventory.migrations import migrate
from piiscan.execution.records import FINDING_COLUMNS, PAIR_AT, PERSONAL, SUMMARY_COLUMNS

STALE_AFTER = timedelta(minutes=10)  # a lock without heartbeat for this long can be taken over
COUNTERS = ("files_seen", "files_read", "files_unchanged", "files_error", "files_removed", "bytes_read",
            "findings", "new_pi")


class InventoryLocked(Exception):
    """Another scan holds the inventory; the message names it."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def engine_url(url: str) -> str:
    """sqlite:///file.db stays; postgresql://… uses psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Inventory:
    def __init__(self, url: str, schema_name: Optional[str] = None):
        self.url = url
        self.engine: Engine = create_engine(engine_url(url), future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if schema_name:  # PostgreSQL: the inventory lives in its own schema
            self.engine = self.engine.execution_options(schema_translate_map={None: schema_name})
        self.host, self.pid = socket.gethostname(), os.getpid()
        with self.engine.begin() as conn:
            _serialise_schema_changes(conn)  # two scans starting on a new inventory: one creates, one waits
            migrate(conn, schema_name)

    def close(self) -> None:
        self.engine.dispose()

    # --- lock -------------------------------------------------------------------
    def acquire_lock(self, stale_after: timedelta = STALE_AFTER) -> None:
        for _ in range(3):
            stamp = now()
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(schema.scan_lock).values(id=1, host=self.host, pid=self.pid,
                                                                 acquired_at=stamp, heartbeat_at=stamp))
                return
            except IntegrityError:
                pass
            with self.engine.begin() as conn:
                holder = conn.execute(select(schema.scan_lock)).mappings().first()
                if holder is None:
                    continue
                beat = datetime.fromisoformat(holder["heartbeat_at"])
                dead = holder["host"] == self.host and not _pid_alive(holder["pid"])
                if not dead and datetime.now(timezone.utc) - beat < stale_after:
                    run = f"run {holder['run_id']}, " if holder["run_id"] else ""
                    raise InventoryLocked(
                        f"inventory is locked by another scan ({run}pid {holder['pid']} on {holder['host']}, "
                        f"since {holder['acquired_at']}, last heartbeat {holder['heartbeat_at']}); "
                        f"it is taken over automatically once stale ({int(stale_after.total_seconds())} s "
                        f"without heartbeat, or its process gone on this host)")
                conn.execute(delete(schema.scan_lock).where(schema.scan_lock.c.id == 1,
                                                            schema.scan_lock.c.heartbeat_at == holder["heartbeat_at"]))
        raise InventoryLocked("could not take the inventory lock")

    def heartbeat(self, run_id: Optional[int] = None) -> None:
        values: dict[str, Any] = {"heartbeat_at": now()}
        if run_id is not None:
            values["run_id"] = run_id
        with self.engine.begin() as conn:
            conn.execute(update(schema.scan_lock).where(schema.scan_lock.c.pid == self.pid,
                                                        schema.scan_lock.c.host == self.host).values(**values))

    def release_lock(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.scan_lock).where(schema.scan_lock.c.pid == self.pid,
                                                        schema.scan_lock.c.host == self.host))

    # --- runs -------------------------------------------------------------------
    def begin_run(self, roots: list[str], settings: dict, versions: dict) -> tuple[int, bool]:
        """Continue the last run if it was cut short with the same roots and settings,
        else start a new one (an older unfinished run is marked interrupted)."""
        r = schema.runs
        with self.engine.begin() as conn:
            last = conn.execute(select(r).order_by(r.c.id.desc()).limit(1)).mappings().first()
            if last and last["status"] == "running" and last["roots"] == roots and last["settings"] == settings:
                conn.execute(update(r).where(r.c.id == last["id"]).values(
                    resumed=r.c.resumed + 1, host=self.host, pid=self.pid))
                return last["id"], True
            conn.execute(update(r).where(r.c.status == "running").values(status="interrupted"))
            run_id = conn.execute(insert(r).values(
                started_at=now(), status="running", roots=roots, settings=settings, host=self.host, pid=self.pid,
                resumed=0, **versions, **{c: 0 for c in COUNTERS})).inserted_primary_key[0]
            return run_id, False

    def finish_run(self, run_id: int, status: str) -> dict:
        with self.engine.begin() as conn:
            conn.execute(update(schema.runs).where(schema.runs.c.id == run_id).values(
                status=status, finished_at=now()))
            write_run_totals(conn, run_id)
            return dict(conn.execute(select(schema.runs).where(schema.runs.c.id == run_id)).mappings().one())

    def add_counts(self, run_id: int, counts: dict[str, int], conn=None) -> None:
        r = schema.runs
        values = {k: getattr(r.c, k) + v for k, v in counts.items() if v}
        if not values:
            return
        stmt = update(r).where(r.c.id == run_id).values(**values)
        if conn is not None:
            conn.execute(stmt)
        else:
            with self.engine.begin() as c:
                c.execute(stmt)

    def runs(self, limit: int = 50) -> list[dict]:
        r = schema.runs
        with self.engine.connect() as conn:
            return [dict(m) for m in conn.execute(select(r).order_by(r.c.id.desc()).limit(limit)).mappings()]

    # --- files ------------------------------------------------------------------
    def known_files(self) -> dict[str, tuple]:
        """path -> (size, mtime_ns, inode, status, last_run, content_hash) of every file
        the inventory knows: plain tuples through the driver's own cursor, since an
        unchanged re-scan of 10^6 files is mostly this and the walk (SQLAlchemy's
        Row objects would cost more than the query)."""
        target = sql_table("files", *(sql_column(c) for c in ("path",) + KNOWN_COLUMNS), schema=_schema_name(self.engine))
        with self.engine.connect() as conn:
            cursor = conn.connection.cursor()
            try:
                cursor.execute(select(*target.c).compile(dialect=conn.dialect).string)
                return {row[0]: row[1:] for row in cursor.fetchall()}
            finally:
                cursor.close()

    def commit_batch(self, run_id: int, items: Iterable[tuple[dict, dict]]) -> dict[str, int]:
        """Write files with their findings and summaries in one transaction.
        Each item: (file facts: path, size, mtime_ns, inode, mode, uid; result from parallel.scan_one).

        Set-wise, a few statements per batch rather than per file: the coordinator
        writes for every worker, so its cost per file bounds the whole scan."""
        f, fi, fs = schema.files, schema.findings, schema.file_summaries
        batch = {facts["path"]: (facts, result) for facts, result in items}  # one result a file
        counts = dict.fromkeys(COUNTERS, 0)
        with self.engine.begin() as conn:
            ids = _file_ids(conn, list(batch))
            old = _held_pairs(conn, list(ids.values()))
            for chunk in _chunks(list(ids.values())):
                conn.execute(delete(fi).where(fi.c.file_id.in_(chunk)))
                conn.execute(delete(fs).where(fs.c.file_id.in_(chunk)))
            rows = {path: _file_row(facts, result, run_id) for path, (facts, result) in batch.items()}
            known = [dict({f"new_{k}": v for k, v in rows[path].items()}, file_id=file_id)
                     for path, file_id in ids.items()]
            if known:
                conn.execute(update(f).where(f.c.id == bindparam("file_id")).values(
                    {k: bindparam(f"new_{k}") for k in FILE_COLUMNS}), known)
            added = [path for path in batch if path not in ids]
            if added:
                file_values = itemgetter(*FILE_COLUMNS)
                _insert_rows(conn, f, ("path", "first_run") + FILE_COLUMNS,
                             [(path, run_id) + file_values(rows[path]) for path in added])
                ids.update(_file_ids(conn, added))
            found_rows, summaries, events = [], [], []
            pair_of = itemgetter(*PAIR_AT)
            for path, (facts, result) in batch.items():
                file_id = ids[path]
                found = result.get("findings") or []  # rows in FINDING_COLUMNS order (execution.records.result_record)
                found_rows.extend((file_id, run_id) + r for r in found)
                held, new = old.get(file_id, {}), pi_pairs(pair_of(r) for r in found if r[PERSONAL])
                counts["new_pi"] += len(new.keys() - held.keys())
                events.extend(pair_events(run_id, file_id, held, new))
                if result.get("summary"):  # a row in SUMMARY_COLUMNS order (execution.records.result_record)
                    summaries.append((file_id, run_id) + result["summary"])
                counts["findings"] += len(found)
                counts["files_read"] += result["status"] in ("ok", "error") and result.get("read", True)
                counts["files_error"] += result["status"] == "error"
                counts["bytes_read"] += result.get("bytes", 0)
            _insert_rows(conn, fi, ("file_id", "run_id") + FINDING_COLUMNS, found_rows)
            _insert_rows(conn, fs, ("file_id", "run_id") + SUMMARY_COLUMNS, summaries)
            _insert_rows(conn, schema.pi_events, EVENT_COLUMNS, events)
            self.add_counts(run_id, counts, conn)
            conn.execute(update(schema.scan_lock).where(schema.scan_lock.c.pid == self.pid).values(
                heartbeat_at=now(), run_id=run_id))
        return counts

    def mark_removed(self, run_id: int, paths: list[str]) -> int:
        f = schema.files
        with self.engine.begin() as conn:
            for start in range(0, len(paths), 500):
                chunk = paths[start:start + 500]
                ids = select(f.c.id).where(f.c.path.in_(chunk)).scalar_subquery()
                fi = schema.findings
                held: dict[int, list] = {}
                for file_id, *pair in conn.execute(select(fi.c.file_id, *PAIR_COLUMNS)
                                                   .where(fi.c.file_id.in_(ids), fi.c.personal)):
                    held.setdefault(file_id, []).append(pair)
                events = [e for file_id, rows in held.items() for e in pair_events(run_id, file_id, pi_pairs(rows), {})]
                _insert_rows(conn, schema.pi_events, EVENT_COLUMNS, events)
                conn.execute(delete(schema.findings).where(schema.findings.c.file_id.in_(ids)))
                conn.execute(delete(schema.file_summaries).where(schema.file_summaries.c.file_id.in_(ids)))
                conn.execute(update(f).where(f.c.path.in_(chunk)).values(status="removed", last_run=run_id))
            self.add_counts(run_id, {"files_removed": len(paths)}, conn)
        return len(paths)


KNOWN_COLUMNS = ("size", "mtime_ns", "inode", "status", "last_run", "content_hash")  # Inventory.known_files
FILE_COLUMNS = ("size", "mtime_ns", "inode", "owner", "mode", "reader", "status", "error", "content_hash", "last_run")


def _file_row(facts: dict, result: dict, run_id: int) -> dict:
    return {"size": facts.get("size"), "mtime_ns": facts.get("mtime_ns"), "inode": facts.get("inode"),
            "owner": facts.get("uid"), "mode": facts.get("mode"), "reader": result.get("reader"),
            "status": result["status"], "error": result.get("error"),
            "content_hash": result.get("content_hash"), "last_run": run_id}


def _insert_rows(conn, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many rows, tuples in `columns` order with JSON columns as JSON text,
    through the driver's executemany: SQLAlchemy would process every parameter of
    every row in Python, which costs the coordinator more than the database's insert."""
    if not rows:
        return
    # A plain table clause: the inventory's schema written out, no RETURNING, no casts;
    # its placeholders come in the order of `columns`.
    target = sql_table(table.name, *(sql_column(k) for k in columns), schema=_schema_name(conn))
    compiled = insert(target).compile(dialect=conn.dialect)
    if compiled.positiontup:  # ? placeholders (SQLite)
        conn.exec_driver_sql(compiled.string, rows)
    else:  # %(name)s placeholders (psycopg)
        conn.exec_driver_sql(compiled.string, [dict(zip(columns, row)) for row in rows])


def _schema_name(bind) -> Optional[str]:
    """The schema the inventory lives in (PostgreSQL), from an engine or a connection."""
    return (bind.get_execution_options().get("schema_translate_map") or {}).get(None)


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    return (values[i:i + size] for i in range(0, len(values), size))


def _file_ids(conn, paths: list[str]) -> dict[str, int]:
    f = schema.files
    return {path: file_id for chunk in _chunks(paths)
            for path, file_id in conn.execute(select(f.c.path, f.c.id).where(f.c.path.in_(chunk)))}


def _held_pairs(conn, file_ids: list[int]) -> dict[int, dict]:
    """The personal (entity type, fingerprint) pairs each file holds now, by file id."""
    fi = schema.findings
    rows: dict[int, list] = {}
    for chunk in _chunks(file_ids):
        for file_id, *pair in conn.execute(select(fi.c.file_id, *PAIR_COLUMNS)
                                           .where(fi.c.file_id.in_(chunk), fi.c.personal)):
            rows.setdefault(file_id, []).append(pair)
    return {file_id: pi_pairs(held) for file_id, held in rows.items()}


def _serialise_schema_changes(conn) -> None:
    """Take the database's write lock before looking at the schema version: SQLite's
    BEGIN IMMEDIATE (others wait up to busy_timeout), PostgreSQL's transaction-level
    advisory lock. The second of two scans started at once then finds the schema
    made and stops at the scan lock (exit 2), instead of creating tables twice."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7070707)")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # 64 MB of page cache (the default is 2 MB): findings arrive in file order but their
    # fingerprint index is random, and its inserts touch pages all over the index.
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()

"""Numbered schema migrations. `schema_version` holds one row per applied step.

To change the schema, append a step: a function taking a SQLAlchemy Connection.
Never edit a step that has shipped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Connection, case, func, insert, inspect, literal, select

from piiscan.inventory import schema
from piiscan.core.tiers import JRT0171, name_of, sql_rank


def _v1_initial(conn: Connection) -> None:
    tables = [schema.runs, schema.files, schema.findings, schema.file_summaries, schema.scan_lock]
    schema.metadata.create_all(conn, tables=tables)


def _v2_history(conn: Connection) -> None:
    """pi_events and run_totals for diffs and trends. An existing inventory gets one
    `added` event per personal (file, entity type, fingerprint) pair it holds now,
    dated with the run that wrote it: diffs and trends are exact from here on."""
    schema.metadata.create_all(conn, tables=[schema.pi_events, schema.run_totals])
    next(i for i in schema.files.indexes if i.name == "files_last_run").create(conn, checkfirst=True)
    fi = schema.findings
    rank = sql_rank(fi.c.jrt0171)
    pairs = (select(func.max(fi.c.run_id).label("run_id"), fi.c.file_id, fi.c.entity_type, fi.c.fingerprint,
                    func.max(rank).label("rank"), func.max(fi.c.jrt0197).label("jrt0197"),
                    func.max(case((fi.c.pipl_sensitive, 1), else_=0)).label("sensitive"),
                    func.min(fi.c.masked).label("masked"))
             .where(fi.c.personal).group_by(fi.c.file_id, fi.c.entity_type, fi.c.fingerprint).subquery())
    tier = case(*((pairs.c.rank == r, name_of(r)) for r in range(len(JRT0171) - 1, 0, -1)), else_="none")
    conn.execute(insert(schema.pi_events).from_select(
        ["run_id", "file_id", "entity_type", "fingerprint", "change", "jrt0171", "jrt0197", "pipl_sensitive", "masked"],
        select(pairs.c.run_id, pairs.c.file_id, pairs.c.entity_type, pairs.c.fingerprint, literal("added"), tier,
               pairs.c.jrt0197, pairs.c.sensitive == 1, pairs.c.masked)))


def _v3_sharing(conn: Connection) -> None:
    """shares and shared_values: the sharing register of `redact --recipient`."""
    schema.metadata.create_all(conn, tables=[schema.shares, schema.shared_values])


STEPS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "runs, files, findings, file_summaries, scan_lock", _v1_initial),
    (2, "pi_events, run_totals (history for diffs and trends), files_last_run index", _v2_history),
    (3, "shares, shared_values (the sharing register)", _v3_sharing),
]
LATEST = STEPS[-1][0]


def current_version(conn: Connection, schema_name: str | None = None) -> int:
    if not inspect(conn).has_table("schema_version", schema=schema_name):
        return 0
    return conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(conn: Connection, schema_name: str | None = None) -> int:
    """Apply the missing steps in order, each with its version row, in the caller's transaction."""
    schema.metadata.create_all(conn, tables=[schema.schema_version])
    version = current_version(conn, schema_name)
    if version > LATEST:
        raise RuntimeError(f"inventory schema version {version} is newer than this piiscan ({LATEST}); upgrade piiscan")
    for number, _, step in STEPS:
        if number > version:
            step(conn)
            conn.execute(schema.schema_version.insert().values(
                version=number, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
    return LATEST

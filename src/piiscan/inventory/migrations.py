"""Numbered schema migrations. `schema_version` holds one row per applied step.

To change the schema, append a step: a function taking a SQLAlchemy Connection.
Never edit a step that has shipped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Connection, inspect

from piiscan.inventory import schema


def _v1_initial(conn: Connection) -> None:
    tables = [schema.runs, schema.files, schema.findings, schema.file_summaries, schema.scan_lock]
    schema.metadata.create_all(conn, tables=tables)


STEPS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "runs, files, findings, file_summaries, scan_lock", _v1_initial),
]
LATEST = STEPS[-1][0]


def current_version(conn: Connection, schema_name: str | None = None) -> int:
    if not inspect(conn).has_table("schema_version", schema=schema_name):
        return 0
    from sqlalchemy import func, select
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

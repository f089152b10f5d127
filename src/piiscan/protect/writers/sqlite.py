"""SQLite database files: a copy of the database (SQLite's backup API: schema,
indexes, constraints, triggers and views as they are) in which every text and
number of every row of every table is redacted, with its column name as context.
All rows, not the scan's sample: `units` reads every row too, so verification
and column inference (protect.known) see the whole table."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.sql import SQLITE_MAGIC, SqlReader, cell_text, sqlite_uri


class SqliteWriter:
    name: ClassVar[str] = "sqlite"
    suffixes: ClassVar[tuple[str, ...]] = SqlReader.suffixes
    reversible: ClassVar[bool] = True
    magic: ClassVar[bytes] = SQLITE_MAGIC
    all_rows: ClassVar[bool] = True  # units() is the whole content: learn column decisions from it

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        source = _open(src)
        target = sqlite3.connect(dst)
        try:
            source.backup(target)
            for table, columns in _tables(target):
                self._table(target, table, columns, spans)
            target.commit()
        finally:
            source.close()
            target.close()

    @staticmethod
    def _table(db: sqlite3.Connection, table: str, columns: list[str], spans: Spans) -> None:
        quoted = _quote(table)
        select = f"SELECT rowid, {', '.join(map(_quote, columns))} FROM {quoted}"
        updates = []
        for row in db.execute(select):
            changed = {}
            for column, value in zip(columns, row[1:]):
                text = cell_text(value) if not isinstance(value, bytes) else None
                if text and text.strip():
                    replacements = spans(text, column)
                    if replacements:
                        changed[column] = apply(text, replacements)
            if changed:
                updates.append((row[0], changed))
        for rowid, changed in updates:
            assignments = ", ".join(f"{_quote(c)} = ?" for c in changed)
            db.execute(f"UPDATE {quoted} SET {assignments} WHERE rowid = ?", [*changed.values(), rowid])

    def units(self, path: Path) -> Iterator[TextUnit]:
        """Every row of every table: (table, column, row number), the column name as header."""
        db = _open(path)
        try:
            for table, columns in _tables(db):
                select = f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)}"
                for number, row in enumerate(db.execute(select), start=1):
                    for column, value in zip(columns, row):
                        text = cell_text(value) if not isinstance(value, bytes) else None
                        if text and text.strip():
                            yield TextUnit(text, {"table": table, "column": column, "row": number}, header=column)
        finally:
            db.close()


def _open(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(sqlite_uri(path), uri=True)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.DatabaseError as e:
        raise ReaderError(f"not a readable SQLite database ({type(e).__name__})") from None


def _tables(db: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """Tables with a rowid (WITHOUT ROWID tables, virtual tables and views are left
    to verification, which reads them all) and their columns."""
    tables = []
    for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%'"):
        if sql and ("WITHOUT ROWID" in sql.upper() or sql.upper().startswith("CREATE VIRTUAL")):
            continue
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({_quote(name)})")]
        tables.append((name, columns))
    return tables


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

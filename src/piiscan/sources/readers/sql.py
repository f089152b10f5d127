"""Databases through SQLAlchemy: PostgreSQL, MySQL/MariaDB (PyMySQL), SQLite and any
other dialect SQLAlchemy knows. Lists the tables, samples rows of each (see
sql_sampling), and turns every cell into a TextUnit with the column name as header.

A database is read, never changed: read-only sessions with a statement timeout,
SQLite files opened with `mode=ro&immutable=1` (no lock, no journal, no -wal/-shm
file beside them). URLs are shown without their password, everywhere.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterator, Optional
from urllib.parse import quote

from sqlalchemy import URL, create_engine, inspect, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import quoted_name
from sqlalchemy.sql import table as sql_table
from sqlalchemy.types import Integer, _Binary

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.sql_sampling import prepare, read_only, sample, seed_for

DEFAULT_SAMPLE_ROWS = 1000
STATEMENT_TIMEOUT = 30.0  # seconds per statement
MAX_CELL_CHARS = 1_000_000
SQLITE_MAGIC = b"SQLite format 3\x00"
SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"}
DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "mysql": "mysql+pymysql",
           "mariadb": "mariadb+pymysql"}  # the plain schemes would ask for drivers we do not install


class DatabaseError(ReaderError):
    """A database or table that cannot be read; one line, no password, no value."""


def reason(error: BaseException, url: Optional[URL] = None) -> str:
    """The driver's own first line (not SQLAlchemy's dump of the statement and its
    parameters), digit runs and the password removed."""
    from piiscan.core.errors import safe_reason  # not at import: scan imports the readers

    original = getattr(error, "orig", None) or error
    line = safe_reason(original)
    if url is not None and url.password:
        line = line.replace(str(url.password), "***")
    return line


def parse_url(target: str) -> tuple[URL, str]:
    """A SQLAlchemy URL with an optional `#schema` or `#schema.table` scope."""
    address, _, scope = target.partition("#")
    try:
        url = make_url(address)
    except (ArgumentError, ValueError):
        raise DatabaseError(f"not a database URL: {target.split('://', 1)[0]}://…") from None
    return url, scope


def check_url(target: str) -> None:
    """DatabaseError unless SQLAlchemy has a dialect for the URL (checked before a scan starts)."""
    url, _ = parse_url(target)
    try:
        url.set(drivername=DRIVERS.get(url.drivername, url.drivername)).get_dialect()
    except NoSuchModuleError:
        raise DatabaseError(f"no SQLAlchemy dialect for {url.drivername}:// URLs") from None


def shown_url(url: URL) -> str:
    """The URL as findings, logs and the inventory show it: no password, also not
    one given as a query parameter."""
    query = {k: v for k, v in url.query.items() if "pass" not in k.lower()}
    # URL.set(password=None) keeps the password (None means "unchanged"): build a new one
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, query)
    return bare.render_as_string(hide_password=False)


def sqlite_uri(path: Path) -> str:
    return f"file:{quote(str(Path(path).resolve()))}?mode=ro&immutable=1"


@dataclass(frozen=True)
class TableRef:
    schema: str
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class Sample:
    """The sampled rows of one table; keys[i] is row i+1's primary key, if any."""

    table: str
    columns: list[str]
    rows: list[tuple]
    key_columns: list[str]

    def key(self, row: int) -> Optional[dict[str, str]]:
        if not self.key_columns:
            return None
        values = self.rows[row - 1]
        return {c: cell_text(values[self.columns.index(c)]) or "" for c in self.key_columns}

    def units(self) -> Iterator[TextUnit]:
        for row_no, values in enumerate(self.rows, start=1):
            for name, value in zip(self.columns, values):
                text = cell_text(value)
                if text:
                    yield TextUnit(text, {"table": self.table, "column": name, "row": row_no}, header=name)


def cell_text(value: Any) -> Optional[str]:
    """A cell as text the recognizers read: numbers in plain digits (a BIGINT phone
    13800138000, a NUMERIC(20,0) card number), JSON as JSON; dates and binary skipped."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value[:MAX_CELL_CHARS] if value.strip() else None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e19 else repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")[:MAX_CELL_CHARS] or None
        except UnicodeDecodeError:
            return None
    if isinstance(value, (datetime, date, time, timedelta)):
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:MAX_CELL_CHARS]
    return str(value)[:MAX_CELL_CHARS] or None


class Database:
    """One database, opened read-only: its tables and a sample of each."""

    def __init__(self, url: URL, timeout: float = STATEMENT_TIMEOUT, sqlite_file: Optional[Path] = None):
        self.url, self.timeout = url, timeout
        try:
            if sqlite_file is not None or url.get_backend_name() == "sqlite":
                path = sqlite_file or Path(url.database or "")
                if not path.is_file():  # sqlite3 would create an empty database
                    raise DatabaseError(f"no such SQLite file: {path.name or '(none)'}")
                uri = sqlite_uri(path)
                self.engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
                    uri, uri=True, check_same_thread=False))
            else:
                driver = DRIVERS.get(url.drivername, url.drivername)
                if driver.endswith("+pymysql") and "charset" not in url.query:
                    url = url.update_query_dict({"charset": "utf8mb4"})  # 4-byte characters, GBK tables converted
                self.engine = create_engine(url.set(drivername=driver), pool_size=1, max_overflow=0)
        except NoSuchModuleError:
            raise DatabaseError(f"no SQLAlchemy dialect or driver for {url.drivername}://") from None
        except DatabaseError:
            raise
        # a missing driver (ImportError), a bad URL option or path: one line, never the URL
        except (SQLAlchemyError, ImportError, ValueError, OSError) as e:
            raise DatabaseError(reason(e, url)) from None
        prepare(self.engine, timeout)

    def close(self) -> None:
        self.engine.dispose()

    def tables(self, scope: str = "") -> list[TableRef]:
        """Tables outside system schemas (views skipped: they may join anything), within
        `scope` (a schema, or schema.table) if given. MySQL: the URL's database if it names one."""
        try:
            with read_only(self.engine, self.timeout) as conn:
                inspector = inspect(conn)
                if conn.dialect.name == "mysql" and self.url.database:
                    schemas = [self.url.database]
                elif conn.dialect.name == "sqlite":
                    schemas = ["main"]
                else:
                    schemas = [s for s in inspector.get_schema_names() if s.lower() not in SYSTEM_SCHEMAS
                               and not s.lower().startswith(("pg_temp", "pg_toast"))]
                found = [TableRef(s, t) for s in schemas for t in inspector.get_table_names(schema=s)]
        # driver errors come wrapped by SQLAlchemy; PyMySQL rejects an unknown URL option
        # (?foo=bar) with a bare TypeError at connect time
        except (SQLAlchemyError, TypeError) as e:
            raise DatabaseError(f"cannot list tables: {reason(e, self.url)}") from None
        if scope:
            found = [t for t in found if scope in (t.schema, t.qualified)]
            if not found:
                raise DatabaseError(f"no table matches #{scope}")
        return found

    def sample(self, table: TableRef, rows: int = DEFAULT_SAMPLE_ROWS) -> Sample:
        try:
            with read_only(self.engine, self.timeout) as conn:
                inspector = inspect(conn)
                described = inspector.get_columns(table.name, schema=table.schema)
                key = inspector.get_pk_constraint(table.name, schema=table.schema).get("constrained_columns") or []
                if conn.dialect.name in ("mysql", "mariadb"):  # reflection from SHOW CREATE TABLE keeps `` escaped
                    described = [c | {"name": c["name"].replace("``", "`")} for c in described]
                    key = [k.replace("``", "`") for k in key]
                types = {c["name"]: c["type"] for c in described}
                # binary columns (images, files) are not text; everything else is read
                names = [c["name"] for c in described if not isinstance(c["type"], _Binary)]
                key = [k for k in key if k in names]
                clause = sql_table(quoted_name(table.name, True), *(sql_column(quoted_name(n, True)) for n in names),
                                   schema=quoted_name(table.schema, True))
                integer_key = key[0] if len(key) == 1 and isinstance(types[key[0]], Integer) else None
                found = sample(conn, clause, names, integer_key, rows, seed_for(table.qualified)) if names else []
        except (SQLAlchemyError, UnicodeDecodeError) as e:  # text the driver cannot decode, too
            raise DatabaseError(reason(e, self.url)) from None
        return Sample(table.qualified, names, [tuple(r) for r in found], key)

    def samples(self, scope: str = "", rows: int = DEFAULT_SAMPLE_ROWS
                ) -> Iterator[tuple[TableRef, Optional[Sample], Optional[str]]]:
        """(table, sample, None) per table, or (table, None, one-line error) for a table that fails."""
        for table in self.tables(scope):
            try:
                yield table, self.sample(table, rows), None
            except DatabaseError as e:
                yield table, None, str(e)


class SqlReader:
    """SQLite files met on a drive (by their header, whatever their name) and database
    URLs. `read(path)` gives every table of a SQLite file; URLs are scanned table by
    table through piiscan.pipeline.databases."""

    name: ClassVar[str] = "sql"
    suffixes: ClassVar[tuple[str, ...]] = (".db", ".sqlite", ".sqlite3")
    magic: ClassVar[bytes] = SQLITE_MAGIC  # the suffix alone is not enough (Thumbs.db is not SQLite)
    schemes: ClassVar[tuple[str, ...]] = ("postgresql", "postgres", "mysql", "mariadb", "sqlite", "*")

    def __init__(self, sample_rows: int = DEFAULT_SAMPLE_ROWS, timeout: float = STATEMENT_TIMEOUT):
        self.sample_rows, self.timeout = sample_rows, timeout

    def open(self, target: str | Path) -> tuple[Database, str]:
        """A database URL (with an optional #scope) or a SQLite file, and the scope."""
        if isinstance(target, Path):
            return Database(URL.create("sqlite", database=str(target)), self.timeout, sqlite_file=target), ""
        url, scope = parse_url(target)
        return Database(url, self.timeout), scope

    def read(self, path: Path, on_sample: Optional[Callable[[Sample], None]] = None) -> Iterator[TextUnit]:
        """Every table of a SQLite file; `on_sample` sees each table's sample (its keys)."""
        database, _ = self.open(path)
        failed = []
        try:
            for table, found, error in database.samples(rows=self.sample_rows):
                if error:
                    failed.append(f"{table.qualified}: {error}")
                else:
                    if on_sample:
                        on_sample(found)
                    yield from found.units()
        finally:
            database.close()
        if failed:  # the other tables were read; their findings are kept
            raise ReaderError(f"{len(failed)} table(s) not read: {'; '.join(failed)}")

"""Read-only sessions and row sampling per SQL dialect, for the sql reader.

Nothing here writes or locks: every session is read-only with a statement
timeout, transactions last one sample, and no statement reads a big table whole.
Samples are seeded by the table's name, so an unchanged table gives the same rows
on every scan and a nightly inventory does not report old rows as new PI.
"""

from __future__ import annotations

import random
import sqlite3
import time
import zlib
from contextlib import contextmanager
from typing import Iterator, Sequence

from sqlalchemy import Connection, Engine, event, func, literal_column, select, text
from sqlalchemy.sql.expression import TableClause

BERNOULLI_MAX_ROWS = 100_000  # up to this size reading every row to pick some is cheap
OVERSAMPLE = 5.0  # sample five times the rows wanted, keep a random fifth: more pages, less clustering
KEY_RANGES = 10  # random primary-key ranges per sample
LOCK_TIMEOUT_S = 5  # give up rather than queue behind (and block) a schema change


def prepare(engine: Engine, timeout: float) -> None:
    """Session settings applied to every new connection of `engine`."""
    if engine.dialect.name == "mysql":  # MySQL and MariaDB (the mariadb:// scheme is this dialect too)
        event.listen(engine, "connect", lambda dbapi_conn, _record: _mysql_session(dbapi_conn, timeout))
    elif engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_session)


def _mysql_session(dbapi_conn, timeout: float) -> None:
    """Session variables are not transactional in MySQL: set once per connection.
    READ COMMITTED keeps plain SELECTs non-locking even where the server's default
    is SERIALIZABLE (which turns them into shared-lock reads)."""
    cur = dbapi_conn.cursor()
    cur.execute("SELECT VERSION()")
    mariadb = "mariadb" in str(cur.fetchone()[0]).lower()
    cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
    cur.execute("SET SESSION TRANSACTION READ ONLY")
    cur.execute(f"SET SESSION lock_wait_timeout = {LOCK_TIMEOUT_S}")
    if mariadb:
        cur.execute(f"SET SESSION max_statement_time = {float(timeout)}")  # seconds
    else:
        cur.execute(f"SET SESSION max_execution_time = {int(timeout * 1000)}")  # milliseconds, SELECT only
    cur.close()


def _sqlite_session(dbapi_conn, _record) -> None:
    dbapi_conn.execute("PRAGMA query_only = ON")


@contextmanager
def read_only(engine: Engine, timeout: float) -> Iterator[Connection]:
    """A connection inside one short read-only transaction, always rolled back."""
    with engine.connect() as conn:
        name = conn.dialect.name
        if name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_S * 1000}")
        raw = conn.connection.dbapi_connection if name == "sqlite" else None
        if isinstance(raw, sqlite3.Connection):  # SQLite has no statement timeout: interrupt from the VM
            deadline = time.monotonic() + timeout
            raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield conn
        finally:
            conn.rollback()
            if isinstance(raw, sqlite3.Connection):
                raw.set_progress_handler(None, 0)


def seed_for(qualified: str) -> int:
    return zlib.crc32(qualified.encode("utf-8")) & 0x7FFFFFFF


def sample(conn: Connection, table: TableClause, columns: Sequence[str], integer_key: str | None, n: int,
           seed: int) -> list:
    """Up to n rows of `columns`, spread over the table where the dialect allows."""
    if conn.dialect.name == "postgresql":
        return _postgres(conn, table, columns, n, seed)
    if integer_key is not None:
        return _key_ranges(conn, table, columns, integer_key, n, seed)
    return first_rows(conn, table, columns, n)


def first_rows(conn: Connection, table: TableClause, columns: Sequence[str], n: int) -> list:
    """LIMIT without ORDER BY: every engine stops reading after n rows (a sequential
    scan or clustered-index walk cut short), so this is bounded however big the table.
    The rows are the first ones stored, not a random choice: the fallback."""
    return conn.execute(select(*(table.c[c] for c in columns)).limit(n)).all()


def _postgres(conn: Connection, table: TableClause, columns: Sequence[str], n: int, seed: int) -> list:
    """TABLESAMPLE sized from the planner's row estimate (EXPLAIN: statistics, or the
    current page count when the table was never analysed): SYSTEM for big tables
    reads only the sampled pages; BERNOULLI for medium ones reads every page but
    picks rows evenly; a table no bigger than the sample is read with LIMIT.
    The sample is OVERSAMPLE times too big and thinned at random here: a LIMIT
    would keep the first pages only (SYSTEM takes whole pages, in page order)."""
    estimate = planner_rows(conn, table)
    if estimate <= n:
        return first_rows(conn, table, columns, n)
    method = func.bernoulli if estimate <= BERNOULLI_MAX_ROWS else func.system
    percent = min(100.0, 100.0 * OVERSAMPLE * n / estimate)
    sampled = table.tablesample(method(percent), seed=literal_column(str(seed)))
    cap = int(OVERSAMPLE * n * 2)  # statistics far too low must not make it read much more
    rows = conn.execute(select(*(sampled.c[c] for c in columns)).limit(cap)).all()
    if len(rows) < min(n, estimate) / 4:  # statistics far off (the table shrank): take what is there
        return first_rows(conn, table, columns, n)
    if len(rows) > n:
        keep = sorted(random.Random(seed).sample(range(len(rows)), n))
        rows = [rows[i] for i in keep]
    return rows


def planner_rows(conn: Connection, table: TableClause) -> float:
    statement = select(literal_column("1")).select_from(table).compile(conn)
    plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) {statement}")).scalar()
    return float(plan[0]["Plan"]["Plan Rows"])


def _key_ranges(conn: Connection, table: TableClause, columns: Sequence[str], key: str, n: int, seed: int) -> list:
    """MySQL/MariaDB (and SQLite, other dialects) have no TABLESAMPLE; ORDER BY RAND()
    and WHERE RAND() < p read every row. Instead: MIN/MAX of an integer primary key
    (two index look-ups), then KEY_RANGES index range scans, each from a random point
    in its own stretch of the key (so the sample spans the table), each reading
    n/KEY_RANGES rows. Topped up from the start of the key if the ranges
    fell in gaps. Every statement reads at most n rows."""
    k = table.c[key]
    low, high = conn.execute(select(func.min(k), func.max(k))).one()
    if low is None:
        return []
    if not (isinstance(low, int) and isinstance(high, int)) or high - low < n:  # at most n rows (or SQLite
        # holding text in an INTEGER column): read them all
        return first_rows(conn, table, columns, n)
    rng = random.Random(seed)
    per_range = -(-n // KEY_RANGES)
    position = list(columns).index(key)
    rows: dict = {}
    chosen = select(*(table.c[c] for c in columns))
    stride = (high - low + 1) / KEY_RANGES  # one start in each stretch: no seed clusters them
    starts = [low + int(i * stride) + rng.randrange(max(1, int(stride))) for i in range(KEY_RANGES)]
    for start in starts:
        for row in conn.execute(chosen.where(k >= start).order_by(k).limit(per_range)):
            rows.setdefault(row[position], row)
    if len(rows) < n:
        for row in conn.execute(chosen.order_by(k).limit(n)):
            if len(rows) >= n:
                break
            rows.setdefault(row[position], row)
    return [rows[key_value] for key_value in sorted(rows)][:n]

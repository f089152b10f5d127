"""Sampling a table of two million rows reads a small part of it, shown by the
servers' own counters of rows read (not by timing), with a full scan as control."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.sql import column, table

from piiscan.sources.readers.sql import Database, TableRef, parse_url
from piiscan.sources.readers.sql_sampling import sample, seed_for

from .conftest import scratch

pytestmark = pytest.mark.db
ROWS = 2_000_000
COLUMNS = ["id", "phone", "note"]


@pytest.fixture(scope="module")
def pg_big():
    def setup(conn, quoted):  # made by the server: generate_series, no rows sent
        conn.exec_driver_sql(f"CREATE TABLE {quoted}.big (id BIGINT PRIMARY KEY, phone BIGINT, note TEXT)")
        conn.exec_driver_sql(f"INSERT INTO {quoted}.big SELECT g, 13800000000 + g, '备注' "
                             f"FROM generate_series(1, {ROWS}) g")

    with scratch("postgresql", setup) as made:
        yield made


@pytest.fixture(scope="module")
def maria_big():
    def setup(conn, quoted):  # made by the server from its sequence engine
        conn.exec_driver_sql(f"CREATE TABLE {quoted}.big (id BIGINT PRIMARY KEY, phone BIGINT, note VARCHAR(10))")
        conn.exec_driver_sql(f"INSERT INTO {quoted}.big SELECT seq, 13800000000 + seq, '备注' FROM seq_1_to_{ROWS}")

    with scratch("mysql", setup) as made:
        yield made


def big_table(schema: str):
    return table("big", *(column(c) for c in COLUMNS), schema=schema)


def pg_rows_read(conn, schema: str) -> int:
    """Rows this transaction has read from the table, by sequential, sample or index scans."""
    return conn.exec_driver_sql(
        "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables "
        "WHERE schemaname = %s AND relname = 'big'", (schema,)).scalar()


def maria_rows_read(conn) -> int:
    """Rows this session's handler has read, by any access path."""
    return sum(int(v) for k, v in conn.exec_driver_sql("SHOW SESSION STATUS LIKE 'Handler_read%%'").all())


def test_postgres_samples_a_big_table_without_reading_it(pg_big):
    url, schema = pg_big
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET max_parallel_workers_per_gather = 0")  # parallel workers count elsewhere
            clause = big_table(schema)
            rows = sample(conn, clause, COLUMNS, "id", 1000, seed_for(f"{schema}.big"))
            sampled = pg_rows_read(conn, schema)
            conn.execute(select(func.sum(clause.c.phone)).select_from(clause)).scalar()  # control: a full scan
            full = pg_rows_read(conn, schema) - sampled
            plan = conn.exec_driver_sql(
                f'EXPLAIN (FORMAT JSON) SELECT * FROM "{schema}".big TABLESAMPLE SYSTEM (0.1) LIMIT 1000').scalar()
            conn.rollback()
    finally:
        engine.dispose()
    assert full >= ROWS  # the counter sees a full scan when there is one
    assert len(rows) == 1000
    assert 1000 <= sampled <= ROWS // 100  # the sample read at most 1% of the rows
    ids = sorted(r[0] for r in rows)
    assert ids[-1] - ids[0] > ROWS // 2  # spread over the table, not its first pages
    assert plan[0]["Plan"]["Plans"][0]["Node Type"] == "Sample Scan"


def test_mariadb_samples_a_big_table_by_key_ranges_without_reading_it(maria_big):
    url, name = maria_big
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            clause = big_table(name)
            before = maria_rows_read(conn)
            rows = sample(conn, clause, COLUMNS, "id", 1000, seed_for(f"{name}.big"))
            sampled = maria_rows_read(conn) - before
            conn.execute(select(func.sum(clause.c.phone)).select_from(clause)).scalar()  # control: a full scan
            full = maria_rows_read(conn) - before - sampled
            conn.rollback()
    finally:
        engine.dispose()
    assert full >= ROWS
    assert len(rows) == 1000
    assert sampled <= 5000  # ten index ranges of 100 rows, and the key's two ends
    ids = sorted(r[0] for r in rows)
    assert ids[-1] - ids[0] > ROWS // 2


@pytest.mark.parametrize("server_fixture", ["pg_big", "maria_big"])
def test_the_reader_samples_big_tables_the_same_way_every_time(server_fixture, request):
    url, schema = request.getfixturevalue(server_fixture)
    db = Database(parse_url(url)[0])
    try:
        first = db.sample(TableRef(schema, "big"), 500)
        again = db.sample(TableRef(schema, "big"), 500)
    finally:
        db.close()
    assert len(first.rows) == 500 and first.key_columns == ["id"]
    assert first.rows == again.rows  # seeded: an unchanged table gives the same rows, so no "new" PI
    assert all(phone == 13800000000 + key for key, phone, _ in first.rows)

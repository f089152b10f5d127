"""The sql reader against the real PostgreSQL and MariaDB servers: tables listed and
sampled with their values intact (GBK, utf8mb4, BIGINT), findings per table with
their keys, read-only sessions, timeouts and missing permissions as one-line errors."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from piiscan.pipeline.databases import scan_database
from piiscan.sources.readers.sql import Database, parse_url
from piiscan.sources.readers.sql_sampling import read_only

from .conftest import unique

pytestmark = pytest.mark.db


@pytest.fixture(params=["postgresql", "mariadb"])
def database(request):
    """(URL to scan, scope, tables, SQL dialect) for each server."""
    if request.param == "postgresql":
        url, schema, tables = request.getfixturevalue("pg_schema")
        return url, schema, tables, "postgresql"
    url, name, tables = request.getfixturevalue("maria_db")
    return url, "", tables, "mysql"


def open_db(url: str, timeout: float = 30.0) -> Database:
    return Database(parse_url(url)[0], timeout)


def test_tables_are_listed_and_values_come_back_intact(database):
    url, scope, tables, _ = database
    db = open_db(url)
    try:
        listed = db.tables(scope)
        assert sorted(t.name for t in listed) == sorted(t.name for t in tables)
        for ref in listed:
            table = next(t for t in tables if t.name == ref.name)
            sample = db.sample(ref)
            assert sample.columns == [c for c, _ in table.columns]
            assert sample.key_columns == [table.key]
            # a small table is read whole; GBK and four-byte characters intact, BIGINT as int
            assert sorted(sample.rows) == sorted(table.rows)
    finally:
        db.close()


def test_each_table_is_a_source_with_exact_findings(database, db_scanner):
    url, scope, tables, _ = database
    results = {r.path: r for r in scan_database(db_scanner, url + (f"#{scope}" if scope else ""))}
    base = url.split("#")[0]
    schema = scope or url.rsplit("/", 1)[1]
    assert set(results) == {f"{base}#{schema}.{t.name}" for t in tables}
    for table in tables:
        result = results[f"{base}#{schema}.{table.name}"]
        assert result.reader == "sql" and result.error is None
        assert Counter(f.entity_type for f in result.findings) == table.expected, table.name
        assert all(f.location["table"] == f"{schema}.{table.name}" and "key" in f.location for f in result.findings)
    persons = results[f"{base}#{schema}.persons"].findings
    raw_keys = {row[0] for row in tables[3].rows}
    assert not {f.location["key"]["sfzh"] for f in persons} & raw_keys  # an ID number as key is stored masked
    contacts = results[f"{base}#{schema}.contacts"]
    sjhm = next(c for c in contacts.classification.columns if c.column["column"] == "sjhm")
    assert (sjhm.entity_type, sjhm.share, sjhm.sample_size) == ("CN_MOBILE", 1.0, 30)  # BIGINT phones


def test_sessions_are_read_only(database):
    url, scope, tables, dialect = database
    db = open_db(url)
    target = f'"{scope}"."contacts"' if dialect == "postgresql" else "`contacts`"
    try:
        with pytest.raises(DBAPIError, match="(?i)read.only"):
            with read_only(db.engine, 5.0) as conn:
                conn.execute(text(f"INSERT INTO {target} VALUES (1, '张三', 13800138000)"))
    finally:
        db.close()


def test_a_locked_table_times_out_as_one_line_and_the_others_are_read(database):
    """Another session holds an exclusive lock: our statement gives up at the timeout
    instead of waiting (and the scan goes on with the next table)."""
    url, scope, tables, dialect = database
    locker = create_engine(url)
    conn = locker.connect()
    if dialect == "postgresql":
        conn.exec_driver_sql(f'LOCK TABLE "{scope}"."persons" IN ACCESS EXCLUSIVE MODE')
    else:
        conn.exec_driver_sql("LOCK TABLES `persons` WRITE")
    db = open_db(url, timeout=1.0)
    try:
        outcome = {t.name: (s, e) for t, s, e in db.samples(scope)}
    finally:
        db.close()
        conn.rollback() if dialect == "postgresql" else conn.exec_driver_sql("UNLOCK TABLES")
        conn.close()
        locker.dispose()
    sample, error = outcome.pop("persons")
    assert sample is None and "\n" not in error
    assert any(word in error.lower() for word in ("timeout", "max_statement_time", "interrupted")), error
    assert all(s is not None and e is None for s, e in outcome.values())


def test_a_table_without_permission_is_one_line_and_the_others_are_read(pg_schema, db_scanner):
    url, schema, tables = pg_schema
    role = unique("piiscan_reader")
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        for t in tables:
            if t.name != "persons":
                conn.exec_driver_sql(f'GRANT SELECT ON "{schema}"."{t.name}" TO "{role}"')
    try:
        limited = url.replace("postgres@", f"{role}@")
        results = {r.path.rsplit(".", 1)[1]: r for r in scan_database(db_scanner, f"{limited}#{schema}")}
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()
    assert "permission denied" in results["persons"].error.reason
    assert all(r.error is None and r.findings for name, r in results.items() if name != "persons")


def test_the_password_never_shows(pg_schema, db_scanner):
    """Trust authentication ignores the password, so the URL with one still connects."""
    url, schema, tables = pg_schema
    secret = "Zq8-secret-pw"
    with_password = url.replace("postgres@", f"postgres:{secret}@")
    shown = [r.path for r in scan_database(db_scanner, f"{with_password}#{schema}")]
    assert len(shown) == len(tables) and not any(secret in s for s in shown)
    down = with_password.replace(":5432", ":1")  # nothing listens there
    failed = list(scan_database(db_scanner, f"{down}#{schema}"))
    assert len(failed) == 1 and secret not in failed[0].path + failed[0].error.reason
    assert failed[0].error.reason.startswith("cannot list tables")


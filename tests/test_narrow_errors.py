"""The sites that used to catch every Exception now catch what the library raises:
bad input still gets one clear line, and anything else (a bug) is no longer hidden."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from piiscan.cli import app
from piiscan.cli.app import UsageError
from piiscan.reports.data import public_url
from piiscan.sources.readers.sql import Database, DatabaseError, TableRef


def test_a_missing_database_driver_is_one_line(tmp_path):
    # pyodbc is not installed: SQLAlchemy's dialect raises ImportError at create_engine
    with pytest.raises(DatabaseError) as caught:
        Database(make_url("mssql+pyodbc://reader:secret@db.example/hr"))
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_that_is_not_sqlite_fails_listing_with_one_line(tmp_path):
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is a text file, long enough to look like a header" * 20)
    db = Database(make_url(f"sqlite:///{path}"), sqlite_file=path)
    try:
        with pytest.raises(DatabaseError, match="cannot list tables"):
            db.tables()
    finally:
        db.close()


def test_sampling_a_missing_table_is_a_database_error(tmp_path):
    path = tmp_path / "one.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("create table people (id integer primary key, name text)")
    db = Database(make_url(f"sqlite:///{path}"), sqlite_file=path)
    try:
        with pytest.raises(DatabaseError):
            db.sample(TableRef("main", "nobody_here"))
    finally:
        db.close()


def test_public_url_hides_the_password_and_survives_a_bad_port():
    assert "secret" not in public_url("postgresql://u:secret@db.example/inv")
    assert "secret" not in public_url("postgresql://u@db.example/inv?password=secret")  # one hider for both
    assert public_url("postgresql://u:secret@db.example:notaport/inv") == "postgresql://…"


def test_an_inventory_url_sqlalchemy_cannot_open_is_a_usage_error():
    result = CliRunner().invoke(app, ["report", "--inventory", "nosuchdialect://x/y", "-f", "json", "-o", "x.json"])
    # main() turns UsageError into exit code 2 and one line (test_cli_sample_data checks that path)
    assert isinstance(result.exception, UsageError), result.output
    assert "cannot open the inventory: NoSuchModuleError" in str(result.exception)

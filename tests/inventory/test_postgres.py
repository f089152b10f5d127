"""The same scan into PostgreSQL (local server, trust auth, database `test`, a
schema of its own dropped afterwards) gives the same rows as SQLite.

With CI=true a missing server is a failure; elsewhere the test is skipped with the reason."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from piiscan.inventory.run import Options, scan_inventory
from servers import require_server

from .conftest import make_tree, snapshot

KEY = b"inventory-test-key"
pytestmark = pytest.mark.db


def _server_url() -> str:
    return require_server("PostgreSQL at 127.0.0.1:5432/test",
                          [f"postgresql+psycopg://{user}@127.0.0.1:5432/test" for user in ("postgres", "root")])


@pytest.fixture
def pg_schema():
    url = _server_url()
    name = f"piiscan_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'create schema "{name}"'))
    try:
        yield url, name
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'drop schema "{name}" cascade'))
        engine.dispose()


def test_postgres_inventory_equals_sqlite(tmp_path, pg_schema):
    url, name = pg_schema
    root = tmp_path / "share"
    make_tree(root, n=10)
    lite = f"sqlite:///{tmp_path / 'inv.db'}"
    scan_inventory(lite, Options([str(root)], jobs=1, ner=False), KEY)
    code, row = scan_inventory(url, Options([str(root)], jobs=1, ner=False), KEY, schema_name=name)
    assert code == 1 and row["files_read"] == 10
    assert snapshot(url, name) == snapshot(lite)
    (root / "dept1" / "note001.txt").unlink()
    code, row = scan_inventory(url, Options([str(root)], jobs=1, ner=False, incremental=True), KEY, schema_name=name)
    assert code == 0 and row["files_read"] == 0 and row["files_removed"] == 1

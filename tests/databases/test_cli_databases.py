"""`piiscan scan` with database URLs and a drive holding SQLite files, end to end:
exact counts, the per-column summary, JSON output, the inventory (one row per
table, re-sampled each run) — and no raw value or password in any output."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from .conftest import customer_tables, make_sqlite, pg_tables, total

pytestmark = pytest.mark.db
PIISCAN = str(Path(sys.executable).with_name("piiscan"))
SECRET = "Kx7-never-shown"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PIISCAN, *args], capture_output=True, text=True, timeout=600,
                          env=os.environ | {"COLUMNS": "200"})


def with_password(url: str, schema: str) -> tuple[str, str]:
    """The target as a user types it (the password ignored by trust authentication), and as it is shown."""
    rest = url.split("@", 1)[1]
    return f"postgresql://postgres:{SECRET}@{rest}#{schema}", f"postgresql://postgres@{rest}#{schema}"


def leaks(text: str, tables) -> list[str]:
    raw = set().union(*(t.raw_values() for t in tables))
    return [v for v in raw | {SECRET} if v in text]


def test_scan_a_database_and_a_drive(pg_schema, tmp_path):
    url, schema, tables = pg_schema
    target, shown = with_password(url, schema)
    drive = tmp_path / "share"
    drive.mkdir()
    make_sqlite(drive / "客户.db", tables[:2])
    (drive / "export.dat").write_bytes((drive / "客户.db").read_bytes())  # found by its header
    out = tmp_path / "findings.jsonl"
    done = run("scan", target, str(drive), "--no-ner", "-o", str(out))
    assert done.returncode == 1, done.stderr
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = {f"{shown}.{t.name}": sum(t.expected.values()) for t in tables}
    expected |= {str(drive / "客户.db"): 260, str(drive / "export.dat"): 260}
    assert Counter(f["path"] for f in findings) == expected
    entities = Counter(f["entity_type"] for f in findings)
    assert entities == Counter(total(tables)) + Counter(total(tables[:2])) + Counter(total(tables[:2]))
    one = next(f for f in findings if f["path"] == f"{shown}.persons")
    assert set(one["location"]) == {"table", "column", "row", "key"} and "*" in one["location"]["key"]["sfzh"]
    assert "database columns" in done.stderr and f"{schema}.contacts" in done.stderr
    assert "database tables and SQLite files scanned: 6" in done.stderr
    assert leaks(out.read_text(encoding="utf-8") + done.stdout + done.stderr, tables) == []


def test_json_output_has_the_classified_columns(pg_schema, tmp_path):
    url, schema, tables = pg_schema
    target, shown = with_password(url, schema)
    out = tmp_path / "report.json"
    done = run("scan", f"{target}.客户信息", "--no-ner", "--format", "json", "-o", str(out))
    assert done.returncode == 1, done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    [source] = document["files"]
    assert (source["path"], source["reader"]) == (f"{shown}.客户信息", "sql")
    columns = {c["column"]["column"]: (c["entity_type"], c["share"], c["sample_size"], c["confidence"])
               for c in source["columns"]}
    assert columns == {"姓名": ("PERSON", 1.0, 40, 0.85), "身份证号": ("CN_RESIDENT_ID", 1.0, 40, 1.0),
                       "手机号": ("CN_MOBILE", 1.0, 40, 1.0), "银行卡号": ("CN_BANK_CARD", 1.0, 40, 1.0),
                       "地址": ("CN_ADDRESS", 1.0, 40, 0.85)}
    assert leaks(out.read_text(encoding="utf-8") + done.stderr, tables) == []


def test_a_bad_url_is_a_usage_error_without_the_password(tmp_path):
    done = run("scan", f"nosuchdb://user:{SECRET}@host/db")
    assert done.returncode == 2 and SECRET not in done.stderr
    assert "no SQLAlchemy dialect for nosuchdb://" in done.stderr


def inventory_rows(path: Path) -> dict:
    conn = sqlite3.connect(path)
    files = {r[0]: r[1:] for r in conn.execute("SELECT path, reader, status, size, mtime_ns, inode, id FROM files")}
    found = Counter(r[0] for r in conn.execute("SELECT f.path FROM findings x JOIN files f ON f.id = x.file_id"))
    columns = {r[0]: json.loads(r[1]) for r in conn.execute(
        "SELECT f.path, s.columns FROM file_summaries s JOIN files f ON f.id = s.file_id")}
    roots = [json.loads(r[0]) for r in conn.execute("SELECT roots FROM runs ORDER BY id")]
    dump = "\n".join(conn.iterdump())
    conn.close()
    return {"files": files, "findings": found, "columns": columns, "roots": roots, "dump": dump}


def test_inventory_one_row_per_table_resampled_every_run(tmp_path):
    tables = customer_tables()
    with pg_tables(tables) as (url, schema):
        target, shown = with_password(url, schema)
        inventory = tmp_path / "inv.db"
        first = run("scan", target, "--inventory", f"sqlite:///{inventory}", "--no-ner", "--jobs", "1")
        assert first.returncode == 1, first.stderr
        rows = inventory_rows(inventory)
        assert {p: r[:5] for p, r in rows["files"].items()} == {
            f"{shown}.{t.name}": ("sql", "ok", None, None, None) for t in tables}
        assert rows["findings"] == {f"{shown}.{t.name}": sum(t.expected.values()) for t in tables}
        sjhm = next(c for c in rows["columns"][f"{shown}.contacts"] if c["column"]["column"] == "sjhm")
        assert (sjhm["column"]["table"], sjhm["entity_type"], sjhm["sample_size"]) == (
            f"{schema}.contacts", "CN_MOBILE", 30)

        again = run("scan", target, "--inventory", f"sqlite:///{inventory}", "--no-ner", "--jobs", "1",
                    "--incremental")
        assert again.returncode == 0, again.stderr  # re-sampled: the same rows, nothing new
        assert inventory_rows(inventory)["findings"] == rows["findings"]

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP TABLE "{schema}"."contacts"')
        engine.dispose()
        third = run("scan", target, "--inventory", f"sqlite:///{inventory}", "--no-ner", "--jobs", "1")
        assert third.returncode == 0, third.stderr
        final = inventory_rows(inventory)
        assert final["files"][f"{shown}.contacts"][1] == "removed"
        assert f"{shown}.contacts" not in final["findings"]
    logs = first.stderr + again.stderr + third.stderr
    assert leaks(final["dump"] + logs, tables) == []
    assert final["roots"] == [[shown]] * 3  # each run records the URL without its password

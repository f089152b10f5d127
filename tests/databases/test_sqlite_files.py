"""SQLite files met on a drive: found by their header, read table by table without
ever being modified, findings located by table, column, row and primary key."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter

from piiscan.pipeline.databases import scan_path, scan_targets
from piiscan.sources.readers import reader_for
from piiscan.sources.readers.sql import SqlReader

from .conftest import customer_tables, make_sqlite, total


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_sqlite_file_is_scanned_table_by_table(db_scanner, tmp_path):
    tables = customer_tables()
    db = make_sqlite(tmp_path / "客户.db", tables)
    result = scan_path(db_scanner, db)
    assert result.reader == "sql" and result.error is None
    assert Counter(f.entity_type for f in result.findings) == total(tables)
    by_table = Counter(f.location["table"] for f in result.findings)
    assert by_table == {f"main.{t.name}": sum(t.expected.values()) for t in tables}
    customers = tables[0]
    first_id = next(f for f in result.findings if f.location["table"] == "main.客户信息"
                    and f.entity_type == "CN_RESIDENT_ID" and f.location["row"] == 1)
    # rows come in primary-key order here (a small table is read whole)
    assert first_id.location == {"table": "main.客户信息", "column": "身份证号", "row": 1, "key": {"编号": "1"}}
    assert first_id.value == customers.rows[0][2]
    assert first_id.masked == customers.rows[0][2][:6] + "********" + customers.rows[0][2][-4:]


def test_the_bigint_phone_column_and_the_reserved_word_table_are_read(db_scanner, tmp_path):
    tables = customer_tables()
    result = scan_path(db_scanner, make_sqlite(tmp_path / "c.db", tables))
    phones = [f for f in result.findings if f.location["table"] == "main.contacts" and f.entity_type == "CN_MOBILE"]
    assert sorted(f.value for f in phones) == sorted(str(row[2]) for row in tables[1].rows)
    assert all(f.location["column"] == "sjhm" and f.score == 1.0 for f in phones)  # the pinyin header names it
    order = Counter((f.location["column"], f.entity_type) for f in result.findings
                    if f.location["table"] == "main.Order")
    assert order == {("Name", "PERSON"): 10, ("select", "CN_MOBILE"): 10, ("身份证 号", "CN_RESIDENT_ID"): 10}


def test_a_primary_key_that_is_pi_is_stored_masked(db_scanner, tmp_path):
    tables = customer_tables()
    result = scan_path(db_scanner, make_sqlite(tmp_path / "p.db", tables))
    persons = [f for f in result.findings if f.location["table"] == "main.persons"]
    raw_ids = {row[0] for row in tables[3].rows}
    assert len(persons) == 40
    for f in persons:
        key = f.location["key"]["sfzh"]
        assert key not in raw_ids and "********" in key
        assert key[:6] + key[-4:] in {i[:6] + i[-4:] for i in raw_ids}


def test_columns_are_classified_once_with_share_and_sample_size(db_scanner, tmp_path):
    result = scan_path(db_scanner, make_sqlite(tmp_path / "c.db", customer_tables()))
    columns = {(c.column["table"], c.column["column"]): c for c in result.classification.columns}
    assert {k: v.entity_type for k, v in columns.items() if k[0] == "main.客户信息"} == {
        ("main.客户信息", "姓名"): "PERSON", ("main.客户信息", "身份证号"): "CN_RESIDENT_ID",
        ("main.客户信息", "手机号"): "CN_MOBILE", ("main.客户信息", "银行卡号"): "CN_BANK_CARD",
        ("main.客户信息", "地址"): "CN_ADDRESS"}
    sjhm = columns[("main.contacts", "sjhm")]
    assert (sjhm.entity_type, sjhm.share, sjhm.sample_size, sjhm.confidence) == ("CN_MOBILE", 1.0, 30, 1.0)
    xm = columns[("main.persons", "xm")]
    assert "names it" in xm.explanation  # xm: pinyin initials of 姓名
    assert xm.confidence == 0.85  # a name under a name header scores 0.85: no checksum to pass


def test_sqlite_is_recognised_by_its_header_not_its_name(tmp_path):
    db = make_sqlite(tmp_path / "backup.db", customer_tables()[:1])
    disguised = tmp_path / "export.dat"
    disguised.write_bytes(db.read_bytes())
    no_suffix = tmp_path / "客户库"
    no_suffix.write_bytes(db.read_bytes())
    thumbs = tmp_path / "Thumbs.db"  # Windows thumbnail caches are OLE files, not SQLite
    thumbs.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    not_sqlite = tmp_path / "notes.sqlite"
    not_sqlite.write_text("身份证号 11010519491231002X", encoding="utf-8")
    assert isinstance(reader_for(db), SqlReader)
    assert isinstance(reader_for(disguised), SqlReader)
    assert isinstance(reader_for(no_suffix), SqlReader)
    assert reader_for(thumbs) is None and reader_for(not_sqlite) is None
    assert reader_for(tmp_path / "empty.bin") is None  # does not exist: nothing to peek


def test_the_original_file_is_never_modified(db_scanner, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    make_sqlite(folder / "clients.sqlite3", customer_tables())
    wal = make_sqlite(folder / "wal.db", customer_tables()[:2])
    conn = sqlite3.connect(wal)
    conn.execute("PRAGMA journal_mode=WAL")  # a WAL database would want -wal/-shm files beside it
    conn.close()
    before = {p.name: (digest(p), p.stat().st_mtime_ns) for p in folder.iterdir()}
    results = list(scan_targets(db_scanner, [folder], []))
    assert [r.error for r in results] == [None, None]
    assert sum(len(r.findings) for r in results) == 330 + 260  # all tables, and the first two again
    after = {p.name: (digest(p), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before  # same bytes, same times, no journal, -wal or -shm file created


def test_a_corrupt_database_is_one_line_error_and_the_scan_goes_on(db_scanner, tmp_path):
    bad = tmp_path / "a_broken.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    good = make_sqlite(tmp_path / "b_good.db", customer_tables()[1:2])
    results = list(scan_targets(db_scanner, [tmp_path], []))
    assert [r.path for r in results] == [str(bad), str(good)]
    assert results[0].reader == "sql" and "\n" not in results[0].error.reason
    assert results[1].error is None and len(results[1].findings) == 60


def test_sample_rows_limits_what_is_read(db_scanner, tmp_path):
    db = make_sqlite(tmp_path / "c.db", customer_tables())
    result = scan_path(db_scanner, db, rows=5)
    rows = Counter(f.location["table"] for f in result.findings if f.entity_type == "PERSON")
    assert rows == {"main.客户信息": 5, "main.contacts": 5, "main.Order": 5, "main.persons": 5}


def test_tables_without_a_key_or_with_text_in_an_integer_key(db_scanner, tmp_path):
    path = tmp_path / "odd.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT, photo BLOB)")
    conn.execute("INSERT INTO notes VALUES ('客户身份证号11010519491231002X，已核实', x'89504e47')")
    conn.execute("CREATE TABLE loose (id INTEGER PRIMARY KEY, phone TEXT) WITHOUT ROWID")
    conn.execute("INSERT INTO loose VALUES ('A-1', '13800138000')")  # SQLite keeps text in an INTEGER key
    conn.commit()
    conn.close()
    result = scan_path(db_scanner, path)
    assert result.error is None
    assert [(f.location, f.entity_type) for f in result.findings] == [
        ({"table": "main.loose", "column": "phone", "row": 1, "key": {"id": "A-1"}}, "CN_MOBILE"),
        ({"table": "main.notes", "column": "body", "row": 1}, "CN_RESIDENT_ID")]

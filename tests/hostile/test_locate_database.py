"""`piiscan locate` over a match in a database table (its row key is a dict in the
location): the place is listed, with the record's other findings, instead of a
crash (exit 70, unhashable dict)."""

from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

from piiscan.cli.app import app


def test_locate_a_phone_found_in_a_sqlite_table(tmp_path):
    db = sqlite3.connect(tmp_path / "crm.sqlite")
    db.execute("CREATE TABLE 客户 (id INTEGER PRIMARY KEY, 姓名 TEXT, 手机 TEXT, 身份证号 TEXT)")
    db.executemany("INSERT INTO 客户 VALUES (?, ?, ?, ?)", [(1, "王芳", "13912345678", "110101199003070011"),
                                                          (2, "李建国", "13812345670", "110105194912310025")])
    db.commit()
    db.close()
    inventory = f"sqlite:///{tmp_path / 'inv.db'}"
    runner = CliRunner()
    scan = runner.invoke(app, ["scan", str(tmp_path / "crm.sqlite"), "--inventory", inventory, "--no-ner",
                               "--jobs", "1", "--quiet"])
    assert scan.exit_code == 1, scan.output
    found = runner.invoke(app, ["locate", "--inventory", inventory, "--phone", "13912345678", "--json"])
    assert found.exit_code == 1, found.output
    (place,) = json.loads(found.output)["places"]
    assert place["entity_type"] == "CN_MOBILE" and place["location"]["column"] == "手机"
    assert {r["entity_type"] for r in place["same_record"]} == {"PERSON", "CN_RESIDENT_ID"}
    assert "13912345678" not in found.output and "王芳" not in found.output

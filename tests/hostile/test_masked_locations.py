"""Locations are masked like values: a sheet, a zip member, a JSON key or a database
table named after a client's phone or ID shows masked in findings and errors; the
raw number appears nowhere in the scan's output."""

from __future__ import annotations

import json
import sqlite3
import zipfile

from openpyxl import Workbook
from typer.testing import CliRunner

from piiscan.cli.app import app

PHONE, ID = "13912345678", "110101199003070011"


def test_names_holding_pi_are_masked(tmp_path):
    book = Workbook()
    book.active.title = PHONE
    book.active.append(["身份证号", ID])
    book.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as z:
        z.writestr(f"王芳{PHONE}.txt", f"身份证 {ID}")
        z.writestr(f"坏{PHONE}.pdf", b"%PDF-1.7 garbage")
    (tmp_path / "c.json").write_text(json.dumps({PHONE: {"身份证": ID}}, ensure_ascii=False), encoding="utf-8")
    db = sqlite3.connect(tmp_path / "d.sqlite")
    db.execute(f'CREATE TABLE "客户{ID}" (id INTEGER PRIMARY KEY, 身份证号 TEXT)')
    db.execute(f'INSERT INTO "客户{ID}" VALUES (1, ?)', (ID,))
    db.commit()
    db.close()

    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--no-ner", "--format", "json", "--quiet"])
    assert result.exit_code == 1, result.output
    assert PHONE not in result.output and ID not in result.output
    lines = CliRunner().invoke(app, ["scan", str(tmp_path), "--no-ner", "--quiet"]).output.splitlines()
    locations = [json.loads(line)["location"] for line in lines if line.startswith("{")]
    assert {"sheet": "139****5678", "cell": "B1"} in locations
    assert any(loc.get("member") == "王芳139****5678.txt" for loc in locations)
    assert any(str(loc.get("pointer", "")).startswith("/139****5678") for loc in locations)
    assert any("客户110101" in str(loc.get("table", "")) and ID not in loc["table"] for loc in locations)

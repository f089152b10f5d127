"""Redaction uses column inference: names in a column whose header no lexicon
knows, or with no header at all, are redacted in the copy, and so is the same
name wherever else it occurs in the file (a comment, a sentence)."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from faker import Faker
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from tests.redact.test_cli import cli


def fake_rows(n: int) -> list[tuple[str, str, str]]:
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    names = list(dict.fromkeys(fake.name() for _ in range(n * 2)))[:n]
    return [(name, f"DD{fake.random_number(12, True)}", f"{fake.pyfloat(4, 2, True):.2f}") for name in names]


def test_unknown_header_and_headerless_names_are_redacted(tmp_path, monkeypatch):
    rows = fake_rows(12)
    inputs = tmp_path / "in"
    inputs.mkdir()
    with (inputs / "签收.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("签收人", "订单号", "金额"), *rows])
    book = Workbook()
    for row in rows:
        book.active.append(list(row))  # no header row
    book.active["E1"] = "备注"
    book.active["E1"].comment = Comment(f"请{rows[0][0]}补签", "财务")
    book.active["E2"] = f"已与{rows[1][0]}核对"
    book.save(inputs / "无表头.xlsx")
    originals = {p.name: p.read_bytes() for p in inputs.iterdir()}

    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"))
    assert code == 0
    copy_csv = (tmp_path / "out" / "签收.csv").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "out" / "无表头.xlsx") as package:
        copy_xlsx = "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    for name, order, amount in rows:
        assert name not in copy_csv and name not in copy_xlsx
        assert order in copy_csv and amount in copy_csv  # decoys stay
        assert order in copy_xlsx
    assert load_workbook(tmp_path / "out" / "无表头.xlsx").active.max_row == len(rows)
    assert {p.name: p.read_bytes() for p in inputs.iterdir()} == originals

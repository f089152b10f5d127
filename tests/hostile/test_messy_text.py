"""Messy files: a CSV whose lines mix UTF-8 and GBK, a workbook renamed .csv, a
CSV field of 17 million characters, a text of one huge line and a PDF of many
pages (memory stays flat: measured in a child process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from piiscan.core.fingerprint import Fingerprinter
from piiscan.pipeline.scanner import Scanner
from tests.redact.test_cli import cli

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture(scope="module")
def scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"messy-tests"))


def values(result, entity: str) -> list[str]:
    return [f.value for f in result.findings if f.entity_type == entity]


def test_lines_in_utf8_and_gbk(scanner, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("姓名,手机\n王芳,13912345678\n".encode("utf-8") + "李建国,13812345670\n".encode("gbk")
                     + "张伟,13698765432\n".encode("utf-8") + "欧阳娜娜,13500001111\n".encode("gbk"))
    result = scanner.scan_file(path)
    assert result.error.reason == "lines in two encodings (UTF-8 and GBK): each line was decoded in its own; all read"
    assert values(result, "PERSON") == ["王芳", "李建国", "张伟", "欧阳娜娜"]


def test_a_workbook_renamed_csv_is_read_as_a_workbook(scanner, tmp_path, monkeypatch, capsys):
    book = Workbook()
    book.active.append(["姓名", "手机"])
    book.active.append(["王芳", "13912345678"])
    folder = tmp_path / "in"
    folder.mkdir()
    book.save(folder / "导出.csv")
    result = scanner.scan_file(folder / "导出.csv")
    assert result.reader == "xlsx" and values(result, "CN_MOBILE") == ["13912345678"]
    # redaction refuses it rather than copying a workbook's bytes through the CSV writer
    assert cli(monkeypatch, "redact", str(folder), "--out", str(tmp_path / "out"), "--ner", "off", "--quiet") == 4
    assert "its content is a .xlsx file" in capsys.readouterr().err
    assert not (tmp_path / "out" / "导出.csv").exists()


def test_an_overlong_field_is_skipped_and_the_rest_read(scanner, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("姓名,手机,备注\n王芳,13912345678,a\n李建国,13812345670," + "x" * 17_000_000
                    + "\n张伟,13698765432,c\n", encoding="utf-8")
    result = scanner.scan_file(path)
    assert values(result, "CN_MOBILE") == ["13912345678", "13698765432"]
    assert "field over 16,777,216 characters skipped (row 3); the rest was read" in result.error.reason


def _peak_mb(code: str) -> int:
    out = subprocess.run([sys.executable, "-c", code], env=os.environ | {"PYTHONPATH": SRC},
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


READ = """
import json, resource, sys
from pathlib import Path
from piiscan.sources.readers import reader_for
path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path({path!r})
found = sum(u.text.count("1391234") for u in reader_for(path).read(path))
print(json.dumps([found, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024]))
"""


def _baseline(tmp_path) -> int:
    """The child's peak for a file of one line: the readers' imports."""
    small = tmp_path / "small.txt"
    small.write_text("1391234", encoding="utf-8")
    return _peak_mb(READ.format(path=str(small)))[1]


def test_one_huge_line_reads_in_flat_memory(tmp_path):
    path = tmp_path / "one-line.txt"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(40):
            fh.write("x" * 1_000_000 + f" 1391234{i:04d} ")
    found, peak = _peak_mb(READ.format(path=str(path)))
    assert found == 40 and peak - _baseline(tmp_path) < 120  # the 40 MB line is never one string


def test_a_pdf_of_many_pages_reads_in_flat_memory(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "many.pdf"
    pdf = canvas.Canvas(str(path))
    for i in range(100):
        for j in range(40):
            pdf.drawString(50, 800 - j * 18, f"page {i} line {j} phone 1391234{j:04d} order DD{i:06d}{j:04d}")
        pdf.showPage()
    pdf.save()
    found, peak = _peak_mb(READ.format(path=str(path)))
    # about 6 MB a page while pdfplumber kept every page's layout: 600 MB here
    assert found == 100 * 40 and peak - _baseline(tmp_path) < 150

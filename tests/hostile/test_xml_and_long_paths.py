"""XML attacks and paths longer than PATH_MAX. A docx and an xlsx whose XML
declares an external entity (XXE, pointing at a local file) or a billion-laughs
entity are read without expanding either: the local file's text never reaches a
finding, and the scan ends. A file below a path longer than PATH_MAX (4,096 bytes)
is one line, `path too long`, in plain scans and in redact, never a crash."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import docx
from openpyxl import Workbook
from typer.testing import CliRunner

from piiscan.cli.app import app
from piiscan.core.fingerprint import Fingerprinter
from piiscan.pipeline.scanner import Scanner

SECRET = "13912345678"  # in a local file an external entity would pull in


def _poisoned(path: Path, part: str, marker: bytes, secret_file: Path) -> None:
    """Rewrite one XML part of an OOXML package with a DOCTYPE declaring &xxe;
    (the secret file) and &lol9; (a billion laughs), used where `marker` was."""
    doctype = (b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://' + str(secret_file).encode() + b'">'
               b'<!ENTITY lol "lol">' + b"".join(b'<!ENTITY lol%d "&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;'
                                                  b'&lol%s;&lol%s;&lol%s;&lol%s;">'
                                                  % ((i,) + (str(i - 1).encode() if i > 1 else b"",) * 10)
                                                  for i in range(1, 10)) + b"]>")
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[part]
    head, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
    parts[part] = (head + b"?>" if head else b"") + doctype + rest.replace(marker, b"&xxe;&lol9;")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_xxe_and_billion_laughs_are_not_expanded(rules_detector, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"手机 {SECRET}", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("PLACEHOLDER")
    document.save(tmp_path / "a.docx")
    _poisoned(tmp_path / "a.docx", "word/document.xml", b"PLACEHOLDER", secret)
    book = Workbook()
    book.active["A1"] = "PLACEHOLDER"
    book.save(tmp_path / "b.xlsx")
    _poisoned(tmp_path / "b.xlsx", "xl/worksheets/sheet1.xml", b"<v>", secret)
    scanner = Scanner(rules_detector, Fingerprinter(b"xml-tests"))
    for name in ("a.docx", "b.xlsx"):
        result = scanner.scan_file(tmp_path / name)
        assert not any(f.value == SECRET for f in result.findings), name
        if result.error is not None:
            assert "\n" not in result.error.reason


def test_a_path_longer_than_path_max(tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    (root / "ok.txt").write_text("手机：13812345678\n", encoding="utf-8")
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(45):  # 45 levels of 100 characters: 4,500 bytes below the share
            os.mkdir("d" * 99, dir_fd=fd)
            inner = os.open("d" * 99, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with os.fdopen(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
            fh.write("手机：13712345678\n")
    finally:
        os.close(fd)
    runner = CliRunner()
    scan = runner.invoke(app, ["scan", str(root), "--no-ner", "--format", "json", "--quiet"])
    assert scan.exit_code == 1, scan.output
    assert "path too long" in scan.output and '"CN_MOBILE": 1' in scan.output
    redact = runner.invoke(app, ["redact", str(root), "--out", str(tmp_path / "out"), "--ner", "off", "--quiet"])
    assert redact.exit_code == 4 and "path too long" in redact.output
    assert (tmp_path / "out" / "ok.txt").exists()
    subprocess.run(["rm", "-rf", str(root)], check=True)  # rm descends by file descriptors, past PATH_MAX

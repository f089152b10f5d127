"""One budget for everything nested in one file (readers.budget): inner archives
and e-mail attachments spend from the limits of the outermost file, so a zip of
zips that each stay under the limit stops at the total, and an e-mail carrying an
archive counts its depth and bytes together."""

from __future__ import annotations

import io
import os
import random
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from piiscan.core.fingerprint import Fingerprinter
from piiscan.pipeline.scanner import Scanner

MB = 1 << 20


@pytest.fixture(scope="module")
def scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"budget-tests"))


def inner_zip(size: int, seed: int) -> bytes:
    """A zip whose text member is `size` bytes of random letters: compresses about
    2:1, far under the bomb ratio, so only a total budget stops it."""
    text = random.Random(seed).randbytes(size // 2).hex().translate(str.maketrans("0123456789", "ghijklmnop"))
    text = text.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.txt", text)
        z.writestr("note.txt", "联系手机13912345678".encode())
    return buffer.getvalue()


def zip_of_zips(path: Path, count: int, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(count):
            z.writestr(f"part{i}.zip", inner_zip(size, i))
    return path


def test_inner_archives_share_the_outer_budget(scanner, tmp_path, monkeypatch):
    monkeypatch.setenv("PIISCAN_NESTED_MAX_BYTES", str(5 * MB))
    path = zip_of_zips(tmp_path / "nested.zip", 3, 2 * MB)  # each inner zip is under 5 MB, the three are not
    result = scanner.scan_file(path)
    assert result.error is not None and "limit for all nested members together" in result.error.reason
    assert len(result.error.reason.splitlines()) == 1
    monkeypatch.setenv("PIISCAN_NESTED_MAX_BYTES", str(20 * MB))
    result = scanner.scan_file(path)
    assert result.error is None
    assert sum(f.entity_type == "CN_MOBILE" for f in result.findings) == 3


def test_an_email_attachment_counts_in_the_same_budget(scanner, tmp_path, monkeypatch):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "资料"
    message.set_content("见附件。")
    message.add_attachment(zip_of_zips(tmp_path / "inner.zip", 2, 2 * MB).read_bytes(), maintype="application",
                           subtype="zip", filename="资料.zip")
    path = tmp_path / "mail.eml"
    path.write_bytes(bytes(message))
    monkeypatch.setenv("PIISCAN_NESTED_MAX_BYTES", str(3 * MB))
    assert "limit for all nested members together" in scanner.scan_file(path).error.reason
    monkeypatch.setenv("PIISCAN_NESTED_MAX_BYTES", str(60 * MB))
    monkeypatch.setenv("PIISCAN_NESTED_MAX_DEPTH", "1")  # mail > zip > zip is two levels down
    assert "nested deeper than 1" in scanner.scan_file(path).error.reason
    monkeypatch.delenv("PIISCAN_NESTED_MAX_DEPTH")
    result = scanner.scan_file(path)
    assert result.error is None and sum(f.entity_type == "CN_MOBILE" for f in result.findings) == 2


def test_temporary_files_are_gone_after_a_spent_budget(scanner, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setenv("PIISCAN_NESTED_MAX_BYTES", str(5 * MB))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    scanner.scan_file(zip_of_zips(tmp_path / "nested.zip", 3, 2 * MB))
    assert list(os.scandir(scratch)) == []

"""Bad input: a one-line error in the result, no raw value in it, and the scan goes on."""

import io

import docx
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from pypdf import PdfWriter

from piiscan.sources.readers.base import OLE_SIGNATURE

from .conftest import MOBILE


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, reason", [
    ("corrupt.xlsx", b"PK\x03\x04 not a workbook", "corrupt workbook"),
    ("corrupt.docx", b"PK\x03\x04 not a document", "corrupt document"),
    ("corrupt.pdf", b"%PDF-1.7 garbage", "corrupt PDF"),
    ("damaged.xlsx", OLE_SIGNATURE + b"\0" * 600, "corrupt workbook: a damaged OLE container"),
    ("damaged.docx", OLE_SIGNATURE + b"\0" * 600, "corrupt document: a damaged OLE container"),
    ("plain.xlsx", b"just text", "not a valid workbook"),
    ("locked.pdf", None, "encrypted PDF"),
    ("data.bin", b"\x00\x01", "unsupported file type .bin"),
    ("empty.xlsx", b"", "not a valid workbook"),
    ("empty.docx", b"", "not a valid document"),
    ("empty.pdf", b"", "corrupt PDF"),
])
def test_unreadable_inputs(scanner, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(encrypted_pdf() if content is None else content)
    result = scanner.scan_file(path)
    assert result.error is not None and reason in result.error.reason
    assert "\n" not in result.error.reason


def test_office_files_under_the_wrong_extension(scanner, tmp_path):
    import docx
    from openpyxl import Workbook

    docx.Document().save(tmp_path / "contract.xlsx")
    Workbook().save(tmp_path / "roster.docx")
    assert scanner.scan_file(tmp_path / "contract.xlsx").error.reason == "corrupt workbook: no workbook part"
    assert scanner.scan_file(tmp_path / "roster.docx").error.reason.startswith("corrupt document")


@pytest.mark.parametrize("name", ["empty.txt", "empty.csv"])
def test_an_empty_text_file_is_read_as_empty(scanner, tmp_path, name):
    """Nothing in it, but nothing wrong with it either."""
    (tmp_path / name).write_bytes(b"")
    result = scanner.scan_file(tmp_path / name)
    assert result.error is None and result.findings == []


def test_the_scan_goes_on_after_bad_files(scanner, tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 garbage")
    (tmp_path / "b.docx").write_bytes(OLE_SIGNATURE + b"\0" * 600)
    (tmp_path / "c.xlsx").write_bytes(b"")
    (tmp_path / "d.bin").write_bytes(b"\x00")
    (tmp_path / "e.txt").write_text(f"手机{MOBILE}", encoding="utf-8")
    results = list(scanner.scan([tmp_path]))
    assert [r.error is not None for r in results] == [True, True, True, True, False]
    assert [f.entity_type for f in results[4].findings] == ["CN_MOBILE"]


def test_unexpected_errors_lose_their_digits():
    from piiscan.core.errors import safe_reason

    reason = safe_reason(ValueError(f"cannot parse cell value {MOBILE} for a@b.com\nsecond line"))
    assert MOBILE not in reason and "a@b.com" not in reason and "\n" not in reason


def test_password_protected_office_files_are_reported_as_such(scanner, tmp_path):
    """Encrypted with msoffcrypto-tool (ECMA-376 agile encryption, as Office does)."""
    plain_docx, plain_xlsx = tmp_path / "plain.docx", tmp_path / "plain.xlsx"
    document = docx.Document()
    document.add_paragraph(f"手机{MOBILE}")
    document.save(plain_docx)
    workbook = Workbook()
    workbook.active["A1"] = MOBILE
    workbook.save(plain_xlsx)
    for plain, kind in ((plain_docx, "document"), (plain_xlsx, "workbook")):
        locked = tmp_path / f"locked{plain.suffix}"
        with plain.open("rb") as source, locked.open("wb") as target:
            OOXMLFile(source).encrypt("密码123", target)
        assert scanner.scan_file(locked).error.reason == f"encrypted (password-protected) {kind}"
    legacy = tmp_path / "old.xlsx"  # an .xls renamed: an OLE container without an encrypted package
    book = xlwt.Workbook()
    book.add_sheet("a").write(0, 0, "x")
    book.save(str(legacy))
    assert "legacy binary Office file" in scanner.scan_file(legacy).error.reason

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas


from .conftest import ID, MOBILE, where


def write_pdf(path, pages, font: str = "STSong-Light", size: int = 11, top: int = 780, leading: int = 20):
    """One page per list of lines; the font a registered one (the CID font STSong-Light by default)."""
    if font == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for lines in pages:
        c.setFont(font, size)
        for i, line in enumerate(lines):
            c.drawString(60, top - leading * i, line)
        c.showPage()
    c.save()


def test_pages_and_lines(scanner, tmp_path):
    path = tmp_path / "contract.pdf"
    write_pdf(path, [["股权转让协议", f"转让方身份证号码：{ID}"], ["第二页", "说明", f"联系电话：{MOBILE}"]])
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_RESIDENT_ID") == [({"page": 1, "line": 2}, 9, 27)]
    assert where(result, "CN_MOBILE") == [({"page": 2, "line": 3}, 5, 16)]


def test_a_pdf_without_text_is_reported_when_ocr_cannot_read_it(scanner, tmp_path, no_tesseract):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    reason = scanner.scan_file(path).error.reason
    assert reason.startswith("no text layer on any of 1 pages (scanned images?); OCR needs")


def test_text_on_a_rotated_page_is_read_the_right_way_round(scanner, tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter

    upright = tmp_path / "upright.pdf"
    write_pdf(upright, [[f"联系电话：{MOBILE}"]])
    writer = PdfWriter()
    for page in PdfReader(upright).pages:
        page.rotate(270)
        writer.add_page(page)
    rotated = tmp_path / "rotated.pdf"
    buffer = io.BytesIO()
    writer.write(buffer)
    rotated.write_bytes(buffer.getvalue())
    assert where(scanner.scan_file(rotated), "CN_MOBILE") == [({"page": 1, "reading": "rotated", "line": 1}, 5, 16)]


def test_a_pdf_with_only_an_owner_password_is_read(scanner, tmp_path):
    """Statements often restrict printing or copying with an owner password only;
    anyone can open them, so they are read, not reported as encrypted."""
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    write_pdf(plain, [[f"联系电话：{MOBILE}"]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    locked = tmp_path / "statement.pdf"
    writer.write(locked)
    result = scanner.scan_file(locked)
    assert result.error is None
    assert where(result, "CN_MOBILE") == [({"page": 1, "line": 1}, 5, 16)]

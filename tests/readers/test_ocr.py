"""OCR of images and scanned PDF pages (Tesseract + chi_sim): images rendered here
with Pillow and a CJK font from Debian, holding a fake ID number and name."""

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen import canvas

from piiscan.sources.readers.ocr import ocr_unavailable

from .conftest import ID, MOBILE, require_tool, where

FONTS = [Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
         Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]


@pytest.fixture(scope="module")
def font():
    require_tool("tesseract")
    if ocr_unavailable():
        pytest.fail(ocr_unavailable())  # Tesseract is there but not its Chinese data, or pytesseract
    path = next((f for f in FONTS if f.exists()), None)
    if path is None:
        pytest.fail("no CJK font (apt-get install fonts-wqy-zenhei)")
    return ImageFont.truetype(str(path), 36)


def id_card_copy(font, lines: list[str]) -> Image.Image:
    image = Image.new("RGB", (1000, 100 + 80 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 80 * i), line, font=font, fill="black")
    return image


def test_an_id_card_copy_with_page_line_box_and_field_label(scanner, font, tmp_path):
    path = tmp_path / "身份证复印件.png"
    id_card_copy(font, ["居民身份证复印件", "姓名 王芳", f"公民身份号码 {ID}"]).save(path)
    result = scanner.scan_file(path)
    assert result.error is None and result.reader == "image"
    (person,) = [f for f in result.findings if f.entity_type == "PERSON"]
    (resident_id,) = [f for f in result.findings if f.entity_type == "CN_RESIDENT_ID"]
    assert (person.location["page"], person.location["line"], person.location["label"]) == (1, 2, "姓名")
    assert resident_id.location["line"] == 3 and resident_id.location["label"] == "公民身份号码"
    assert (resident_id.start, resident_id.end, resident_id.masked) == (0, 18, ID[:6] + "*" * 8 + ID[-4:])
    left, top, width, height = resident_id.location["box"]  # drawn at x=40, y=200
    assert abs(left - 40) < 10 and abs(top - 200) < 20 and width > 500 and 25 < height < 70


def test_multi_page_tiff_and_jpeg(scanner, font, tmp_path):
    first = id_card_copy(font, ["第一页 无内容"])
    second = id_card_copy(font, [f"联系电话：{MOBILE}"])
    tiff = tmp_path / "scan.tiff"
    first.save(tiff, save_all=True, append_images=[second])
    assert [(loc["page"], loc["line"]) for loc, _, _ in where(scanner.scan_file(tiff), "CN_MOBILE")] == [(2, 1)]
    jpeg = tmp_path / "scan.jpg"
    second.save(jpeg, quality=90)
    assert [loc["page"] for loc, _, _ in where(scanner.scan_file(jpeg), "CN_MOBILE")] == [1]


def test_only_pdf_pages_without_text_are_read_by_ocr(scanner, font, tmp_path):
    image = tmp_path / "page.png"
    id_card_copy(font, [f"公民身份号码 {ID}"]).save(image)
    path = tmp_path / "contract.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, f"Mobile {MOBILE}")  # page 1: a text layer
    pdf.showPage()
    pdf.drawImage(str(image), 36, 400, width=500, height=90)  # page 2: a scan, no text
    pdf.showPage()
    pdf.save()
    result = scanner.scan_file(path)
    assert result.error is None
    assert [loc for loc, _, _ in where(result, "CN_MOBILE")] == [{"page": 1, "line": 1}]
    (found,) = where(result, "CN_RESIDENT_ID")
    assert found[0]["page"] == 2 and found[0]["dpi"] == 300 and len(found[0]["box"]) == 4


def test_without_tesseract_a_clear_one_line_message(scanner, tmp_path, no_tesseract):
    path = tmp_path / "scan.png"
    Image.new("RGB", (200, 200), "white").save(path)
    reason = scanner.scan_file(path).error.reason
    assert reason in ("OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim",
                      "OCR needs the ocr extra: pip install 'piiscan[ocr]'")

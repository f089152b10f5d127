"""Pictures inside PDFs are redacted by OCR: an ID-card copy drawn beside a text
layer, and a page that is only a scan. The values are burned into the image
XObject itself (same object, same size), the page's text stays text, an image drawn
on two pages is handled once, and a card OCR reads badly is burned whole with a
note. Checked with Tesseract on the copy's images and pdftotext on its text."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests.readers.test_ocr import font  # noqa: F401 - the fixture
from tests.redact.test_writers import redact

DECOYS = ["DD725826486699", "61084.78", "2023-05-01"]
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def card(font, planted, blur: float = 0.0) -> Image.Image:  # noqa: F811
    """A resident ID card's front, 85.6 x 54 mm at 254 dpi, fake values."""
    image = Image.new("RGB", (856, 540), (236, 241, 246))
    draw = ImageDraw.Draw(image)
    lines = [f"姓名 {planted.name}", "性别 女  民族 汉", "出生 1990年3月7日", "住址 北京市东城区东华门街道88号",
             f"公民身份号码 {planted.resident_id}"]
    for i, line in enumerate(lines):
        draw.text((40, 40 + 90 * i), line, font=font, fill="black")
    return image.filter(ImageFilter.GaussianBlur(blur)) if blur else image


def pdf_with(tmp_path: Path, picture: Image.Image, text: bool, pages: int = 1, form: bool = False,
             inline: bool = False) -> Path:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    path = tmp_path / ("附证件.pdf" if text else "扫描件.pdf")
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for number in range(pages):
        if text:
            c.setFont("WQY", 12)
            c.drawString(50, 780, "开户申请：客户身份证复印件附后")
            c.drawString(50, 750, f"订单号 {DECOYS[0]} 金额 {DECOYS[1]} 日期 {DECOYS[2]}")
            if form:  # the picture inside a form XObject the page draws
                c.beginForm(f"card{number}")
                c.drawImage(ImageReader(picture), 50, 420, width=300, height=300 * 540 / 856)
                c.endForm()
                c.doForm(f"card{number}")
            else:
                c.drawImage(ImageReader(picture), 50, 420, width=300, height=300 * 540 / 856)
        elif inline:  # BI … ID … EI in the content stream
            c.drawInlineImage(picture, 0, 0, width=595, height=842)
        else:
            c.drawImage(ImageReader(picture), 0, 0, width=595, height=842)
        c.showPage()
    c.save()
    return path


def pictures(path: Path) -> list[tuple[tuple, Image.Image]]:
    with pikepdf.open(path) as pdf:
        found = {}
        for page in pdf.pages:
            for _, image in page.get_images().items():
                found[image.objgen] = pikepdf.PdfImage(image).as_pil_image()
        return list(found.items())


def ocr(image: Image.Image) -> str:
    return pytesseract.image_to_string(image, lang="chi_sim").replace(" ", "")


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


@pytest.mark.usefixtures("font")
@pytest.mark.parametrize("form", [False, True], ids=["on the page", "in a form XObject"])
def test_an_id_card_beside_text_is_burned_in_its_image_and_the_text_stays(font, tmp_path, planted,  # noqa: F811
                                                                           make_redactor, form):
    src = pdf_with(tmp_path, card(font, planted), text=True, pages=2, form=form)  # one image drawn twice
    assert planted.resident_id in ocr(pictures(src)[0][1])
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    (before,), (after,) = pictures(src), pictures(copy)
    assert before[1].size == after[1].size  # one XObject drawn on both pages still, the same size
    text = ocr(after[1])
    assert planted.resident_id not in text and planted.name not in text
    assert "民族" in text  # the lines without a value stay
    assert pdftotext(copy) == pdftotext(src)  # the text layer is untouched: no page rasterised
    assert outcome.manifest.files[0].unchecked == []


@pytest.mark.usefixtures("font")
@pytest.mark.parametrize("inline", [False, True], ids=["image XObject", "inline image"])
def test_a_scanned_page_is_burned_and_stays_an_image(font, tmp_path, planted, make_redactor, inline):  # noqa: F811
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    from PIL import ImageFont

    big = ImageFont.truetype(str(CJK_FONT), 40)
    for i, line in enumerate(["借款合同", f"借款人：{planted.name}", f"身份证号码：{planted.resident_id}",
                              f"联系电话：{planted.mobile}", f"订单号 {DECOYS[0]} 金额 {DECOYS[1]}"]):
        draw.text((100, 150 + 110 * i), line, font=big, fill="black")
    src = pdf_with(tmp_path, page, text=False, inline=inline)
    assert pictures(src) == [] if inline else len(pictures(src)) == 1
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    ((_, after),) = pictures(copy)
    text = ocr(after)
    for value in (planted.name, planted.resident_id, planted.mobile):
        assert value not in text
    assert DECOYS[0] in text and DECOYS[1] in text
    assert outcome.manifest.files[0].unchecked == []  # the scan was read by OCR, written and verified


@pytest.mark.usefixtures("font")
def test_a_blurred_id_card_is_burned_whole_with_a_note(font, tmp_path, planted, make_redactor):  # noqa: F811
    src = pdf_with(tmp_path, card(font, planted, blur=3.5), text=True)
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    ((_, after),) = pictures(copy)
    assert after.convert("L").getextrema() == (0, 0)  # the card's image is all black
    (note,) = outcome.manifest.files[0].unchecked
    assert note.startswith("page 1: image burned whole: looks like an ID card")
    assert planted.name not in note and planted.resident_id not in note
    assert DECOYS[0] in pdftotext(copy)

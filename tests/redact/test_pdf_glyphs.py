"""PDF redaction keeps the text: glyphs of the findings are removed from the content
stream, the rest stays text. Real PDFs from reportlab (standard, TrueType and CJK
TrueType fonts) and from LibreOffice (a .docx converted headless), checked with
independent extractors: pdftotext (poppler), pdfminer, qpdf's decompressed streams."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pikepdf
import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from tests.redact.test_writers import redact

DECOYS = ["DD725826486699", "61084.78", "2023-05-01"]
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def qdf_streams(path: Path) -> bytes:
    return subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), "-"],
                          capture_output=True).stdout


def check_copy(src: Path, copy: Path, values: list[str]) -> None:
    """The copy's text is the original's minus the values; nothing of them anywhere."""
    expected = compact(pdftotext(src))
    for value in values:
        assert value in expected  # planted where poppler reads it
        expected = expected.replace(value, "")
    assert compact(pdftotext(copy)) == expected
    miner, streams = extract_text(str(copy)), qdf_streams(copy)
    for value in values:
        assert value not in miner and value.encode() not in streams
    for decoy in DECOYS:
        assert decoy in pdftotext(copy)
    assert len(PdfReader(copy).pages) == len(pdfium.PdfDocument(str(copy)))  # both open it


def test_reportlab_fonts_keep_their_text(tmp_path, planted, make_redactor):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    pdfmetrics.registerFont(TTFont("DejaVu", str(LATIN_FONT)))
    src = tmp_path / "客户资料.pdf"
    c = canvas.Canvas(str(src), pagesize=(595, 842))
    c.setFont("WQY", 12)
    c.drawString(50, 780, f"客户姓名：{planted.name}，联系电话：{planted.mobile}")
    c.drawString(50, 750, f"订单号 {DECOYS[0]} 金额 {DECOYS[1]} 日期 {DECOYS[2]}")
    c.setFont("Helvetica", 11)
    c.drawString(50, 720, f"ID {planted.resident_id} checked")
    c.setFont("DejaVu", 11)
    c.drawString(50, 690, f"Card {planted.card} / Phone {planted.mobile2}")
    c.showPage()
    c.save()

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    check_copy(src, copy, [planted.name, planted.mobile, planted.resident_id, planted.card, planted.mobile2])
    assert outcome.manifest.files[0].unchecked == []  # no page rasterised
    # the text after a removed value keeps its place
    with pdfium.PdfDocument(str(copy)) as document, pdfium.PdfDocument(str(src)) as original:
        after = document[0].get_textpage(), original[0].get_textpage()
        positions = [page.get_charbox(page.get_text_range().index("checked")) for page in after]
        assert positions[0] == pytest.approx(positions[1], abs=0.5)


def libreoffice_pdf(tmp_path: Path, planted) -> Path:
    document = docx.Document()
    document.add_paragraph(f"借款人：{planted.name}")
    document.add_paragraph(f"身份证号码：{planted.resident_id}")
    document.add_paragraph(f"订单号 {DECOYS[0]} 金额 {DECOYS[1]} 日期 {DECOYS[2]}")
    source = tmp_path / "借款合同.docx"
    document.save(source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, check=True, timeout=180)
    return tmp_path / "借款合同.pdf"


def test_libreoffice_pdf_keeps_its_text(tmp_path, planted, make_redactor):
    src = libreoffice_pdf(tmp_path, planted)
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    check_copy(src, copy, [planted.name, planted.resident_id])
    assert outcome.manifest.files[0].unchecked == []


def test_a_font_without_tounicode_rasterises_the_page(tmp_path, planted, make_redactor):
    made = libreoffice_pdf(tmp_path, planted)
    src = tmp_path / "无映射.pdf"
    with pikepdf.open(made) as pdf:
        fonts = pdf.pages[0].Resources.Font
        # LibreOffice writes subsets as simple TrueType fonts with a ToUnicode map and no
        # encoding: without the map their codes are glyph numbers only
        stripped = [name for name, font in fonts.items() if "WenQuanYi" in str(font.BaseFont)]
        for name in stripped:
            del fonts[name]["/ToUnicode"]
        pdf.save(src)
    assert stripped
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    assert planted.resident_id not in pdftotext(copy) and planted.resident_id not in extract_text(str(copy))
    assert outcome.manifest.files[0].unchecked[0].startswith("page 1 rasterised")
    assert not PdfReader(copy).pages[0].extract_text().strip()


def test_text_in_a_form_xobject_rasterises_only_that_page(tmp_path, planted, make_redactor):
    from reportlab.pdfgen import canvas

    src = tmp_path / "表单.pdf"
    c = canvas.Canvas(str(src), pagesize=(595, 842))
    c.beginForm("card")
    c.setFont("Helvetica", 11)
    c.drawString(50, 700, f"ID {planted.resident_id}")
    c.endForm()
    c.doForm("card")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(50, 700, f"Phone {planted.mobile} order {DECOYS[0]}")
    c.showPage()
    c.save()
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    assert outcome.manifest.files[0].unchecked == ["page 1 rasterised (its text layer is gone): "
                                                   "text inside a form XObject"]
    text = pdftotext(copy)
    assert planted.resident_id not in text and planted.mobile not in text and DECOYS[0] in text


def one_line_pdf(path: Path, y: int, text: str) -> Path:
    """A page with one line of Helvetica text at height y, for parts added with pikepdf."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("Helvetica", 11)
    c.drawString(50, y, text)
    c.showPage()
    c.save()
    return path


def test_attachments_xmp_and_info_do_not_pass(tmp_path, planted, make_redactor):
    made = one_line_pdf(tmp_path / "made.pdf", 700, f"Phone {planted.mobile} order {DECOYS[0]}")
    src = tmp_path / "附件.pdf"
    with pikepdf.open(made) as pdf:
        pdf.attachments["名单.txt"] = pikepdf.AttachedFileSpec(pdf, f"{planted.resident_id}".encode())
        note = pikepdf.AttachedFileSpec(pdf, planted.card.encode()).obj
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[10, 10, 30, 30], FS=note))]))
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:creator"] = [planted.name2]
        pdf.docinfo["/Author"] = planted.name
        pdf.docinfo["/Client"] = planted.mobile2
        pdf.save(src)
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    data = qdf_streams(copy)
    for value in planted.values():
        assert value.encode() not in data and value.encode("utf-16-be") not in data
    assert DECOYS[0] in pdftotext(copy)
    assert outcome.manifest.files[0].unchecked == ["document attachments dropped",
                                                   "1 page-level file attachment(s) dropped"]
    with pikepdf.open(copy) as pdf:
        assert not pdf.attachments and "/Metadata" not in pdf.Root and "/Client" not in pdf.docinfo

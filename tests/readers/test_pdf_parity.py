"""Differential: the PDF reader's text (PDFium's characters, pdfplumber's assembly)
against pdfplumber's own extract_text (pdfminer's characters), page by page, on PDFs
made by reportlab (a CID font, a TrueType collection, the standard Helvetica),
LibreOffice (from a docx and an xlsx) and by hand (text state operators, forms, a
turned page). The PDF redaction writer finds its characters on pdfplumber's text:
the two must agree, here character for character."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from piiscan.sources.readers.pdf import PdfReader

from .conftest import ID, MOBILE, require_tool

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
ROWS = [("张伟", ID, MOBILE, "6222020200112233445", "北京市朝阳区建国路88号"),
        ("欧阳娜娜", "110105198001010018", "13912345678", "6217000010012345678", "上海市浦东新区世纪大道100号"),
        ("李四", "440305199912319999", "18688886666", "", "深圳市南山区科技园")]


def pdfplumber_texts(path: Path) -> dict[tuple[int, str], str]:
    """What the reader read before PDFium: extract_text per page, and the rotated
    characters read bottom to top on their own."""
    texts = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            if text.strip():
                texts[(number, "")] = text
            if not all(char.get("upright", True) for char in page.chars):
                rotated = page.filter(lambda o: o.get("object_type") != "char" or not o.get("upright", True))
                texts[(number, "rotated")] = rotated.extract_text(char_dir_rotated="btt", line_dir_rotated="rtl").strip()
    return texts


def reader_texts(path: Path) -> dict[tuple[int, str], str]:
    return {(u.location["page"], u.location.get("reading", "")): u.text for u in PdfReader(ocr=False).read(path)}


def _cid(path: Path) -> None:
    """A contract and a borderless table in STSong-Light, a blank page between, two columns."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("STSong-Light", 16)
    c.drawString(200, 800, "股权转让协议")
    c.setFont("STSong-Light", 10.5)
    lines = [f"转让方（甲方）：张伟  身份证号码：{ID}", f"联系电话：{MOBILE}；开户行：中国工商银行北京朝阳支行",
             "Party A agrees to transfer 30% of the shares, see Annex 1 (附件一).", "第二条  价款 RMB 1,250,000.00 元"]
    for i, line in enumerate(lines):
        c.drawString(60, 760 - 18 * i, line)
    for i, row in enumerate([("姓名", "身份证号", "手机", "银行卡号", "地址")] + ROWS):  # columns by position only
        for x, value in zip((60, 110, 215, 290, 400), row):
            c.drawString(x, 650 - 16 * i, value)
    c.setFont("STSong-Light", 8)
    c.drawString(60, 560, "上标")
    c.drawString(76, 563, "注1")  # raised 3 pt: one line or two is decided by the 3 pt tolerance
    c.showPage()
    c.showPage()  # an empty page
    c.setFont("STSong-Light", 10)
    for i in range(12):  # two columns of text side by side
        c.drawString(50, 780 - 15 * i, f"左栏第{i + 1}行：客户王芳的回访记录")
        c.drawString(320, 780 - 15 * i, f"右栏第{i + 1}行：电话 1391234{i:04d}")
    c.showPage()
    c.save()


def _truetype(path: Path) -> None:
    """WenQuanYi Zen Hei (a TrueType collection, embedded as a subset), Helvetica, a label turned 90°."""
    pdfmetrics.registerFont(TTFont("WQY", str(WQY), subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("WQY", 12)
    c.drawString(60, 780, f"客户：欧阳娜娜  证件号码 {ROWS[1][1]}  手机 {ROWS[1][2]}")
    c.setFont("Helvetica", 10)
    c.drawString(60, 760, "Account holder: Zhang Wei, card 6222 0202 0011 2233 445, office fee ffi fl.")
    c.setFont("WQY", 12)
    c.drawString(60, 760 - 2, "混排")  # another font on the same line, 2 pt lower
    c.saveState()
    c.translate(540, 300)
    c.rotate(90)
    c.setFont("WQY", 10)
    c.drawString(0, 0, f"联系电话：{MOBILE}")
    c.restoreState()
    c.showPage()
    c.save()


def _simple_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """A font that is not embedded, with its own widths and an encoding that names a
    ligature (code 1: fi) and the hyphen (PDFium cannot map that hyphen back to its code)."""
    widths = [500] * 126
    for code, width in ((1, 556), (32, 250), (45, 333), (105, 278), (108, 278)):
        widths[code - 1] = width
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.FakeSerif, Flags=34,
                                    FontBBox=[-170, -220, 1000, 900], ItalicAngle=0, Ascent=700, Descent=-220,
                                    CapHeight=660, StemV=80)
    encoding = pikepdf.Dictionary(Type=pikepdf.Name.Encoding, BaseEncoding=pikepdf.Name.WinAnsiEncoding,
                                  Differences=[1, pikepdf.Name.fi, 45, pikepdf.Name.hyphen])
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.FakeSerif, FirstChar=1,
        LastChar=126, Widths=widths, FontDescriptor=pdf.make_indirect(descriptor), Encoding=encoding))


def _operators(path: Path) -> None:
    """Text state by hand: Tm and CTM scaling, horizontal scaling, character spacing, TJ
    kerning wide enough to be a space, rise, a form XObject drawn twice, two sizes of
    Helvetica whose tops are 3.08 pt apart by pdfminer's metrics of it (2.91 by PDFium's
    substitute: one line or two); the same page turned by /Rotate 90; a page in a font
    with a ligature and hyphens."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
    form = pdf.make_stream(b"BT /F1 9 Tf 10 10 Td (Zhang Wei 13800138000) Tj ET", Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Form, BBox=[0, 0, 300, 100],
                           Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
    content = b"""
    BT /F1 12 Tf 50 800 Td (Plain line 110105194912310021) Tj ET
    BT /F1 1 Tf 12 0 0 12 50 780 Tm (Scaled by Tm) Tj ET
    q 2 0 0 2 0 0 cm BT /F1 6 Tf 25 380 Td (Scaled by CTM) Tj ET Q
    BT /F1 12 Tf 150 Tz 50 740 Td (Horizontal scale) Tj 100 Tz ET
    BT /F1 12 Tf 2 Tc 50 720 Td (Char spacing two) Tj 0 Tc ET
    BT /F1 12 Tf 50 700 Td [(Kern)-400(ed)-200(TJ)-100(text)] TJ ET
    BT /F1 12 Tf 50 680 Td (Base) Tj 4 Ts (sup) Tj 0 Ts ET
    q 1 0 0 1 50 600 cm /Fm1 Do Q
    q 1 0 0 1 50 560 cm /Fm1 Do Q
    BT /F1 10 Tf 50 500 Td (Small) Tj ET BT /F1 20 Tf 120 495.15 Td (Large) Tj ET
    """
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(Fm1=form))
    page.obj.Contents = pdf.make_stream(content)
    turned = pdf.add_blank_page(page_size=(595, 842))
    turned.obj.Resources = page.obj.Resources
    turned.obj.Contents = pdf.make_stream(content)
    turned.obj.Rotate = 90
    ligatures = pdf.add_blank_page(page_size=(595, 842))
    ligatures.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F2=_simple_font(pdf)))
    ligatures.obj.Contents = pdf.make_stream(b"BT /F2 10 Tf 50 800 Td (The \001le sub-class-of list, \001nal-\001gures) Tj "
                                             b"0 -14 Td (well-known x-content/blank-cd) Tj ET")
    pdf.save(path)


def _libreoffice(directory: Path) -> list[Path]:
    """A Word letter and a spreadsheet, exported to PDF by LibreOffice."""
    import docx
    from openpyxl import Workbook

    soffice = require_tool("soffice")
    document = docx.Document()
    document.add_heading("客户信息确认函", level=1)
    document.add_paragraph(f"尊敬的张伟先生：您的身份证号 {ID}，手机 {MOBILE}，已登记。")
    table = document.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for row, values in zip(table.rows, ROWS):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(directory / "letter.docx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机", "银行卡号", "地址"])
    for row in ROWS:
        sheet.append(list(row))
    workbook.save(directory / "roster.xlsx")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(directory),
                    str(directory / "letter.docx"), str(directory / "roster.xlsx")],
                   check=True, capture_output=True, timeout=180)
    return [directory / "letter.pdf", directory / "roster.pdf"]


@pytest.mark.parametrize("make", [_cid, _truetype, _operators])
def test_the_reader_reads_what_pdfplumber_reads(make, tmp_path):
    path = tmp_path / f"{make.__name__.strip('_')}.pdf"
    make(path)
    expected = pdfplumber_texts(path)
    assert reader_texts(path) == expected
    assert any(key[1] == "rotated" for key in expected) == (make is not _cid)


def test_libreoffice_pdfs_read_as_pdfplumber_reads_them(tmp_path):
    for path in _libreoffice(tmp_path):
        expected = pdfplumber_texts(path)
        assert expected and reader_texts(path) == expected, path.name


def test_the_blank_page_and_the_columns_are_where_pdfplumber_puts_them(tmp_path):
    """Not only equal: the shape the pipeline relies on (a borderless table's row is one
    line, fields split by whitespace; side-by-side columns share lines)."""
    path = tmp_path / "cid.pdf"
    _cid(path)
    texts = reader_texts(path)
    assert set(texts) == {(1, ""), (3, "")}  # page 2 has no text and no characters
    assert f"张伟 {ID} {MOBILE} 6222020200112233445 北京市朝阳区建国路88号" in texts[(1, "")].splitlines()
    assert texts[(3, "")].splitlines()[0] == "左栏第1行：客户王芳的回访记录 右栏第1行：电话 13912340000"

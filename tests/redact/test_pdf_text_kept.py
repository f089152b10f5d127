"""Done means (issue 19): PDF copies keep their non-redacted text. Five text PDFs
made with reportlab and a CJK TrueType font (WenQuanYi Zen Hei) in different
layouts: wrapped paragraphs, a table, two columns, three pages, headings with a
footer. The comparison (tests/redact/test_pdf_glyphs.check_copy): pdftotext -layout
of the copy with all whitespace removed equals that of the original with all
whitespace removed and every planted value deleted (the glyphs of a value are
removed, not replaced, and the layout's spacing around them may change); no
planted value is in the copy's pdftotext, pdfminer text or decompressed streams;
the decoys (order number, amount, date) stay; no page is rasterised."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.redact.test_pdf_glyphs import CJK_FONT, DECOYS, check_copy
from tests.redact.test_writers import redact

DECOY_LINE = f"订单号 {DECOYS[0]} 金额 {DECOYS[1]} 日期 {DECOYS[2]}"


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    return ParagraphStyle("cn", fontName="WQY", fontSize=11, leading=16, wordWrap="CJK")


def paragraphs(path: Path, p) -> list[str]:
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = _styles()
    text = ("本行于近日受理了一笔个人贷款申请，借款人" + p.name + "，身份证号码" + p.resident_id
            + "，联系电话" + p.mobile + "。经审核，申请材料齐全，符合本行个人消费贷款的准入条件，"
            "现将有关情况说明如下。贷款用途为家庭装修，期限三年，按月等额本息还款。")
    SimpleDocTemplate(str(path)).build([Paragraph(text, style), Paragraph(DECOY_LINE, style),
                                        Paragraph("以上情况属实，特此说明。" * 6, style)])
    return [p.name, p.resident_id, p.mobile]


def table(path: Path, p) -> list[str]:
    from reportlab.platypus import SimpleDocTemplate, Table

    _styles()
    rows = [["姓名", "手机号码", "订单号", "金额"], [p.name, p.mobile, DECOYS[0], DECOYS[1]],
            [p.name2, p.mobile2, "DD100200300400", "20.00"], ["合计", "", "", DECOYS[1]], ["日期", DECOYS[2], "", ""]]
    grid = Table(rows, style=[("FONTNAME", (0, 0), (-1, -1), "WQY"), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    SimpleDocTemplate(str(path)).build([grid])
    return [p.name, p.mobile, p.name2, p.mobile2]


def two_columns(path: Path, p) -> list[str]:
    from reportlab.pdfgen import canvas

    _styles()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("WQY", 11)
    left = ["甲方（出借人）：某某银行", "担保方式：信用", DECOY_LINE[:18], "签约方式：柜面办理"]
    right = [f"乙方（借款人）：{p.name}", f"身份证号码：{p.resident_id}", f"联系电话：{p.mobile}", DECOY_LINE[18:]]
    for i, (a, b) in enumerate(zip(left, right)):
        c.drawString(40, 780 - 22 * i, a)
        c.drawString(310, 780 - 22 * i, b)
    c.save()
    return [p.name, p.resident_id, p.mobile]


def pages(path: Path, p) -> list[str]:
    from tests.readers.test_pdf import write_pdf

    _styles()
    write_pdf(path, [[f"第一页 客户姓名：{p.name}", "本页为申请书正文"], [f"第二页 银行卡号：{p.card}", DECOY_LINE],
                     [f"第三页 紧急联系人手机：{p.mobile2}", "以下空白"]], font="WQY", size=12, top=760, leading=26)
    return [p.name, p.card, p.mobile2]


def headings(path: Path, p) -> list[str]:
    from reportlab.pdfgen import canvas

    _styles()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("WQY", 20)
    c.drawString(60, 780, "客户信息确认书")
    c.setFont("WQY", 10)
    c.drawString(60, 740, f"经办人 {p.name2}，客户 {p.name}，证件号码 {p.resident_id}")
    c.setFont("WQY", 14)
    c.drawString(60, 700, DECOY_LINE)
    c.setFont("WQY", 8)
    c.drawString(60, 40, f"页脚：如有疑问请致电 {p.mobile}")
    c.save()
    return [p.name2, p.name, p.resident_id, p.mobile]


@pytest.mark.parametrize("layout", [paragraphs, table, two_columns, pages, headings], ids=lambda f: f.__name__)
def test_a_text_pdf_keeps_all_its_other_text(layout, tmp_path, planted, make_redactor):
    src = tmp_path / f"{layout.__name__}.pdf"
    values = layout(src, planted)
    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    check_copy(src, copy, values)
    assert outcome.manifest.files[0].unchecked == []  # no page rasterised

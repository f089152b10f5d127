"""One test per format: plant fake values, redact, open the copy with its own
library, find none of the planted values in it, and find every non-PI cell or
paragraph unchanged."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pypdfium2 as pdfium
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font
from pypdf import PdfReader

from piiscan.protect import run
from piiscan.protect.verify import safe_location

KEEP = ["年度对账说明", "合同编号HT-2024-07", "备注：按季度结算", "无"]


def redact(tmp_path: Path, src: Path, redactor, out_name: str = "out") -> tuple[Path, run.Outcome]:
    out = tmp_path / out_name
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    outcome = run.redact([src], out, redactor)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before, "the original was modified"
    assert outcome.exit_code == 0, outcome.messages
    return out / src.name, outcome


def assert_absent(text: str, values: list[str]) -> None:
    for value in values:
        assert value not in text, f"planted value of length {len(value)} still present"


def has_planted(value, planted) -> bool:
    return any(v in str(value) for v in planted.values())


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_xlsx(tmp_path, planted, make_redactor):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["姓名", "手机", "身份证号", "卡号", "备注"])
    ws.append([planted.name, int(planted.mobile), planted.resident_id, planted.card, KEEP[0]])
    ws.append([planted.name2, planted.mobile2, None, None, KEEP[1]])
    ws["E2"].font = Font(bold=True)
    ws["E3"].comment = Comment(f"回访手机{planted.mobile2}", planted.name)
    ws.oddHeader.center.text = f"经办人手机{planted.mobile}"
    ws.column_dimensions["C"].width = 30
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append([f"备用卡号{planted.card}", KEEP[2]])
    wb.properties.creator = planted.name
    wb.properties.lastModifiedBy = planted.name2
    wb.custom_doc_props.append(StringProperty(name="客户手机", value=planted.mobile2))
    src = tmp_path / "客户名单.xlsx"
    wb.save(src)

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    assert_absent(zip_text(copy), planted.values())
    out = load_workbook(copy)
    sheet = out["客户"]
    assert sheet["B2"].value == planted.mobile[:3] + "****" + planted.mobile[-4:]  # a number became a masked string
    assert sheet["C2"].value == planted.resident_id[:6] + "********" + planted.resident_id[-4:]
    assert sheet["A2"].value == planted.name[0] + "*" * (len(planted.name) - 1)
    assert [sheet["E2"].value, sheet["E3"].value, sheet["A1"].value, sheet["E1"].value] == [KEEP[0], KEEP[1], "姓名", "备注"]
    assert sheet["E2"].font.bold and sheet.column_dimensions["C"].width == 30
    assert sheet["B2"].number_format == "@"
    original = load_workbook(src)
    for ws in original.worksheets:  # every cell without a planted value is unchanged
        for row in ws.iter_rows():
            for cell in row:
                if not has_planted(cell.value, planted):
                    assert out[ws.title][cell.coordinate].value == cell.value
    assert out["隐藏"].sheet_state == "hidden" and out["隐藏"]["B1"].value == KEEP[2]
    assert out["隐藏"]["A1"].value.startswith("备用卡号622202")
    assert out.properties.creator == planted.name[0] + "*" * (len(planted.name) - 1)
    assert out.custom_doc_props["客户手机"].value == planted.mobile2[:3] + "****" + planted.mobile2[-4:]
    assert outcome.manifest.files[0].counts["CN_MOBILE"]["mask"] == 5


def test_csv_gbk(tmp_path, planted, make_redactor):
    rows = [["姓名", "手机", "身份证号", "备注"], [planted.name, planted.mobile, planted.resident_id, KEEP[0]],
            [planted.name2, planted.mobile2, "", KEEP[2]]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    src = tmp_path / "名单.csv"
    src.write_bytes(buffer.getvalue().encode("gbk"))

    copy, _ = redact(tmp_path, src, make_redactor("replace"))
    raw = copy.read_bytes()
    text = raw.decode("gbk")  # still GBK (no UTF-8 decoding needed, no BOM added)
    assert not raw.startswith(b"\xef\xbb\xbf") and "\r\n" in text
    assert_absent(text, planted.values())
    out = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    for row_before, row_after in zip(rows, out):
        assert len(row_before) == len(row_after)
        for before, after in zip(row_before, row_after):
            if not has_planted(before, planted):
                assert after == before
    assert out[0] == rows[0] and [r[3] for r in out[1:]] == [KEEP[0], KEEP[2]]
    assert out[1][:3] == ["<姓名>", "<手机号码>", "<居民身份证号码>"]


def test_tsv_utf8_bom(tmp_path, planted, make_redactor):
    src = tmp_path / "导出.tsv"
    src.write_bytes(("姓名\t手机\t备注\n" f"{planted.name}\t{planted.mobile}\t{KEEP[1]}\n").encode("utf-8-sig"))
    copy, _ = redact(tmp_path, src, make_redactor("mask"))
    raw = copy.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\n")
    assert lines[0] == "姓名\t手机\t备注"
    assert lines[1] == f"{planted.name[0]}{'*' * (len(planted.name) - 1)}\t{planted.mobile[:3]}****{planted.mobile[-4:]}\t{KEEP[1]}"


def test_docx_split_runs_tables_headers_properties(tmp_path, planted, make_redactor):
    document = docx.Document()
    p = document.add_paragraph("客户手机：")
    for piece in (planted.mobile[:3], planted.mobile[3:7], planted.mobile[7:]):  # one number, three runs
        run_ = p.add_run(piece)
        run_.bold = True
    p.add_run("，请回访。")
    document.add_paragraph(KEEP[0])
    document.add_paragraph(f"甲方：{planted.name}，身份证号{planted.resident_id}")
    table = document.add_table(rows=3, cols=3)
    for c, header in enumerate(["姓名", "卡号", "备注"]):
        table.cell(0, c).text = header
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = planted.name2, planted.card, KEEP[1]
    table.cell(2, 2).text = KEEP[2]
    document.sections[0].header.paragraphs[0].text = f"联系电话{planted.mobile2}"
    document.sections[0].footer.paragraphs[0].text = KEEP[3]
    document.core_properties.author = planted.name
    document.core_properties.last_modified_by = planted.name2
    src = tmp_path / "合同.docx"
    document.save(src)

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    assert_absent(zip_text(copy), planted.values())
    out = docx.Document(str(copy))
    first = out.paragraphs[0]
    assert first.text == f"客户手机：{planted.mobile[:3]}****{planted.mobile[-4:]}，请回访。"
    assert first.runs[1].bold  # the replacement keeps the formatting of the run it starts in
    assert out.paragraphs[1].text == KEEP[0]
    assert out.tables[0].cell(0, 0).text == "姓名" and out.tables[0].cell(1, 2).text == KEEP[1]
    assert out.tables[0].cell(2, 2).text == KEEP[2]
    assert out.sections[0].footer.paragraphs[0].text == KEEP[3]
    assert out.core_properties.author == planted.name[0] + "*" * (len(planted.name) - 1)
    original = docx.Document(str(src))
    assert len(out.paragraphs) == len(original.paragraphs)
    for before, after in zip(original.paragraphs, out.paragraphs):  # paragraphs without PI unchanged
        if not has_planted(before.text, planted):
            assert after.text == before.text
    for before, after in zip(original.tables[0]._cells, out.tables[0]._cells):
        if not has_planted(before.text, planted):
            assert after.text == before.text
    assert outcome.manifest.files[0].counts["CN_BANK_CARD"] == {"mask": 1}


def test_text_and_markdown(tmp_path, planted, make_redactor):
    src = tmp_path / "笔记.md"
    src.write_bytes(f"# {KEEP[0]}\r\n\r\n- 手机 {planted.mobile}\r\n- 卡号 {planted.card}\r\n{KEEP[2]}\r\n"
                    .encode("utf-8"))
    copy, _ = redact(tmp_path, src, make_redactor("redact"))
    assert copy.read_bytes() == f"# {KEEP[0]}\r\n\r\n- 手机 \r\n- 卡号 \r\n{KEEP[2]}\r\n".encode("utf-8")


def test_json(tmp_path, planted, make_redactor):
    data = {"客户": [{"姓名": planted.name, "手机": int(planted.mobile), "备注": KEEP[0], "序号": 1,
                     "说明": f"身份证号{planted.resident_id}"}], "标题": KEEP[1]}
    src = tmp_path / "导出.json"
    src.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    copy, _ = redact(tmp_path, src, make_redactor("pseudonymize"))
    text = copy.read_text(encoding="utf-8")
    assert_absent(text, planted.values())
    out = json.loads(text)
    row = out["客户"][0]
    assert row["备注"] == KEEP[0] and row["序号"] == 1 and out["标题"] == KEEP[1]
    assert row["姓名"].startswith("客户_") and row["手机"].startswith("手机_")
    assert text.startswith('{\n  "客户"')  # indentation kept


def test_html(tmp_path, planted, make_redactor):
    src = tmp_path / "页面.html"
    body = (f'<html><head><title>{KEEP[0]}</title></head><body>\n'
            f'<p class="x">手机<b>{planted.mobile[:5]}</b>{planted.mobile[5:]}</p>\n'
            f'<p title="卡号{planted.card}">{KEEP[1]}</p><!-- 身份证号{planted.resident_id} -->\n'
            f'<table><tr><th>姓名</th><th>备注</th></tr><tr><td>{planted.name}</td><td>{KEEP[2]}</td></tr></table>\n'
            '</body></html>\n')
    src.write_text(body, encoding="utf-8")
    copy, _ = redact(tmp_path, src, make_redactor("replace"))
    text = copy.read_text(encoding="utf-8")
    assert_absent(text, planted.values() + [planted.mobile[5:]])
    assert f"<title>{KEEP[0]}</title>" in text and f">{KEEP[1]}</p>" in text and '<p class="x">' in text
    assert "手机<b>&lt;手机号码&gt;</b></p>" in text
    assert f"<td>&lt;姓名&gt;</td><td>{KEEP[2]}</td>" in text  # a bare name under a 姓名 header
    import lxml.html

    tree = lxml.html.fromstring(text)  # opens with an HTML parser
    original = lxml.html.fromstring(src.read_text(encoding="utf-8"))
    assert [p.get("class") for p in tree.iter("p")] == [p.get("class") for p in original.iter("p")]
    for before, after in zip(original.iter("title", "p"), tree.iter("title", "p")):
        if not has_planted(before.text_content(), planted) and not has_planted(before.get("title"), planted):
            assert after.text_content() == before.text_content()
    assert tree.find(".//p").text_content() == "手机<手机号码>"


def test_pdf_two_columns(tmp_path, planted, make_redactor):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    src = tmp_path / "对账单.pdf"
    c = canvas.Canvas(str(src), pagesize=(595, 842))
    c.setAuthor(planted.name)
    c.setFont("STSong-Light", 11)
    c.drawString(50, 780, f"客户手机：{planted.mobile}")       # left column
    c.drawString(320, 780, f"卡号：{planted.card}")            # right column, same line
    c.drawString(50, 760, KEEP[0])
    c.setFont("Helvetica", 11)
    c.drawString(320, 760, f"ID {planted.resident_id}")
    c.showPage()
    c.setFont("STSong-Light", 11)
    c.drawString(50, 780, KEEP[2])
    c.showPage()
    c.save()

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    reader = PdfReader(copy)  # opens with pypdf
    pypdf_text = "\n".join(page.extract_text() or "" for page in reader.pages)
    with pdfplumber.open(copy) as pdf:
        plumber_text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    document = pdfium.PdfDocument(str(copy))
    pdfium_text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    for text in (pypdf_text, plumber_text, pdfium_text, str(reader.metadata)):
        assert_absent(text, planted.values())
    assert len(reader.pages) == 2
    assert KEEP[2] in plumber_text  # the page without findings is copied with its text layer
    assert float(reader.pages[0].mediabox.width) == 595 and float(reader.pages[0].mediabox.height) == 842
    # the digits of the ID (Helvetica, rendered) are painted over; the label before them is not
    page = document[0].render(scale=2).to_pil().convert("L")
    with pdfplumber.open(src) as pdf:
        chars = [ch for ch in pdf.pages[0].chars if ch["fontname"].endswith("Helvetica")]
    digit = next(ch for ch in chars if ch["text"].isdigit())
    label = chars[0]
    assert page.getpixel((int((digit["x0"] + digit["x1"])), int((digit["top"] + digit["bottom"])))) < 50
    assert page.crop((int(label["x0"] * 2), int(label["top"] * 2), int(label["x1"] * 2),
                      int(label["bottom"] * 2))).getextrema()[1] > 200
    assert outcome.manifest.files[0].counts["CN_RESIDENT_ID"] == {"mask": 1}


def test_docx_authors_custom_properties_and_thumbnail(tmp_path, planted, make_redactor):
    from docx.oxml.ns import qn
    from lxml import etree

    document = docx.Document()
    p = document.add_paragraph(KEEP[0])._p
    ins = etree.SubElement(p, qn("w:ins"), {qn("w:author"): planted.name2, qn("w:id"): "1"})
    etree.SubElement(etree.SubElement(ins, qn("w:r")), qn("w:t")).text = "（补充）"
    plain = tmp_path / "plain.docx"
    document.save(plain)
    with zipfile.ZipFile(plain) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert "docProps/thumbnail.jpeg" in parts  # python-docx's template carries a preview picture
    parts["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/'
        'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="客户手机">'
        f"<vt:lpwstr>{planted.mobile}</vt:lpwstr></property></Properties>").encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'custom-properties+xml"/></Types>').encode())
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", (
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'custom-properties" Target="docProps/custom.xml"/></Relationships>').encode())
    src = tmp_path / "修订.docx"
    with zipfile.ZipFile(src, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)

    copy, _ = redact(tmp_path, src, make_redactor("mask"))
    text = zip_text(copy)
    assert_absent(text, [planted.name2, planted.mobile])
    assert f"{planted.mobile[:3]}****{planted.mobile[-4:]}" in text and "（补充）" in text
    with zipfile.ZipFile(copy) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()
    assert docx.Document(str(copy)).paragraphs[0].text.startswith(KEEP[0])


def test_pdf_rotated_and_cropped_pages_are_painted_where_the_text_was(tmp_path, planted, make_redactor):
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject
    from reportlab.pdfgen import canvas

    plain = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(plain), pagesize=(595, 842))
    for _ in range(3):
        c.setFont("Helvetica", 14)
        c.drawString(100, 700, f"Mobile {planted.mobile} end")
        c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.pages[0].rotate(90)
    writer.pages[1].cropbox = RectangleObject((50, 100, 500, 800))
    writer.pages[2].rotate(270)
    writer.pages[2].cropbox = RectangleObject((50, 100, 500, 800))
    src = tmp_path / "旋转.pdf"
    writer.write(src)

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    assert outcome.manifest.files[0].counts == {"CN_MOBILE": {"mask": 3}}  # once per page
    with pdfplumber.open(src) as original:
        expected = []
        for page in original.pages:
            digits = [ch for ch in page.chars if ch["text"].isdigit()]
            label = [ch for ch in page.chars if ch["text"] == "M"][0]
            x0, top = page.cropbox[0], page.cropbox[1]
            centre = lambda ch: ((ch["x0"] + ch["x1"]) / 2 - x0, (ch["top"] + ch["bottom"]) / 2 - top)  # noqa: E731
            expected.append(([centre(ch) for ch in digits], centre(label), page.cropbox))
    document = pdfium.PdfDocument(str(copy))
    for number, (digit_centres, label_centre, crop) in enumerate(expected):
        image = document[number].render(scale=1).to_pil().convert("L")
        assert image.size == (round(crop[2] - crop[0]), round(crop[3] - crop[1]))
        assert all(image.getpixel((int(x), int(y))) < 50 for x, y in digit_centres), f"page {number + 1}"
        lx, ly = label_centre
        assert image.crop((int(lx) - 4, int(ly) - 5, int(lx) + 4, int(ly) + 5)).getextrema()[1] > 200
    assert_absent(str([document[i].get_textpage().get_text_range() for i in range(3)]), [planted.mobile])


def test_hyperlinks_and_custom_xml_are_redacted(tmp_path, planted, make_redactor):
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from lxml import etree

    wb = Workbook()
    wb.active["A1"] = KEEP[0]
    wb.active["A1"].hyperlink = f"mailto:client{planted.mobile}@example.com"
    xlsx = tmp_path / "链接.xlsx"
    wb.save(xlsx)

    document = docx.Document()
    paragraph = document.add_paragraph(KEEP[1])
    rid = document.part.relate_to(f"mailto:client{planted.mobile2}@example.com", RELATIONSHIP_TYPE.HYPERLINK,
                                  is_external=True)
    link = etree.SubElement(paragraph._p, qn("w:hyperlink"), {qn("r:id"): rid})
    etree.SubElement(etree.SubElement(link, qn("w:r")), qn("w:t")).text = "邮件"
    document_path = tmp_path / "链接.docx"
    document.save(document_path)
    with zipfile.ZipFile(document_path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["customXml/item1.xml"] = f"<客户><手机>{planted.mobile}</手机></客户>".encode()
    with zipfile.ZipFile(document_path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)

    for src in (xlsx, document_path):
        copy, _ = redact(tmp_path, src, make_redactor("mask"), out_name=f"out-{src.suffix[1:]}")
        text = zip_text(copy)
        assert_absent(text, [planted.mobile, planted.mobile2])
        assert "@example.com" in text and "c***@example.com" in text.replace("%2A", "*")
    assert load_workbook(tmp_path / "out-xlsx" / "链接.xlsx").active["A1"].value == KEEP[0]
    assert docx.Document(str(tmp_path / "out-docx" / "链接.docx")).paragraphs[0].text.startswith(KEEP[1])


def test_a_sheet_named_after_a_client_is_renamed_and_references_follow(tmp_path, planted, make_redactor):
    """A sheet named after a client's phone: the package pass (package.py) renames it
    (a mask's * is not allowed in a sheet name: ＊ stands for it) and rewrites the
    formula that refers to it alike; verification reads every part."""
    wb = Workbook()
    wb.active.title = planted.mobile
    wb.active["A1"] = KEEP[0]
    wb.create_sheet("汇总")["A1"] = f"='{planted.mobile}'!A1"
    src = tmp_path / "表.xlsx"
    wb.save(src)
    redactor = make_redactor("mask")
    copy, outcome = redact(tmp_path, src, redactor)
    assert all(planted.mobile not in m for m in outcome.messages)
    assert_absent(zip_text(copy), [planted.mobile])
    book = load_workbook(copy)
    first, summary = book.worksheets
    assert "＊" in first.title and first["A1"].value == KEEP[0]
    assert summary["A1"].value == f"='{first.title}'!A1"
    # a location naming that sheet is shown without the value
    assert safe_location({"sheet": planted.mobile, "cell": "A2"}, redactor) == {"sheet": "<CN_MOBILE>", "cell": "A2"}


def test_pdf_form_field_values_are_removed(tmp_path, planted, make_redactor):
    """A filled form field's value is not in the page's text: it is found in the
    annotation, the field is dropped and its box painted; the page's text stays."""
    from reportlab.pdfgen import canvas

    src = tmp_path / "申请表.pdf"
    c = canvas.Canvas(str(src), pagesize=(595, 842))
    c.setFont("Helvetica", 12)
    c.drawString(50, 780, "Application form")
    c.acroForm.textfield(name="mobile", value=planted.mobile, x=50, y=700, width=200, height=20)
    c.showPage()
    c.save()
    assert planted.mobile in str(PdfReader(src).get_fields())  # the value is there, not in extract_text

    copy, outcome = redact(tmp_path, src, make_redactor("mask"))
    reader = PdfReader(copy)
    assert not reader.get_fields() and "/Annots" not in reader.pages[0]
    assert planted.mobile.encode() not in copy.read_bytes()
    with pdfplumber.open(copy) as pdf:
        assert pdf.pages[0].extract_text() == "Application form" and not pdf.pages[0].annots
    image = pdfium.PdfDocument(str(copy))[0].render(scale=1).to_pil().convert("L")
    assert image.getpixel((150, 842 - 710)) < 50  # the field's box is painted
    assert outcome.manifest.files[0].counts == {"CN_MOBILE": {"mask": 1}}


def test_json_member_names_that_are_values(tmp_path, planted, make_redactor):
    data = {planted.mobile: {"备注": KEEP[0]}, planted.mobile2: {"备注": KEEP[1]}}
    src = tmp_path / "按手机.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copy, _ = redact(tmp_path, src, make_redactor("redact"))
    out = json.loads(copy.read_text(encoding="utf-8"))
    assert list(out.values()) == [{"备注": KEEP[0]}, {"备注": KEEP[1]}]  # two names redacted alike stay apart
    assert_absent(json.dumps(out, ensure_ascii=False), [planted.mobile, planted.mobile2])


def test_what_verification_cannot_read_is_reported(tmp_path, planted, make_redactor):
    from PIL import Image
    from reportlab.pdfgen import canvas

    picture = tmp_path / "证件照.png"
    Image.new("RGB", (40, 20), "white").save(picture)
    src = tmp_path / "扫描.pdf"
    c = canvas.Canvas(str(src), pagesize=(595, 842))
    c.setFont("Helvetica", 12)
    c.drawString(50, 780, f"Mobile {planted.mobile}")
    c.showPage()
    c.drawImage(str(picture), 50, 700)  # a page that is only a picture
    c.showPage()
    c.save()
    document = docx.Document()
    document.add_paragraph(KEEP[0])
    document.add_picture(str(picture))
    word = tmp_path / "附件.docx"
    document.save(word)

    redactor = make_redactor("mask")
    outcome = run.redact([src, word], tmp_path / "out", redactor)
    assert outcome.exit_code == 0
    pdf_entry, docx_entry = outcome.manifest.files
    assert pdf_entry.unchecked == ["pages without a text layer (scans?), their images not checked: 2"]
    assert docx_entry.unchecked == []  # its picture is read by OCR (protect/writers/package.py)
    assert sum("warning:" in m for m in outcome.messages) == 1

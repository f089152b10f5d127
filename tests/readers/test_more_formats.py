"""xls, pptx, json, html, xml, e-mail and archives: real files made by their
libraries, a planted value at a known location."""

import io
import json
import tarfile
import zipfile
from email.message import EmailMessage

import docx
import xlwt
from openpyxl import Workbook
from pptx import Presentation
from pptx.util import Inches

from .conftest import ID, MOBILE, where


def test_xls_cells_numbers_and_hidden_sheets(scanner, tmp_path):
    path = tmp_path / "legacy.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("客户")
    for c, header in enumerate(["姓名", "手机", "身份证号"]):
        sheet.write(0, c, header)
    sheet.write(1, 0, "王芳")
    sheet.write(1, 1, int(MOBILE))  # typed as a number
    sheet.write(1, 2, ID)
    hidden = book.add_sheet("旧")
    hidden.visibility = 1
    hidden.write(4, 2, f"备注电话{MOBILE}")
    book.save(str(path))
    result = scanner.scan_file(path)
    assert result.error is None and result.reader == "xls"
    assert where(result, "CN_MOBILE") == [({"sheet": "客户", "cell": "B2"}, 0, 11), ({"sheet": "旧", "cell": "C5"}, 4, 15)]
    assert where(result, "CN_RESIDENT_ID") == [({"sheet": "客户", "cell": "C2"}, 0, 18)]
    assert where(result, "PERSON") == [({"sheet": "客户", "cell": "A2"}, 0, 2)]


def test_pptx_text_tables_and_notes(scanner, tmp_path):
    path = tmp_path / "deck.pptx"
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = f"客户经理电话：{MOBILE}"
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text, table.cell(1, 1).text = "李娜", ID
    slide.notes_slide.notes_text_frame.text = f"备注\n身份证号{ID}"
    deck.save(path)
    result = scanner.scan_file(path)
    assert result.error is None
    assert [loc for loc, _, _ in where(result, "CN_RESIDENT_ID")] == [
        {"slide": 1, "shape": "Table 2", "row": 2, "column": 2}, {"slide": 1, "part": "notes", "paragraph": 2}]
    assert where(result, "CN_MOBILE")[0][0]["slide"] == 1
    assert [loc["row"] for loc, _, _ in where(result, "PERSON")] == [2]


def test_json_pointer_and_member_name_context(scanner, tmp_path):
    path = tmp_path / "clients.json"
    path.write_text(json.dumps({"clients": [{"name": "王芳", "手机": int(MOBILE), "id/card": ID}]},
                               ensure_ascii=False), encoding="utf-8")
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"pointer": "/clients/0/手机"}, 0, 11)]
    assert where(result, "CN_RESIDENT_ID") == [({"pointer": "/clients/0/id~1card"}, 0, 18)]
    (mobile,) = [f for f in result.findings if f.entity_type == "CN_MOBILE"]
    assert mobile.score == 1.0 and mobile.metadata["context_word"] == "手机"  # the member name is context


def test_html_blocks_inline_tags_and_attributes(scanner, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(f"<html><body>\n<p>客户电话：<b>138</b>00138000</p>\n<img alt='身份证{ID}'>\n"
                    "<script>var x = '13900139000';</script></body></html>", encoding="utf-8")
    result = scanner.scan_file(path)
    # one number across <b>; a script's text is read too (a copy keeps what a script holds)
    assert where(result, "CN_MOBILE") == [({"line": 2}, 5, 16), ({"markup": "script", "line": 4}, 9, 20)]
    assert where(result, "CN_RESIDENT_ID") == [({"line": 3, "attribute": "alt"}, 3, 21)]


def test_xml_elements_attributes_and_tag_context(scanner, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(f'<客户列表><客户 编号="1"><姓名>王芳</姓名><手机号>{MOBILE}</手机号>'
                    f'<证件 类型="身份证" 号码="{ID}"/></客户></客户列表>', encoding="utf-8")
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"element": "/客户列表/客户[1]/手机号[1]"}, 0, 11)]
    assert where(result, "CN_RESIDENT_ID") == [({"element": "/客户列表/客户[1]/证件[1]", "attribute": "号码"}, 0, 18)]
    assert where(result, "PERSON") == [({"element": "/客户列表/客户[1]/姓名[1]"}, 0, 2)]


def roster_xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["姓名", "手机号"])
    wb.active.append(["王芳", MOBILE])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_email_headers_bodies_charsets_and_attachments(scanner, tmp_path):
    message = EmailMessage()
    message["From"] = "王芳 <wangfang@163.com>"
    message["To"] = "audit@example.com"
    message["Subject"] = "客户资料"
    message.set_content(f"您好，\n客户身份证号{ID}，请查收。\n", charset="gb18030")
    message.add_attachment(roster_xlsx(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="名单.xlsx")
    path = tmp_path / "mail.eml"
    path.write_bytes(bytes(message))
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "EMAIL_ADDRESS")[0][0] == {"header": "From"}
    assert where(result, "CN_RESIDENT_ID") == [({"part": 2, "line": 2}, 6, 24)]
    assert where(result, "CN_MOBILE") == [({"attachment": "名单.xlsx", "sheet": "Sheet", "cell": "B2"}, 0, 11)]


def test_zip_and_tar_members_are_read_by_their_readers(scanner, tmp_path):
    contract = tmp_path / "contract.docx"
    d = docx.Document()
    d.add_paragraph(f"乙方身份证号：{ID}")
    d.save(contract)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("客户/名单.xlsx", roster_xlsx())
    path = tmp_path / "share.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(contract, "合同/contract.docx")
        z.writestr("nested.zip", inner.getvalue())
        z.writestr("readme.bin", b"\0\1")
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_RESIDENT_ID") == [({"member": "合同/contract.docx", "paragraph": 1}, 7, 25)]
    assert where(result, "CN_MOBILE") == [({"member": "nested.zip", **{"member": "客户/名单.xlsx"}, "sheet": "Sheet",
                                            "cell": "B2"}, 0, 11)]
    tgz = tmp_path / "backup.tar.gz"
    with tarfile.open(tgz, "w:gz") as t:
        t.add(contract, "docs/contract.docx")
    assert where(scanner.scan_file(tgz), "CN_RESIDENT_ID") == [({"member": "docs/contract.docx", "paragraph": 1}, 7, 25)]


def test_archive_bombs_and_encryption_are_reported_not_expanded(scanner, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.txt", b"0" * 20_000_000)
    assert "zip bomb" in scanner.scan_file(bomb).error.reason
    locked = tmp_path / "locked.zip"
    with zipfile.ZipFile(locked, "w") as z:
        z.writestr("secret.txt", "x")
    data = bytearray(locked.read_bytes())  # set the encryption flag as password tools do
    data[data.find(b"PK\x03\x04") + 6] |= 1
    data[data.find(b"PK\x01\x02") + 8] |= 1
    locked.write_bytes(bytes(data))
    assert "encrypted" in scanner.scan_file(locked).error.reason
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 broken")
    assert "not a zip or tar archive" in scanner.scan_file(broken).error.reason


def test_a_bad_member_is_reported_and_the_others_are_read(scanner, tmp_path):
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("bad.pdf", b"%PDF-1.7 garbage")
        z.writestr("note.txt", f"手机{MOBILE}")
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"member": "note.txt", "line": 1}, 2, 13)]
    assert "bad.pdf (corrupt PDF" in result.error.reason


def test_xml_in_gbk_as_older_systems_export_it(scanner, tmp_path):
    """Python's own XML parser refuses multi-byte encodings; lxml reads what the declaration names."""
    path = tmp_path / "发票.xml"
    path.write_bytes(f'<?xml version="1.0" encoding="GBK"?>\n<发票列表><发票><手机号>{MOBILE}</手机号>'
                     f'<!-- 证件 {ID} --></发票></发票列表>\n'.encode("gbk"))
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_MOBILE") == [({"element": "/发票列表/发票[1]/手机号[1]"}, 0, 11)]
    assert where(result, "CN_RESIDENT_ID") == [({"element": "/发票列表/发票[1]", "part": "comment"}, 4, 22)]

import csv

import xlwt
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty

from piiscan.classify.policy import default_policy
from piiscan.protect import run
from piiscan.protect.operators import Redactor
from piiscan.protect.profiles import load_profile

from .conftest import ID, MOBILE, where


def test_cells_hidden_sheets_and_numbers(scanner, tmp_path):
    path = tmp_path / "roster.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["姓名", "手机号", "身份证号"])
    ws.append(["王芳", int(MOBILE), ID])               # a phone typed as a number
    ws.append(["李娜", float(MOBILE), "无"])            # and one stored as a float
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["C5"] = f"备注：联系电话{MOBILE}"
    very_hidden = wb.create_sheet("备份")
    very_hidden.sheet_state = "veryHidden"  # not even listed by Excel's Unhide dialog
    very_hidden["A1"] = ID
    wb.save(path)
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_MOBILE") == [({"sheet": "客户", "cell": "B2"}, 0, 11),
                                          ({"sheet": "客户", "cell": "B3"}, 0, 11),
                                          ({"sheet": "隐藏", "cell": "C5"}, 7, 18)]
    assert where(result, "CN_RESIDENT_ID") == [({"sheet": "客户", "cell": "C2"}, 0, 18),
                                               ({"sheet": "备份", "cell": "A1"}, 0, 18)]
    assert [f.location["cell"] for f in result.findings if f.entity_type == "PERSON"] == ["A2", "A3"]


def test_a_sheet_without_header_row(scanner, tmp_path):
    path = tmp_path / "noheader.xlsx"
    wb = Workbook()
    wb.active["D7"] = MOBILE
    wb.active["A1"] = 42
    wb.save(path)
    assert where(scanner.scan_file(path), "CN_MOBILE") == [({"sheet": "Sheet", "cell": "D7"}, 0, 11)]


def test_a_title_row_above_the_header_row(scanner, tmp_path):
    path = tmp_path / "titled.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "2026年3月客户名单"
    ws.merge_cells("A1:C1")
    ws.append(["姓名", "手机号", "地址"])
    ws.append(["王芳", MOBILE, "北京市朝阳区建国路88号3栋2单元501室"])
    wb.save(path)
    assert where(scanner.scan_file(path), "CN_ADDRESS") == [({"sheet": "Sheet", "cell": "C3"}, 0, 21)]


def test_a_title_row_in_csv_and_xls(scanner, tmp_path):
    path = tmp_path / "titled.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows([["2024年客户名单", "", ""], ["姓名", "手机号", "地址"],
                                  ["王芳", MOBILE, "北京市朝阳区建国路88号3栋2单元501室"]])
    assert where(scanner.scan_file(path), "PERSON") == [({"row": 3, "column": "姓名"}, 0, 2)]
    legacy = tmp_path / "titled.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("客户")
    sheet.write_merge(0, 0, 0, 2, "2024年客户名单")
    for c, text in enumerate(["姓名", "手机号", "地址"]):
        sheet.write(2, c, text)  # a blank row between the title and the header
    sheet.write(3, 0, "王芳")
    book.save(str(legacy))
    assert where(scanner.scan_file(legacy), "PERSON") == [({"sheet": "客户", "cell": "A4"}, 0, 2)]


def test_comments_headers_footers_and_properties(scanner, tmp_path):
    path = tmp_path / "notes.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["编号", "备注"])
    ws.append(["NO1", "无"])
    ws["B2"].comment = Comment(f"回访身份证{ID}", "欧阳娜娜")
    ws.oddHeader.center.text = f"经办人电话{MOBILE}"
    hidden = wb.create_sheet("旧")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    hidden.evenFooter.right.text = f"复核{MOBILE}"
    wb.properties.creator = "王芳"
    wb.properties.lastModifiedBy = "李娜"
    wb.custom_doc_props.append(StringProperty(name="客户手机", value=MOBILE))
    wb.save(path)
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_RESIDENT_ID") == [({"sheet": "客户", "cell": "B2", "part": "comment"}, 5, 23)]
    assert where(result, "CN_MOBILE") == [({"sheet": "客户", "part": "oddHeader.center"}, 5, 16),
                                          ({"sheet": "旧", "part": "evenFooter.right"}, 2, 13),
                                          ({"custom property": "客户手机"}, 0, 11)]
    assert [loc for loc, _, _ in where(result, "PERSON")] == [
        {"sheet": "客户", "cell": "B2", "part": "comment author"}, {"property": "creator"},
        {"property": "lastModifiedBy"}]
    assert result.classification.columns == []  # a comment is not one of the column's values


def test_redaction_finds_the_header_row_below_a_title_as_the_reader_does(detector, tmp_path):
    """The writer must give a cell the same header context as the reader, or the bare
    name under 姓名 is left in the copy and verification (the reader) fails on it."""
    src = tmp_path / "名单.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "2024年第一季度汇总"  # a title that, taken for a header, says nothing about names
    ws.merge_cells("A1:C1")
    ws.append(["姓名", "手机号", "备注"])
    ws.append(["王芳", MOBILE, "无"])
    ws["C3"].comment = Comment("无", "李娜")
    wb.save(src)
    policy = default_policy()
    redactor = Redactor(detector, load_profile(None, policy), policy, b"k" * 32, "mask")
    outcome = run.redact([src], tmp_path / "out", redactor)
    assert outcome.exit_code == 0, outcome.messages
    copy = load_workbook(tmp_path / "out" / "名单.xlsx")
    assert [copy.active["A3"].value, copy.active["A1"].value, copy.active["C3"].comment.author] == ["王*", "2024年第一季度汇总", "李*"]


def test_shared_strings_as_excel_stores_them_are_read_from_disk(scanner, tmp_path):
    """Excel (and XlsxWriter) keep text in xl/sharedStrings.xml; the reader keeps that
    table in a temporary file, not in memory, and reads the same cells from it."""
    import xlsxwriter

    from piiscan.sources.readers.xlsx_strings import SharedStrings, load_read_only

    path = tmp_path / "excel.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("客户")
    sheet.write_row(0, 0, ["姓名", "手机号", "身份证号"])
    sheet.write_row(1, 0, ["王芳", MOBILE, ID])
    sheet.write_row(2, 0, ["李娜", MOBILE, "无"])
    book.close()
    workbook, strings = load_read_only(path)
    try:
        assert isinstance(strings, SharedStrings) and len(strings) == 8  # MOBILE stored once
        assert [list(r) for r in workbook.active.iter_rows(values_only=True)][1] == ["王芳", MOBILE, ID]
    finally:
        workbook.close()
        strings.close()
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"sheet": "客户", "cell": "B2"}, 0, 11), ({"sheet": "客户", "cell": "B3"}, 0, 11)]
    assert where(result, "PERSON") == [({"sheet": "客户", "cell": "A2"}, 0, 2), ({"sheet": "客户", "cell": "A3"}, 0, 2)]

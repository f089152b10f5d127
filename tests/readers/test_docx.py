import zipfile

import docx

from .conftest import ID, MOBILE, where


def test_paragraphs_tables_headers_footers_and_split_runs(scanner, tmp_path):
    path = tmp_path / "contract.docx"
    d = docx.Document()
    d.add_paragraph("协议")
    split = d.add_paragraph("乙方身份证号：")
    for piece in (ID[:4], ID[4:10], ID[10:]):  # one number across three runs
        split.add_run(piece).bold = True
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "手机"
    table.cell(1, 0).text, table.cell(1, 1).text = "王芳", MOBILE
    d.sections[0].header.paragraphs[0].text = f"联系电话：{MOBILE}"
    d.sections[0].footer.paragraphs[0].text = f"备案身份证：{ID}"
    d.save(path)
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_RESIDENT_ID") == [({"paragraph": 2}, 7, 25),
                                               ({"section": 1, "part": "footer", "paragraph": 1}, 6, 24)]
    assert where(result, "CN_MOBILE") == [({"table": 1, "row": 2, "column": 2}, 0, 11),
                                          ({"section": 1, "part": "header", "paragraph": 1}, 5, 16)]
    assert where(result, "PERSON") == [({"table": 1, "row": 2, "column": 1}, 0, 2)]


def as_docm(paragraph: str, tmp_path):
    """A .docm: a .docx whose main part has the macro-enabled content type."""
    plain = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_paragraph(paragraph)
    d.save(plain)
    macro = tmp_path / "macro.docm"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            target.writestr(item, data)
    assert b"macroEnabled" in zipfile.ZipFile(macro).read("[Content_Types].xml")
    return macro


def test_a_macro_enabled_docm_is_read(scanner, tmp_path):
    macro = as_docm(f"联系电话：{MOBILE}", tmp_path)
    result = scanner.scan_file(macro)
    assert result.error is None
    assert where(result, "CN_MOBILE") == [({"paragraph": 1}, 5, 16)]


def test_a_docm_redacts_to_a_docm_without_macros(tmp_path):
    """The redacted copy keeps its type and loses its macros, which nobody checked."""
    from piiscan.sources.readers.docx import load_document, save_document

    macro = as_docm("正文", tmp_path)
    out = tmp_path / "out.docm"
    save_document(load_document(macro), out)
    types = zipfile.ZipFile(out).read("[Content_Types].xml")
    assert b"macroEnabled.main+xml" in types and b"wordprocessingml.document.main+xml" not in types
    assert [p.text for p in load_document(out).paragraphs] == ["正文"]


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_merged_cells_are_read_once(scanner, tmp_path):
    """python-docx repeats a merged cell for every grid column and row it spans."""
    path = tmp_path / "merged.docx"
    d = docx.Document()
    table = d.add_table(rows=3, cols=3)
    for c, header in enumerate(["姓名", "手机", "备注"]):
        table.cell(0, c).text = header
    table.cell(1, 1).merge(table.cell(1, 2)).text = MOBILE      # across two columns
    table.cell(1, 0).merge(table.cell(2, 0)).text = "王芳"       # down two rows
    d.save(path)
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"table": 1, "row": 2, "column": 2}, 0, 11)]
    assert where(result, "PERSON") == [({"table": 1, "row": 2, "column": 1}, 0, 2)]


def test_first_page_and_even_page_headers_and_footers(scanner, tmp_path):
    path = tmp_path / "pages.docx"
    d = docx.Document()
    d.add_paragraph("正文")
    section = d.sections[0]
    section.different_first_page_header_footer = True
    d.settings.odd_and_even_pages_header_footer = True
    section.first_page_header.paragraphs[0].text = f"首页 联系电话：{MOBILE}"
    section.even_page_footer.paragraphs[0].text = f"身份证：{ID}"
    d.save(path)
    result = scanner.scan_file(path)
    assert where(result, "CN_MOBILE") == [({"section": 1, "part": "first page header", "paragraph": 1}, 8, 19)]
    assert where(result, "CN_RESIDENT_ID") == [({"section": 1, "part": "even page footer", "paragraph": 1}, 4, 22)]


def test_runs_in_tracked_insertions_content_controls_and_fields(scanner, tmp_path):
    """Word wraps runs in w:ins (tracked changes), w:sdt (content controls, common in
    contract templates) and w:fldSimple (mail-merge fields); python-docx's text skips them."""
    from docx.oxml import parse_xml

    path = tmp_path / "template.docx"
    d = docx.Document()
    d.element.body.insert(0, parse_xml(
        f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>甲方身份证：{ID}</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    wrappers = [f'<w:ins {W} w:id="1" w:author="x" w:date="2026-01-01T00:00:00Z">{{}}</w:ins>',
                f"<w:sdt {W}><w:sdtContent>{{}}</w:sdtContent></w:sdt>",
                f'<w:fldSimple {W} w:instr="MERGEFIELD 电话">{{}}</w:fldSimple>']
    for wrapper in wrappers:
        paragraph = d.add_paragraph("电话：")
        paragraph._p.append(parse_xml(wrapper.format(f"<w:r><w:t>{MOBILE[:3]}</w:t></w:r><w:r><w:t>{MOBILE[3:]}</w:t></w:r>")))
    d.save(path)
    result = scanner.scan_file(path)
    assert where(result, "CN_RESIDENT_ID") == [({"paragraph": 1}, 6, 24)]
    assert where(result, "CN_MOBILE") == [({"paragraph": n}, 3, 14) for n in (2, 3, 4)]


def test_comments_their_authors_and_core_properties(scanner, tmp_path):
    path = tmp_path / "reviewed.docx"
    d = docx.Document()
    body = d.add_paragraph("合同正文")
    d.add_comment(body.runs[0], text=f"请核对乙方手机{MOBILE}", author="欧阳娜娜", initials="OY")
    d.core_properties.author = "王芳"
    d.core_properties.last_modified_by = "李娜"
    d.core_properties.comments = f"身份证{ID}"
    d.save(path)
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_MOBILE") == [({"comment": 1, "paragraph": 1}, 7, 18)]
    assert where(result, "CN_RESIDENT_ID") == [({"property": "comments"}, 3, 21)]
    assert [loc for loc, _, _ in where(result, "PERSON")] == [
        {"comment": 1, "part": "author"}, {"property": "author"}, {"property": "last_modified_by"}]

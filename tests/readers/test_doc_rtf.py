"""Legacy .doc (made by LibreOffice from a python-docx file, read by catdoc) and
RTF (LibreOffice's \\uNNNN escapes, and WordPad-style GBK \\'xx escapes)."""

import subprocess

import docx
import olefile

from .conftest import ID, MOBILE, require_tool, where


def python_docx_file(path):
    d = docx.Document()
    d.add_paragraph(f"乙方身份证号：{ID}")
    d.add_paragraph("第二条 付款方式")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "手机"
    table.cell(1, 0).text, table.cell(1, 1).text = "王芳", MOBILE
    d.sections[0].header.paragraphs[0].text = f"经办人电话{MOBILE}"
    d.save(path)
    return path


def libreoffice(source, target_format, tmp_path):
    soffice = require_tool("soffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", target_format, "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    return tmp_path / (source.stem + "." + target_format.split(":")[0])


def test_doc_made_by_libreoffice_chinese_tables_and_header(scanner, tmp_path):
    require_tool("catdoc")
    doc = libreoffice(python_docx_file(tmp_path / "合同.docx"), "doc:MS Word 97", tmp_path)
    result = scanner.scan_file(doc)
    assert result.error is None and result.reader == "doc"
    assert where(result, "CN_RESIDENT_ID") == [({"paragraph": 1}, 7, 25)]
    assert where(result, "PERSON") == [({"table": 1, "row": 2, "column": 1}, 0, 2)]  # under 姓名
    assert where(result, "CN_MOBILE") == [({"table": 1, "row": 2, "column": 2}, 0, 11),
                                          ({"paragraph": 3}, 5, 16)]  # the page header, after the body


def test_doc_that_is_really_rtf_or_docx_and_an_encrypted_doc(scanner, tmp_path):
    require_tool("catdoc")
    source = python_docx_file(tmp_path / "src.docx")
    renamed = tmp_path / "renamed.doc"
    renamed.write_bytes(source.read_bytes())
    assert where(scanner.scan_file(renamed), "CN_RESIDENT_ID") == [({"paragraph": 1}, 7, 25)]
    doc = libreoffice(source, "doc:MS Word 97", tmp_path)
    with olefile.OleFileIO(str(doc), write_mode=True) as ole:  # set fEncrypted in the FIB, as Word does
        fib = bytearray(ole.openstream("WordDocument").read())
        fib[11] |= 0x01
        ole.write_stream("WordDocument", bytes(fib))
    assert scanner.scan_file(doc).error.reason == "encrypted (password-protected) document"


def test_doc_without_catdoc_says_how_to_install_it(scanner, tmp_path, monkeypatch):
    doc = libreoffice(python_docx_file(tmp_path / "src.docx"), "doc:MS Word 97", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no catdoc on it
    reason = scanner.scan_file(doc).error.reason
    assert reason == "legacy .doc needs catdoc, which is not installed (Debian/Ubuntu: apt-get install catdoc)"


def test_rtf_made_by_libreoffice_unicode_escapes_table_and_header(scanner, tmp_path):
    rtf = libreoffice(python_docx_file(tmp_path / "合同.docx"), "rtf", tmp_path)
    assert b"\\u" in rtf.read_bytes()  # Chinese written as \uNNNN
    result = scanner.scan_file(rtf)
    assert result.error is None and result.reader == "rtf"
    assert where(result, "CN_RESIDENT_ID") == [({"paragraph": 1}, 7, 25)]
    assert where(result, "PERSON")[0] == ({"table": 1, "row": 2, "column": 1}, 0, 2)
    assert where(result, "CN_MOBILE") == [({"table": 1, "row": 2, "column": 2}, 0, 11),
                                          ({"part": "header", "number": 1, "paragraph": 1}, 5, 16)]


def gbk_escaped(text: str) -> str:
    """Chinese as WordPad writes it: each GBK byte as \\'xx."""
    return "".join(ch if ch.isascii() else "".join(f"\\'{b:02x}" for b in ch.encode("gbk")) for ch in text)


def test_rtf_with_gbk_escapes_comments_and_author(scanner, tmp_path):
    body = (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}"
            r"{\info{\author " + gbk_escaped("王芳") + r"}{\operator " + gbk_escaped("李娜") + r"}}"
            r"\f0 " + gbk_escaped("客户手机：") + MOBILE + r"\par "
            + gbk_escaped("身份证号") + ID + r"{\*\atnid LN}{\*\annotation \pard " + gbk_escaped("回访电话")
            + MOBILE + r"}\par }")
    path = tmp_path / "note.rtf"
    path.write_text(body, encoding="ascii")
    result = scanner.scan_file(path)
    assert result.error is None
    assert where(result, "CN_MOBILE") == [({"paragraph": 1}, 5, 16), ({"part": "comment", "number": 1, "paragraph": 1}, 4, 15)]
    assert where(result, "CN_RESIDENT_ID") == [({"paragraph": 2}, 4, 22)]
    assert [loc for loc, _, _ in where(result, "PERSON")] == [{"property": "author"}, {"property": "last modified by"}]
    # no \ansicpg: the GB2312 font charset (\fcharset134) gives the code page
    path.write_text(body.replace(r"\ansicpg936", ""), encoding="ascii")
    assert where(scanner.scan_file(path), "CN_RESIDENT_ID") == [({"paragraph": 2}, 4, 22)]

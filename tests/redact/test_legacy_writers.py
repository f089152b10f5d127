"""Writers for .doc, .rtf (through LibreOffice) and .xml. The Word files are made by
LibreOffice from a python-docx document (tables, a page header, the author
property), redacted through the CLI, and hunted with extractors independent of
piiscan's writer: catdoc, and LibreOffice converting the copy to .docx whose every
part is searched. Decoys stay, the copy keeps its format, scan's reader reads it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docx
import pytest

from piiscan.sources.readers.doc import DocReader
from piiscan.sources.readers.rtf import RtfReader
from piiscan.sources.readers.base import OLE_SIGNATURE
from tests.readers.conftest import require_tool
from tests.redact.test_cli import cli
from tests.redact.test_more_writers import DECOYS, ID, NAME, OTHER_NAME, OTHER_PHONE, PHONE, everything

VALUES = (NAME, OTHER_NAME, PHONE, OTHER_PHONE, ID)


def soffice(folder: Path, target: str, out: Path, *files: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([require_tool("soffice"), "--headless", f"-env:UserInstallation=file://{folder}/lo-test",
                    "--convert-to", target, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=300)


def word_source(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph(f"订单 {DECOYS[0]} 金额 {DECOYS[1]} 日期 {DECOYS[2]}")
    d.add_paragraph(f"乙方{NAME}，身份证号{ID}，联系电话{PHONE}。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "经手人", "手机"
    table.cell(1, 0).text, table.cell(1, 1).text = OTHER_NAME, OTHER_PHONE
    d.add_paragraph("（以下无正文）")
    d.sections[0].header.paragraphs[0].text = f"经办人电话{OTHER_PHONE}"
    d.core_properties.author = NAME
    d.save(path)
    return path


@pytest.fixture(scope="module")
def legacy(tmp_path_factory):
    """.doc and .rtf made by LibreOffice, a .doc that is an RTF renamed, one redact run."""
    folder = tmp_path_factory.mktemp("legacy")
    source = word_source(folder / "合同.docx")
    inputs = folder / "in"
    soffice(folder, "doc:MS Word 97", inputs, source)
    soffice(folder, "rtf", inputs, source)
    (inputs / "改名.doc").write_bytes((inputs / "合同.rtf").read_bytes())
    monkeypatch = pytest.MonkeyPatch()
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(folder / "out"), "--quiet")
    monkeypatch.undo()
    out = folder / "out"
    soffice(folder, "docx", folder / "hunt-doc", out / "合同.doc")
    soffice(folder, "docx", folder / "hunt-rtf", out / "合同.rtf", out / "改名.doc")  # stems differ
    return code, folder, inputs, out


def test_doc_and_rtf_copies_keep_their_format_and_leak_nothing(legacy):
    code, folder, inputs, out = legacy
    manifest = json.loads((out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    assert code == 0 and all(f["verified"] for f in manifest["files"]), manifest["files"]
    assert {Path(f["output"]).name: f["writer"] for f in manifest["files"]} == {
        "合同.doc": "doc", "合同.rtf": "rtf", "改名.doc": "doc"}
    assert (out / "合同.doc").read_bytes()[:8] == OLE_SIGNATURE
    assert (out / "合同.rtf").read_bytes().startswith(b"{\\rtf") and (out / "改名.doc").read_bytes().startswith(b"{\\rtf")
    catdoc = subprocess.run([require_tool("catdoc"), "-w", "-d", "utf-8", str(out / "合同.doc")],
                            capture_output=True, check=True).stdout.decode()
    for text in (catdoc, everything((folder / "hunt-doc" / "合同.docx").read_bytes()),
                 everything((folder / "hunt-rtf" / "合同.docx").read_bytes()),
                 everything((folder / "hunt-rtf" / "改名.docx").read_bytes())):
        assert [v for v in VALUES if v in text] == []
        assert all(decoy in text for decoy in DECOYS)
    assert "经手人" in catdoc and "经办人电话" in catdoc  # the table and the page header are still there


def test_scan_reads_the_copies_with_its_own_readers(legacy):
    _, _, inputs, out = legacy
    for reader, name in ((DocReader(), "合同.doc"), (RtfReader(), "合同.rtf")):
        before = [u.text for u in reader.read(inputs / name)]
        after = [u.text for u in reader.read(out / name)]
        assert len(after) == len(before) and any(DECOYS[0] in t for t in after)
        assert any(PHONE in t for t in before) and not any(PHONE in t for t in after)


def test_without_libreoffice_one_clear_line_per_file(tmp_path, monkeypatch, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.rtf").write_text("{\\rtf1\\ansi 电话 13912345678\\par}", encoding="utf-8")
    (inputs / "b.rtf").write_text("{\\rtf1\\ansi 身份证 110101199003070011\\par}", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"))
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if ": not redacted: " in line]
    assert code == 4 and len(lines) == 2 and all("needs LibreOffice (soffice)" in line for line in lines)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["piiscan-manifest.json"]


def test_corrupt_doc_is_one_line_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "坏.doc").write_bytes(OLE_SIGNATURE + b"\x00" * 600)
    (inputs / "ok.txt").write_text(f"手机 {PHONE}\n", encoding="utf-8")
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert code == 4 and "坏.doc: not redacted: corrupt document" in err
    assert (tmp_path / "out" / "ok.txt").exists() and not (tmp_path / "out" / "坏.doc").exists()


XML = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- 导出人 {NAME} -->\n'
       f'<客户列表 xmlns:k="urn:kh"><客户 k:手机="{PHONE}" 编号="{DECOYS[0]}"><姓名>{OTHER_NAME}</姓名>'
       f'<备注>身份证号{ID}<b>金额</b>{DECOYS[1]}，电话{OTHER_PHONE}</备注><?pi keep?></客户></客户列表>\n')


def test_xml_text_tails_attributes_and_comments(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "导出.xml").write_bytes(XML.encode("utf-8"))
    (inputs / "坏.xml").write_text("<a><b></a>", encoding="utf-8")
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    copy = (tmp_path / "out" / "导出.xml").read_bytes()
    text = copy.decode("utf-8")
    assert code == 4 and not (tmp_path / "out" / "坏.xml").exists()
    assert copy.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    assert [v for v in VALUES if v in text] == [] and DECOYS[0] in text and DECOYS[1] in text
    assert "<?pi keep?>" in text and 'xmlns:k="urn:kh"' in text and "<b>金额</b>" in text


def test_xml_internal_entities_are_expanded_and_their_declarations_dropped(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "实体.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE r [<!ENTITY tel "电话{PHONE}"><!ENTITY unused "{ID}">]>\n'
        f"<r><联系>&tel;</联系><订单>{DECOYS[0]}</订单></r>\n", encoding="utf-8")
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    text = (tmp_path / "out" / "实体.xml").read_text(encoding="utf-8")
    assert code == 0 and PHONE not in text and ID not in text and "<!DOCTYPE" not in text
    assert f"<联系>电话{PHONE[:3]}" in text and DECOYS[0] in text


def test_doc_with_a_picture_is_read_and_encrypt_comes_back_with_unredact(tmp_path, monkeypatch):
    from PIL import Image

    Image.new("RGB", (40, 20), "gray").save(tmp_path / "章.png")
    source = word_source(tmp_path / "图.docx")
    document = docx.Document(source)
    document.add_picture(str(tmp_path / "章.png"))
    document.add_paragraph("（完）")
    document.save(source)
    soffice(tmp_path, "doc:MS Word 97", tmp_path / "in", source)
    key = tmp_path / "k.key"
    assert cli(monkeypatch, "redact", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--operator", "encrypt",
               "--key-file", str(key), "--quiet") == 0
    manifest = json.loads((tmp_path / "out" / "piiscan-manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][0]["unchecked"] == []  # the picture is read by OCR in the .docx (writers/package.py)
    catdoc = [require_tool("catdoc"), "-w", "-d", "utf-8"]
    masked = subprocess.run([*catdoc, str(tmp_path / "out" / "图.doc")], capture_output=True, check=True).stdout
    assert PHONE not in masked.decode() and "[ENC:" in masked.decode()
    assert cli(monkeypatch, "unredact", str(tmp_path / "out" / "图.doc"), "--key-file", str(key),
               "--out", str(tmp_path / "back")) == 0
    back = subprocess.run([*catdoc, str(tmp_path / "back" / "图.doc")], capture_output=True, check=True).stdout
    assert PHONE in back.decode() and ID in back.decode() and OTHER_PHONE in back.decode()

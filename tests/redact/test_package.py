"""The pass over every part of an OOXML package (protect/writers/package.py): a part
no object model knows is rewritten where verification reads it, instruction
keywords and structure stay, an OLE object is dropped with its relationships and
the manifest says so, an embedded workbook is redacted by its own writer, a link
to another workbook is dropped, a pivot cache is rewritten, and the copies open in
LibreOffice."""

from __future__ import annotations

import io
import random
import subprocess
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from faker import Faker
from openpyxl import Workbook, load_workbook

from piiscan.protect import run
from piiscan.protect.writers.package import package_units, redact_package
from tests.readers.conftest import require_tool
from tests.redact.test_hard_cases import _generator
from tests.redact.test_writers import assert_absent, redact, zip_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DECOY = "DD202612050001"


def test_a_part_no_object_model_knows_is_rewritten_and_the_rest_kept(tmp_path, planted, make_redactor):
    book = Workbook()
    book.active.append(["订单号", DECOY])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with zipfile.ZipFile(path, "a") as package:  # stored, not deflated: the copy must keep that too
        package.writestr(zipfile.ZipInfo("xl/unknown/thing.xml"),
                         f'<客户 电话="{planted.mobile}" 链接="https://x.example/?id={planted.resident_id}%20">'
                         f'<备注>订单 {DECOY} 身份证{planted.resident_id}</备注><姓名>{planted.name}</姓名></客户>')
    before = {i.filename: (i.compress_type, zipfile.ZipFile(path).read(i)) for i in zipfile.ZipFile(path).infolist()}
    redactor = make_redactor()
    notes = redact_package(path, redactor)
    after = {i.filename: (i.compress_type, zipfile.ZipFile(path).read(i)) for i in zipfile.ZipFile(path).infolist()}
    assert list(after) == list(before) and notes == []
    thing = after["xl/unknown/thing.xml"][1].decode()
    assert_absent(thing, [planted.mobile, planted.resident_id, planted.name])
    assert DECOY in thing and "https://x.example/?id=" in thing and "%20" in thing  # encoded as it was
    assert after["xl/unknown/thing.xml"][0] == zipfile.ZIP_STORED
    assert {n: v for n, v in after.items() if n != "xl/unknown/thing.xml"} == \
        {n: v for n, v in before.items() if n != "xl/unknown/thing.xml"}  # parts without values: the same bytes
    leaks = [u for u in package_units(path) for d in redactor.detect(u.text, u.header)
             if redactor.operator_for(d) and not redactor.is_own_output(u.text, d.start, d.end)]
    assert leaks == []
    load_workbook(path)


def _document_with_fields(planted) -> docx.Document:
    document = docx.Document()
    document.add_paragraph(f"订单 {DECOY}")
    document.settings.element.append(parse_xml(
        f'<w:docVars {W}><w:docVar w:name="经办人" w:val="{planted.name}，手机{planted.mobile}"/></w:docVars>'))
    paragraph = document.add_paragraph("见")
    paragraph._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" HYPERLINK &quot;mailto:kh{planted.mobile}@example.com'
                                  f'&quot; \\o &quot;{planted.resident_id}&quot; "><w:r><w:t>邮件</w:t></w:r></w:fldSimple>'))
    paragraph._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" MERGEFIELD 客户姓名 \\* MERGEFORMAT ">'
                                  f'<w:r><w:t>«客户姓名»</w:t></w:r></w:fldSimple>'))
    return document


def test_field_codes_keep_their_keywords_doc_variables_their_names(tmp_path, planted, make_redactor):
    source = tmp_path / "fields.docx"
    _document_with_fields(planted).save(source)
    copy, _ = redact(tmp_path, source, make_redactor())
    with zipfile.ZipFile(copy) as package:
        document, settings = package.read("word/document.xml").decode(), package.read("word/settings.xml").decode()
    assert_absent(document + settings, [planted.name, planted.mobile, planted.resident_id])
    assert 'w:instr=" HYPERLINK &quot;mailto:' in document and "@example.com&quot; \\o &quot;" in document
    assert 'w:instr=" MERGEFIELD 客户姓名 \\* MERGEFORMAT "' in document
    assert 'w:name="经办人"' in settings and DECOY in document
    docx.Document(copy)


def test_an_ole_object_is_dropped_with_its_relationships_and_listed(tmp_path, planted, make_redactor):
    document = _document_with_fields(planted)
    ole = Part(PackURI("/word/embeddings/oleObject1.bin"), "application/vnd.openxmlformats-officedocument.oleObject",
               b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + planted.mobile.encode("utf-16-le"), document.part.package)
    rid = document.part.relate_to(ole, RT.OLE_OBJECT)
    document.add_paragraph()._p.append(parse_xml(  # as Word writes an embedded object: a shape, then the object
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:object>'
        f'<v:shape id="_x0000_i1025" style="width:80pt;height:40pt"/><o:OLEObject Type="Embed" ProgID="Package" '
        f'ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" r:id="{rid}"/></w:object></w:r>'))
    source = tmp_path / "ole.docx"
    document.save(source)
    copy, outcome = redact(tmp_path, source, make_redactor())
    assert outcome.manifest.files[0].unchecked == ["1 embedded objects no writer can read (OLE) dropped"]
    with zipfile.ZipFile(copy) as package:
        assert "word/embeddings/oleObject1.bin" not in package.namelist()
        assert "oleObject1" not in package.read("word/_rels/document.xml.rels").decode()
        assert "oleObject1" not in package.read("[Content_Types].xml").decode()
    docx.Document(copy)
    _converts(tmp_path, [copy])  # the object's element stays, its relationship is gone: LibreOffice still opens it


def _converts(tmp_path: Path, copies: list[Path]) -> None:
    """LibreOffice converts every copy to a PDF that is not empty."""
    soffice = require_tool("soffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, copies)], capture_output=True, check=True, timeout=300)
    pdfs = {p.name: p.stat().st_size for p in (tmp_path / "pdf").glob("*.pdf")}
    assert set(pdfs) == {f"{c.stem}.pdf" for c in copies}
    assert all(size > 1000 for size in pdfs.values()), pdfs


def test_an_embedded_workbook_is_redacted_by_its_own_writer(tmp_path, planted, make_redactor):
    inner = Workbook()
    inner.active.append(["姓名", "手机", "订单号"])
    inner.active.append([planted.name, planted.mobile, DECOY])
    inner.active.title = planted.mobile2  # a sheet named by a mobile, inside a document
    buffer = io.BytesIO()
    inner.save(buffer)
    document = docx.Document()
    workbook = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer.getvalue(),
                    document.part.package)
    document.part.relate_to(workbook, RT.PACKAGE)
    source = tmp_path / "embedded.docx"
    document.save(source)
    copy, _ = redact(tmp_path, source, make_redactor())
    with zipfile.ZipFile(copy) as package:
        embedded = package.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx")
    (tmp_path / "inner.xlsx").write_bytes(embedded)
    assert_absent(zip_text(tmp_path / "inner.xlsx"), [planted.name, planted.mobile, planted.mobile2])
    sheet = load_workbook(tmp_path / "inner.xlsx").active
    assert sheet["C2"].value == DECOY and "＊" in sheet.title  # a mask's * is not allowed in a sheet name


def test_copies_of_every_hiding_place_open_in_libreoffice(tmp_path, make_redactor):
    cases = _generator()
    inputs = tmp_path / "in"
    inputs.mkdir()
    rng, fake = random.Random(5), Faker("zh_CN")
    for suffix, name in (("xlsx", "book.xlsx"), ("docx", "letter.docx"), ("pptx", "slides.pptx")):
        case = cases.Case(rng, fake)
        cases._office(suffix, False)(inputs / name, case, [cases.Case(rng, fake) for _ in range(3)])
    outcome = run.redact([inputs], tmp_path / "out", make_redactor())
    assert outcome.exit_code == 0, outcome.messages
    copies = sorted(p for p in (tmp_path / "out").iterdir() if p.suffix != ".json")
    assert len(copies) == 3
    assert "docProps/thumbnail.jpeg" in zipfile.ZipFile(inputs / "slides.pptx").namelist()
    for copy in copies:  # a picture of the first page would show what the text no longer does
        assert not [n for n in zipfile.ZipFile(copy).namelist() if n.startswith("docProps/thumbnail")]
        assert "thumbnail" not in zipfile.ZipFile(copy).read("_rels/.rels").decode()
    _converts(tmp_path, copies)


def test_objects_the_workbook_library_drops_are_listed(tmp_path, planted, make_redactor):
    book = Workbook()
    book.active.append(["手机", planted.mobile])
    source = tmp_path / "objects.xlsx"
    book.save(source)
    with zipfile.ZipFile(source, "a") as package:
        package.writestr("xl/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0" + planted.mobile.encode("utf-16-le"))
    copy, outcome = redact(tmp_path, source, make_redactor())
    assert outcome.manifest.files[0].unchecked == ["1 embedded objects dropped (the workbook library does not keep them)"]
    assert_absent(zip_text(copy), [planted.mobile])


def test_a_link_to_another_workbook_is_dropped_with_its_cache(tmp_path, planted, make_redactor):
    from openpyxl.packaging.relationship import Relationship
    from openpyxl.workbook.external_link.external import (ExternalBook, ExternalCell, ExternalLink, ExternalRow,
                                                          ExternalSheetData, ExternalSheetDataSet, ExternalSheetNames)

    book = Workbook()
    book.active["A1"] = "=[1]客户!A1"
    cache = ExternalSheetDataSet(sheetData=[ExternalSheetData(sheetId=0, row=[ExternalRow(r=1, cell=[
        ExternalCell(r="A1", t="str", v=planted.name2), ExternalCell(r="B1", t="str", v=planted.mobile2)])])])
    link = ExternalLink(externalBook=ExternalBook(sheetNames=ExternalSheetNames(sheetName=["客户"]),
                                                  sheetDataSet=cache, id="rId1"))
    link.file_link = Relationship(type="externalLinkPath", Target=f"file:///C:/客户/{planted.name}.xlsx",
                                  TargetMode="External", Id="rId1")
    book._external_links.append(link)
    source = tmp_path / "links.xlsx"
    book.save(source)
    assert planted.mobile2 in zip_text(source)
    copy, outcome = redact(tmp_path, source, make_redactor())
    assert outcome.manifest.files[0].unchecked == ["1 links to other workbooks dropped (their cached values with them)"]
    assert_absent(zip_text(copy), [planted.name, planted.name2, planted.mobile2])
    assert not [n for n in zipfile.ZipFile(copy).namelist() if "externalLink" in n]
    _converts(tmp_path, [copy])


def test_a_pivot_cache_is_rewritten_and_the_pivot_table_kept(tmp_path, planted, make_redactor):
    from openpyxl.pivot.cache import CacheDefinition, CacheField, CacheSource, SharedItems, WorksheetSource
    from openpyxl.pivot.fields import Index, Number, Text
    from openpyxl.pivot.record import Record, RecordList
    from openpyxl.pivot.table import FieldItem, Location, PivotField, RowColField, RowColItem, TableDefinition

    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["客户", "金额"])
    sheet.append(["合计", 10])  # the sheet does not hold the client: only the cache does
    cache = CacheDefinition(cacheSource=CacheSource(type="worksheet", worksheetSource=WorksheetSource(
        ref="A1:B2", sheet="数据")), recordCount=1, cacheFields=[
        CacheField(name="客户", sharedItems=SharedItems(_fields=[Text(v=planted.name)], count=1)),
        CacheField(name="手机", sharedItems=SharedItems(_fields=[Text(v=planted.mobile)], count=1)),
        CacheField(name="订单号", sharedItems=SharedItems(_fields=[Text(v=DECOY)], count=1))])
    cache.records = RecordList(r=[Record(_fields=[Index(v=0), Index(v=0), Number(v=10)])])
    pivot = TableDefinition(name="透视表1", cacheId=1, dataCaption="值", location=Location(
        ref="D1:D3", firstHeaderRow=1, firstDataRow=1, firstDataCol=0), rowFields=[RowColField(x=0)],
        pivotFields=[PivotField(axis="axisRow", showAll=False, items=[FieldItem(x=0), FieldItem(t="default")]),
                     PivotField(showAll=False), PivotField(showAll=False)],
        rowItems=[RowColItem(x=[Index(v=0)]), RowColItem(t="grand", x=[Index(v=0)])])
    pivot.cache = cache
    sheet._pivots.append(pivot)
    source = tmp_path / "pivot.xlsx"
    book.save(source)
    copy, _ = redact(tmp_path, source, make_redactor())
    text = zip_text(copy)
    assert_absent(text, [planted.name, planted.mobile])
    assert DECOY in text and len(load_workbook(copy).active._pivots) == 1
    _converts(tmp_path, [copy])


def test_legacy_drawings_and_xml_comments_are_rewritten(tmp_path, planted, make_redactor):
    """VML (a legacy text box, not well-formed as Excel writes it) and a comment inside
    an XML part are read and rewritten like every other text of the package."""
    book = Workbook()
    book.active.append(["订单号", DECOY])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("xl/drawings/vmlDrawing9.vml",
                         f'<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><v:textbox><div>经办人：{planted.name}'
                         f'<br>手机{planted.mobile}</div></v:textbox></v:shape></xml>')
        package.writestr("xl/notes.xml", f"<notes><!-- 身份证号 {planted.resident_id} --><n>订单 {DECOY}</n></notes>")
    redact_package(path, make_redactor())
    with zipfile.ZipFile(path) as package:
        vml, notes = package.read("xl/drawings/vmlDrawing9.vml").decode(), package.read("xl/notes.xml").decode()
    assert_absent(vml + notes, [planted.name, planted.mobile, planted.resident_id])
    assert DECOY in notes and "<!--" in notes and "v:textbox" in vml
    load_workbook(path)


def test_macros_are_listed_as_not_checked(tmp_path):
    from piiscan.protect.writers.package import unreadable_notes

    book = Workbook()
    path = tmp_path / "book.xlsm"
    book.save(path)
    assert unreadable_notes(path) == []
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Attribute VB_Name")
    assert unreadable_notes(path) == ["macros (VBA project) kept as they are, not checked"]

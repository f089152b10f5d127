"""Writers for the formats scan reads and redact used to skip: .pptx, .xls (the
copy is an .xlsx), zip and tar archives (members redacted by their own writers,
nested archives too). Each file is made with its real library, redacted through
the CLI, and hunted with an independent extractor (every part of every package,
every member of every archive, decompressed); decoys stay and the copies open."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
import xlwt
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Inches

from tests.redact.test_cli import cli

NAME, PHONE, ID = "蔺雪松", "13912345678", "110101199003070011"
OTHER_NAME, OTHER_PHONE = "濮阳静", "13698765432"
DECOYS = ("DD202412050001", "12,345.67", "2024-12-05")


def everything(data: bytes) -> str:
    """All text in a file: every member of a zip (docx/xlsx/pptx parts, nested
    archives) or tar, decompressed, recursively; else the bytes themselves."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(n + "\n" + everything(z.read(n)) for n in z.namelist())
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            return "\n".join(m.name + "\n" + everything(t.extractfile(m).read()) for m in t.getmembers() if m.isfile())
    except tarfile.TarError:
        return data.decode("utf-8", "replace")


def pptx_file(path: Path) -> Path:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = f"客户{NAME}的资料"
    box = slide.shapes.add_textbox(Inches(1), Inches(1.5), Inches(6), Inches(1)).text_frame
    box.text = f"联系电话：{PHONE[:3]}"
    box.paragraphs[0].add_run().text = PHONE[3:]  # a number split over two runs
    table = slide.shapes.add_table(3, 3, Inches(1), Inches(3), Inches(6), Inches(1.5)).table
    for c, text in enumerate(["签收人", "订单号", "金额"]):
        table.cell(0, c).text = text
    for r, (name, decoy) in enumerate([(NAME, DECOYS[0]), (OTHER_NAME, DECOYS[0][:-1] + "2")], start=1):
        table.cell(r, 0).text, table.cell(r, 1).text, table.cell(r, 2).text = name, decoy, DECOYS[1]
    slide.notes_slide.notes_text_frame.text = f"身份证号：{ID}，日期 {DECOYS[2]}"
    deck.core_properties.author = NAME
    deck.save(path)
    return path


def xls_file(path: Path) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("客户")
    for c, text in enumerate(["姓名", "手机", "订单号", "金额"]):
        sheet.write(0, c, text)
    sheet.write(1, 0, NAME)
    sheet.write(1, 1, int(PHONE))  # a phone typed as a number
    sheet.write(1, 2, DECOYS[0])
    sheet.write(1, 3, 12345.67)
    sheet.write(2, 0, OTHER_NAME)
    sheet.write(2, 1, OTHER_PHONE)
    book.add_sheet("隐藏").write(0, 0, f"身份证 {ID}")
    book.save(str(path))
    return path


def archive_files(folder: Path) -> tuple[Path, Path]:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("通讯录.csv", f"姓名,手机\n{NAME},{PHONE}\n{OTHER_NAME},{OTHER_PHONE}\n")
    with zipfile.ZipFile(folder / "资料.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("备忘.txt", f"身份证号：{ID}，订单 {DECOYS[0]}\n")
        z.writestr("内层/内层.zip", inner.getvalue())
        z.writestr("照片.bin", b"\x00\x01 unknown")
        z.writestr("../逃逸.txt", f"手机：{PHONE}\n")
        z.writestr(f"{PHONE}.txt", "文件名里有手机\n")
        z.writestr(f"{OTHER_PHONE}.bin", b"dropped, and its name masked in the manifest")
    with tarfile.open(folder / "归档.tar.gz", "w:gz") as t:
        data = f"客户 {NAME}，手机 {PHONE}，日期 {DECOYS[2]}\n".encode()
        info = tarfile.TarInfo("记录/客户.txt")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("记录/链接")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t.addfile(link)
    return folder / "资料.zip", folder / "归档.tar.gz"


@pytest.fixture
def redacted(tmp_path, monkeypatch, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    pptx_file(inputs / "汇报.pptx")
    xls_file(inputs / "名单.xls")
    archive_files(inputs)
    originals = {p: p.read_bytes() for p in inputs.iterdir()}
    code = cli(monkeypatch, "redact", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    err = capsys.readouterr().err
    assert {p: p.read_bytes() for p in inputs.iterdir()} == originals
    return code, tmp_path / "out", err


def test_every_copy_is_written_verified_and_clean(redacted):
    code, out, err = redacted
    assert code == 0, err
    manifest = json.loads((out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    assert sorted(Path(f["output"]).name for f in manifest["files"]) == ["名单.xlsx", "归档.tar.gz", "汇报.pptx",
                                                                       "资料.zip"]
    assert all(f["verified"] for f in manifest["files"]) and manifest["skipped"] == []
    for copy in out.iterdir():
        text = everything(copy.read_bytes())
        for value in (NAME, OTHER_NAME, PHONE, OTHER_PHONE, ID, PHONE[3:]):
            assert value not in text, (copy.name, value)
    assert DECOYS[0] in everything((out / "汇报.pptx").read_bytes())
    assert DECOYS[0] in everything((out / "名单.xlsx").read_bytes())
    assert DECOYS[2] in everything((out / "归档.tar.gz").read_bytes())


def test_copies_open_and_keep_their_shape(redacted):
    _, out, _ = redacted
    deck = Presentation(str(out / "汇报.pptx"))
    table = next(s for s in deck.slides[0].shapes if s.has_table).table
    assert table.cell(0, 0).text == "签收人" and table.cell(1, 1).text == DECOYS[0]
    book = load_workbook(out / "名单.xlsx")
    assert book.sheetnames == ["客户", "隐藏"] and book["客户"]["D2"].value == 12345.67
    with zipfile.ZipFile(out / "资料.zip") as z:
        names = z.namelist()
        inner = zipfile.ZipFile(io.BytesIO(z.read("内层/内层.zip")))
        assert inner.namelist() == ["通讯录.csv"] and inner.read("通讯录.csv").decode().startswith("姓名,手机\n")
    assert "备忘.txt" in names and "照片.bin" not in names and "../逃逸.txt" not in names
    with tarfile.open(out / "归档.tar.gz") as t:
        assert [m.name for m in t.getmembers()] == ["记录/客户.txt"]


def test_what_was_dropped_is_in_the_manifest(redacted):
    _, out, _ = redacted
    manifest = json.loads((out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    notes = {Path(f["output"]).name: " | ".join(f["unchecked"]) for f in manifest["files"]}
    assert "照片.bin: no writer for .bin, dropped" in notes["资料.zip"]
    assert "a name outside the archive, dropped" in notes["资料.zip"]
    assert "记录/链接: a link or special entry, dropped" in notes["归档.tar.gz"]
    assert PHONE not in json.dumps(manifest, ensure_ascii=False)

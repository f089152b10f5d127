"""redact writes only inside --out and never through a link: a symbolic link to a
folder or a file already in --out, names in --out hard-linked to the inputs (after
`cp -al`), and a copy whose verification crashes. Every file of the test tree is
hashed before and after. Generated fake data only."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from piiscan.cli import app

MOBILE = "13812345678"


def hashes(top: Path) -> dict[str, str]:
    found = {}
    for path in sorted(top.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def inputs(tmp_path: Path) -> Path:
    share = tmp_path / "share"
    (share / "sub").mkdir(parents=True)
    (share / "ok.txt").write_text(f"客户手机：{MOBILE}\n", encoding="utf-8")
    (share / "sub" / "a.txt").write_text(f"联系电话：{MOBILE}\n", encoding="utf-8")
    return share


def redact(share: Path, out: Path):
    return CliRunner().invoke(app, ["redact", str(share), "--out", str(out), "--quiet"])


def test_links_already_in_out_are_replaced_or_refused_never_written_through(tmp_path):
    share = inputs(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("不该被改写\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ok.txt").symlink_to(elsewhere / "victim.txt")  # a file link: the copy replaces the link
    (out / "sub").symlink_to(elsewhere)  # a folder link: refused
    outside = {k: v for k, v in hashes(tmp_path).items() if not k.startswith(str(out))}
    result = redact(share, out)
    assert result.exit_code == 4, result.output
    assert "is a symbolic link inside --out: not written through" in result.output
    assert {k: v for k, v in hashes(tmp_path).items() if not k.startswith(str(out))} == outside
    assert not (out / "ok.txt").is_symlink() and MOBILE not in (out / "ok.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]


def test_hard_links_to_the_inputs_are_replaced_not_truncated(tmp_path):
    share = inputs(tmp_path)
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    for name in ("ok.txt", "sub/a.txt"):
        os.link(share / name, out / name)  # what `cp -al share out` leaves
    before = hashes(share)
    result = redact(share, out)
    assert result.exit_code == 0, result.output
    assert hashes(share) == before
    for name in ("ok.txt", "sub/a.txt"):
        assert os.stat(out / name).st_ino != os.stat(share / name).st_ino
        assert MOBILE not in (out / name).read_text(encoding="utf-8")


def test_a_crash_in_verification_leaves_no_copy(tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    document = Document()
    document.add_paragraph(f"客户手机：{MOBILE}")
    document.save(share / "c.docx")
    out = tmp_path / "out"

    def crash(path, writer, redactor):
        raise KeyError("a verifier bug")

    monkeypatch.setattr("piiscan.protect.run.verify", crash)
    result = redact(share, out)
    assert result.exit_code == 4, result.output
    manifest = json.loads((out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    assert [f["output"] for f in manifest["files"]] == [None]
    assert sorted(p.name for p in out.iterdir()) == ["piiscan-manifest.json"]  # no copy, no temporary file


def test_a_docx_with_an_undefined_entity(tmp_path):
    """The reported case: the input's XML names an entity it never defines."""
    share = tmp_path / "share"
    share.mkdir()
    document = Document()
    document.add_paragraph(f"客户手机：{MOBILE}")
    document.add_paragraph("PLACEHOLDER")
    document.save(tmp_path / "plain.docx")
    with zipfile.ZipFile(tmp_path / "plain.docx") as src, zipfile.ZipFile(share / "e.docx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"PLACEHOLDER", b"&undefined;")
            dst.writestr(item, data)
    out = tmp_path / "out"
    result = redact(share, out)
    assert result.exit_code in (0, 4), result.output
    for path in out.rglob("*"):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as copy:
                assert MOBILE.encode() not in copy.read("word/document.xml")
    assert not [p for p in out.iterdir() if "piiscan-tmp" in p.name]

"""The redact and unredact commands end to end: paths mirrored, originals
untouched, unsafe outputs refused, manifest without values, exit codes; and
verification catching a writer that leaks."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import ClassVar

import docx
import pytest
from openpyxl import Workbook, load_workbook

from piiscan.cli import main
from piiscan.core.fingerprint import key_id
from piiscan.sources.readers.text import TextReader
from piiscan.protect import run
from piiscan.protect.manifest import MANIFEST_NAME
from piiscan.protect.operators import apply
from piiscan.protect.verify import verify
from piiscan.protect.writers import writer_for


def cli(monkeypatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["piiscan", *args])
    with pytest.raises(SystemExit) as done:
        main()
    return done.value.code


def contents(path: Path) -> str:
    """Text of a file; every member of a zip (xlsx, docx) decompressed."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def tree(tmp_path, planted) -> Path:
    root = tmp_path / "客户资料"
    (root / "2024" / "季度").mkdir(parents=True)
    (root / "备忘.txt").write_text(f"客户姓名：{planted.name}，手机{planted.mobile}\n", encoding="utf-8")
    (root / "2024" / "名单.csv").write_text(f"姓名,卡号\n{planted.name2},{planted.card}\n", encoding="utf-8")
    wb = Workbook()
    wb.active.append(["身份证号", "手机"])
    wb.active.append([planted.resident_id, int(planted.mobile2)])
    wb.save(root / "2024" / "季度" / "台账.xlsx")
    document = docx.Document()
    document.add_paragraph(f"乙方：{planted.name}，手机{planted.mobile}")
    document.save(root / "合同.docx")
    (root / "扫描件.bin").write_bytes(b"\x00\x01")
    return root


def test_redact_folder_mirrors_tree_and_leaves_originals(tmp_path, monkeypatch, tree, planted, capsys):
    before = hashes(tree)
    key = tmp_path / "key"
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tmp_path / "out"), "--key-file", str(key)) == 0
    assert hashes(tree) == before
    out = tmp_path / "out"
    written = set(hashes(out))
    assert written == {"备忘.txt", "2024/名单.csv", "2024/季度/台账.xlsx", "合同.docx", MANIFEST_NAME}
    manifest_text = (out / MANIFEST_NAME).read_text(encoding="utf-8")
    for value in planted.values():
        assert value not in manifest_text
        for name in written:
            assert value not in contents(out / name)
    manifest = json.loads(manifest_text)
    assert manifest["key_id"] == key_id(key.read_bytes().strip()) and key.read_text().strip() not in manifest_text
    assert manifest["profile"] == "default" and manifest["policy"] == "piiscan-default"
    assert manifest["operator"] == "mask" and manifest["clear"] == [] and manifest["tool_version"]
    assert manifest["skipped"] == [str(tree / "扫描件.bin")]
    entry = next(f for f in manifest["files"] if f["input"].endswith("台账.xlsx"))
    assert entry["verified"] is True and entry["counts"] == {"CN_MOBILE": {"mask": 1}, "CN_RESIDENT_ID": {"mask": 1}}
    assert entry["input_sha256"] == before["2024/季度/台账.xlsx"]
    assert entry["output_sha256"] == hashlib.sha256((out / "2024/季度/台账.xlsx").read_bytes()).hexdigest()
    assert planted.name not in capsys.readouterr().err


def test_refuses_output_inside_input_or_over_an_input(tmp_path, monkeypatch, tree, capsys):
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tree / "out")) == 2
    assert "inside the input folder" in capsys.readouterr().err
    assert cli(monkeypatch, "redact", str(tree / "备忘.txt"), str(tree / "合同.docx"), "--out", str(tree)) == 2
    assert "over an input" in capsys.readouterr().err
    nested = tree / "2024"  # --out above an input folder: 2024/季度/… would land in 2024/
    (tree / "2024" / "2024").mkdir()
    (tree / "2024" / "2024" / "x.txt").write_text("年度\n", encoding="utf-8")
    assert cli(monkeypatch, "redact", str(nested), "--out", str(tree)) == 2
    assert "into an input folder" in capsys.readouterr().err
    assert not (tree / "out").exists()


def test_usage_errors_exit_2(tmp_path, monkeypatch, tree, capsys):
    bad = tmp_path / "p.yaml"
    bad.write_text("profile: x\nclear: [CN_MOBIL]\n", encoding="utf-8")
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tmp_path / "o"), "--profile", str(bad)) == 2
    assert "clear.CN_MOBIL" in capsys.readouterr().err
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tmp_path / "o"), "--operator", "shred") == 2
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tmp_path / "o"), "--profile", "nobody") == 2
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tmp_path / "a-file")) == 2
    assert cli(monkeypatch, "unredact", str(tree), "--out", str(tmp_path / "o"), "--key-file",
               str(tmp_path / "missing")) == 2


def test_encrypt_then_unredact_round_trips(tmp_path, monkeypatch, tree, planted):
    key = tmp_path / "key"
    assert cli(monkeypatch, "redact", str(tree), "--out", str(tmp_path / "enc"), "--operator", "encrypt",
               "--key-file", str(key)) == 0
    assert "[ENC:CN_MOBILE:" in (tmp_path / "enc" / "备忘.txt").read_text(encoding="utf-8")
    assert cli(monkeypatch, "unredact", str(tmp_path / "enc"), "--key-file", str(key),
               "--out", str(tmp_path / "back")) == 0
    back = tmp_path / "back"
    assert json.loads((back / MANIFEST_NAME).read_text(encoding="utf-8"))["command"] == "unredact"
    for name in ("备忘.txt", "2024/名单.csv"):
        assert (back / name).read_bytes() == (tree / name).read_bytes()
    assert docx.Document(str(back / "合同.docx")).paragraphs[0].text == f"乙方：{planted.name}，手机{planted.mobile}"
    sheet = load_workbook(back / "2024/季度/台账.xlsx").active
    assert [sheet["A2"].value, sheet["B2"].value] == [planted.resident_id, planted.mobile2]  # numbers come back as text
    other = tmp_path / "other-key"
    other.write_text("f" * 64, encoding="ascii")
    assert cli(monkeypatch, "unredact", str(tmp_path / "enc" / "备忘.txt"), "--key-file", str(other),
               "--out", str(tmp_path / "wrong")) == 4


def test_verify_reports_locations_of_what_remains(tmp_path, tree, make_redactor):
    redactor = make_redactor("mask")
    leaks = verify(tree / "2024" / "季度" / "台账.xlsx", writer_for(Path("x.xlsx")), redactor)
    assert sorted((leak.entity_type, leak.location["cell"]) for leak in leaks) == [
        ("CN_MOBILE", "B2"), ("CN_RESIDENT_ID", "A2")]


class CopyingWriter:
    """A broken third-party writer that copies the file unchanged."""

    name: ClassVar[str] = "copy"
    suffixes: ClassVar[tuple[str, ...]] = (".txt",)
    reversible: ClassVar[bool] = True

    def write(self, src, dst, spans):
        shutil.copyfile(src, dst)

    def units(self, path):
        return TextReader().read(path)


def test_a_leaking_writer_fails_verification_and_its_output_is_removed(tmp_path, tree, make_redactor, planted):
    redactor = make_redactor("mask")
    outcome = run.redact([tree / "备忘.txt"], tmp_path / "out", redactor,
                         writers=lambda path: CopyingWriter())
    assert outcome.exit_code == run.EXIT_LEAK
    assert not (tmp_path / "out" / "备忘.txt").exists()
    prefix = f"{tree / '备忘.txt'}: verification failed, output removed: "
    assert outcome.messages == [prefix + "PERSON (score 0.85) at line 1", prefix + "CN_MOBILE (score 1.00) at line 1"]
    entry = outcome.manifest.files[0]
    assert entry.verified is False and entry.output is None
    assert planted.mobile not in (tmp_path / "out" / MANIFEST_NAME).read_text(encoding="utf-8")


def test_unreadable_input_is_reported_and_the_rest_goes_on(tmp_path, tree, make_redactor):
    (tree / "坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    redactor = make_redactor("mask")
    outcome = run.redact([tree], tmp_path / "out", redactor)
    assert outcome.exit_code == run.EXIT_ERRORS
    assert not (tmp_path / "out" / "坏.xlsx").exists() and (tmp_path / "out" / "合同.docx").exists()
    assert any("坏.xlsx: not redacted" in m for m in outcome.messages)


@pytest.mark.parametrize("operator", ["mask", "redact", "replace", "pseudonymize", "surrogate", "encrypt"])
def test_every_operator_passes_its_own_verification(tmp_path, tree, make_redactor, planted, operator):
    """Surrogates look like PI on purpose: verification knows what it wrote itself."""
    redactor = make_redactor(operator)
    outcome = run.redact([tree], tmp_path / "out", redactor)
    assert outcome.exit_code == 0, outcome.messages
    for entry in outcome.manifest.files:
        assert entry.verified and sum(n for ops in entry.counts.values() for n in ops.values()) >= 1
        text = contents(Path(entry.output))
        assert planted.mobile not in text and planted.resident_id not in text


def test_a_policy_mask_that_shows_the_value_fails_verification(tmp_path, tree, detector, planted):
    """`mask: {rule: none}` would show mobiles as they are: verification says so."""
    from piiscan.classify.policy import load_policy
    from piiscan.protect.operators import Redactor
    from piiscan.protect.profiles import load_profile

    overlay = tmp_path / "policy.yaml"
    overlay.write_text("entities:\n  CN_MOBILE:\n    mask: {rule: none}\n", encoding="utf-8")
    policy = load_policy(overlay)
    redactor = Redactor(detector, load_profile(None, policy), policy, b"k" * 32, "mask")
    outcome = run.redact([tree / "备忘.txt"], tmp_path / "out", redactor)
    assert outcome.exit_code == run.EXIT_LEAK
    assert [m.split(": ")[-1] for m in outcome.messages] == ["CN_MOBILE (score 1.00) at line 1"]


def test_a_file_name_holding_pi_is_warned_about(tmp_path, planted, make_redactor):
    src = tmp_path / "in" / f"客户{planted.mobile}.txt"
    src.parent.mkdir()
    src.write_text(KEEP_LINE, encoding="utf-8")
    redactor = make_redactor("mask")
    outcome = run.redact([src.parent], tmp_path / "out", redactor)
    assert outcome.exit_code == 0 and (tmp_path / "out" / src.name).exists()
    assert outcome.manifest.files[0].name_holds == ["CN_MOBILE"]
    assert any("rename it before sharing" in m for m in outcome.messages)


KEEP_LINE = "年度对账说明\n"


class FieldByFieldWriter:
    """A third-party writer that asks for the spans of each field of a `label：value`
    line on its own, while verification reads whole lines: a name after 联系人： is
    only seen on the second look."""

    name: ClassVar[str] = "fields"
    suffixes: ClassVar[tuple[str, ...]] = (".txt",)
    reversible: ClassVar[bool] = True

    def write(self, src, dst, spans):
        lines = []
        for line in src.read_text(encoding="utf-8").splitlines():
            fields = line.split("：")
            lines.append("：".join(apply(f, spans(f, None)) for f in fields))
        dst.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def units(self, path):
        return TextReader().read(path)


def test_what_verification_finds_is_redacted_in_a_second_pass(tmp_path, make_redactor):
    src = tmp_path / "记录.txt"
    src.write_text("联系人：鲍雨桐\n备注：已与鲍雨桐核对，订单DD2024120501\n", encoding="utf-8")
    outcome = run.redact([src], tmp_path / "out", make_redactor("mask"), writers=lambda path: FieldByFieldWriter())
    assert outcome.exit_code == 0, outcome.messages
    copy = (tmp_path / "out" / "记录.txt").read_text(encoding="utf-8")
    assert "鲍雨桐" not in copy and "DD2024120501" in copy
    entry = outcome.manifest.files[0]
    assert entry.verified and entry.second_pass == 1 and entry.counts == {"PERSON": {"mask": 2}}

"""A messy shared drive through the one walker, for every command: FIFOs and links to
devices are reported and never opened, a name that is not UTF-8 is scanned and
shown escaped, a tree 1,200 folders deep walks, and redact never follows a link out
of the input folder or to the key file. Everything here is generated fake data."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from piiscan.cli import app
from piiscan.cli.app import UsageError

MOBILE_A, MOBILE_B, MOBILE_C = "13812345678", "13912345678", "13712345678"
BAD_NAME = b"\xff\xfe.txt"
DEPTH = 1200


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def remove_tree(top: str) -> None:
    """shutil.rmtree recurses, and a tree 1,200 deep is over Python's limit: remove
    it with a stack, deepest first (pytest's own clean-up would fail on it)."""
    stack, folders = [top], []
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


@pytest.fixture
def share(tmp_path):
    yield make_share(tmp_path)
    remove_tree(str(tmp_path))


def make_share(tmp_path) -> Path:
    root = tmp_path / "share"
    root.mkdir()
    (root / "ok.txt").write_text(f"客户手机：{MOBILE_A}\n", encoding="utf-8")
    os.mkfifo(root / "x.txt")  # reading it would block forever
    (root / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (root / "urandom.csv").symlink_to("/dev/urandom")
    with open(os.fsencode(root) + b"/" + BAD_NAME, "wb") as fh:
        fh.write(f"客户手机：{MOBILE_B}\n".encode("utf-8"))
    deep = str(root)
    for _ in range(DEPTH):  # one level at a time: pathlib's and os.makedirs' recursion would not get there
        deep += "/d"
        os.mkdir(deep)
    with open(deep + "/deep.txt", "w", encoding="utf-8") as fh:
        fh.write(f"手机：{MOBILE_C}\n")
    return root


def special_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if "special file" in line)


def test_plain_scan(share, tmp_path):
    out = tmp_path / "f.jsonl"
    result = run("scan", str(share), "--no-ner", "--quiet", "--show-values", "--out", str(out))
    assert result.exit_code == 1, result.output
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_file = {Path(f["path"]).name: f["value"] for f in findings}
    assert by_file == {"ok.txt": MOBILE_A, "\\xff\\xfe.txt": MOBILE_B, "deep.txt": MOBILE_C}
    lines = special_lines(result.output)
    assert len(lines) == 3 and all(line.startswith("piiscan: error: ") for line in lines)
    assert any("x.txt: special file (fifo)" in line for line in lines)
    assert any("zero.txt: special file (character device)" in line for line in lines)


def test_inventory_scan_and_rerun(share, tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    first = run("scan", str(share), "--inventory", url, "--no-ner", "--quiet", "--jobs", "1")
    assert first.exit_code == 1, first.output  # new PI
    again = run("scan", str(share), "--inventory", url, "--no-ner", "--quiet", "--jobs", "1", "--incremental")
    assert again.exit_code == 0, again.output  # the same files: nothing new, and no failure on the odd name


def test_unknown_entity_is_a_usage_error_for_both_scans(share, tmp_path):
    for extra in ([], ["--inventory", f"sqlite:///{tmp_path / 'inv.db'}"]):
        result = run("scan", str(share / "ok.txt"), "--entities", "FOO", *extra)
        # main() turns a UsageError into one line and exit 2 (tests/test_cli_sample_data.py runs that path)
        assert isinstance(result.exception, UsageError) and "unknown entity FOO" in str(result.exception)


def tree_hashes(folder) -> dict[str, str]:
    """SHA-256 of every regular file below `folder` (a stack: the tree is 1,200 deep)."""
    hashes, stack = {}, [os.fspath(folder)]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    with open(entry.path, "rb") as fh:
                        hashes[entry.path] = hashlib.sha256(fh.read()).hexdigest()
    return hashes


def test_redact(share, tmp_path, monkeypatch):
    key = tmp_path / "secret" / "key"
    key.parent.mkdir()
    key.write_text("k" * 64, encoding="ascii")
    monkeypatch.setenv("PIISCAN_KEY_FILE", str(key))
    outside = tmp_path / "outside.txt"
    outside.write_text(f"手机：{MOBILE_A}\n", encoding="utf-8")
    (share / "key-link.txt").symlink_to(key)
    (share / "outside-link.txt").symlink_to(outside)
    out = tmp_path / "out"
    before = tree_hashes(tmp_path)
    result = run("redact", str(share), "--out", str(out), "--quiet")
    assert result.exit_code == 4, (result.output, result.exception)  # some inputs not redacted, the rest written
    register = {p for p in tree_hashes(key.parent) if os.path.basename(p).startswith("sharing.db")}
    assert register  # the sharing register, beside the key by default: the one write outside --out
    after = {p: h for p, h in tree_hashes(tmp_path).items() if p not in register}
    assert after == before | tree_hashes(out)  # nothing else outside --out changed
    copies = tree_hashes(out)
    assert {os.path.basename(c) for c in copies} == {os.fsdecode(BAD_NAME), "ok.txt", "deep.txt", "piiscan-manifest.json"}
    for copy in copies:
        with open(copy, "rb") as fh:
            text = fh.read().decode("utf-8")
        assert not any(m in text for m in (MOBILE_A, MOBILE_B, MOBILE_C)) and "k" * 64 not in text
    assert "key-link.txt: not redacted: it is the key file" in result.output
    assert "outside-link.txt: not redacted: a link to a file outside the input folder" in result.output
    assert len(special_lines(result.output)) == 3


def test_a_bug_in_detection_exits_70_and_a_corrupt_file_does_not(tmp_path, monkeypatch, capsys):
    """The one place a fault is injected: our own detection raising must not pass as a file's error.
    In this process (--jobs 1: a patch does not reach worker processes; a bug in a worker is
    tests/test_scan_jobs.py's)."""
    from piiscan.cli import main
    from piiscan.detect.engine import Detector

    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "ok.txt").write_text(f"手机：{MOBILE_A}\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["piiscan", "scan", str(tmp_path), "--no-ner", "--quiet", "--jobs", "1", "--out",
                                     str(tmp_path / "f.jsonl")])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1  # the corrupt workbook is one error line, the phone is found
    assert "broken.xlsx" in capsys.readouterr().err

    def broken(self, text, header=None):
        raise RuntimeError("a bug")

    monkeypatch.setattr(Detector, "detect", broken)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 70
    assert "internal error" in capsys.readouterr().err

"""A redact run into an --out folder used before: copies of inputs that are gone
are removed when piiscan wrote them unchanged, kept (and named) when someone
changed them; a piiscan-manifest.json piiscan did not write stops the run (exit 2)
instead of being overwritten; a manifest that is a link stops the run too, and
nothing is written through it (the manifest is written to a new file and renamed)."""

from __future__ import annotations

import json

from tests.redact.test_cli import cli


def note(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_stale_copies_are_removed_changed_ones_kept(tmp_path, monkeypatch, capsys):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    note(inputs / "a.txt", "手机：13912345678\n")
    note(inputs / "b.txt", "手机：13812345670\n")
    note(inputs / "c.txt", "手机：13698765432\n")
    assert cli(monkeypatch, "redact", str(inputs), "--out", str(out), "--quiet") == 0
    (inputs / "b.txt").unlink()
    (inputs / "c.txt").unlink()
    note(out / "c.txt", "someone edited this copy\n")
    assert cli(monkeypatch, "redact", str(inputs), "--out", str(out), "--quiet") == 0
    err = capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "c.txt", "piiscan-manifest.json"]
    assert "b.txt: a copy from an earlier run whose input is gone" in err and "changed since: kept" in err
    manifest = json.loads((out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    assert [p.endswith("b.txt") for p in manifest["removed"]] == [True]


def test_a_foreign_manifest_is_not_overwritten(tmp_path, monkeypatch, capsys):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    note(inputs / "a.txt", "手机：13912345678\n")
    mine = note(out / "piiscan-manifest.json", '{"my": "own notes"}')
    assert cli(monkeypatch, "redact", str(inputs), "--out", str(out), "--quiet") == 2
    assert "that piiscan did not write" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == '{"my": "own notes"}' and not (out / "a.txt").exists()


def test_a_manifest_link_is_replaced_not_written_through(tmp_path, monkeypatch):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    note(inputs / "a.txt", "手机：13912345678\n")
    assert cli(monkeypatch, "redact", str(inputs), "--out", str(out), "--quiet") == 0
    victim = note(tmp_path / "victim.json", (out / "piiscan-manifest.json").read_text(encoding="utf-8"))
    before = victim.read_bytes()
    (out / "piiscan-manifest.json").unlink()
    (out / "piiscan-manifest.json").symlink_to(victim)
    assert cli(monkeypatch, "redact", str(inputs), "--out", str(out), "--quiet") == 2  # a link is not a manifest
    assert victim.read_bytes() == before

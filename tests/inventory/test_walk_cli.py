"""Walking rules (globs, .piiscanignore, symlink loops, unreadable folders) and the
command line with an inventory: exit codes and `piiscan runs`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from piiscan.sources.walk import Entry, Problem, parse_size, walk

from .conftest import make_tree

PIISCAN = os.path.join(os.path.dirname(sys.executable), "piiscan")


def test_globs_ignore_file_and_symlink_loop(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=6)
    (root / "dept1" / ".piiscanignore").write_text("# comment\nnote004.txt\n", encoding="utf-8")
    (root / "dept2" / "loop").symlink_to(root, target_is_directory=True)
    (root / "big.txt").write_text("x" * 2000, encoding="utf-8")
    items = list(walk([root], exclude=["*.iso", "dept0/"], max_size=1000))
    files = sorted(os.path.relpath(i.path, root) for i in items if isinstance(i, Entry))
    problems = {os.path.relpath(p.path, root): p.reason for p in items if isinstance(p, Problem)}
    assert files == ["dept1/note001.txt", "dept2/note002.txt", "dept2/note005.txt"]
    assert problems == {"big.txt": "too large", "dept2/loop": "symlink loop"}
    assert parse_size("500MB") == 500 << 20 and parse_size("1024") == 1024


def test_include_glob(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=3)
    assert [os.path.basename(i.path) for i in walk([root], include=["*.iso"])] == ["skip.iso"]


def run_cli(*args, env=None):
    return subprocess.run([PIISCAN, *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PIISCAN_KEY="cli-key", **(env or {})))


def test_cli_exit_codes_and_runs(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=5)
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    first = run_cli("scan", str(root), "--inventory", url, "--jobs", "1", "--no-ner")
    assert first.returncode == 1, first.stderr  # new PI
    assert "event=run_finished" in first.stderr and "身份证" not in first.stderr
    second = run_cli("scan", str(root), "--inventory", url, "--incremental", "--jobs", "1", "--no-ner")
    assert second.returncode == 0, second.stderr  # nothing new
    (root / "dept1" / "extra.txt").write_text("手机：13912345678\n", encoding="utf-8")
    third = run_cli("scan", str(root), "--inventory", url, "--incremental", "--jobs", "1", "--no-ner")
    assert third.returncode == 1
    runs = json.loads(run_cli("runs", "--inventory", url, "--json").stdout)
    assert [r["files_read"] for r in runs] == [1, 0, 5]
    assert all(r["status"] == "completed" for r in runs)
    table = run_cli("runs", "--inventory", url)
    assert table.returncode == 0 and "piiscan runs" in table.stdout
    bad = run_cli("scan", str(tmp_path / "nope"), "--inventory", url)
    assert bad.returncode == 2

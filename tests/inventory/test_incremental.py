"""Incremental scans: only changed files are read; changes replace findings; deleted
files are marked removed; a rename is a removal plus a new file."""

from __future__ import annotations

import os

from sqlalchemy import select

from piiscan.inventory import Inventory, schema
from piiscan.inventory.run import Options, scan_inventory

from .conftest import snapshot

KEY = b"inventory-test-key"


def scan(url, tree, **kw):
    return scan_inventory(url, Options([str(tree)], jobs=1, ner=False, **kw), KEY)


def rows(url, table):
    store = Inventory(url)
    with store.engine.connect() as conn:
        out = [r._asdict() for r in conn.execute(select(table))]
    store.close()
    return out


def test_touch_one_file_only_it_is_read(tree, tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    code, first = scan(url, tree)
    assert code == 1 and first["files_read"] == 12 and first["new_pi"] > 0  # an unsupported .iso is not read
    before = snapshot(url)
    touched = tree / "dept1" / "note004.txt"
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    code, second = scan(url, tree, incremental=True)
    assert code == 0  # same content: no new PI
    assert second["files_read"] == 1 and second["files_unchanged"] == 12
    by_path = {r["path"]: r for r in rows(url, schema.files)}
    assert by_path[str(touched)]["last_run"] == second["id"]
    assert all(r["last_run"] == first["id"] for p, r in by_path.items() if p != str(touched))
    after = snapshot(url)
    assert after["findings"] == before["findings"]  # replaced, not duplicated


def test_change_delete_rename(tree, tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    scan(url, tree)
    changed, deleted, renamed = tree / "dept1/note001.txt", tree / "dept2/note002.txt", tree / "dept0/note003.txt"
    changed.write_text("无个人信息\n", encoding="utf-8")
    deleted.unlink()
    renamed.rename(tree / "dept0/renamed.txt")
    code, run = scan(url, tree, incremental=True)
    assert run["files_read"] == 2 and run["files_removed"] == 2
    files = {r["path"]: r for r in rows(url, schema.files)}
    assert files[str(deleted)]["status"] == "removed" and files[str(renamed)]["status"] == "removed"
    assert files[str(tree / "dept0/renamed.txt")]["status"] == "ok"
    snap = snapshot(url)
    with_findings = {f[0] for f in snap["findings"]}
    assert str(changed) not in with_findings and str(deleted) not in with_findings
    assert str(renamed) not in with_findings and str(tree / "dept0/renamed.txt") in with_findings
    # the renamed file's PI was known under its old path only: it counts as new for the new path
    assert code == 1


def test_verify_hash_catches_same_size_same_mtime(tree, tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    scan(url, tree)
    target = tree / "dept1/note001.txt"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("客户编号", "客户序号"), encoding="utf-8")  # same byte length
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, blind = scan(url, tree, incremental=True)
    assert blind["files_read"] == 0
    _, checked = scan(url, tree, incremental=True, verify_hash=True)
    assert checked["files_read"] == 1


def test_full_rescan_reads_everything_and_keeps_rows(tree, tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    scan(url, tree)
    before = snapshot(url)
    code, again = scan(url, tree)
    assert again["files_read"] == 12 and code == 0
    assert snapshot(url) == before


def test_no_raw_values_in_the_inventory(tree, tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    scan(url, tree)
    raw = (tmp_path / "inv.db").read_bytes()
    for path in tree.rglob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "：" in line:
                value = line.split("：", 1)[1]
                assert value.encode() not in raw

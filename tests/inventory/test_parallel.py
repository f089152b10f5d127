"""Worker pool: two workers give the same inventory as one; a file past the time
limit is recorded as an error, its worker replaced, and the scan goes on; a Dask
LocalCluster of two worker processes gives exactly the same rows as a local run."""

from __future__ import annotations

import random

from piiscan.inventory.run import Options, scan_inventory

from .conftest import make_tree, snapshot

KEY = b"inventory-test-key"


def test_two_workers_same_inventory_as_one(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=30)
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    scan_inventory(one, Options([str(root)], jobs=1, ner=False), KEY)
    _, row = scan_inventory(two, Options([str(root)], jobs=2, ner=False), KEY)
    assert row["files_read"] == 30
    assert snapshot(one) == snapshot(two)


def test_file_over_time_limit_is_an_error_and_the_scan_goes_on(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=4)
    rng = random.Random(3)
    words = ["客户", "张先生", "于", "上海市", "办理", "贷款", "手续", "，", "并", "提交", "材料", "。"]
    slow = root / "dept0" / "slow.txt"
    slow.write_text("".join(rng.choice(words) for _ in range(400_000)), encoding="utf-8")  # minutes of NER
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    code, row = scan_inventory(url, Options([str(root)], jobs=1, time_limit=3), KEY)
    assert row["status"] == "completed" and row["files_error"] == 1 and row["files_read"] == 5
    snap = snapshot(url)
    assert snap["files"][str(slow)][7:] == ("error", "time limit exceeded (3 s)")
    assert all(v[7] == "ok" for p, v in snap["files"].items() if p.endswith(".txt") and p != str(slow))
    assert code == 1


def test_dask_local_cluster_equals_local_run(tmp_path):
    from distributed import Client, LocalCluster

    root = tmp_path / "share"
    make_tree(root, n=20)
    local, dask = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'dask.db'}"
    scan_inventory(local, Options([str(root)], jobs=1, ner=False), KEY)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        code, row = scan_inventory(dask, Options([str(root)], scheduler=client, ner=False), KEY)
        workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2
    assert code == 1 and row["files_read"] == 20
    assert snapshot(dask) == snapshot(local)


def test_memory_guard_turns_an_allocation_failure_into_file_errors(tmp_path):
    """A worker limited to far less memory than a scan needs: every file is an error
    (memory limit, or the worker died and was replaced) and the run still completes."""
    root = tmp_path / "share"
    make_tree(root, n=3)
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    code, row = scan_inventory(url, Options([str(root)], jobs=1, ner=False, memory_limit=64 << 20), KEY)
    assert row["status"] == "completed" and row["files_error"] == 3 and code == 0
    reasons = {v[8] for p, v in snapshot(url)["files"].items() if p.endswith(".txt")}
    assert reasons <= {"memory limit exceeded"} | {r for r in reasons if r.startswith("worker died")}, reasons


def test_big_files_are_units_of_their_own_largest_first():
    """Five ledgers once travelled in one unit of work to one worker, which scanned
    them alone long after the other worker had finished."""
    from piiscan.execution.parallel import BIG, chunks
    tasks = [{"path": f"small{i}", "size": 150} for i in range(20)]
    tasks += [{"path": f"ledger{i}", "size": 1_600_000 + i} for i in range(5)]
    parts = chunks(tasks, 8)
    assert [p[0]["path"] for p in parts[:5]] == [f"ledger{i}" for i in range(4, -1, -1)]
    assert all(len(p) == 1 for p in parts[:5])
    assert all(t["size"] <= BIG for p in parts[5:] for t in p) and sum(map(len, parts[5:])) == 20


def test_pdfs_and_workbooks_weigh_more_than_their_bytes():
    """Two small PDFs (143 and 80 KB) in one unit of work kept one worker busy for 10 s
    after the other had finished: a PDF page costs far more than its bytes of text."""
    from piiscan.execution.parallel import chunks
    tasks = [{"path": f"note{i}.txt", "size": 3000} for i in range(6)]
    tasks += [{"path": "a.pdf", "size": 143_000}, {"path": "b.PDF", "size": 80_000}, {"path": "big.txt", "size": 300_000},
              {"path": "c.xlsx", "size": 60_000}]
    assert [[t["path"] for t in part] for part in chunks(tasks, 8)] == [
        ["a.pdf"], ["b.PDF"], ["big.txt"], ["c.xlsx"] + [f"note{i}.txt" for i in range(6)]]

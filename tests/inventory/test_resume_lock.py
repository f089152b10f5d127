"""Killed with SIGKILL mid-scan, the next run continues the same run and ends with
the same inventory as an uninterrupted scan; two scans never write one inventory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select

from piiscan.inventory import Inventory, schema
from piiscan.inventory.run import Options, scan_inventory

from .conftest import make_tree, snapshot

KEY = "inventory-test-key"
PIISCAN = os.path.join(os.path.dirname(sys.executable), "piiscan")


def cli_scan(url, root, env_extra=None, **popen):
    env = dict(os.environ, PIISCAN_KEY=KEY, **(env_extra or {}))
    return subprocess.Popen([PIISCAN, "scan", str(root), "--inventory", url, "--jobs", "1", "--no-ner", "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            **popen)


def count_files(url):
    store = Inventory(url)
    with store.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(schema.files)).scalar()
    store.close()
    return n


def test_sigkill_then_resume_equals_uninterrupted(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=600)  # enough work to be cut short: batches of 5 files, killed at 10
    whole, killed = f"sqlite:///{tmp_path / 'whole.db'}", f"sqlite:///{tmp_path / 'killed.db'}"
    assert cli_scan(whole, root).wait(300) == 1

    proc = cli_scan(killed, root, {"PIISCAN_BATCH_FILES": "5"})
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if count_files(killed) >= 10:
                break
        except Exception:  # the database is being created
            pass
        time.sleep(0.05)
    assert proc.poll() is None, "the scan finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers
    proc.wait(30)
    done = count_files(killed)
    assert 10 <= done < 601  # 600 notes and skip.iso

    resumed = cli_scan(killed, root)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 1, err.decode()
    assert snapshot(killed) == snapshot(whole)
    store = Inventory(killed)
    runs = store.runs()
    store.close()
    assert len(runs) == 1 and runs[0]["resumed"] == 1 and runs[0]["status"] == "completed"
    assert runs[0]["files_read"] == 600  # every file once: none lost, none counted twice


def test_second_scan_is_refused_while_the_first_holds_the_lock(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=3)
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    holder = Inventory(url)
    holder.acquire_lock()  # a live process (this one) holds it
    try:
        code, row = scan_inventory(url, Options([str(root)], jobs=1, ner=False), KEY.encode())
        assert code == 2
        assert f"pid {os.getpid()}" in row["error"] and "locked" in row["error"]
    finally:
        holder.release_lock()
        holder.close()
    code, _ = scan_inventory(url, Options([str(root)], jobs=1, ner=False), KEY.encode())
    assert code == 1


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    root = tmp_path / "share"
    make_tree(root, n=3)
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    dead = subprocess.Popen(["true"])
    dead.wait()
    store = Inventory(url)
    stamp = datetime.now(timezone.utc).isoformat()
    with store.engine.begin() as conn:
        conn.execute(insert(schema.scan_lock).values(id=1, host=store.host, pid=dead.pid, acquired_at=stamp,
                                                     heartbeat_at=stamp))
    store.close()
    code, _ = scan_inventory(url, Options([str(root)], jobs=1, ner=False), KEY.encode())
    assert code == 1


def test_lock_of_another_host_waits_until_stale(tmp_path):
    url = f"sqlite:///{tmp_path / 'inv.db'}"
    store = Inventory(url)
    old = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    fresh = datetime.now(timezone.utc).isoformat()
    with store.engine.begin() as conn:
        conn.execute(insert(schema.scan_lock).values(id=1, host="other-host", pid=1, acquired_at=fresh,
                                                     heartbeat_at=fresh))
    try:
        store.acquire_lock()
        raise AssertionError("a fresh lock of another host was taken")
    except Exception as e:
        assert "other-host" in str(e)
    with store.engine.begin() as conn:
        conn.execute(schema.scan_lock.update().values(heartbeat_at=old))
    store.acquire_lock()  # stale: taken over
    store.release_lock()
    store.close()

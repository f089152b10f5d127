"""`kill -9` of an inventory scan leaves no process behind: the workers watch their
coordinator (a pidfd) and end with it; then the forkserver and the resource
tracker, which wait on them, end too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path


def marked(mark: str) -> list[int]:
    """Processes whose environment holds the mark (the scan and everything it started)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                if f"PIISCAN_TEST_MARK={mark}".encode() in fh.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def test_no_orphans_after_sigkill(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    for i in range(400):
        (share / f"{i:03d}.txt").write_text(f"客户王芳，手机1391234{i:04d}。\n" + "备注：正常。\n" * 200,
                                            encoding="utf-8")
    mark = uuid.uuid4().hex
    env = os.environ | {"PIISCAN_TEST_MARK": mark, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    scan = subprocess.Popen([sys.executable, "-m", "piiscan", "scan", str(share), "--inventory",
                             f"sqlite:///{tmp_path / 'inv.db'}", "--jobs", "2", "--no-ner", "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(marked(mark)) < 4 and time.monotonic() < deadline:  # scan, forkserver, two workers
        time.sleep(0.2)
    assert scan.poll() is None, "the scan ended before it could be killed"
    # Stopped first, the coordinator hands out no more work: the workers finish what
    # they hold and wait on their inbox, which is where they were left orphaned.
    os.kill(scan.pid, signal.SIGSTOP)
    time.sleep(3)
    os.kill(scan.pid, signal.SIGKILL)
    scan.wait()
    deadline = time.monotonic() + 20
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = marked(mark)
    for pid in left:  # do not leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert left == []

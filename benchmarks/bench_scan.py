"""Inventory scan benchmark on a generated tree of small files (+ a few large ones).

    python benchmarks/bench_scan.py [--files 100000] [--large 5] [--root /tmp/piiscan_bench] [--ner]

Prints: first-scan files/s and MB/s (1 worker), an unchanged incremental re-scan
(and how many times faster it is), the first scan with 2 workers (speed-up over 1),
and full scan vs extraction only (the same readers, no detection) on one worker.
Numbers only; nothing is asserted. All data is generated fake data.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from inventory.conftest import fake_id, fake_mobile  # noqa: E402

from piiscan.inventory.run import Log, Options, scan_inventory  # noqa: E402
from piiscan.execution.parallel import run  # noqa: E402
from piiscan.sources.walk import Entry, walk  # noqa: E402

KEY = b"bench-key"


def generate(root: Path, files: int, large: int, seed: int = 1) -> None:
    marker = root / f".generated-{files}-{large}"
    if marker.exists():
        return
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    for i in range(files):
        folder = root / f"d{i // 1000:03d}" / f"s{(i // 100) % 10}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        if i % 3 == 0:
            text = f"姓名,身份证号,手机\n客户{i},{fake_id(rng)},{fake_mobile(rng)}\n"
            (folder / f"r{i:06d}.csv").write_text(text, encoding="utf-8")
        else:
            text = f"备注 {i}：客户来电，手机 {fake_mobile(rng)}，已登记。\n" if i % 2 else f"会议纪要 {i}，无客户信息。\n"
            (folder / f"n{i:06d}.txt").write_text(text, encoding="utf-8")
    big = root / "large"
    big.mkdir(exist_ok=True)
    for j in range(large):
        with open(big / f"ledger{j}.csv", "w", encoding="utf-8") as fh:
            fh.write("序号,身份证号,手机,备注\n")
            for k in range(40_000):
                fh.write(f"{k},{fake_id(rng)},{fake_mobile(rng)},正常\n")
    marker.touch()


def timed(label: str, fn):
    t, cpu = time.perf_counter(), time.process_time()
    out = fn()
    dt = time.perf_counter() - t
    COORDINATOR_CPU[label] = time.process_time() - cpu  # this process: walking, receiving, writing
    return dt, out


COORDINATOR_CPU: dict[str, float] = {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--large", type=int, default=5)
    ap.add_argument("--root", default="/tmp/piiscan_bench")
    ap.add_argument("--ner", action="store_true", help="run NER too (default: rules only, --no-ner)")
    args = ap.parse_args()
    root = Path(args.root) / "tree"
    dbdir = Path(args.root) / "db"
    t = time.perf_counter()
    generate(root, args.files, args.large)
    print(f"tree: {args.files} small + {args.large} large files under {root} ({time.perf_counter() - t:.1f}s to prepare)")
    shutil.rmtree(dbdir, ignore_errors=True)
    dbdir.mkdir(parents=True)
    entries = [e for e in walk([root]) if isinstance(e, Entry)]
    total_mb = sum(e.size for e in entries) / 1e6
    print(f"files: {len(entries)}  data: {total_mb:.1f} MB  cores: {os.cpu_count()}  load: {os.getloadavg()[0]:.2f}")
    quiet = Log(quiet=True)

    def scan(db: str, jobs: int, incremental: bool = False):
        return scan_inventory(f"sqlite:///{dbdir / db}", Options([str(root)], jobs=jobs, incremental=incremental,
                                                                 ner=args.ner), KEY, quiet)

    first, _ = timed("first", lambda: scan("one.db", 1))
    print(f"first scan, 1 worker:      {first:8.1f} s  {len(entries) / first:8.0f} files/s  {total_mb / first:6.2f} MB/s"
          f"  (coordinator {COORDINATOR_CPU['first']:.1f} CPU-s)")
    again, (_, row) = timed("again", lambda: scan("one.db", 1, incremental=True))
    print(f"unchanged re-scan:         {again:8.2f} s  {first / again:8.0f}x faster  (read {row['files_read']})")
    two, _ = timed("two", lambda: scan("two.db", 2))
    print(f"first scan, 2 workers:     {two:8.1f} s  {len(entries) / two:8.0f} files/s  {first / two:6.2f}x one worker"
          f"  (coordinator {COORDINATOR_CPU['two']:.1f} CPU-s)")
    tasks = [{"path": e.path, "size": e.size} for e in entries]
    settings = {"entities": None, "min_score": 0.5, "ner": args.ner, "policy": None, "key": KEY}
    extract, _ = timed("extract", lambda: sum(1 for _ in run(tasks, dict(settings, extract_only=True), jobs=1)))
    full, _ = timed("full", lambda: sum(1 for _ in run(tasks, settings, jobs=1)))
    print(f"extraction only, 1 worker: {extract:8.1f} s  {total_mb / extract:6.2f} MB/s")
    print(f"full scan (no inventory):  {full:8.1f} s  {total_mb / full:6.2f} MB/s  "
          f"detection adds {100 * (full - extract) / extract:.0f}% (goal <= 30%)")


if __name__ == "__main__":
    main()

"""`piiscan scan --no-ner` of a folder of many tiny files, --jobs 1 against the default
(a worker per core), each its own process: wall and CPU seconds (the workers' too).
Checks that per-file traffic between the workers and the coordinator does not
make a folder of small files slower than the scan in one process, and that both
write the same findings.

    python benchmarks/bench_scan_jobs.py [--files 5000] [--root /tmp/piiscan_scan_jobs]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_vs_presidio import BIN, adopt_orphans, timed_process  # noqa: E402


def generate(folder: Path, files: int) -> None:
    """Notes of about 60 bytes, two in three with a mobile number, 100 to a folder."""
    rng = random.Random(5)
    for i in range(files):
        part = folder / f"d{i // 100:03d}"
        part.mkdir(parents=True, exist_ok=True)
        text = f"回访：客户{i}，电话1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}。\n" if i % 3 else "今日无事。\n"
        (part / f"n{i:05d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--root", default="/tmp/piiscan_scan_jobs")
    args = ap.parse_args()
    adopt_orphans()
    root = Path(args.root)
    folder = root / f"tiny-{args.files}"
    if not folder.exists():
        generate(folder, args.files)
    outputs = {}
    for jobs in ("1", "0"):
        out = root / f"jobs{jobs}.jsonl"
        wall, cpu = timed_process([str(BIN / "piiscan"), "scan", str(folder), "--no-ner", "-q", "--jobs", jobs,
                                   "--out", str(out)])
        outputs[jobs] = out.read_bytes()
        print(f"{args.files} tiny files, --jobs {jobs if jobs != '0' else 'default'}: wall {wall:6.1f} s  "
              f"cpu {cpu:6.1f} s", flush=True)
    print("same findings:", outputs["1"] == outputs["0"])


if __name__ == "__main__":
    main()

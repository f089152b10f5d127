"""Compliance-report benchmark on a generated inventory of 100,000 files.

    python benchmarks/bench_report.py [--files 100000] [--db /tmp/piiscan_bench_report.db] [--json FILE]

The inventory is written through Inventory.commit_batch exactly as a scan writes
it (results in the shape of parallel.scan_one: masked findings, fingerprints,
summaries), for a share where a third of the files hold PI; then a second run
changes 1% of the files and removes 0.5%.

Prints, each against a baseline measured in the same run:
- writing 20,000 files with their history events vs the same without them;
- finishing run 2 (incremental run totals from its events) vs a full recount;
- each export (xlsx, csv, json, html): time and size, vs a bare read of the
  same rows (files + summaries, findings) with no export;
- the HTML report's size at 100,000 files vs at 1,000 (it should not grow);
- diff between the runs, locate of one person, impact of one folder.
Numbers only; nothing is asserted. All data is generated fake data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from piiscan.inventory import Inventory, schema
from piiscan.inventory.history import _identifiers_full
from piiscan.execution.records import FINDING_COLUMNS, finding_row
from piiscan.classify.policy import default_policy
from piiscan.reports.data import ReportData

VERSIONS = {"tool_version": "bench", "policy_version": "bench", "model_version": "bench"}
COLUMNS = ("姓名", "身份证号", "手机", "银行卡号")
ENTITIES = ("PERSON", "CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD")


def fake_result(rng: random.Random, people: int) -> dict:
    """A roster with `people` rows in the shape of parallel.scan_one's result."""
    findings = []
    for row in range(2, people + 2):
        for col, (header, entity) in enumerate(zip(COLUMNS, ENTITIES)):
            if entity == "CN_BANK_CARD" and rng.random() < 0.7:
                continue
            findings.append(finding_row({"seq": len(findings), "location": {"row": row, "column": header}, "start": 0,
                             "end": 11, "entity_type": entity, "score": 1.0, "recognizer": entity.lower(),
                             "jrt0171": "C2", "jrt0197": 3, "pipl_sensitive": entity == "CN_BANK_CARD",
                             "personal": True, "masked": "138****0000" if entity == "CN_MOBILE" else "***",
                             "fingerprint": f"{rng.getrandbits(128):032x}", "metadata": {}, "explanation": []}))
    counts: dict[str, int] = {}
    entity_type = FINDING_COLUMNS.index("entity_type")
    for f in findings:
        counts[f[entity_type]] = counts.get(f[entity_type], 0) + 1
    sensitive = "CN_BANK_CARD" in counts
    summary = {"jrt0171": "C2" if findings else "none", "jrt0197": 3 if findings else 1,
               "pipl_sensitive": sensitive, "counts": counts, "distinct_individuals": people,
               "records_with_pi": people, "explanation": [],
               "columns": [{"column": {"column": h}, "header": h, "entity_type": e, "share": 1.0,
                            "sample_size": people, "tier": {"jrt0171": "C2", "jrt0197": 3, "pipl_sensitive": False},
                            "explanation": "generated"} for h, e in zip(COLUMNS, ENTITIES) if e in counts]}
    return {"status": "ok", "reader": "csv", "error": None, "content_hash": None, "findings": findings,
            "summary": summary, "bytes": 1000}


def facts(root: str, i: int, rng: random.Random) -> dict:
    return {"path": f"{root}/dept{i % 40:02d}/team{(i // 40) % 25:02d}/f{i:07d}.csv", "size": 1000,
            "mtime_ns": int((1.5e9 + rng.random() * 2.5e8) * 1e9), "inode": i,
            "mode": rng.choice((0o600, 0o640, 0o644, 0o664)), "uid": 0}


def build(url: str, files: int, root: str = "/srv/share") -> dict:
    rng = random.Random(files)
    store = Inventory(url)
    timings = {}
    t = time.perf_counter()
    run1, _ = store.begin_run([root], {}, VERSIONS)
    batch = []
    for i in range(files):
        result = fake_result(rng, rng.randint(1, 8)) if i % 3 == 0 else fake_result(rng, 0)
        batch.append((facts(root, i, rng), result))
        if len(batch) == 1000:
            store.commit_batch(run1, batch)
            batch = []
    store.commit_batch(run1, batch)
    timings["write run 1 (s)"] = time.perf_counter() - t
    t = time.perf_counter()
    store.finish_run(run1, "completed")
    timings["finish run 1: totals, first (full) count (s)"] = time.perf_counter() - t
    run2, _ = store.begin_run([root], {"incremental": True}, VERSIONS)
    changed = rng.sample(range(files), files // 100)
    store.commit_batch(run2, [(facts(root, i, rng), fake_result(rng, rng.randint(1, 8))) for i in changed])
    gone = [facts(root, i, rng)["path"] for i in rng.sample(range(files), files // 200)]
    store.mark_removed(run2, gone)
    t = time.perf_counter()
    store.finish_run(run2, "completed")
    timings["finish run 2: incremental totals (s)"] = time.perf_counter() - t
    with store.engine.connect() as conn:
        t = time.perf_counter()
        _identifiers_full(conn)
        timings["baseline: full recount of identifiers (s)"] = time.perf_counter() - t
        timings["findings rows"] = conn.execute(select(func.count()).select_from(schema.findings)).scalar()
    store.close()
    return timings


def events_overhead(work: Path, files: int = 20_000) -> dict:
    """Run 1 written with pi_events, and the same with event writing switched off."""
    from piiscan.inventory import store as store_module

    with_events = build(f"sqlite:///{work / 'events.db'}", files)["write run 1 (s)"]
    real = store_module.pair_events
    store_module.pair_events = lambda *args: []
    try:
        without = build(f"sqlite:///{work / 'no-events.db'}", files)["write run 1 (s)"]
    finally:
        store_module.pair_events = real
    return {f"write {files:,} files with events (s)": with_events,
            "baseline: the same without events (s)": without, "events overhead (ratio)": with_events / without}


def bare_read(url: str) -> float:
    """The floor: the rows a report reads, read and dropped."""
    store = Inventory(url)
    f, fs, fi = schema.files, schema.file_summaries, schema.findings
    t = time.perf_counter()
    with store.engine.connect() as conn:
        for _ in conn.execution_options(stream_results=True, yield_per=2000).execute(
                select(f, fs).select_from(f.outerjoin(fs, fs.c.file_id == f.c.id)).order_by(f.c.path)):
            pass
        for _ in conn.execution_options(stream_results=True, yield_per=5000).execute(
                select(f.c.path, fi).join(f, f.c.id == fi.c.file_id).order_by(f.c.path, fi.c.seq)):
            pass
    store.close()
    return time.perf_counter() - t


def export(url: str, fmt: str, out: Path) -> tuple[float, int]:
    from piiscan.cli.reports import _export

    store = Inventory(url)
    t = time.perf_counter()
    data = ReportData(store, default_policy(), retention=timedelta(days=1825))
    _export(data, fmt, out, "both")
    elapsed = time.perf_counter() - t
    store.close()
    size = sum(p.stat().st_size for p in out.iterdir()) if out.is_dir() else out.stat().st_size
    return elapsed, size


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--db", default=os.path.join(tempfile.gettempdir(), "piiscan_bench_report.db"))
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    figures: dict = {"files": args.files}
    work = Path(tempfile.mkdtemp(prefix="piiscan-bench-report-"))
    try:
        figures.update(events_overhead(work, min(20_000, args.files)))
        for n, db in ((1000, work / "small.db"), (args.files, Path(args.db))):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            built = build(f"sqlite:///{db}", n)
            if n == args.files:
                figures.update(built)
        url, small = f"sqlite:///{args.db}", f"sqlite:///{work / 'small.db'}"
        figures["baseline: bare read of files + findings (s)"] = floor = bare_read(url)
        for fmt, name in (("xlsx", "r.xlsx"), ("csv", "csv"), ("json", "r.json"), ("html", "r.html")):
            elapsed, size = export(url, fmt, work / name)
            figures[f"{fmt}: time (s)"], figures[f"{fmt}: size (MB)"] = elapsed, size / 1e6
            figures[f"{fmt}: time / bare read"] = elapsed / floor
        _, small_size = export(small, "html", work / "small.html")
        figures["html at 1,000 files: size (MB)"] = small_size / 1e6
        figures["html size, 100,000 vs 1,000 files"] = figures["html: size (MB)"] / (small_size / 1e6)
        store = Inventory(url)
        from piiscan.reports.diff import DiffSummary, diff
        from piiscan.reports.impact import Impact, from_inventory
        from piiscan.reports.locate import locate
        with store.engine.connect() as conn:
            person = conn.execute(select(schema.findings.c.entity_type, schema.findings.c.fingerprint)
                                  .limit(1)).one()
        figures["diff run 1 → 2 (s)"] = timed(lambda: list(diff(store, 1, 2, DiffSummary(1, 2))))
        figures["locate one fingerprint (s)"] = timed(lambda: list(locate(store, {tuple(person): "id"})))
        figures["impact of one department folder (s)"] = timed(
            lambda: from_inventory(store, ["/srv/share/dept07"], Impact(default_policy())))
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value:,}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

"""A folder scan, piiscan vs Presidio as a user would run it, as whole processes.

    python benchmarks/bench_vs_presidio.py [--quick] [--root /tmp/piiscan_vs_presidio] [--json FILE]
                                           [--skip-presidio] [--no-split]

The same generated folder (benchmarks/vs_presidio_data.py: every format both read,
PI-dense and PI-sparse files, about 24 MB; --quick about 2.4 MB) is scanned by
`piiscan scan DIR --no-ner`, `piiscan scan DIR` (the fast NER, the default), each
with --jobs 1 (one process) and with the default (a worker per core), and
benchmarks/presidio_user.py, each its own process: wall seconds, CPU seconds
(getrusage of the children: a scan's workers included), the ratios, and recall of the planted resident IDs,
mobiles and bank cards (piiscan must find at least what Presidio finds).

Then, in this process, piiscan's split on dense/ and sparse/: extraction (the
readers alone) against the whole scan of the same files; detection +
classification = scan - extraction. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vs_presidio_data import generate  # noqa: E402

BIN = Path(sys.executable).parent
ENTITIES = {"CN_RESIDENT_ID": ("CN_RESIDENT_ID",), "CN_MOBILE": ("CN_MOBILE", "PHONE_NUMBER"),
            "CN_BANK_CARD": ("CN_BANK_CARD", "CREDIT_CARD")}


def prepared(root: Path, quick: bool) -> tuple[Path, dict]:
    """The generated folder, made once per size and reused."""
    folder, planted_file = root / ("quick" if quick else "full"), root / ("quick.json" if quick else "full.json")
    if not planted_file.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        planted = generate(folder, 0.1 if quick else 1.0)
        planted_file.write_text(json.dumps(planted), encoding="utf-8")
        print(f"generated {folder} in {time.perf_counter() - started:.0f} s")
    return folder, json.loads(planted_file.read_text(encoding="utf-8"))


def adopt_orphans() -> None:
    """Become the reaper of our descendants whose parent exits first (Linux): a scan's
    workers are children of multiprocessing's fork server, which outlives the scan by a
    moment; reaped here, their CPU time counts in getrusage(RUSAGE_CHILDREN)."""
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphans() -> None:
    import os

    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_process(command: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), child_cpu()
    code = subprocess.run(command, stdout=subprocess.DEVNULL).returncode
    reap_orphans()
    if code not in (0, 1):  # piiscan scan exits 1 when it finds personal information
        raise SystemExit(f"{command[0]} exited {code}")
    return time.perf_counter() - wall, child_cpu() - cpu


def piiscan_found(out: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    with out.open(encoding="utf-8") as fh:
        for line in fh:
            finding = json.loads(line)
            found.setdefault(finding["entity_type"], set()).add(re.sub(r"[\s-]", "", finding["value"]))
    return found


def presidio_found(out: Path) -> dict[str, set[str]]:
    return {entity: {re.sub(r"[\s-]", "", v) for v in values}
            for entity, values in json.loads(out.read_text(encoding="utf-8")).items()}


def recall(planted: dict, found: dict[str, set[str]]) -> dict[str, float]:
    """Share of each planted kind found under one of its entity names."""
    scores = {}
    for kind, values in planted.items():
        hits = set().union(*(found.get(e, set()) for e in ENTITIES[kind]))
        scores[kind] = round(sum(1 for v in values if v in hits) / len(values), 4)
    return scores


def runs(folder: Path, work: Path, skip_presidio: bool) -> dict[str, list[str]]:
    """Each piiscan scan twice: in one process (--jobs 1) and with a worker per core (the default)."""
    piiscan = str(BIN / "piiscan")
    commands = {}
    for label, options, name in (("piiscan --no-ner", ["--no-ner"], "no_ner"), ("piiscan --ner fast", [], "fast")):
        for jobs in ("1", "0"):
            commands[label + (" --jobs 1" if jobs == "1" else "")] = [
                piiscan, "scan", str(folder), *options, "-q", "--show-values", "--jobs", jobs,
                "--out", str(work / f"{name}-jobs{jobs}.jsonl")]
    if not skip_presidio:
        script = str(Path(__file__).resolve().parent / "presidio_user.py")
        commands["presidio"] = [sys.executable, script, str(folder), str(work / "presidio.json")]
    return commands


def compare(folder: Path, planted: dict, work: Path, skip_presidio: bool) -> dict:
    results = {}
    for label, command in runs(folder, work, skip_presidio).items():
        wall, cpu = timed_process(command)
        out = Path(command[-1])
        found = presidio_found(out) if label == "presidio" else piiscan_found(out)
        results[label] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "recall": recall(planted, found),
                          "command": " ".join(command[:1] + [Path(c).name if "/" in c else c for c in command[1:]])}
        print(f"{label:29s} wall {wall:8.1f} s  cpu {cpu:8.1f} s  recall {results[label]['recall']}", flush=True)
    if "presidio" in results:
        for label in ("piiscan --no-ner", "piiscan --ner fast"):
            results[label]["wall_ratio"] = round(results["presidio"]["wall_s"] / results[label]["wall_s"], 2)
            results[label]["cpu_ratio"] = round(results["presidio"]["cpu_s"] / results[label]["cpu_s"], 2)
            results[label]["finds_at_least_presidio"] = all(
                results[label]["recall"][k] >= results["presidio"]["recall"][k] for k in planted)
            print(f"{label:20s} {results[label]['wall_ratio']:6.1f}x faster (wall), "
                  f"{results[label]['cpu_ratio']:6.1f}x (CPU); finds at least Presidio's: "
                  f"{results[label]['finds_at_least_presidio']}")
    return results


def split(folder: Path) -> dict:
    """Extraction vs detection + classification on dense/ and sparse/, in process."""
    from piiscan.classify.policy import load_policy
    from piiscan.core.fingerprint import Fingerprinter
    from piiscan.detect.engine import Detector, build_analyzer
    from piiscan.pipeline.scanner import Scanner
    from piiscan.sources.readers import reader_for

    analyzer, figures = build_analyzer(), {}
    for ner in (False, True):
        scanner = Scanner(Detector(analyzer, None, ner=ner), Fingerprinter(b"bench-key"), load_policy(None))
        scanner.scan_file(next((folder / "sparse").glob("*.txt")))  # warm: models load outside the timing
        for part in ("sparse", "dense"):
            files = sorted(p for p in (folder / part).iterdir())
            extract = _cpu(lambda: [sum(1 for _ in reader_for(p).read(p)) for p in files])
            scan = _cpu(lambda: [scanner.scan_file(p) for p in files])
            label = f"{part} {'--ner fast' if ner else '--no-ner'}"
            figures[label] = {"extract_s": round(extract, 2), "scan_s": round(scan, 2),
                              "detect_classify_over_extract": round((scan - extract) / extract, 2)}
            print(f"{label:20s} extraction {extract:7.1f} s  scan {scan:7.1f} s  "
                  f"detection+classification = {(scan - extract) / extract:5.2f}x extraction", flush=True)
    return figures


def _cpu(run) -> float:
    """CPU seconds of this process (the machine is shared: wall time would count the others)."""
    started = time.process_time()
    run()
    return time.process_time() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="about 2.4 MB instead of 24 MB")
    ap.add_argument("--root", default="/tmp/piiscan_vs_presidio")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--skip-presidio", action="store_true", help="piiscan only (while optimising)")
    ap.add_argument("--no-split", action="store_true", help="skip the extraction/detection split")
    args = ap.parse_args()
    adopt_orphans()
    root = Path(args.root)
    folder, planted = prepared(root, args.quick)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"folder: {folder}  {size / 1e6:.1f} MB  planted: { {k: len(v) for k, v in planted.items()} }")
    work = root / f"out-{'quick' if args.quick else 'full'}"
    work.mkdir(exist_ok=True)
    figures = {"megabytes": round(size / 1e6, 1), "runs": compare(folder, planted, work, args.skip_presidio)}
    if not args.no_split:
        figures["split"] = split(folder)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

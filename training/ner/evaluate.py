"""Evaluate a spaCy pipeline directory on a held-out JSONL file
({"text": ..., "entities": [{"type": "PERSON", "start": 0, "end": 2}]}, end exclusive):
per-type precision, recall and F1, exact-span and overlap (see metrics.py).

    python training/ner/evaluate.py models/zh_piiscan training/ner/data/heldout_cluener.jsonl
    python training/ner/evaluate.py MODEL FILE.jsonl [FILE2.jsonl ...] --json --speed

--speed also reports load time and throughput: characters per second of
nlp.pipe over the files' texts, one process (run it with OMP_NUM_THREADS=1 and
OPENBLAS_NUM_THREADS=1 for one core; train.py does), both as they are (short
sentences) and joined into documents of about 1,000 characters, the way the
scanner hands prose to the model. --no-blis makes thinc multiply matrices with
numpy (OpenBLAS) instead of its bundled BLIS, which is several times faster on
some CPUs; it must be chosen before the model loads.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import format_table, score  # noqa: E402

TYPES = ("PERSON", "CN_ADDRESS", "ORGANIZATION")


def read_jsonl(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(nlp, records: list[dict], types=TYPES) -> dict:
    """score() of the pipeline's entities against the records' entities; entity
    types outside `types` (e.g. a model's extra labels) are ignored on both sides."""
    keep = set(types)
    gold = [[e for e in r["entities"] if e["type"] in keep] for r in records]
    pred = [[(e.label_, e.start_char, e.end_char) for e in doc.ents if e.label_ in keep]
            for doc in nlp.pipe((r["text"] for r in records), batch_size=256)]
    return score(gold, pred, types=types)


def load_timed(model: Path):
    import spacy

    started = time.perf_counter()
    nlp = spacy.load(model)
    nlp("预热")  # the first call finishes any lazy set-up; count it as loading
    return nlp, time.perf_counter() - started


def throughput(nlp, texts: list[str], rounds: int = 3, batch_size: int = 256) -> dict:
    """Characters per second of nlp.pipe over texts, single process; the best of
    `rounds` passes (other processes share the machine)."""
    chars = sum(map(len, texts))
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
        best = min(best, time.perf_counter() - started)
    return {"texts": len(texts), "chars": chars, "seconds": round(best, 3), "chars_per_second": round(chars / best),
            "rounds": rounds, "batch_size": batch_size}


def as_documents(texts: list[str], size: int = 1000) -> list[str]:
    """Consecutive texts joined by line breaks into documents of about `size` characters."""
    docs, current = [], ""
    for text in texts:
        current = f"{current}\n{text}" if current else text
        if len(current) >= size:
            docs.append(current)
            current = ""
    return docs + ([current] if current else [])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--speed", action="store_true", help="also measure load time and throughput")
    parser.add_argument("--no-blis", action="store_true", help="thinc ops with numpy's BLAS instead of BLIS")
    args = parser.parse_args(argv)
    if args.no_blis:
        from thinc.api import NumpyOps, set_current_ops

        set_current_ops(NumpyOps(use_blis=False))
    nlp, load_seconds = load_timed(args.model)
    report: dict = {"model": str(args.model)}
    all_texts = []
    for path in args.files:
        records = read_jsonl(path)
        all_texts += [r["text"] for r in records]
        report[path.name] = evaluate(nlp, records)
    if args.speed:
        report["load_seconds"] = round(load_seconds, 3)
        report["throughput"] = throughput(nlp, all_texts)
        report["throughput_documents"] = throughput(nlp, as_documents(all_texts), batch_size=32)
        report["ops"] = "numpy" if args.no_blis else "default (blis)"
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for path in args.files:
        print(f"== {path.name} ({report[path.name]['docs']} texts)")
        print(format_table(report[path.name]))
    if args.speed:
        print(f"load {report['load_seconds']} s; {report['throughput']['chars_per_second']:,} chars/s on "
              f"{report['throughput']['texts']} sentences, {report['throughput_documents']['chars_per_second']:,} "
              f"chars/s on {report['throughput_documents']['texts']} documents ({report['ops']} ops)")


if __name__ == "__main__":
    main()

"""Evaluate a spaCy pipeline directory on a held-out JSONL file
({"text": ..., "entities": [{"type": "PERSON", "start": 0, "end": 2}]}, end exclusive):
per-type precision, recall and F1, exact-span and overlap (see metrics.py).

    python training/ner/evaluate.py models/zh_piiscan training/ner/data/heldout_cluener.jsonl
    python training/ner/evaluate.py MODEL FILE.jsonl [FILE2.jsonl ...] --json --speed

The model is read the way piiscan's Detector reads it: loaded with thinc's
NumpyOps, entities decoded from the tagger's scores by piiscan.detect.ner.tagging.TaggerEntities
(the best valid BIO path). --decoder spacy scores doc.ents instead (the pipeline's
entity_ruler, what plain spaCy and Presidio users get).

--speed also reports load time and throughput, one process (run it with
OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1 for one core; train.py does):
characters per second, by the clock and per CPU-second (the machine is shared),
of piiscan's decoding over the files' texts joined into documents of about 1,000
characters, and of spaCy's nlp.pipe over the same documents.
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


def predict(nlp, texts: list[str], decoder: str = "piiscan") -> list[list[tuple[str, int, int]]]:
    """`nlp` a pipeline, or a list of them: piiscan's decoding of their averaged tag
    probabilities (distill.py's teachers as an ensemble)."""
    if decoder == "piiscan":
        from piiscan.detect.ner.tagging import TaggerEntities

        if isinstance(nlp, list):
            from distill import AveragedTaggers

            entities = AveragedTaggers(nlp)
        else:
            entities = TaggerEntities(nlp)
        return [[(e.label, e.start, e.end) for e in entities(text)] for text in texts]
    return [[(e.label_, e.start_char, e.end_char) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=256)]


def evaluate(nlp, records: list[dict], types=TYPES, decoder: str = "piiscan") -> dict:
    """score() of the model's entities against the records' entities; entity
    types outside `types` (e.g. a model's extra labels) are ignored on both sides."""
    keep = set(types)
    gold = [[e for e in r["entities"] if e["type"] in keep] for r in records]
    pred = [[span for span in spans if span[0] in keep] for spans in predict(nlp, [r["text"] for r in records], decoder)]
    return score(gold, pred, types=types)


def load_timed(model: Path):
    import spacy

    from piiscan.detect.ner.tagging import numpy_ops

    started = time.perf_counter()
    with numpy_ops():
        nlp = spacy.load(model)
    nlp("预热")  # the first call finishes any lazy set-up; count it as loading
    return nlp, time.perf_counter() - started


def throughput(run, texts: list[str], rounds: int = 3) -> dict:
    """Characters per second of run(texts), single process; the best of `rounds`
    passes by the clock, and per CPU-second of that pass."""
    chars = sum(map(len, texts))
    best, cpu = float("inf"), 0.0
    for _ in range(rounds):
        wall, used = time.perf_counter(), time.process_time()
        run(texts)
        wall, used = time.perf_counter() - wall, time.process_time() - used
        if wall < best:
            best, cpu = wall, used
    return {"texts": len(texts), "chars": chars, "seconds": round(best, 3), "chars_per_second": round(chars / best),
            "chars_per_cpu_second": round(chars / cpu), "rounds": rounds}


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
    parser.add_argument("--decoder", choices=("piiscan", "spacy"), default="piiscan",
                        help="piiscan's decoding of the tag scores (default) or the pipeline's doc.ents")
    parser.add_argument("--ensemble", type=Path, action="append", default=[], metavar="MODEL",
                        help="another model (repeatable): score the averaged tag probabilities of all")
    args = parser.parse_args(argv)
    if args.ensemble and (args.decoder != "piiscan" or args.speed):
        parser.error("--ensemble goes with piiscan's decoder and without --speed")
    nlp, load_seconds = load_timed(args.model)
    if args.ensemble:
        nlp = [nlp] + [load_timed(model)[0] for model in args.ensemble]
    report: dict = {"model": str(args.model), "decoder": args.decoder}
    if args.ensemble:
        report["ensemble"] = [str(model) for model in args.ensemble]
    all_texts = []
    for path in args.files:
        records = read_jsonl(path)
        all_texts += [r["text"] for r in records]
        report[path.name] = evaluate(nlp, records, decoder=args.decoder)
    if args.speed:
        documents = as_documents(all_texts)
        report["load_seconds"] = round(load_seconds, 3)
        report["speed"] = {"piiscan": throughput(lambda texts: predict(nlp, texts, "piiscan"), documents),
                           "spacy": throughput(lambda texts: list(nlp.pipe(texts, batch_size=32)), documents)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for path in args.files:
        print(f"== {path.name} ({report[path.name]['docs']} texts)")
        print(format_table(report[path.name]))
    if args.speed:
        ours, theirs = report["speed"]["piiscan"], report["speed"]["spacy"]
        print(f"load {report['load_seconds']} s; {ours['texts']} documents of ~1,000 chars: piiscan's decoding "
              f"{ours['chars_per_second']:,} chars/s ({ours['chars_per_cpu_second']:,} per CPU-second), spaCy's "
              f"nlp.pipe {theirs['chars_per_second']:,} chars/s ({theirs['chars_per_cpu_second']:,} per CPU-second)")


if __name__ == "__main__":
    main()

"""Precision, recall and F1 per entity type against a labelled JSONL dataset:
{"text": ..., "entities": [{"type": "PERSON", "start": 0, "end": 2}, ...]} (end exclusive).

Two matchings: exact (same type, same span) and overlap (same type, spans
overlapping; each gold and each predicted span used at most once).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Span:
    type: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    entities: tuple[Span, ...]


def load_dataset(path: Path) -> list[Example]:
    examples = []
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                spans = tuple(Span(e["type"], int(e["start"]), int(e["end"])) for e in record["entities"])
                examples.append(Example(record["text"], spans))
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path}: line {number}: not a dataset record ({type(e).__name__}: {e})") from None
    return examples


def _matches(gold: list[Span], pred: list[Span], overlap: bool) -> int:
    if not overlap:
        return len(set(gold) & set(pred))
    used: set[int] = set()
    matched = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and p.start < g.end and g.start < p.end:
                used.add(i)
                matched += 1
                break
    return matched


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def score(gold_docs: Iterable[Iterable[Span]], pred_docs: Iterable[Iterable[Span]],
          types: Iterable[str] | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """{type: {"exact": {...}, "overlap": {...}}} over all documents."""
    wanted = set(types) if types else None
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for gold, pred in zip(gold_docs, pred_docs):
        by_type_gold: dict[str, list[Span]] = defaultdict(list)
        by_type_pred: dict[str, list[Span]] = defaultdict(list)
        for s in gold:
            by_type_gold[s.type].append(s)
        for s in pred:
            by_type_pred[s.type].append(s)
        for t in set(by_type_gold) | set(by_type_pred):
            if wanted is not None and t not in wanted:
                continue
            g, p = sorted(by_type_gold[t], key=lambda s: s.start), sorted(by_type_pred[t], key=lambda s: s.start)
            totals[t]["gold"] += len(g)
            totals[t]["pred"] += len(p)
            totals[t]["exact"] += _matches(g, p, overlap=False)
            totals[t]["overlap"] += _matches(g, p, overlap=True)
    return {t: {"exact": prf(c["exact"], c["pred"], c["gold"]), "overlap": prf(c["overlap"], c["pred"], c["gold"])}
            for t, c in sorted(totals.items())}


def evaluate(detector, examples: list[Example], types: Iterable[str] | None = None) -> dict:
    """Run the detector over every example and score it."""
    types = set(types) if types else {s.type for e in examples for s in e.entities}
    predictions = [[Span(d.entity_type, d.start, d.end) for d in detector.detect(e.text)] for e in examples]
    return score([e.entities for e in examples], predictions, types)

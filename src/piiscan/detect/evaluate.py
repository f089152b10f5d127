"""Precision, recall and F1 per entity type against a labelled JSONL dataset:
{"text": ..., "entities": [{"type": "PERSON", "start": 0, "end": 2}, ...]} (end exclusive).

Two matchings: exact (same type, same span) and overlap (same type, spans
overlapping; each gold and each predicted span used at most once, the largest
overlaps first). The training scripts score with the same functions.
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


def overlap_matches(gold: list, pred: list) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of spans of the same type that
    overlap, the pairs with the largest overlap first. Spans are (type, start, end)
    tuples or have .type/.start/.end. The one overlap matching of piiscan, shared by
    `piiscan eval` and the training scripts (training/ner/metrics.py)."""
    def parts(span) -> tuple:
        return span if isinstance(span, tuple) else (span.type, span.start, span.end)

    gold, pred = [parts(g) for g in gold], [parts(p) for p in pred]
    pairs = []
    for g, (g_type, g_start, g_end) in enumerate(gold):
        for p, (p_type, p_start, p_end) in enumerate(pred):
            if g_type == p_type and p_start < g_end and g_start < p_end:
                pairs.append((min(g_end, p_end) - max(g_start, p_start), g, p))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, matches = set(), set(), []
    for _, g, p in pairs:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            matches.append((g, p))
    return matches


def _matches(gold: list[Span], pred: list[Span], overlap: bool) -> int:
    return len(overlap_matches(gold, pred)) if overlap else len(set(gold) & set(pred))


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

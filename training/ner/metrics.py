"""Entity scores, exact-span and overlap, per type, for the training scripts; the
matching and the figures are piiscan's own (piiscan.detect.evaluate), so a
training run and `piiscan eval` count alike.

    score(gold_docs, pred_docs) -> dict

Each item of gold_docs / pred_docs is one document's entities, given as any of:
- a spaCy Doc (its .ents are used),
- a dict in the evaluation format {"text": ..., "entities": [{"type", "start", "end"}]},
- an iterable of (type, start, end) tuples or of {"type", "start", "end"} dicts.
Offsets are character offsets, end exclusive.

Exact: a prediction is a true positive when a gold entity has the same type,
start and end. Overlap: a prediction is a true positive when it overlaps a gold
entity of the same type; each gold and each prediction is matched at most once
(pairs with the largest overlap first).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from piiscan.detect.evaluate import overlap_matches, prf

Span = tuple[str, int, int]


def spans_of(item: Any) -> list[Span]:
    if hasattr(item, "ents") and hasattr(item, "text"):  # a spaCy Doc
        return [(e.label_, e.start_char, e.end_char) for e in item.ents]
    if isinstance(item, dict):
        item = item.get("entities", [])
    out = []
    for entity in item:
        if isinstance(entity, dict):
            out.append((entity["type"], int(entity["start"]), int(entity["end"])))
        else:
            kind, start, end = entity
            out.append((kind, int(start), int(end)))
    return out


def score(gold_docs: Iterable[Any], pred_docs: Iterable[Any], types: Iterable[str] | None = None) -> dict:
    """{"exact": {TYPE: {precision, recall, f1, tp, predicted, gold}, ..., "ALL": {...}},
        "overlap": {...same...}, "docs": n}"""
    tallies = {"exact": defaultdict(lambda: [0, 0, 0]), "overlap": defaultdict(lambda: [0, 0, 0])}
    n_docs = 0
    gold_list, pred_list = list(gold_docs), list(pred_docs)
    if len(gold_list) != len(pred_list):
        raise ValueError(f"{len(gold_list)} gold documents but {len(pred_list)} predicted")
    for gold_item, pred_item in zip(gold_list, pred_list):
        n_docs += 1
        gold, pred = spans_of(gold_item), spans_of(pred_item)
        for mode in tallies:
            for kind, _, _ in gold:
                tallies[mode][kind][2] += 1
            for kind, _, _ in pred:
                tallies[mode][kind][1] += 1
        gold_set = set(gold)
        for span in set(pred):
            if span in gold_set:
                tallies["exact"][span[0]][0] += 1
        for g, _ in overlap_matches(gold, pred):
            tallies["overlap"][gold[g][0]][0] += 1
    kinds = sorted(set(types) if types is not None else
                   set(tallies["exact"]) | set(tallies["overlap"]))
    result: dict = {"docs": n_docs}
    for mode, tally in tallies.items():
        table = {kind: prf(*tally[kind]) for kind in kinds}
        total = [sum(tally[k][i] for k in kinds) for i in range(3)]
        table["ALL"] = prf(*total)
        result[mode] = table
    return result


def by_type(result: dict) -> dict:
    """score()'s result regrouped as {TYPE: {"exact": {...}, "overlap": {...}}}, the
    layout of `piiscan eval --json`."""
    return {kind: {mode: result[mode][kind] for mode in ("exact", "overlap")} for kind in result["exact"]}


def format_table(result: dict) -> str:
    """A plain-text table of score()'s result."""
    lines = [f"{'type':<14}{'mode':<9}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}"]
    kinds = [k for k in result["exact"] if k != "ALL"] + ["ALL"]
    for kind in kinds:
        for mode in ("overlap", "exact"):
            r = result[mode][kind]
            lines.append(f"{kind:<14}{mode:<9}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
                         f"{r['gold']:>7}{r['predicted']:>7}")
    return "\n".join(lines)

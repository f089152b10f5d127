"""Entity scores, exact-span and overlap, per type; no dependency beyond the
standard library so that it can move into the piiscan package as is.

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


def _overlap_matches(gold: list[Span], pred: list[Span]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of the same type that overlap."""
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


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


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
        for g, _ in _overlap_matches(gold, pred):
            tallies["overlap"][gold[g][0]][0] += 1
    kinds = sorted(set(types) if types is not None else
                   set(tallies["exact"]) | set(tallies["overlap"]))
    result: dict = {"docs": n_docs}
    for mode, tally in tallies.items():
        table = {kind: _prf(*tally[kind]) for kind in kinds}
        total = [sum(tally[k][i] for k in kinds) for i in range(3)]
        table["ALL"] = _prf(*total)
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

"""Fit piiscan.detect.ner.span_check's weights and thresholds on the dev splits,
never on a held-out one:

    python training/ner/fit_span_check.py   # writes src/piiscan/detect/ner/span_check.json

Dev data: CLUENER's dev split (500 sentences), the synthetic dev texts (300) and
200 domain-prose texts from another seed than the held-out set's. Each candidate
(detect.ner.span_check.candidates) is labelled a name when it overlaps a gold
PERSON span; an L2-regularised logistic regression is fitted per mode (fast: the
tagger's features; accurate: with LAC's), then the threshold that gives the whole
Detector its best PERSON overlap-F1 on the same dev data is chosen. The held-out
figures are measured once afterwards with `piiscan eval`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_domain_prose import Prose  # noqa: E402
from prepare import PERSON, find_cluener, read_cluener, split_cluener  # noqa: E402
from synthetic import Synth  # noqa: E402

from piiscan.core.normalize import to_halfwidth  # noqa: E402
from piiscan.detect import evaluate as ev  # noqa: E402
from piiscan.detect.engine import Detector, build_analyzer  # noqa: E402
from piiscan.detect.ner import second_opinion, span_check  # noqa: E402

DOMAIN_DEV_SEED = 20261206
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def dev_examples() -> list[ev.Example]:
    _, cluener_dev, _ = split_cluener(read_cluener(find_cluener()))
    synthetic = Synth(1002).examples(300)  # prepare.SYNTH_SEEDS["dev"]
    prose = Prose(DOMAIN_DEV_SEED)
    domain = [prose.record() for _ in range(200)]
    pairs = [(t, s) for t, s in cluener_dev] + [(t, s) for t, s in synthetic]
    pairs += [(r["text"], [(e["start"], e["end"], e["type"]) for e in r["entities"]]) for r in domain]
    return [ev.Example(text, tuple(ev.Span(label, s, e) for s, e, label in spans if label == PERSON))
            for text, spans in pairs]


def labelled(detector: Detector, examples: list[ev.Example], with_lac: bool) -> tuple[numpy.ndarray, numpy.ndarray]:
    names = span_check.ACCURATE if with_lac else span_check.FAST
    rows, labels = [], []
    for example in examples:
        text = to_halfwidth(example.text)
        tagged, probabilities = detector._tagger.tagged(text)
        lac = second_opinion.words(text) if with_lac else None
        for c in span_check.candidates(text, tagged, probabilities, lac):
            rows.append([c.features.get(n, 0.0) for n in names])
            labels.append(any(g.start < c.end and c.start < g.end for g in example.entities))
    return numpy.array(rows), numpy.array(labels, dtype=float)


def logistic(x: numpy.ndarray, y: numpy.ndarray, l2: float = 1.0, steps: int = 200) -> numpy.ndarray:
    """Newton's method on the L2-penalised log-loss (the bias penalised too, lightly)."""
    w = numpy.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + numpy.exp(-x @ w))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * numpy.eye(len(w))
        step = numpy.linalg.solve(hessian, gradient)
        w -= step
        if numpy.abs(step).max() < 1e-8:
            break
    return w


def main() -> None:
    examples = dev_examples()
    detector = Detector(build_analyzer(), ner="fast")
    fitted = json.loads(span_check.WEIGHTS.read_text(encoding="utf-8")) if span_check.WEIGHTS.exists() else {}
    for mode, names in (("fast", span_check.FAST), ("accurate", span_check.ACCURATE)):
        x, y = labelled(detector, examples, mode == "accurate")
        weights = logistic(x, y)
        print(f"{mode}: {len(y)} candidates, {int(y.sum())} names; weights",
              dict(zip(names, numpy.round(weights, 3).tolist())), flush=True)
        best = None
        for threshold in THRESHOLDS:
            fitted[mode] = {"features": list(names), "weights": weights.round(4).tolist(), "threshold": threshold}
            span_check.WEIGHTS.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
            span_check._model.cache_clear()
            f1 = ev.evaluate(Detector(detector.analyzer, ner=mode), examples, ["PERSON"])["PERSON"]["overlap"]["f1"]
            print(f"  threshold {threshold:.2f}: dev PERSON overlap-F1 {f1:.4f}", flush=True)
            best = max(best or (f1, -threshold), (f1, -threshold))  # ties: the lower threshold (recall)
        fitted[mode]["threshold"] = -best[1]
        span_check.WEIGHTS.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        span_check._model.cache_clear()
        print(f"{mode}: threshold {-best[1]} (dev F1 {best[0]:.4f})", flush=True)


if __name__ == "__main__":
    main()

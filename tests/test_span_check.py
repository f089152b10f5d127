"""The learnt check of the models' names (piiscan.detect.ner.span_check)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy

from piiscan.detect.ner import span_check
from piiscan.detect.ner.tagging import Entity, TypeProbabilities

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "ner"))


def _probabilities(text: str, person: list[float]) -> TypeProbabilities:
    starts = numpy.arange(len(text))
    # tags O, B-PERSON, I-PERSON: the person probability split over B and I
    probs = numpy.array([[1 - p, p / 2, p / 2] for p in person])
    return TypeProbabilities(["", "PERSON", "PERSON"], starts, starts + 1, numpy.log(probs))


def test_the_fitted_file_matches_the_features_the_code_computes():
    fitted = json.loads(span_check.WEIGHTS.read_text(encoding="utf-8"))
    assert tuple(fitted["fast"]["features"]) == span_check.FAST
    assert tuple(fitted["accurate"]["features"]) == span_check.ACCURATE
    for mode in ("fast", "accurate"):
        assert len(fitted[mode]["weights"]) == len(fitted[mode]["features"]) and 0 < fitted[mode]["threshold"] < 1


def test_candidates_join_the_tagger_and_lac():
    text = "今天周丽鸿和罗马队的王芳到了"
    probabilities = _probabilities(text, [0.1, 0.1, 0.2, 0.3, 0.3, 0.1, 0.5, 0.5, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1])
    tagged = [Entity("PERSON", 6, 8), Entity("PERSON", 10, 12), Entity("ORGANIZATION", 6, 9)]
    lac = [(0, 2, "TIME"), (2, 5, "PER"), (5, 6, "c"), (6, 8, "LOC"), (8, 9, "n"), (9, 10, "u"), (10, 12, "PER"),
           (12, 14, "v")]
    found = {c.value: c.features for c in span_check.candidates(text, tagged, probabilities, lac)}
    assert set(found) == {"罗马", "王芳", "周丽鸿"}
    assert (found["王芳"]["tagger"], found["王芳"]["lac"], found["王芳"]["both"]) == (1.0, 1.0, 1.0)
    assert (found["周丽鸿"]["tagger"], found["周丽鸿"]["lac"]) == (0.0, 1.0)
    assert found["罗马"]["lac_place"] == 1.0 and found["罗马"]["lac"] == 0.0
    assert abs(found["王芳"]["tagger_confidence"] - 0.9) < 1e-6
    assert abs(found["周丽鸿"]["tagger_confidence"] - (0.2 + 0.3 + 0.3) / 3) < 1e-6
    fast = span_check.candidates(text, tagged, probabilities)  # no LAC: only the tagger's, no LAC features
    assert [c.value for c in fast] == ["罗马", "王芳"] and "lac" not in fast[0].features


def test_the_check_keeps_a_strong_name_and_drops_a_place_lac_knows():
    text = "罗马队的王芳到了"
    probabilities = _probabilities(text, [0.3, 0.3, 0.1, 0.1, 0.95, 0.95, 0.1, 0.1])  # the tagger unsure of 罗马
    tagged = [Entity("PERSON", 0, 2), Entity("PERSON", 4, 6)]
    lac = [(0, 2, "LOC"), (2, 3, "n"), (3, 4, "u"), (4, 6, "PER"), (6, 8, "v")]
    kept = [c.value for c in span_check.candidates(text, tagged, probabilities, lac) if span_check.keep("accurate", c)]
    assert kept == ["王芳"]


def test_the_fit_is_a_logistic_regression():
    from fit_span_check import logistic

    rng = numpy.random.default_rng(0)
    x = numpy.column_stack([numpy.ones(400), rng.normal(size=400)])
    y = (x[:, 1] + rng.normal(scale=0.3, size=400) > 0).astype(float)
    w = logistic(x, y, l2=0.01)
    assert w[1] > 2 and abs(w[0]) < 0.5

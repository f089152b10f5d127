"""Which names of the models to keep: a logistic score over what the tagger and,
with `--ner accurate`, Baidu's LAC say about each candidate span.

Candidates are the tagger's PERSON spans and (accurate) LAC's PER words. Each is
described by a few features: the tagger's mean probability of PERSON over the
span (also for a LAC name the tagger missed), how much the span reads as a
Chinese name (surname and given-name characters), a transliteration dot, Latin
letters, its length; with LAC, who proposed it and LAC's own tag for the words
under it (a LOC, ORG or common noun is rarely a person: 罗马, 肯德基, 南瓜). The
weights and the threshold are fitted on the dev splits only (CLUENER dev and the
synthetic dev texts) by training/ner/fit_span_check.py and stored beside this
module in span_check.json; the held-out figures are measured once afterwards.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Optional, Sequence

from piiscan.detect.columns.values import chinese_name_score
from piiscan.detect.ner.tagging import Entity, TypeProbabilities, whole_words
from piiscan.detect.validators.names import NAME_DOTS

WEIGHTS = Path(__file__).with_name("span_check.json")
LATIN = re.compile(r"[ -~]+")
# LAC tags that say what a word is when it is not a person.
LAC_KINDS = {"lac_place": ("LOC", "ns"), "lac_organisation": ("ORG", "nt"), "lac_proper_noun": ("nz",),
             "lac_work": ("nw",), "lac_time": ("TIME", "t"), "lac_common_word": ("n", "v", "vn", "a", "ad", "an")}
FAST = ("bias", "tagger_confidence", "name_score", "name_dot", "latin", "length")
ACCURATE = FAST + ("tagger", "lac", "both") + tuple(LAC_KINDS)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    value: str
    features: dict[str, float]


def _describe(value: str, confidence: float) -> dict[str, float]:
    return {"bias": 1.0, "tagger_confidence": confidence, "name_score": chinese_name_score(value),
            "name_dot": float(any(c in value for c in NAME_DOTS)), "latin": float(bool(LATIN.fullmatch(value))),
            "length": min(len(value), 6) / 6}


def candidates(text: str, tagged: Sequence[Entity], probabilities: TypeProbabilities,
               lac_words: Optional[Sequence[tuple[int, int, str]]] = None) -> list[Candidate]:
    """The PERSON candidates in `text`: the tagger's, then LAC's PER words that
    overlap none of them (when lac_words is given)."""
    spans: list[list] = []  # [start, end, by tagger, by LAC]
    for entity in tagged:
        if entity.label == "PERSON":
            spans.append([*whole_words(text, entity.start, entity.end), True, False])
    for start, end, tag in lac_words or ():
        if tag != "PER":
            continue
        start, end = whole_words(text, start, end)
        overlapping = [s for s in spans if s[0] < end and start < s[1]]
        for s in overlapping:
            s[3] = True
        if not overlapping:
            spans.append([start, end, False, True])
    found = []
    for start, end, by_tagger, by_lac in spans:
        value = text[start:end]
        features = _describe(value, probabilities.mean("PERSON", start, end))
        if lac_words is not None:
            under = {tag for s, e, tag in lac_words if s < end and start < e}
            features |= {"tagger": float(by_tagger), "lac": float(by_lac), "both": float(by_tagger and by_lac)}
            features |= {kind: float(bool(under & set(tags))) for kind, tags in LAC_KINDS.items()}
        found.append(Candidate(start, end, value, features))
    return found


@cache
def _model(mode: str) -> tuple[tuple[str, ...], tuple[float, ...], float]:
    fitted = json.loads(WEIGHTS.read_text(encoding="utf-8"))[mode]
    return tuple(fitted["features"]), tuple(fitted["weights"]), float(fitted["threshold"])


def probability(mode: str, candidate: Candidate) -> float:
    names, weights, _ = _model(mode)
    z = sum(w * candidate.features.get(n, 0.0) for n, w in zip(names, weights))
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))


def keep(mode: str, candidate: Candidate) -> bool:
    """Whether a candidate is a name, by the weights fitted for `mode` (fast, accurate)."""
    return probability(mode, candidate) >= _model(mode)[2]

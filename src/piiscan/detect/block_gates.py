"""Which recognizers a block of texts needs, text by text: their prefilters run once
over the block joined (Detector.detect_many), with the answer prefilter.search
would give each text alone.

A prefilter whose first characters can be told (piiscan.detect.first_chars) is
looked for by them first, and searched for itself only in the texts that hold one:
Python's re scans a character class quickly and a long alternation of words
(甲方|乙方|…|(?i:name)) slowly. Prefilters that start with a digit are fast as they
are and match most cells of a ledger anyway: they scan the block directly."""

from __future__ import annotations

import bisect
import re
from typing import Optional

import numpy

from piiscan.core.normalize import to_halfwidth
from piiscan.detect.first_chars import first_chars

SEPARATOR = "\x00"  # between the texts of a block: no shipped prefilter matches it


class Block:
    """Texts joined by SEPARATOR, half-width (one character for one: offsets hold)."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.joined = to_halfwidth(SEPARATOR.join(texts))
        self.starts, position = [], 0
        for text in texts:
            self.starts.append(position)
            position += len(text) + 1
        self._starts = numpy.array(self.starts)
        self._ends = self._starts + numpy.array([len(text) for text in texts], dtype=self._starts.dtype)

    def inside(self, spans: list[tuple[int, int]]) -> tuple[numpy.ndarray, numpy.ndarray]:
        """(the text each span starts in, whether the span stays inside that text)."""
        where = numpy.array(spans)
        index = numpy.searchsorted(self._starts, where[:, 0], side="right") - 1
        return index, where[:, 1] <= self._ends[index]

    def text(self, k: int) -> str:
        """The k-th text, half-width."""
        return self.joined[self.starts[k]:self.starts[k] + len(self.texts[k])]

    def index(self, position: int) -> int:
        """The text a position of the joined block lies in (a separator: the text before it)."""
        return bisect.bisect_right(self.starts, position) - 1


class BlockGates:
    def __init__(self, recognizers: list):
        self.recognizers = recognizers
        self.first: list[Optional[re.Pattern]] = []
        for recognizer in recognizers:
            chars = first_chars(recognizer.prefilter.pattern)
            self.first.append(re.compile(chars) if chars and not re.match(chars, "0") else None)

    def gated(self, block: Block) -> list[list]:
        """For each text of the block, the recognizers whose prefilter matches it, in
        the recognizers' order."""
        gated: list[list] = [[] for _ in block.texts]
        for recognizer, first in zip(self.recognizers, self.first):
            found = _by_first_chars(recognizer.prefilter, first, block) if first is not None \
                else _matching(recognizer.prefilter, block)
            for k in found:
                gated[k].append(recognizer)
        return gated


def _by_first_chars(prefilter: re.Pattern, first: re.Pattern, block: Block) -> set[int]:
    candidates = {block.index(m.start()) for m in first.finditer(block.joined)}
    return {k for k in candidates if prefilter.search(block.text(k))}


def _matching(prefilter: re.Pattern, block: Block) -> set[int]:
    """The texts where `prefilter` matches, from one scan of the block. A match across a
    separator (a user's prefilter that can match it) is checked again text by text."""
    spans = [m.span() for m in prefilter.finditer(block.joined)]
    if not spans:
        return set()
    index, inside = block.inside(spans)
    found = set(index[inside].tolist())
    for i in numpy.flatnonzero(~inside).tolist():
        (start, end), k = spans[i], int(index[i])
        last = block.index(max(start, end - 1))
        for j in range(k, last + 1):
            if j not in found and prefilter.search(block.text(j)):
                found.add(j)
    return found

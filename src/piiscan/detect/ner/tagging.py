"""The NER stage: when the model runs, how its tags become entities, and which
of its spans cannot be true.

piiscan's own model (models/zh_piiscan) is a character tagger: one softmax over
BIO tags (B-PERSON, I-PERSON, …, O) per character. Its `ner` component, an
entity_ruler, turns the best tag of each character into doc.ents, which is what
Presidio and plain spaCy users get. The Detector reads the tag scores instead
(TaggerEntities): it skips the ruler and Presidio's NlpArtifacts, which together
cost more than the network itself, computes the network in numpy from the same
weights (piiscan.detect.ner.forward), and it decodes the best *valid* tag sequence
(an I-X only after B-X or I-X), which mends entities the ruler would cut or drop.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator, NamedTuple

import numpy
from threadpoolctl import ThreadpoolController

from piiscan.detect.ner.forward import TaggerForward
from piiscan.detect.validators.address import LEVELS as ADDRESS_LEVELS
from piiscan.detect.validators.names import NAME_DOTS, ROLE_WORDS

# The model reads prose (six Chinese characters close together) and record
# lines: Chinese characters near (≤ 40 characters) a number of seven digits or more
# (孟和15627507760, 刘健（110108…）) or before a sex (邓渊，男). A cell of a few
# characters alone (王芳) is left to the rules, which see its column header and
# cost far less than a model call (~0.3 ms however short the text).
PROSE = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff]{0,3}" * 6)
RECORD = re.compile(r"[\u4e00-\u9fff]{2}[^\n]{0,40}?\d(?:[ -]?\d){6}|\d(?:[ -]?\d){6}[^\n]{0,40}?[\u4e00-\u9fff]{2}"
                    r"|[\u4e00-\u9fff]{2}[^\u4e00-\u9fff\n]{0,3}[男女](?![\u4e00-\u9fff])")


def worth_reading(text: str) -> bool:
    """Whether the NER model should read `text` (see PROSE and RECORD)."""
    return bool(PROSE.search(text) or RECORD.search(text))


NAME_CHARACTERS = re.compile(f"[\u4e00-\u9fff{NAME_DOTS}A-Za-z ]+")


def plausible_ner_span(entity_type: str, value: str, before: str = "") -> bool:
    """What the model says that cannot be true: a span with the mask character is a
    value already masked (邱**), a name has only name characters and is not a role
    word (乙方) and has at least two characters (surname and given name), an address
    names one of its levels or follows a word of living there (`before`: the text
    just before the span)."""
    if "*" in value or not value:
        return False
    if entity_type == "PERSON":
        return (len(value) >= 2 and bool(NAME_CHARACTERS.fullmatch(value)) and value not in ROLE_WORDS
                and not _TITLE.fullmatch(value))
    if entity_type == "CN_ADDRESS":
        # a place a person can be found at names a level (市, 区, 路, 号…) or follows a word
        # of living there (家住望京); a bare 北京 is a city, 合同 in 合同编号 a word the
        # model misread: neither is a person's address
        return bool(ADDRESS_LEVELS.search(value) or _LIVES.search(before))
    return True


_LIVES = re.compile(r"(?:住|住址|地址|居住|户籍|住所|位于|通讯地址|寄往|送至|收货)[：:\s]*$")

# Titles the model takes for people (市长, 科科长, 总经理): a title alone, or after the
# name of a place or unit without a surname (市长, 科科长), is no name.
_TITLE = re.compile("[\u4e00-\u9fff]{0,3}(?:长|经理|主任|总监|主席|秘书|总裁|会计|出纳|董事|监事|行长)")


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole Latin words and numbers: the model reads characters
    and sometimes stops inside one (How|ard, Val|ve); a name is never part of a word."""
    while start > 0 and _alnum(text[start - 1]) and _alnum(text[start]):
        start -= 1
    while end < len(text) and _alnum(text[end - 1]) and _alnum(text[end]):
        end += 1
    return start, end


def _alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


@contextmanager
def numpy_ops() -> Iterator[None]:
    """Build models inside with thinc's NumpyOps (numpy's OpenBLAS) instead of its
    bundled BLIS: for the small matrices of piiscan's tagger it is 1.3–2× faster on
    the machines measured (benchmarks/bench_detect.py prints both). The layers keep
    the ops they were built with; the caller's current ops are restored."""
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    previous = get_current_ops()
    set_current_ops(NumpyOps(use_blis=False))
    try:
        yield
    finally:
        set_current_ops(previous)


class Entity(NamedTuple):
    label: str
    start: int  # character offsets, end exclusive
    end: int
    confidence: float = 1.0  # the mean probability of the entity's type over its characters


class TaggerEntities:
    """Entities of a spaCy pipeline whose `tagger` predicts BIO tags, decoded
    from the tag scores. `usable(nlp)` says whether a pipeline is of that kind."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.tagger = nlp.get_pipe("tagger")
        labels = list(self.tagger.labels)
        self.labels = labels
        self.outside = labels.index("O")
        self.types = [label[2:] for label in labels]
        self.begins = numpy.array([label.startswith("B-") for label in labels])
        self.inside = numpy.array([label.startswith("I-") for label in labels])
        self.allowed, self.may_start = valid_transitions(labels)
        # One BLAS thread per model call: a scan runs one worker per core, and
        # OpenBLAS's own threads on top of them made the tagger ~3× slower.
        self._blas = ThreadpoolController()
        self.forward = TaggerForward.from_pipeline(nlp)
        self.confident_types = {"PERSON"}  # the types whose entities get a confidence (span_check reads names')

    @staticmethod
    def usable(nlp) -> bool:
        if "tagger" not in nlp.pipe_names:
            return False
        labels = set(nlp.get_pipe("tagger").labels)
        return "O" in labels and all(label[:2] in ("B-", "I-") for label in labels - {"O"})

    def scores(self, text: str) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """(token starts, token ends, tag scores): from the numpy forward pass when the
        model's architecture is the one piiscan trains, else from spaCy's."""
        with self._blas.limit(limits=1, user_api="blas"):
            if self.forward is not None:
                return self.forward(text)
            doc = self.nlp.make_doc(text)
            starts = numpy.array([token.idx for token in doc], dtype=numpy.int64)
            ends = starts + numpy.array([len(token.text) for token in doc], dtype=numpy.int64)
            if not len(doc):
                return starts, ends, numpy.zeros((0, len(self.labels)), dtype="float32")
            return starts, ends, numpy.asarray(self.tagger.model.predict([doc])[0])

    def __call__(self, text: str) -> list[Entity]:
        return self.tagged(text)[0]

    def tagged(self, text: str) -> tuple[list[Entity], "TypeProbabilities"]:
        """The entities, and each character's probability of being inside an entity
        of a type (span_check reads it for LAC's names too)."""
        starts, ends, scores = self.scores(text)
        if not len(scores):
            return [], TypeProbabilities(self.types, starts, ends, numpy.zeros((0, len(self.types))))
        tags = scores.argmax(axis=1)
        # Where the best tags are not a valid path (an I-X after O or after another type),
        # the run of non-O tags around it takes its best valid path instead.
        wrong = numpy.flatnonzero(~self.allowed[tags[:-1], tags[1:]]) + 1
        if not self.may_start[tags[0]]:
            wrong = numpy.concatenate(([0], wrong))
        if len(wrong):
            islands = numpy.array(_islands(tags != self.outside)).reshape(-1, 2)
            for first, last in islands[numpy.unique(numpy.searchsorted(islands[:, 0], wrong, side="right") - 1)]:
                tags[first:last] = best_valid_path(log_softmax(scores[first:last]), self.allowed, self.may_start)
        # in a valid path an entity is a B-X and the I-X after it, up to the next B or O
        begins = numpy.flatnonzero(self.begins[tags])
        bounds = numpy.append(numpy.flatnonzero(~self.inside[tags]), len(tags))
        last = bounds[numpy.searchsorted(bounds, begins, side="right")] - 1
        probabilities = TypeProbabilities(self.types, starts, ends, log_softmax(scores))
        return [Entity(self.types[tag], start, end, probabilities.mean(self.types[tag], start, end)
                       if self.types[tag] in self.confident_types else 1.0)
                for tag, start, end in zip(tags[begins].tolist(), starts[begins].tolist(), ends[last].tolist())], \
            probabilities


class TypeProbabilities:
    """Per token, the probability of each tag; `mean(type, start, end)` is the mean
    over the tokens inside [start, end) of P(B-type) + P(I-type). Cumulative sums
    per type make each mean two lookups: a long text has thousands of entities."""

    def __init__(self, types: list[str], starts, ends, log_probs) -> None:
        self.types, self.starts, self.ends, self.log_probs = types, starts, ends, log_probs
        self._cumulative: dict[str, numpy.ndarray] = {}

    def mean(self, entity_type: str, start: int, end: int) -> float:
        first = int(numpy.searchsorted(self.starts, start))
        last = int(numpy.searchsorted(self.ends, end, side="right"))
        if last <= first:
            return 0.0
        cumulative = self._cumulative.get(entity_type)
        if cumulative is None:
            columns = [i for i, t in enumerate(self.types) if t == entity_type]
            inside = numpy.exp(self.log_probs[:, columns]).sum(axis=1) if len(self.log_probs) else numpy.zeros(0)
            cumulative = self._cumulative[entity_type] = numpy.concatenate(([0.0], numpy.cumsum(inside)))
        return float((cumulative[last] - cumulative[first]) / (last - first))


def valid_transitions(labels) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(allowed[i, j]: BIO tag j may follow tag i, an I-X only after B-X or I-X;
    may_start[j]: tag j may begin a text)."""
    begins = numpy.array([label.startswith("B-") for label in labels])
    inside = numpy.array([label.startswith("I-") for label in labels])
    same_type = numpy.array([[a[2:] == b[2:] for b in labels] for a in labels])
    return ~inside[None, :] | ((begins | inside)[:, None] & same_type), ~inside


def best_valid_path(log_probs, allowed, may_start) -> list[int]:
    """Viterbi: the most probable tag sequence (indices) in which every tag may
    follow the one before it (allowed[i, j]) and the first may start a run."""
    n, n_tags = log_probs.shape
    penalty = numpy.where(allowed, 0.0, -1e9)
    best = log_probs[0] + numpy.where(may_start, 0.0, -1e9)
    back = numpy.zeros((n, n_tags), dtype=int)
    for i in range(1, n):
        candidates = best[:, None] + penalty
        back[i] = candidates.argmax(axis=0)
        best = candidates[back[i], numpy.arange(n_tags)] + log_probs[i]
    path = [int(best.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def log_softmax(scores):
    """Per row (one character's tag scores)."""
    scores = scores - scores.max(axis=1, keepdims=True)
    return scores - numpy.log(numpy.exp(scores).sum(axis=1, keepdims=True))


def _islands(mask) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a boolean array."""
    padded = numpy.concatenate(([False], mask, [False]))
    edges = numpy.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))

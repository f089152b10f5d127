"""Word-lexicon features for piiscan's character NER model (models/zh_piiscan).

A character model sees each character and a few neighbours; it does not know
that 克洛普 or 岘港 are words, let alone a person's and a place's name. This layer
looks every substring of 2–8 characters up in a word table taken from jieba's
dictionary (person nr, transliterated person nrt/nrfg, place ns, organisation nt,
other words) and tells each character, per group, whether a known word begins
(B), continues (M) or ends (E) on it — the "soft lexicon" idea of Chinese NER
(Ma et al., ACL 2020) reduced to 15 bits per character.

The lookup is vectorised: a polynomial hash of every substring of each length
(numpy, uint64 arithmetic) is searched in the sorted hashes of the table's words
of that length. The table travels inside the model (layer attrs), so loading needs
nothing but this module, which spaCy finds through the `spacy_architectures`
entry point (piiscan.CharLexiconEmbed.v1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy
from spacy.attrs import IDX
from spacy.ml.featureextractor import FeatureExtractor
from spacy.ml.staticvectors import StaticVectors
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

GROUPS = {"nr": 0, "nrt": 1, "nrfg": 1, "ns": 2, "nt": 3}  # anything else: 4, "other word"
N_GROUPS = 5
N_FEATURES = 3 * N_GROUPS  # B, M, E per group
MIN_LENGTH, MAX_LENGTH = 2, 8
MIN_OTHER_FREQUENCY = 5  # rare words of other parts of speech add noise, not boundaries
_PRIME = numpy.uint64(1000003)
_GROUP_SHIFTS = numpy.arange(N_GROUPS, dtype=numpy.uint8)


def word_table(dictionary: Path) -> dict[str, int]:
    """{word: group bits} from a jieba-format dictionary (word frequency tag)."""
    table: dict[str, int] = {}
    with Path(dictionary).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3 or not MIN_LENGTH <= len(parts[0]) <= MAX_LENGTH:
                continue
            word, frequency, tag = parts
            group = GROUPS.get(tag, N_GROUPS - 1)
            if group == N_GROUPS - 1 and int(frequency) < MIN_OTHER_FREQUENCY:
                continue
            table[word] = table.get(word, 0) | (1 << group)
    return table


def compile_table(table: dict[str, int]) -> dict[str, list]:
    """Per length: sorted substring hashes and their group bits (serialisable)."""
    compiled: dict[str, list] = {}
    for length in range(MIN_LENGTH, MAX_LENGTH + 1):
        words = [w for w in table if len(w) == length]
        if not words:
            continue
        codes = numpy.array([[ord(c) for c in w] for w in words], dtype=numpy.uint64)
        h = numpy.zeros(len(words), dtype=numpy.uint64)
        with numpy.errstate(over="ignore"):
            for k in range(length):
                h = h * _PRIME + codes[:, k]
        order = numpy.argsort(h)
        bits = numpy.array([table[w] for w in words], dtype=numpy.uint8)
        compiled[str(length)] = [h[order].tolist(), bits[order].tolist()]
    return compiled


def char_features(text: str, compiled: dict[int, tuple]) -> numpy.ndarray:
    """(len(text), 15) float32: for each character and group, word begins/continues/ends here.
    `compiled`: {length: (sorted hashes, group bits)} as numpy arrays (see _forward)."""
    n = len(text)
    out = numpy.zeros((n, N_FEATURES), dtype="float32")
    if n < MIN_LENGTH:
        return out
    begins = numpy.zeros((n, N_GROUPS), dtype=numpy.uint8)
    ends = numpy.zeros((n, N_GROUPS), dtype=numpy.uint8)
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32).astype(numpy.uint64)
    inside = numpy.zeros((n + 1, N_GROUPS), dtype=numpy.int32)  # +1 at a word's 2nd char, -1 after its last
    h = codes.copy()
    for length in range(MIN_LENGTH, MAX_LENGTH + 1):
        if n < length:
            break
        with numpy.errstate(over="ignore"):  # the hash of each substring, one character longer
            h = h[:-1] * _PRIME + codes[length - 1:]
        if length not in compiled:
            continue
        hashes, bits = compiled[length]
        where = numpy.searchsorted(hashes, h)
        where[where == len(hashes)] = 0
        hits = numpy.flatnonzero(hashes[where] == h)
        if not len(hits):
            continue
        groups = (bits[where[hits]][:, None] >> _GROUP_SHIFTS) & 1  # hits x groups
        # one substring of each length starts (and ends) at a position: no index repeats
        # within a length, so fancy indexing does what the slow ufunc.at would
        begins[hits] |= groups  # B: a word begins here
        ends[hits + length - 1] |= groups  # E: a word ends here
        if length > 2:
            inside[hits + 1] += groups
            inside[hits + length - 1] -= groups
    out[:, 0::3] = begins
    out[:, 1::3] = numpy.cumsum(inside[:n], axis=0) > 0
    out[:, 2::3] = ends
    return out


def lexicon_match(dictionary: Optional[str] = None) -> Model:
    """Layer: docs -> per token, the 15 lexicon bits of its first character."""
    return Model("lexicon_match", _forward, init=_init, attrs={"dictionary": dictionary, "table": {}},
                 dims={"nO": N_FEATURES})


def _init(model: Model, X=None, Y=None) -> None:
    if not model.attrs["table"] and model.attrs["dictionary"]:
        model.attrs["table"] = compile_table(word_table(Path(model.attrs["dictionary"])))


_ARRAYS: dict[int, dict[int, tuple]] = {}  # model.id -> its table as numpy arrays, built on first use


def lexicon_arrays(model: Model) -> dict[int, tuple]:
    """The lexicon_match layer's word table as char_features wants it."""
    compiled = _ARRAYS.get(model.id)
    if compiled is None:
        compiled = _ARRAYS[model.id] = {int(length): (numpy.array(h, dtype=numpy.uint64),
                                                      numpy.array(b, dtype=numpy.uint8))
                                        for length, (h, b) in model.attrs["table"].items()}
    return compiled


def _forward(model: Model, docs, is_train: bool):
    compiled = lexicon_arrays(model)
    outputs = []
    for doc in docs:
        features = char_features(doc.text, compiled)
        outputs.append(model.ops.asarray2f(features[doc.to_array([IDX]).ravel()]))
    return outputs, lambda d_outputs: []


@registry.architectures("piiscan.CharLexiconEmbed.v1")
def char_lexicon_embed(width: int, attrs: list[str], rows: list[int], include_static_vectors: bool,
                       dictionary: Optional[str] = None) -> Model:
    """spaCy's MultiHashEmbed.v2 with the lexicon bits mixed in by the same maxout."""
    embeddings = [HashEmbed(width, rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))]
    features = chain(FeatureExtractor(attrs), list2ragged(), with_array(concatenate(*embeddings)))
    parts = [features] + ([StaticVectors(width, dropout=0.0)] if include_static_vectors else [])
    parts.append(chain(lexicon_match(dictionary), list2ragged()))  # last: piiscan.detect.ner.forward relies on it
    size = width * (len(embeddings) + include_static_vectors) + N_FEATURES
    return chain(concatenate(*parts), with_array(Maxout(width, size, nP=3, dropout=0.0, normalize=True)),
                 ragged2list())

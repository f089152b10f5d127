"""training/ner/lexicon.py: character vectors from which characters share dictionary words."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "ner"))

from lexicon import cooccurrence_vectors  # noqa: E402

# Surnames combine with the same given-name characters, place characters with the
# same place suffixes; the two groups never share a word.
WORDS = [(s + g, 100.0) for s in "张李王" for g in "伟芳军"] + [(p + q, 100.0) for p in "北南东" for q in "京路街"]
CHARS = sorted({c for word, _ in WORDS for c in word})


def cosine(vectors, a, b):
    u, v = vectors[CHARS.index(a)], vectors[CHARS.index(b)]
    return float(u @ v / numpy.linalg.norm(u) / numpy.linalg.norm(v))


def test_characters_that_share_partners_are_close():
    vectors = cooccurrence_vectors(CHARS, dims=4, words=WORDS)
    assert vectors.shape == (len(CHARS), 4)
    assert cosine(vectors, "张", "李") > 0.9
    assert cosine(vectors, "北", "南") > 0.9
    assert cosine(vectors, "张", "北") < 0.5
    assert cosine(vectors, "伟", "京") < 0.5


def test_a_character_in_no_word_gets_a_vector_without_error():
    vectors = cooccurrence_vectors(CHARS + ["鑫"], dims=4, words=WORDS)
    assert numpy.isfinite(vectors).all()


def test_the_same_seed_gives_the_same_vectors():
    first = cooccurrence_vectors(CHARS, dims=4, words=WORDS, seed=3)
    assert numpy.array_equal(first, cooccurrence_vectors(CHARS, dims=4, words=WORDS, seed=3))

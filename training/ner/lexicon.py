"""Character lexicon vectors: static per-character features computed offline from
the resources that ship inside the jieba wheel (no download):

- jieba/dict.txt: 349k words with a frequency and a part-of-speech tag (nr person,
  nrt transliterated person, ns place, nt organisation, ...). For each character:
  log(1 + total frequency) of the words of each tag group in which it stands
  alone (S), first (B), inside (M) or last (E).
- jieba/posseg/prob_emit.py: the HMM's emission log-probabilities P(char | position,
  tag), trained by jieba on a POS-tagged corpus, for the same tag groups.
- jieba/finalseg/prob_emit.py: P(char | B/M/E/S) of the word segmenter.

Each column is standardised. The vectors are stored in the model's vocab and read
through spaCy's StaticVectors (projected, trained); they tell the small CNN which
characters are typical of names, places and organisations beyond what the training
sentences show. Characters absent from the table get a zero vector.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy

GROUPS = {"nr": "nr", "nrt": "nrt", "nrfg": "nrfg", "ns": "ns", "nt": "nt", "nz": "nz", "n": "n", "v": "v",
          "i": "idiom", "l": "idiom", "m": "num", "q": "num", "a": "a", "d": "d"}
GROUP_NAMES = sorted(set(GROUPS.values())) + ["other"]
POSITIONS = "SBME"
EMIT_TAGS = ["nr", "nrfg", "nrt", "ns", "nt", "nz", "n", "v", "a", "m", "q", "f", "t", "r", "p", "c", "u", "d", "s"]
FLOOR = -20.0


def _jieba_dir() -> Path:
    import jieba

    return Path(jieba.__file__).parent


def dictionary_entries():
    """(word, frequency, part-of-speech tag) for each entry of jieba's dictionary."""
    with (_jieba_dir() / "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 3:
                yield parts[0], float(parts[1]), parts[2]


def lexicon_table(extra_chars=()) -> tuple[list[str], numpy.ndarray]:
    """(characters, matrix n_chars x n_features), standardised columns."""
    from jieba.finalseg.prob_emit import P as SEG_EMIT
    from jieba.posseg.prob_emit import P as POS_EMIT

    counts: dict[str, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    for word, freq, tag in dictionary_entries():
        group = GROUPS.get(tag, "other")
        if len(word) == 1:
            counts[word][(group, "S")] += freq
            continue
        for i, char in enumerate(word):
            position = "B" if i == 0 else "E" if i == len(word) - 1 else "M"
            counts[char][(group, position)] += freq
    chars = set(counts) | set(extra_chars)
    for table in (POS_EMIT, SEG_EMIT):
        for emissions in table.values():
            chars.update(emissions)
    chars = sorted(c for c in chars if c.strip())
    dict_cols = [(g, p) for g in GROUP_NAMES for p in POSITIONS]
    pos_cols = [(p, t) for t in EMIT_TAGS for p in POSITIONS if (p, t) in POS_EMIT]
    seg_cols = [p for p in "BMES" if p in SEG_EMIT]
    matrix = numpy.zeros((len(chars), len(dict_cols) + len(pos_cols) + len(seg_cols)), dtype="float32")
    for row, char in enumerate(chars):
        entry = counts.get(char, {})
        values = [math.log1p(entry.get(col, 0.0)) for col in dict_cols]
        values += [max(FLOOR, POS_EMIT[col].get(char, FLOOR)) for col in pos_cols]
        values += [max(FLOOR, SEG_EMIT[col].get(char, FLOOR)) for col in seg_cols]
        matrix[row] = values
    mean, std = matrix.mean(axis=0), matrix.std(axis=0)
    matrix = (matrix - mean) / numpy.where(std > 0, std, 1.0)
    return chars, matrix.astype("float32")


def cooccurrence_vectors(chars: list[str], dims: int, words=None, seed: int = 0) -> numpy.ndarray:
    """Character vectors from which characters share words (jieba's dictionary
    unless `words` is given): positive PMI of frequency-weighted pairs, reduced by
    a randomised SVD. A character never seen in the training text still lands
    beside the characters it forms words with. Standardised columns, n_chars x dims."""
    row = {c: i for i, c in enumerate(chars)}
    counts = numpy.zeros((len(chars), len(chars)), dtype="float32")
    if words is None:
        words = ((word, freq) for word, freq, _ in dictionary_entries())
    for word, freq in words:
        ids = [row[c] for c in word if c in row]
        weight = math.log1p(freq)
        for a in ids:
            for b in ids:
                if a != b:
                    counts[a, b] += weight
    total = counts.sum()
    marginal = counts.sum(axis=1) + 1e-9
    with numpy.errstate(divide="ignore"):
        pmi = numpy.log(counts * total / marginal[:, None] / marginal[None, :])
    ppmi = numpy.maximum(pmi, 0.0).astype("float32")
    del counts, pmi
    rng = numpy.random.default_rng(seed)
    probes = min(len(chars), dims + 16)
    basis, _ = numpy.linalg.qr(ppmi @ rng.standard_normal((len(chars), probes), dtype="float32"))
    basis, _ = numpy.linalg.qr(ppmi @ (ppmi.T @ basis))  # one power iteration
    u, sigma, _ = numpy.linalg.svd(basis.T @ ppmi, full_matrices=False)
    vectors = (basis @ u[:, :dims]) * numpy.sqrt(sigma[:dims])
    std = vectors.std(axis=0)
    return ((vectors - vectors.mean(axis=0)) / numpy.where(std > 0, std, 1.0)).astype("float32")


def build_lexicon_pipeline(path: Path, extra_chars=(), aliases: dict[str, str] | None = None,
                           cooccurrence_dims: int = 0) -> None:
    """A blank zh pipeline whose vocab holds the lexicon vectors, for
    [initialize] vectors = path in config.cfg. `aliases` maps a character to
    another whose vector it takes (ASCII "," -> full-width "，")."""
    import spacy
    from spacy.vectors import Vectors

    chars, matrix = lexicon_table(extra_chars)
    if cooccurrence_dims:
        matrix = numpy.hstack([matrix, cooccurrence_vectors(chars, cooccurrence_dims)])
    row = {c: i for i, c in enumerate(chars)}
    for alias, source in sorted((aliases or {}).items()):
        if source in row:
            if alias in row:
                matrix[row[alias]] = matrix[row[source]]
            else:
                row[alias] = len(chars)
                chars.append(alias)
                matrix = numpy.vstack([matrix, matrix[row[source]][None, :]])
    nlp = spacy.blank("zh")
    for char in chars:
        nlp.vocab.strings.add(char)
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=matrix, keys=chars, name="zh_piiscan_lexicon")
    nlp.to_disk(path)


if __name__ == "__main__":
    chars, matrix = lexicon_table()
    print(len(chars), matrix.shape)

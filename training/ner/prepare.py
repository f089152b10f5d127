"""Data preparation for the zh_piiscan NER pipeline (deterministic, no network).

Reads CLUENER2020's training split (real news text; research/benchmark use, no
licence file: see /work/shared/data/ner/PROVENANCE.md and the model card), maps
name -> PERSON, address -> CN_ADDRESS, company/organization/government ->
ORGANIZATION and drops the other types; adds seeded synthetic domain text
(synthetic.py) and writes:

  data/heldout_cluener.jsonl    10% of CLUENER (seed 20201), never trained on   [committed]
  data/heldout_synthetic.jsonl  synthetic, its own seed, never trained on      [committed; read, not
                                rewritten, unless --regenerate-heldout]
  data/train.spacy, data/dev.spacy   training and model-selection sets          [generated]
  data/lexicon/                 a blank zh pipeline holding the character lexicon
                                vectors (lexicon.py) used as static features    [generated]

Held-out and JSONL files use the evaluation format
{"text": ..., "entities": [{"type": "PERSON", "start": 0, "end": 2}]} (end exclusive).
Training docs carry both the entity spans and per-character BIO tags
(B-PERSON, I-PERSON, ..., O): the pipeline's tagger learns the tags.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peoples_daily import MISSING, read_peoples_daily, unlabelled_sentences  # noqa: E402
from synthetic import ADDRESS, ORG, PERSON, Synth  # noqa: E402

HELDOUT = HERE / "data"  # the committed held-out sets live here whatever --out says
DEFAULT_CLUENER = Path("/work/shared/data/ner/cluener_train.json")
LABELS = {"name": PERSON, "address": ADDRESS, "company": ORG, "organization": ORG, "government": ORG}
TYPES = (PERSON, ADDRESS, ORG)
SPLIT_SEED = 20201
HELDOUT_FRACTION = 0.10
CLUENER_DEV = 500
SYNTH_SEEDS = {"train": 1001, "dev": 1002, "heldout": 7301}
SYNTH_SIZES = {"train": 9000, "dev": 300, "heldout": 1000}
AUGMENT_SEED = 4242
AUGMENT_COPIES = 1
HALFWIDTH_SEED = 99
HALFWIDTH_FRACTION = 0.35

# piiscan's scanner maps full-width forms, odd spaces and dashes to ASCII, one
# character for one character (src/piiscan/normalize.py), before the model reads
# the text; a share of the training text gets the same mapping so that the model
# knows both forms. The lexicon vectors give each ASCII form its full-width
# counterpart's vector.
HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
HALFWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20, 0x2212: ord("-")})
HALFWIDTH.update({code: ord("-") for code in range(0x2010, 0x2016)})

Example = tuple[str, list[tuple[int, int, str]]]


def find_cluener() -> Path:
    """The shared CLUENER file: /work/shared/..., or shared/ beside the checkout."""
    for candidate in (DEFAULT_CLUENER, HERE.parents[2] / "shared" / "data" / "ner" / "cluener_train.json"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("cluener_train.json not found; pass --cluener PATH")


def read_cluener(path: Path) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            spans = set()
            for kind, surfaces in record.get("label", {}).items():
                if kind not in LABELS:
                    continue
                for surface, positions in surfaces.items():
                    for start, end in positions:
                        assert record["text"][start:end + 1] == surface, (record, surface)
                        spans.add((start, end + 1, LABELS[kind]))
            examples.append((record["text"], remove_overlaps(sorted(spans))))
    return examples


def remove_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest first, then leftmost: spaCy entities cannot overlap."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept)


def split_cluener(examples: list[Example]) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, dev, heldout) with a fixed seed."""
    order = list(range(len(examples)))
    random.Random(SPLIT_SEED).shuffle(order)
    n_held = round(len(examples) * HELDOUT_FRACTION)
    held = [examples[i] for i in sorted(order[:n_held])]
    dev = [examples[i] for i in sorted(order[n_held:n_held + CLUENER_DEV])]
    train = [examples[i] for i in sorted(order[n_held + CLUENER_DEV:])]
    return train, dev, held


def jieba_names(min_freq: int = 3) -> list[str]:
    """Transliterated names from jieba's dictionary (tag nrt), as a pool of foreign
    names for mention replacement."""
    import jieba

    names = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "nrt" and int(parts[1]) >= min_freq and 2 <= len(parts[0]) <= 6:
                names.append(parts[0])
    return sorted(names)


def augment(examples: list[Example], seed: int = AUGMENT_SEED, copies: int = 1) -> list[Example]:
    """Mention replacement: one copy of each CLUENER training sentence that has an
    entity, with its names swapped for other names (from other CLUENER sentences,
    jieba's transliterated names or the synthetic generator) and some of its
    addresses and organisations swapped likewise, so that the model learns
    contexts rather than a list of celebrities."""
    synth = Synth(seed)
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {PERSON: [], ADDRESS: [], ORG: []}
    for text, spans in examples:
        for start, end, label in spans:
            pools[label].append(text[start:end])
    foreign = jieba_names()
    out = []
    for text, spans in examples * copies:
        if not spans:
            continue
        new_text, new_spans, cursor = "", [], 0
        for start, end, label in spans:
            value = text[start:end]
            roll = rng.random()
            if label == PERSON:
                value = rng.choice(pools[PERSON]) if roll < 0.4 else rng.choice(foreign) if roll < 0.55 \
                    else synth.name()
            elif label == ADDRESS and roll < 0.4:
                value = rng.choice(pools[ADDRESS]) if roll < 0.2 else synth.address()
            elif label == ORG and roll < 0.4:
                value = rng.choice(pools[ORG]) if roll < 0.2 else synth.organization()
            new_text += text[cursor:start]
            new_spans.append((len(new_text), len(new_text) + len(value), label))
            new_text += value
            cursor = end
        out.append((new_text + text[cursor:], new_spans))
    return out


def halfwidth_share(examples: list[Example], fraction: float = HALFWIDTH_FRACTION,
                    seed: int = HALFWIDTH_SEED) -> list[Example]:
    rng = random.Random(seed)
    return [(text.translate(HALFWIDTH), spans) if rng.random() < fraction else (text, spans)
            for text, spans in examples]


def write_jsonl(path: Path, examples: list[Example]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for text, spans in examples:
            entities = [{"type": label, "start": s, "end": e} for s, e, label in sorted(spans)]
            fh.write(json.dumps({"text": text, "entities": entities}, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[Example]:
    with path.open(encoding="utf-8") as fh:
        return [(r["text"], [(e["start"], e["end"], e["type"]) for e in r["entities"]])
                for r in map(json.loads, fh) if r]


def bio_tags(n_tokens: int, token_starts: list[int], spans: list[tuple[int, int, str]]) -> list[str]:
    """B-X, I-X and O per token; an empty tag (missing: no loss) under a MISSING span."""
    tags = ["O"] * n_tokens
    index = {start: i for i, start in enumerate(token_starts)}
    for start, end, label in spans:
        begin, inside = ("B-" + label, "I-" + label) if label != MISSING else (MISSING, MISSING)
        first = index[start]
        tags[first] = begin
        i = first + 1
        while i < n_tokens and token_starts[i] < end:
            tags[i] = inside
            i += 1
    return tags


def to_docbin(nlp, examples: list[Example]):
    from spacy.tokens import DocBin

    docs = DocBin(attrs=["ORTH", "TAG", "ENT_IOB", "ENT_TYPE"])
    for text, spans in examples:
        doc = nlp.make_doc(text)
        ents = []
        missing = [span for span in spans if span[2] == MISSING]
        for start, end, label in (span for span in spans if span[2] != MISSING):
            span = doc.char_span(start, end, label=label)
            if span is None:  # cannot happen with one token per character, but be safe
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
            ents.append(span)
        doc.ents = ents
        aligned = [(e.start_char, e.end_char, e.label_) for e in doc.ents] + missing
        for token, tag in zip(doc, bio_tags(len(doc), [t.idx for t in doc], aligned)):
            token.tag_ = tag
        docs.add(doc)
    return docs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluener", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    parser.add_argument("--no-augment", action="store_true")
    parser.add_argument("--augment-copies", type=int, default=AUGMENT_COPIES,
                        help="mention-replaced copies of each CLUENER training sentence")
    parser.add_argument("--peoples-daily", type=float, default=0.0, metavar="FRACTION",
                        help="add this fraction of the People's Daily 1998 sentences that have a name "
                             "(peoples_daily.py; PERSON only); 0: none")
    parser.add_argument("--transfer", type=float, default=0.0, metavar="FRACTION",
                        help="add this fraction of People's Daily 1998 as unlabelled text (every tag missing), "
                             "also written alone to transfer.spacy for distill.py's teachers to label; 0: none")
    parser.add_argument("--cooccurrence-dims", type=int, default=0,
                        help="append this many dimensions of dictionary co-occurrence vectors to the lexicon vectors")
    parser.add_argument("--regenerate-heldout", action="store_true",
                        help="write heldout_synthetic.jsonl anew instead of reading the committed one")
    args = parser.parse_args(argv)

    import spacy

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    real = read_cluener(args.cluener or find_cluener())
    real_train, real_dev, real_held = split_cluener(real)
    synth = {split: list(Synth(seed).examples(SYNTH_SIZES[split])) for split, seed in SYNTH_SEEDS.items()
             if split != "heldout"}
    write_jsonl(HELDOUT / "heldout_cluener.jsonl", real_held)
    # The synthetic held-out set is generated once and committed: Faker's output
    # changes between Faker versions, and a fixed set keeps models comparable.
    heldout_synthetic = HELDOUT / "heldout_synthetic.jsonl"
    if args.regenerate_heldout or not heldout_synthetic.exists():
        write_jsonl(heldout_synthetic, list(Synth(SYNTH_SEEDS["heldout"]).examples(SYNTH_SIZES["heldout"])))
    held_texts = {text for text, _ in read_jsonl(heldout_synthetic)} | {text for text, _ in real_held}
    # A bare bank name can come out of the generator for both sets: never train on a held-out text.
    synth = {split: [e for e in examples if e[0] not in held_texts] for split, examples in synth.items()}
    augmented = [] if args.no_augment else augment(real_train, copies=args.augment_copies)

    daily = read_peoples_daily(args.peoples_daily) if args.peoples_daily else []
    train = halfwidth_share(real_train + augmented + synth["train"] + daily)
    transfer = halfwidth_share(unlabelled_sentences(args.transfer), seed=HALFWIDTH_SEED + 1) if args.transfer else []
    train += transfer
    random.Random(SPLIT_SEED + 1).shuffle(train)
    dev = real_dev + synth["dev"]
    nlp = spacy.blank("zh")
    to_docbin(nlp, train).to_disk(out / "train.spacy")
    to_docbin(nlp, dev).to_disk(out / "dev.spacy")
    if transfer:
        to_docbin(nlp, transfer).to_disk(out / "transfer.spacy")
    write_jsonl(out / "dev_cluener.jsonl", real_dev)
    write_jsonl(out / "dev_synthetic.jsonl", synth["dev"])

    from lexicon import build_lexicon_pipeline

    chars = {c for text, _ in train for c in text}
    build_lexicon_pipeline(out / "lexicon", extra_chars=chars, aliases={chr(v): chr(k) for k, v in HALFWIDTH.items()
                                                                       if 0xFF01 <= k <= 0xFF5E},
                           cooccurrence_dims=args.cooccurrence_dims)
    print(f"CLUENER: {len(real_train)} train, {len(real_dev)} dev, {len(real_held)} held out; "
          f"synthetic: {len(synth['train'])} train, {len(synth['dev'])} dev; "
          f"augmented: {len(augmented)}; People's Daily: {len(daily)} with names, {len(transfer)} unlabelled; "
          f"total train {len(train)}, dev {len(dev)}")


if __name__ == "__main__":
    main()

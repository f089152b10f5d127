"""Training only: distil several trained taggers (the teachers) into one. An
option of the recipe that was tried and not adopted (MODEL_CARD.md, "What was tried").

A student as small and fast as the shipped model learns, besides the gold tags,
the teachers' averaged tag probabilities on each training text: an ensemble is
often more accurate than its members, but running several models would cost the
NER stage's speed budget several times over.

    python training/ner/evaluate.py TEACHER_DIR FILE.jsonl --ensemble TEACHER_DIR ...

scores the teachers as an ensemble (AveragedTaggers), what a student can at best learn;

    python training/ner/distill.py TEACHER_DIR [TEACHER_DIR ...] --out targets.npz

writes the averaged probabilities for every text of the prepared training data;

    [training.before_update]
    @callbacks = "piiscan_training.distill.v1"
    targets = "targets.npz"
    weight = 0.5

in the student's config (train.py passes this file with `--code`) makes the
tagger's loss gradient probs - ((1 - weight) * gold + weight * teacher) at each
character: spaCy's own cross-entropy gradient (probs - gold, zero where a tag is
missing) mixed with the same gradient towards the teachers' distribution. A text
the teachers did not see (the targets were made from other data) gets the gold
gradient only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy
from spacy.util import registry

from piiscan.detect.ner.tagging import TaggerEntities, log_softmax, numpy_ops

HERE = Path(__file__).resolve().parent


@registry.callbacks("piiscan_training.distill.v1")
def make_distill(targets: str, weight: float = 0.5):
    teacher = load_targets(Path(targets))

    def before_update(nlp, info):
        tagger = nlp.get_pipe("tagger")
        if getattr(tagger, "_distilled", False):
            return
        own_loss = tagger.get_loss
        order = [teacher["labels"].index(label) for label in tagger.labels]
        # once, in the tagger's label order, not at every step
        targets = {text: probs[:, order].astype("float32") for text, probs in teacher["probs"].items()}

        def get_loss(examples, scores):
            loss, d_scores = own_loss(examples, scores)
            mixed = []
            for eg, probs, d_gold in zip(examples, scores, d_scores):
                target = targets.get(eg.predicted.text)
                if target is None or len(target) != len(probs):
                    mixed.append(d_gold)
                    continue
                target = tagger.model.ops.asarray2f(target)
                if not d_gold.any():  # a transfer text, no gold tags: the teachers alone
                    mixed.append(probs - target)
                else:
                    mixed.append((1 - weight) * d_gold + weight * (probs - target))
            return loss, mixed

        tagger.get_loss = get_loss
        tagger._distilled = True

    return before_update


def load_targets(path: Path) -> dict:
    """{"labels": [...], "probs": {text: array (tokens, labels)}} from make_targets' file."""
    with numpy.load(path, allow_pickle=False) as data:
        texts, offsets, probs = list(data["texts"]), data["offsets"], data["probs"]
        labels = list(data["labels"])
    return {"labels": labels, "probs": {text: probs[offsets[i]:offsets[i + 1]] for i, text in enumerate(texts)}}


def make_targets(teachers: list[Path], corpus: Path, out: Path, batch: int = 256) -> None:
    """The teachers' averaged tag probabilities for every text of a DocBin corpus,
    each teacher read through spaCy's own path on its own tokens (the student's
    tokens: same character tokenizer)."""
    import spacy
    from spacy.tokens import DocBin

    with numpy_ops():
        nlps = [spacy.load(path) for path in teachers]
    labels = list(nlps[0].get_pipe("tagger").labels)
    texts = sorted({doc.text for doc in DocBin().from_disk(corpus).get_docs(nlps[0].vocab)})
    total = [0.0] * len(texts)
    for nlp in nlps:
        tagger = nlp.get_pipe("tagger")
        order = [list(tagger.labels).index(label) for label in labels]
        for first in range(0, len(texts), batch):
            docs = [nlp.make_doc(text) for text in texts[first:first + batch]]
            for i, probs in enumerate(tagger.model.predict(docs), start=first):
                probs = numpy.exp(log_softmax(numpy.asarray(probs, dtype="float64")[:, order]))  # from logits
                total[i] = total[i] + probs
        print(f"{len(texts)} texts read by {nlp.path}", flush=True)
    probs = [t / len(nlps) for t in total]
    offsets = numpy.cumsum([0] + [len(p) for p in probs])
    numpy.savez_compressed(out, texts=numpy.array(texts), offsets=offsets, labels=numpy.array(labels),
                           probs=numpy.concatenate(probs).astype("float16"))


class AveragedTaggers(TaggerEntities):
    """The teachers as one ensemble, decoded like one model: piiscan's decoding of the
    average of their tag probabilities (in the first one's label order)."""

    def __init__(self, nlps):
        super().__init__(nlps[0])
        self.others = [(TaggerEntities(nlp), [list(nlp.get_pipe("tagger").labels).index(label)
                                              for label in self.labels]) for nlp in nlps[1:]]

    def scores(self, text):
        starts, ends, first = super().scores(text)
        probs = [numpy.exp(log_softmax(numpy.asarray(first, dtype="float64")))]
        probs += [numpy.exp(log_softmax(numpy.asarray(member.scores(text)[2], dtype="float64")))[:, order]
                  for member, order in self.others]
        return starts, ends, numpy.log(numpy.mean(probs, axis=0))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("teachers", type=Path, nargs="+", help="trained pipelines")
    parser.add_argument("--corpus", type=Path, default=HERE / "data" / "train.spacy")
    parser.add_argument("--out", type=Path, required=True, help="the targets file (.npz)")
    args = parser.parse_args(argv)
    make_targets(args.teachers, args.corpus, args.out)


if __name__ == "__main__":
    main()

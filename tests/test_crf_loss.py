"""training/ner/crf_loss.py: the valid-path CRF loss, an option of the NER recipe."""

import itertools
import sys
from pathlib import Path

import numpy
import spacy
from spacy.training import Example

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "ner"))

from crf_loss import make_valid_path_crf, marginals, transitions, valid_path_crf_loss  # noqa: E402

LABELS = ["B-PERSON", "I-PERSON", "B-CN_ADDRESS", "I-CN_ADDRESS", "O"]


def test_marginals_are_those_of_every_valid_path_enumerated():
    transition, start = transitions(LABELS)
    emissions = numpy.random.default_rng(0).normal(size=(3, 4, len(LABELS)))
    lengths = [4, 2, 3]
    mask = numpy.arange(4)[None, :] < numpy.array(lengths)[:, None]
    log_z, posterior = marginals(emissions, mask, transition, start)
    for doc, n in enumerate(lengths):
        expected, total = numpy.zeros((n, len(LABELS))), 0.0
        for path in itertools.product(range(len(LABELS)), repeat=n):
            if not all(transition[a, b] == 0 for a, b in zip(path, path[1:])) or start[path[0]]:
                continue
            weight = numpy.exp(sum(emissions[doc, t, tag] for t, tag in enumerate(path)))
            total += weight
            expected[numpy.arange(n), path] += weight
        assert abs(log_z[doc] - numpy.log(total)) < 1e-9
        numpy.testing.assert_allclose(posterior[doc, :n], expected / total, atol=1e-9)
        assert not posterior[doc, n:].any()  # padding gets nothing


def tagged(nlp, text, tags):
    return Example.from_dict(nlp.make_doc(text), {"tags": tags})


def tiny_pipeline():
    nlp = spacy.blank("zh")  # character tokens
    tagger = nlp.add_pipe("tagger")
    for label in LABELS:
        tagger.add_label(label)
    examples = [tagged(nlp, "张伟在北京", ["B-PERSON", "I-PERSON", "O", "B-CN_ADDRESS", "I-CN_ADDRESS"]),
                tagged(nlp, "王芳", ["B-PERSON", "I-PERSON"])]
    nlp.initialize(lambda: examples)
    return nlp, tagger, examples


def softmax(logits):
    exp = numpy.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def test_the_gradient_is_that_of_the_loss_with_respect_to_the_logits():
    """What thinc's Softmax expects from a loss: d(loss)/d(logits), checked by finite differences,
    with a character whose gold tag is missing."""
    nlp, tagger, _ = tiny_pipeline()
    examples = [tagged(nlp, "张伟在北京", ["B-PERSON", "I-PERSON", "", "B-CN_ADDRESS", "I-CN_ADDRESS"]),
                tagged(nlp, "王芳", ["B-PERSON", "I-PERSON"])]
    logits = [numpy.random.default_rng(seed).normal(size=(len(eg.predicted), len(LABELS)))
              for seed, eg in enumerate(examples)]

    def loss(values):
        return valid_path_crf_loss(tagger, examples, [softmax(v) for v in values])

    _, gradient = loss(logits)
    for doc, values in enumerate(logits):
        for position, tag in itertools.product(range(len(values)), range(len(LABELS))):
            up, down = [v.copy() for v in logits], [v.copy() for v in logits]
            up[doc][position, tag] += 1e-5
            down[doc][position, tag] -= 1e-5
            numeric = (loss(up)[0] - loss(down)[0]) / 2e-5
            assert abs(numeric - float(gradient[doc][position, tag])) < 1e-3


def test_the_callback_trains_the_tagger_with_the_crf_loss_added():
    nlp, tagger, examples = tiny_pipeline()
    make_valid_path_crf(cross_entropy=True)(nlp, {"step": 0, "epoch": 0})
    probabilities = [softmax(numpy.zeros((len(eg.predicted), len(LABELS)))) for eg in examples]
    crf, _ = valid_path_crf_loss(tagger, examples, probabilities)
    # uniform scores: thinc's cross-entropy loss reads sum((p - truth)^2), 0.8^2 + 4 * 0.2^2 per character
    assert abs(tagger.get_loss(examples, probabilities)[0] - (crf + 7 * 0.8)) < 1e-4
    optimizer = nlp.resume_training()
    losses = [nlp.update(examples, sgd=optimizer, losses={})["tagger"] for _ in range(30)]
    assert losses[-1] < losses[0] / 2
    assert [token.tag_ for token in nlp("张伟在北京")] == ["B-PERSON", "I-PERSON", "O", "B-CN_ADDRESS", "I-CN_ADDRESS"]

"""training/ner/distill.py: distilling teacher taggers into one, an option of the NER recipe."""

import sys
from pathlib import Path

import numpy
import spacy
from spacy.util import fix_random_seed
from spacy.tokens import DocBin
from spacy.training import Example

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "ner"))

from distill import AveragedTaggers, load_targets, make_distill, make_targets  # noqa: E402
from piiscan.detect.ner.tagging import log_softmax  # noqa: E402

LABELS = ["B-PERSON", "I-PERSON", "O"]


def softmax(logits):
    return numpy.exp(log_softmax(numpy.asarray(logits, dtype="float64")))


def tiny_pipeline(labels=LABELS, steps=0):
    fix_random_seed(0)
    nlp = spacy.blank("zh")  # character tokens
    tagger = nlp.add_pipe("tagger")
    for label in labels:
        tagger.add_label(label)
    examples = [Example.from_dict(nlp.make_doc("张伟来了"), {"tags": ["B-PERSON", "I-PERSON", "O", "O"]})]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):  # a trained tagger: its probabilities are not uniform
        nlp.update(examples, sgd=optimizer)
    return nlp, tagger, examples


def test_targets_are_the_teachers_averaged_probabilities_in_the_first_teachers_label_order(tmp_path):
    first, _, _ = tiny_pipeline(steps=5)
    second, _, _ = tiny_pipeline(labels=["O", "I-PERSON", "B-PERSON"], steps=15)  # same tags, another order
    for name, nlp in (("first", first), ("second", second)):
        nlp.to_disk(tmp_path / name)
    texts = ["张伟来了", "王芳"]
    DocBin(docs=[first.make_doc(t) for t in texts]).to_disk(tmp_path / "train.spacy")
    make_targets([tmp_path / "first", tmp_path / "second"], tmp_path / "train.spacy", tmp_path / "t.npz")
    targets = load_targets(tmp_path / "t.npz")
    assert targets["labels"] == LABELS and set(targets["probs"]) == set(texts)
    for text in texts:
        one = softmax(first.get_pipe("tagger").model.predict([first.make_doc(text)])[0])
        other = softmax(second.get_pipe("tagger").model.predict([second.make_doc(text)])[0])[:, [2, 1, 0]]
        assert numpy.abs(one - other).max() > 0.05
        numpy.testing.assert_allclose(targets["probs"][text], (one + other) / 2, atol=1e-3)  # stored as float16


def write_targets(path, text, probs, labels=LABELS):
    numpy.savez_compressed(path, texts=numpy.array([text]), offsets=numpy.array([0, len(probs)]),
                           labels=numpy.array(labels), probs=numpy.asarray(probs, dtype="float16"))


def test_the_gradient_mixes_the_gold_and_the_teachers_and_leaves_unknown_texts_to_the_gold(tmp_path):
    nlp, tagger, examples = tiny_pipeline()
    teacher = numpy.array([[0.5, 0.25, 0.25], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.25, 0.0, 0.75]])
    # the file's labels in another order than the tagger's: the callback maps them by name
    write_targets(tmp_path / "t.npz", "张伟来了", teacher[:, [2, 0, 1]], labels=["O", "B-PERSON", "I-PERSON"])
    own = tagger.get_loss
    make_distill(str(tmp_path / "t.npz"), weight=0.25)(nlp, {"step": 0})
    probs = numpy.full((4, 3), 1 / 3, dtype="float32")
    gold = numpy.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]])
    loss, (gradient,) = tagger.get_loss(examples, [probs])
    assert abs(loss - own(examples, [probs])[0]) < 1e-6  # the reported loss stays spaCy's
    numpy.testing.assert_allclose(gradient, probs - (0.75 * gold + 0.25 * teacher), atol=1e-6)
    unknown = [Example.from_dict(nlp.make_doc("王芳来了"), {"tags": ["B-PERSON", "I-PERSON", "O", "O"]})]
    numpy.testing.assert_allclose(tagger.get_loss(unknown, [probs])[1][0], probs - gold, atol=1e-6)


def test_a_text_without_gold_tags_learns_from_the_teachers_alone(tmp_path):
    """A transfer text (prepare.py --transfer: every tag missing) has no gold gradient;
    whatever the weight, its gradient is the whole way to the teachers'."""
    nlp, tagger, _ = tiny_pipeline()
    teacher = numpy.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    write_targets(tmp_path / "t.npz", "李雷来了", teacher)
    make_distill(str(tmp_path / "t.npz"), weight=0.25)(nlp, {"step": 0})
    transfer = [Example.from_dict(nlp.make_doc("李雷来了"), {"tags": [""] * 4})]
    probs = numpy.full((4, 3), 1 / 3, dtype="float32")
    numpy.testing.assert_allclose(tagger.get_loss(transfer, [probs])[1][0], probs - teacher, atol=1e-3)


def test_a_student_trained_on_the_teachers_alone_learns_their_tags(tmp_path):
    """weight 1: the gold tags are ignored; the student follows the teachers."""
    nlp, tagger, examples = tiny_pipeline()
    teacher = numpy.array([[0.02, 0.02, 0.96], [0.96, 0.02, 0.02], [0.02, 0.96, 0.02], [0.02, 0.02, 0.96]])
    write_targets(tmp_path / "t.npz", "张伟来了", teacher)
    make_distill(str(tmp_path / "t.npz"), weight=1.0)(nlp, {"step": 0})
    optimizer = nlp.resume_training()
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, losses={})
    assert [token.tag_ for token in nlp("张伟来了")] == ["O", "B-PERSON", "I-PERSON", "O"]


def test_the_teachers_ensemble_is_decoded_from_their_averaged_probabilities():
    first, _, _ = tiny_pipeline(steps=5)
    second, _, _ = tiny_pipeline(labels=["O", "I-PERSON", "B-PERSON"], steps=15)
    ensemble = AveragedTaggers([first, second])
    text = "张伟来了"
    one = softmax(first.get_pipe("tagger").model.predict([first.make_doc(text)])[0])
    other = softmax(second.get_pipe("tagger").model.predict([second.make_doc(text)])[0])[:, [2, 1, 0]]
    starts, ends, scores = ensemble.scores(text)
    assert starts.tolist() == [0, 1, 2, 3] and ends.tolist() == [1, 2, 3, 4]
    numpy.testing.assert_allclose(numpy.exp(scores), (one + other) / 2, atol=1e-5)
    assert [tuple(e)[:3] for e in ensemble(text)] == [("PERSON", 0, 2)]  # both learnt 张伟 as B-PERSON I-PERSON

"""piiscan's numpy forward pass of the NER tagger (piiscan.detect.ner.forward) gives what
spaCy's own forward pass gives, from the same weights: the same tokens, the same
scores within float32 rounding, the same entities. Texts: the synthetic held-out
set (fake data) and whitespace edge cases."""

import json
from pathlib import Path

import numpy
import pytest
import spacy

from piiscan.detect.engine import pipeline_path
from piiscan.detect.ner.tagging import TaggerEntities, numpy_ops
from piiscan.detect.ner.forward import TaggerForward, char_tokens

SYNTHETIC = Path(__file__).resolve().parents[1] / "training" / "ner" / "data" / "heldout_synthetic.jsonl"
EDGES = ["", " ", "\n", "  \n ", "王芳", " 王芳", "王芳 ", "王 芳", "王  芳", "王\n芳", "王 \n 芳", "王\t\r\n芳  ",
         "张伟13800138000", "Howard 与 Valve 公司", "联系人：李娜\n\n地址：北京市朝阳区建国路88号 3栋\u30002单元",
         "a", "\u00a0王芳\u3000"]


@pytest.fixture(scope="module")
def nlp():
    with numpy_ops():
        return spacy.load(pipeline_path("zh"))


@pytest.fixture(scope="module")
def texts():
    with SYNTHETIC.open(encoding="utf-8") as fh:
        return EDGES + [json.loads(line)["text"] for line in fh][:400]


def test_tokens_are_those_of_spacys_char_tokenizer(nlp, texts):
    for text in texts:
        doc = nlp.make_doc(text)
        starts, ends = char_tokens(text)
        assert starts.tolist() == [t.idx for t in doc], repr(text)
        assert ends.tolist() == [t.idx + len(t.text) for t in doc], repr(text)


def test_scores_equal_spacys_within_float_rounding(nlp, texts):
    forward = TaggerForward.from_pipeline(nlp)
    assert forward is not None
    model = nlp.get_pipe("tagger").model
    long_text = "\n".join(texts[len(EDGES):])  # a document of many lines, as the Detector reads it
    for text in texts + [long_text]:
        _, _, scores = forward(text)
        doc = nlp.make_doc(text)
        if not len(doc):
            assert scores.shape == (0, len(nlp.get_pipe("tagger").labels))
            continue
        expected = numpy.asarray(model.predict([doc])[0])
        assert scores.shape == expected.shape
        numpy.testing.assert_allclose(scores, expected, atol=1e-4, rtol=1e-4)


def test_entities_equal_those_decoded_from_spacys_scores(nlp, texts):
    fast, slow = TaggerEntities(nlp), TaggerEntities(nlp)
    slow.forward = None  # spaCy's forward pass, the reference
    found = 0
    for text in texts:
        entities, reference = fast(text), slow(text)
        assert [e[:3] for e in entities] == [e[:3] for e in reference], repr(text)
        # the confidences come from the same scores, equal up to float rounding
        numpy.testing.assert_allclose([e.confidence for e in entities], [e.confidence for e in reference], atol=1e-4)
        found += len(entities)
    assert found > 500


def test_the_cache_of_character_embeddings_starts_over_when_full(nlp, monkeypatch, texts):
    import piiscan.detect.ner.forward as module

    forward = TaggerForward.from_pipeline(nlp)
    long_text = "\n".join(texts[-50:])
    expected = forward(long_text)[2]
    monkeypatch.setattr(module, "_MAX_CACHED", 40)
    for text in texts[-60:] + [long_text]:  # more new characters than the cache holds, short and long texts
        forward(text)
        assert len(forward._table) <= max(40, len(set(text)))
    numpy.testing.assert_allclose(forward(long_text)[2], expected, atol=1e-5)


def test_an_unknown_architecture_keeps_spacys_path():
    nlp = spacy.blank("zh")
    nlp.add_pipe("tagger").add_label("O")
    nlp.initialize()
    assert TaggerForward.from_pipeline(nlp) is None


def small_pipeline(tmp_path, overrides: dict, encode: dict | None = None):
    """An untrained pipeline of training/ner/config.cfg's architecture, width 16,
    with the given overrides (or encoder), random weights down to the softmax."""
    from spacy.training import Example
    from spacy.util import load_config

    import piiscan.detect.ner.features  # noqa: F401

    words = tmp_path / "dict.txt"
    words.write_text("北京 100 ns\n张伟 10 nr\n有限公司 50 n\n", encoding="utf-8")
    config = load_config(Path(__file__).resolve().parents[1] / "training" / "ner" / "config.cfg", overrides={
        "paths.words": str(words), "paths.vectors": str(pipeline_path("zh")),
        "components.tagger.model.tok2vec.encode.width": 16, **overrides})
    if encode is not None:
        config["components"]["tagger"]["model"]["tok2vec"]["encode"] = encode
    with numpy_ops():
        nlp = spacy.util.load_model_from_config(config, auto_fill=True)
        doc = nlp.make_doc("张伟在北京")
        tags = ["B-PERSON", "I-PERSON", "O", "B-CN_ADDRESS", "I-CN_ADDRESS"]
        nlp.initialize(lambda: [Example.from_dict(doc, {"tags": tags})])
    softmax = nlp.get_pipe("tagger").model.get_ref("softmax")  # initialised to zeros: every score would be equal
    softmax.set_param("W", numpy.random.default_rng(0).normal(size=softmax.get_param("W").shape).astype("float32"))
    return nlp


def assert_scores_equal_spacys(nlp, texts):
    model = nlp.get_pipe("tagger").model
    forward = TaggerForward.from_pipeline(nlp)
    assert forward is not None
    for text in texts[len(EDGES):len(EDGES) + 50] + ["张伟在北京", "王 芳\n\n北京 ", "张", "张伟"]:
        expected = numpy.asarray(model.predict([nlp.make_doc(text)])[0])
        numpy.testing.assert_allclose(forward(text)[2], expected, atol=1e-4, rtol=1e-4)
    return forward


@pytest.mark.parametrize("encode", [
    {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 16, "depth": 3, "window_size": 1, "maxout_pieces": 2},
], ids=["adjacent"])
def test_either_encoder_gives_spacys_scores(tmp_path, texts, encode):
    """spaCy's adjacent-window encoder."""
    forward = assert_scores_equal_spacys(small_pipeline(tmp_path, {}, encode), texts)
    assert [layer[-1] for layer in forward._layers] == encode.get("dilations", [1] * encode.get("depth", 0))

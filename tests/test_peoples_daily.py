"""training/ner/peoples_daily.py: PKU-tagged sentences as PERSON training text, with
proper nouns left out of the loss. The sentences here are made up in the corpus's
format; the corpus itself is not needed."""

import sys
from pathlib import Path

import numpy
import spacy
from spacy.tokens import DocBin
from spacy.training import Example

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "ner"))

from peoples_daily import (MISSING, PERSON, person_groups, read_peoples_daily, sentences, to_example,  # noqa: E402
                           unlabelled_sentences)
from prepare import to_docbin  # noqa: E402

LINE = ("新华社/nt  记者/n  王/nr  小明/nr  报道/v  ：/w  欧阳/nr  红/nr  、/w  克林顿/nr  和/c  "
        "张/nr  伟/nr  李/nr  芳/nr  在/p  北京/ns  会见/v  了/u  客人/n  。/w  他们/r  很/d  高兴/a  。/w")


def spans_of(text, spans):
    return [(text[start:end], label) for start, end, label in spans]


def test_a_name_split_into_surname_and_given_name_is_one_person():
    assert person_groups(["王", "小明"]) == [[0, 1]]
    assert person_groups(["欧阳", "红"]) == [[0, 1]]


def test_names_listed_without_separators_are_told_apart():
    assert person_groups(["张", "伟", "李", "芳"]) == [[0, 1], [2, 3]]
    assert person_groups(["克林顿"]) == [[0]]
    assert person_groups(["克林顿", "张", "伟"]) == [[0], [1, 2]]


def test_proper_nouns_and_their_nouns_are_missing_not_outside():
    first, second = sentences(LINE)
    text, spans = to_example(first)
    assert text == "新华社记者王小明报道：欧阳红、克林顿和张伟李芳在北京会见了客人。"
    assert spans_of(text, spans) == [("新华社记者", MISSING), ("王小明", PERSON), ("欧阳红", PERSON),
                                     ("克林顿", PERSON), ("张伟", PERSON), ("李芳", PERSON), ("北京", MISSING)]
    assert to_example(second) == ("他们很高兴。", [])


def test_sentences_without_names_are_kept_only_as_a_sample(tmp_path):
    corpus = tmp_path / "199801.txt"
    corpus.write_text(LINE + "\n" + "\n".join(f"今天/t  下雨/v  {i}/m  。/w" for i in range(200)) + "\n",
                      encoding="utf-8")
    every = read_peoples_daily(path=corpus, without_names=1.0)
    assert len(every) == 202
    some = read_peoples_daily(path=corpus, without_names=0.1)
    assert some[0][0].startswith("新华社记者王小明") and 5 < len(some) < 60


def test_a_transfer_set_is_plain_text_with_every_character_missing(tmp_path):
    corpus = tmp_path / "199801.txt"
    corpus.write_text(LINE + "\n" + "好/a  。/w\n", encoding="utf-8")
    texts = unlabelled_sentences(1.0, corpus)
    assert texts == [("新华社记者王小明报道：欧阳红、克林顿和张伟李芳在北京会见了客人。", [(0, 32, MISSING)]),
                     ("他们很高兴。", [(0, 6, MISSING)])]  # 好。 is too short to keep
    nlp = spacy.blank("zh")
    doc = next(to_docbin(nlp, texts).get_docs(nlp.vocab))
    assert {token.tag_ for token in doc} == {""} and not doc.ents


def test_missing_characters_carry_no_tag_and_no_gradient():
    nlp = spacy.blank("zh")
    text, spans = to_example(sentences(LINE)[0])
    doc = next(to_docbin(nlp, [(text, spans)]).get_docs(nlp.vocab))
    tags = [token.tag_ for token in doc]
    assert tags[:8] == ["", "", "", "", "", "B-PERSON", "I-PERSON", "I-PERSON"]
    assert tags[text.index("北京"):text.index("北京") + 3] == ["", "", "O"]
    assert [e.text for e in doc.ents] == ["王小明", "欧阳红", "克林顿", "张伟", "李芳"]

    # spaCy's tagger leaves an empty tag out of its loss: zero gradient there.
    tagger = nlp.add_pipe("tagger")
    example = Example(nlp.make_doc(text), doc)
    nlp.initialize(lambda: [example])
    scores = tagger.model.predict([example.predicted])
    gradient = tagger.get_loss([example], scores)[1][0]
    missing = numpy.array([tag == "" for tag in tags])
    assert not gradient[missing].any()
    assert numpy.abs(gradient[~missing]).sum(axis=1).min() > 0


def test_a_docbin_round_trip_keeps_the_missing_tags(tmp_path):
    nlp = spacy.blank("zh")
    path = tmp_path / "train.spacy"
    to_docbin(nlp, [to_example(sentences(LINE)[0])]).to_disk(path)
    doc = next(DocBin().from_disk(path).get_docs(nlp.vocab))
    assert [token.tag_ for token in doc][:5] == [""] * 5

"""The shipped NER model: loaded from models/ without a download, wired into the
Detector for prose, and held to a floor on its held-out sets."""

import json
import time
from pathlib import Path

import pytest
import spacy

from piiscan.detect.engine import Detector, pipeline_path

MODEL = pipeline_path("zh")
HELD_OUT = Path(__file__).resolve().parents[1] / "training" / "ner" / "data"
METRICS = json.loads((MODEL / "metrics.json").read_text(encoding="utf-8"))


def test_the_shipped_pipeline_has_a_trained_ner_with_our_labels():
    started = time.perf_counter()
    nlp = spacy.load(MODEL)
    assert time.perf_counter() - started < 10  # generous: the card reports the measured load time
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "CN_ADDRESS", "ORGANIZATION"}
    size = sum(p.stat().st_size for p in Path(MODEL).rglob("*") if p.is_file())
    assert size <= 50 * 1024 * 1024


@pytest.mark.parametrize("text, entity, value", [
    ("客户李娜来电咨询个税汇算清缴事宜。", "PERSON", "李娜"),
    ("今日王建国到税务局办理变更登记，经办人为刘洋。", "PERSON", "王建国"),
    ("借款人陈静下落不明，最后居住地为广东省深圳市南山区科技园路18号3栋2单元501室。", "CN_ADDRESS",
     "广东省深圳市南山区科技园路18号3栋2单元501室"),
    ("本协议由上海加喜财税有限公司与张伟签订。", "ORGANIZATION", "上海加喜财税有限公司"),
])
def test_names_addresses_and_organisations_in_prose(detector, text, entity, value):
    assert (entity, value) in [(d.entity_type, d.value) for d in detector.detect(text)]


def test_company_names_are_not_persons(detector):
    found = detector.detect("本协议由上海加喜财税有限公司与中国工商银行北京分行共同签订。")
    assert "PERSON" not in {d.entity_type for d in found}


def test_no_ner_on_short_cells_and_with_no_ner(analyzer, detector):
    assert [d.entity_type for d in detector.detect("王芳")] == []  # no header, no cue: rules and model stay quiet
    assert "PERSON" not in {d.entity_type for d in Detector(analyzer, ner=False).detect("客户李娜来电咨询个税汇算清缴事宜。")}


def test_the_model_card_shows_the_figures_of_metrics_json():
    card = (MODEL / "MODEL_CARD.md").read_text(encoding="utf-8")
    for figures in (METRICS, METRICS["detector"]):
        for kind in ("PERSON", "CN_ADDRESS"):
            assert f"**{figures['cluener'][kind]['overlap']['f1']:.3f}**" in card
    assert METRICS["synthetic"]["PERSON"]["overlap"]["recall"] >= 0.97
    assert METRICS["synthetic"]["CN_ADDRESS"]["overlap"]["recall"] >= 0.97


@pytest.mark.parametrize("held_out", ["cluener", "synthetic"])
def test_the_detector_figures_are_what_piiscan_eval_measures_today(detector, held_out):
    """metrics.json's Detector figures are reproduced by `piiscan eval` (a rule
    changed since the model was trained may move them a little, not more)."""
    from piiscan.detect.evaluate import evaluate, load_dataset

    examples = load_dataset(HELD_OUT / f"heldout_{held_out}.jsonl")
    figures = evaluate(detector, examples, ["PERSON", "CN_ADDRESS", "ORGANIZATION"])
    for kind in ("PERSON", "CN_ADDRESS", "ORGANIZATION"):
        assert abs(figures[kind]["overlap"]["f1"] - METRICS["detector"][held_out][kind]["overlap"]["f1"]) <= 0.01


def test_the_model_loads_with_plain_spacy_without_importing_piiscan():
    """Its lexicon layer is found through the spacy_architectures entry point."""
    import subprocess
    import sys

    code = f"import spacy; nlp = spacy.load({str(MODEL)!r}); " \
           "print([(e.text, e.label_) for e in nlp('借款人陈静住在广东省深圳市南山区科技园路18号。').ents])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "'PERSON'" in done.stdout and "'CN_ADDRESS'" in done.stdout


def test_role_words_are_never_persons(detector):
    found = detector.detect("第一条 甲方同意将其对债务人享有的债权转让给乙方，乙方应将转让价款支付至甲方账户。")
    assert "PERSON" not in {d.entity_type for d in found}


def test_masked_values_are_not_found_again(detector):
    """Verification re-reads redacted copies: a masked name is not a name."""
    masked = "客户姓名：邱**，身份证号110105********4847，手机158****4282。电子经济全部这些语言人民目前不过质量全部."
    assert detector.detect(masked) == []


# -- names next to identifiers, in table cells, and the decoding of the tags ---------

def resident_id(body17: str) -> str:
    from piiscan.detect.validators.resident_id import gb11643_check_char

    return body17 + gb11643_check_char(body17)


ID_1, ID_2 = resident_id("13010219970617621"), resident_id("11010819500212266")


@pytest.mark.parametrize("text, name, identifier", [
    (f"桂琳璇男{ID_1}", "桂琳璇", ("CN_RESIDENT_ID", ID_1)),
    ("孟和15627507760", "孟和", ("CN_MOBILE", "15627507760")),
    (f"{ID_2}匡梓焱186-2267-9943", "匡梓焱", ("CN_MOBILE", "186-2267-9943")),
    (f"刘健（{ID_2}）", "刘健", ("CN_RESIDENT_ID", ID_2)),
    ("联系人王泽18794670643", "王泽", ("CN_MOBILE", "18794670643")),
    ("18053363486独孤帅", "独孤帅", ("CN_MOBILE", "18053363486")),
])
def test_names_glued_to_identifiers_in_short_record_lines(detector, text, name, identifier):
    """Lines too short to be prose still reach the model when they hold a number."""
    found = [(d.entity_type, d.value) for d in detector.detect(text)]
    assert ("PERSON", name) in found and identifier in found


@pytest.mark.parametrize("text, name", [
    ("经办人为诸葛明远。", "诸葛明远"),
    ("委托代理人欧阳娜娜与司马光共同出席了会议。", "欧阳娜娜"),
    ("经办人为娜塔莎•费雷拉。", "娜塔莎•费雷拉"),   # bullet, as typed for the middle dot
    ("甲方（转让方）：伊丽莎白・加西亚", "伊丽莎白・加西亚"),  # katakana middle dot
    ("阿依古丽·买买提到我司咨询个税事宜。", "阿依古丽·买买提"),
])
def test_compound_surnames_and_transliterated_names_in_prose(detector, text, name):
    assert ("PERSON", name) in [(d.entity_type, d.value) for d in detector.detect(text)]


def test_companies_in_a_clause_are_organisations_not_persons(detector):
    text = "经王芳介绍，张伟将其持有的北京华夏科技有限公司股权转让给中国工商银行股份有限公司北京分行。"
    found = detector.detect(text)
    persons = {d.value for d in found if d.entity_type == "PERSON"}
    assert persons == {"王芳", "张伟"}
    assert {d.value for d in found if d.entity_type == "ORGANIZATION"} >= {"北京华夏科技有限公司"}


@pytest.mark.parametrize("header, expected", [
    ("姓名", [("PERSON", "王芳")]),        # a roster's name column
    ("客户姓名", [("PERSON", "王芳")]),
    ("产品名称", []),                       # the same string in a product list
    (None, []),                             # a cell alone: no evidence that 王芳 is a person
])
def test_a_bare_name_in_a_table_cell_depends_on_its_header(detector, header, expected):
    assert [(d.entity_type, d.value) for d in detector.detect("王芳", header=header)] == expected


def test_a_headerless_cell_with_a_name_and_a_number_is_a_record(detector):
    found = [(d.entity_type, d.value) for d in detector.detect("王芳13800138000")]
    assert found == [("PERSON", "王芳"), ("CN_MOBILE", "13800138000")]


def test_found_names_and_addresses_are_masked_as_the_spec_says(detector):
    from piiscan.classify.masking import mask

    found = detector.detect("乙方：欧阳娜娜，住所：北京市朝阳区建国路88号3栋2单元501室。联系人张三，电话13800138000。")
    masked = {d.entity_type + ":" + mask(d.entity_type, d.value) for d in found}
    assert {"PERSON:欧阳**", "PERSON:张*", "CN_ADDRESS:北京市朝阳区****"} <= masked


def test_the_decoder_mends_an_entity_the_best_tags_would_cut():
    """I-X after O is not a valid tag sequence: the decoder picks the best valid one."""
    import numpy

    from piiscan.detect.ner.tagging import best_valid_path

    labels = ["O", "B-PERSON", "I-PERSON"]
    allowed = numpy.array([[True, True, False], [True, True, True], [True, True, True]])
    may_start = numpy.array([True, True, False])
    probs = numpy.array([[0.1, 0.4, 0.5], [0.1, 0.2, 0.7], [0.2, 0.1, 0.7]])  # argmax: I I I
    path = best_valid_path(numpy.log(probs), allowed, may_start)
    assert [labels[i] for i in path] == ["B-PERSON", "I-PERSON", "I-PERSON"]


def test_the_detector_reads_the_tagger_with_numpy_ops_and_restores_the_callers_ops(detector):
    from thinc.api import NumpyOps, get_current_ops

    from piiscan.detect.ner.tagging import numpy_ops

    before = get_current_ops()
    with numpy_ops():
        assert isinstance(get_current_ops(), NumpyOps)
    assert get_current_ops() is before
    tagger = detector.analyzer.nlp_engine.nlp["zh"].get_pipe("tagger")
    assert isinstance(tagger.model.ops, NumpyOps) and not tagger.model.ops.use_blis


def test_a_span_that_stops_inside_a_latin_word_is_widened_to_the_word():
    from piiscan.detect.ner.tagging import whole_words

    text = "Howard接受了采访，张伟13800138000"
    assert whole_words(text, 3, 6) == (0, 6)        # How|ard -> Howard
    assert whole_words(text, 0, 2) == (0, 6)
    assert whole_words(text, 12, 14) == (12, 14)    # 张伟 beside digits stays 张伟

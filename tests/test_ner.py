"""The shipped NER model: loaded from models/ without a download, wired into the
Detector for prose, and held to a floor on its held-out sets."""

import json
import time
from pathlib import Path

import pytest
import spacy

from piiscan.engine import Detector, pipeline_path

MODEL = pipeline_path("zh")
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


def test_the_model_card_figures_come_from_piiscan_eval():
    card = (MODEL / "MODEL_CARD.md").read_text(encoding="utf-8")
    person = METRICS["cluener"]["PERSON"]["overlap"]["f1"]
    assert f"{person:.3f}" in card
    assert METRICS["synthetic"]["PERSON"]["overlap"]["recall"] >= 0.97
    assert METRICS["synthetic"]["CN_ADDRESS"]["overlap"]["recall"] >= 0.97


def test_role_words_are_never_persons(detector):
    found = detector.detect("第一条 甲方同意将其对债务人享有的债权转让给乙方，乙方应将转让价款支付至甲方账户。")
    assert "PERSON" not in {d.entity_type for d in found}


def test_masked_values_are_not_found_again(detector):
    """Verification re-reads redacted copies: a masked name is not a name."""
    masked = "客户姓名：邱**，身份证号110105********4847，手机158****4282。电子经济全部这些语言人民目前不过质量全部."
    assert detector.detect(masked) == []

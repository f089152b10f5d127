"""The engine: built offline from our pipelines, usable as a plain Presidio
AnalyzerEngine, and the Detector's windows, context and overlap rules."""

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from piiscan.detect.engine import Detector, pipeline_path, priorities, resolve_overlaps, windows
from piiscan.core.model import Detection
from piiscan.detect.recognizer import load_recognizers

ID = "11010519491231002X"


def test_analyzer_is_presidio_and_supports_zh_and_en(analyzer):
    assert isinstance(analyzer, AnalyzerEngine)
    assert sorted(analyzer.supported_languages) == ["en", "zh"]
    results = analyzer.analyze(f"身份证号{ID}", language="zh")
    assert [(r.entity_type, r.start, r.end) for r in results] == [("CN_RESIDENT_ID", 4, 22)]
    assert analyzer.analyze(f"ID card {ID}", language="en")[0].entity_type == "CN_RESIDENT_ID"


def test_recognizers_work_in_a_users_own_default_engine():
    """Registered the ordinary way, with Presidio's default lemma enhancer."""
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "zh", "model_name": str(pipeline_path("zh"))}]})
    registry = RecognizerRegistry(supported_languages=["zh"])
    for recognizer in load_recognizers(("zh",)):
        registry.add_recognizer(recognizer)
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), registry=registry, supported_languages=["zh"])
    found = {(r.entity_type, round(r.score, 2)) for r in engine.analyze(f"手机13800138000，身份证{ID}", "zh")}
    assert found == {("CN_MOBILE", 1.0), ("CN_RESIDENT_ID", 1.0)}
    # a context-only candidate is dropped without its context word
    assert engine.analyze("编号：110105491231002", "zh") == []


def test_context_before_after_and_from_header(detector):
    bare = detector.detect("13800138000")[0].score
    assert detector.detect("手机：13800138000")[0].score > bare
    assert detector.detect("13800138000（手机）")[0].score > bare
    assert detector.detect("13800138000", header="客户手机号")[0].score > bare
    assert detector.detect("13800138000", header="客户手机号")[0].context_word == "手机号"  # the longest word wins


def test_context_only_types_need_their_word(detector):
    assert detector.detect("台胞证号码：12345678")[0].entity_type == "CN_TAIWAN_PERMIT"
    assert detector.detect("订单号：12345678") == []
    assert detector.detect("12345678", header="台胞证") != []


def test_windows_cover_text_once_and_cut_at_line_breaks():
    text = ("一行文字。\n" * 3000)
    cores = [(a, b) for a, b, _, _ in windows(text, 4096, 64)]
    assert cores[0][0] == 0 and cores[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in zip(cores, cores[1:]))
    assert all(text[b - 1] == "\n" for _, b in cores[:-1])


def test_values_across_window_cuts_are_found_exactly_once(analyzer):
    small = Detector(analyzer, window=64, margin=32)
    line = f"客户身份证号{ID}，手机13800138000，无换行" * 40
    found = small.detect(line)
    assert [d.entity_type for d in found].count("CN_RESIDENT_ID") == 40
    assert [d.entity_type for d in found].count("CN_MOBILE") == 40
    assert all(line[d.start:d.end] in (ID, "13800138000") for d in found)


def test_offsets_point_into_the_original_fullwidth_text(detector):
    text = "手机：１３８００１３８０００。"
    (d,) = detector.detect(text)
    assert text[d.start:d.end] == "１３８００１３８０００" and d.canonical == "13800138000"


def test_entity_selection(analyzer):
    only_mobile = Detector(analyzer, entities=["CN_MOBILE"])
    assert only_mobile.entities == ["CN_MOBILE"]
    assert [d.entity_type for d in only_mobile.detect(f"13800138000 {ID}")] == ["CN_MOBILE"]


def test_overlaps_keep_the_higher_score_then_priority(detector):
    def det(entity, start, end, score):
        return Detection(entity, start, end, score, "r", "v", "v")
    card = det("CN_BANK_CARD", 0, 18, 0.6)
    ident = det("CN_RESIDENT_ID", 0, 18, 1.0)
    mobile = det("CN_MOBILE", 20, 31, 0.75)
    assert resolve_overlaps([card, ident, mobile]) == [ident, mobile]
    tie_id, tie_card = det("CN_RESIDENT_ID", 0, 18, 1.0), det("CN_BANK_CARD", 0, 18, 1.0)
    rank = priorities(detector.analyzer.registry.get_recognizers("zh", all_fields=True))  # from the YAML definitions
    assert rank["CN_RESIDENT_ID"] < rank["CN_BANK_CARD"]
    assert resolve_overlaps([tie_card, tie_id], rank) == [tie_id]
    assert resolve_overlaps([tie_id, tie_card], {"CN_BANK_CARD": 1, "CN_RESIDENT_ID": 2}) == [tie_card]


def test_a_serial_that_passes_luhn_is_not_a_card(detector):
    """One 16–19-digit serial in ten passes Luhn: under or after 流水号/订单号 it stays a serial."""
    serial = "4324120858335927"  # Luhn-valid
    assert [d.entity_type for d in detector.detect(serial)] == ["CN_BANK_CARD"]
    assert detector.detect(serial, header="交易流水号") == []
    assert detector.detect(f"交易流水号：{serial}，金额100.00") == []
    assert [d.entity_type for d in detector.detect(f"流水号A1，卡号：{serial}")] == ["CN_BANK_CARD"]
    assert [d.entity_type for d in detector.detect(serial, header="银行卡编号")] == ["CN_BANK_CARD"]

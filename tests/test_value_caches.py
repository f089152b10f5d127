"""Verdicts, masks and fingerprints are computed once per distinct value and reused
down a ledger: every finding must carry exactly what the per-value computation
gives, and a scan on warm caches must equal the first scan."""

import csv
import random

from inventory.conftest import fake_id, fake_mobile

from piiscan.classify.masking import mask
from piiscan.core.fingerprint import Fingerprinter
from piiscan.detect import validators
from piiscan.detect.recognizer import ValidatedPatternRecognizer
from piiscan.pipeline.scanner import Scanner


def _ledger(path, rows: int = 600, seed: int = 11) -> None:
    """Few distinct people, each on many rows (a ledger's repeats), plus free text."""
    rng = random.Random(seed)
    people = [(rng.choice(["王芳", "李娜", "张伟", "欧阳娜娜"]), fake_id(rng), fake_mobile(rng)) for _ in range(25)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "身份证号", "手机", "邮箱", "备注"])
        for i in range(rows):
            name, resident_id, mobile = rng.choice(people)
            spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"  # the same number written another way
            note = f"客户{name}来电，联系电话{spaced}，身份证{resident_id}" if i % 7 == 0 else "已结清"
            writer.writerow([name, resident_id, mobile, f"client{i % 13}@example.com", note])


def _validated(detector) -> dict[str, ValidatedPatternRecognizer]:
    recognizers = detector.analyzer.registry.get_recognizers(detector.language, all_fields=True)
    return {r.name: r for r in recognizers if isinstance(r, ValidatedPatternRecognizer)}


def test_findings_carry_the_per_value_verdict_mask_and_fingerprint(rules_detector, tmp_path):
    path = tmp_path / "ledger.csv"
    _ledger(path)
    fingerprint = Fingerprinter(b"caches")
    scanner = Scanner(rules_detector, fingerprint)
    findings = scanner.scan_file(path).findings
    by_name = _validated(rules_detector)
    checked = 0
    for f in findings:
        assert f.masked == mask(f.entity_type, f.value, scanner.policy)
        recognizer = by_name.get(f.recognizer)
        if recognizer is None:
            continue
        verdict = validators.get(recognizer.spec.validator)(f.value)
        assert f.fingerprint == fingerprint(f.entity_type, verdict.canonical)
        assert {k: v for k, v in f.metadata.items() if k in verdict.metadata} == verdict.metadata
        checked += 1
    assert checked > 1000 and len({f.value for f in findings}) < checked / 10  # values repeat: caches were hit
    assert any(" " in f.value for f in findings if f.entity_type == "CN_MOBILE")


def test_a_scan_on_warm_caches_equals_the_first(rules_detector, tmp_path):
    path = tmp_path / "ledger.csv"
    _ledger(path, seed=12)
    scanner = Scanner(rules_detector, Fingerprinter(b"caches"))
    first = scanner.scan_file(path)
    again = scanner.scan_file(path)
    assert first.findings and first.findings == again.findings
    assert first.classification == again.classification


def test_a_scanner_with_its_caches_pickles(rules_detector):
    """Dask and process pools may pickle a scanner: its per-value caches are rebuilt."""
    import pickle

    scanner = Scanner(rules_detector, Fingerprinter(b"caches"))
    copy = pickle.loads(pickle.dumps(scanner))
    assert [d.entity_type for d in copy.detector.detect("手机13800138000")] == ["CN_MOBILE"]
    assert copy._shown("CN_MOBILE", "13800138000", "13800138000") == \
        scanner._shown("CN_MOBILE", "13800138000", "13800138000")

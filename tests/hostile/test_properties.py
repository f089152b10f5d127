"""Property-based tests (Hypothesis): readers fed random bytes and random structures
of their format, and the recognizers and validators fed random strings. A reader
may refuse a file, with one line; nothing else may escape (that would be exit 70).
The detector returns spans inside its text, whatever the text."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piiscan.core.fingerprint import Fingerprinter
from piiscan.detect import validators
from piiscan.pipeline.scanner import Scanner
from piiscan.sources.readers import available

SUFFIXES = sorted({s for cls in available().values() for s in cls.suffixes
                   if s not in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".doc", ".rtf")})
# Text that looks like ours: digits, Chinese, separators, full-width forms, cue words.
ALPHABET = st.sampled_from(list("0123456789Xx-— ：:，,。；;（）()@.·甲乙方姓名张王李欧阳手机身份证号码卡银行先生女士男\n\t１２３") +
                           ["13800138000", "110101199003070011", "6222020200112233445", "甲方：", "姓名"])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join) | st.text(max_size=80)
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"property-tests"))


def _scan_bytes(scanner, tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    result = scanner.scan_file(path)  # an exception here is a bug of ours: the test fails
    if result.error is not None:
        assert "\n" not in result.error.reason and result.error.reason.strip()


@fast
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2048))
def test_random_bytes_in_every_format(scanner, tmp_path, suffix, data):
    _scan_bytes(scanner, tmp_path, suffix, data)


@fast
@given(suffix=st.sampled_from([".xlsx", ".docx", ".pptx", ".zip"]),
       parts=st.dictionaries(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "word/document.xml",
                                              "ppt/presentation.xml", "xl/sharedStrings.xml", "a.txt", "b.zip"]),
                             st.binary(max_size=300), max_size=5))
def test_random_zip_packages(scanner, tmp_path, suffix, parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    _scan_bytes(scanner, tmp_path, suffix, buffer.getvalue())


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
                    max_leaves=20)


@fast
@given(document=JSON)
def test_random_json_structures(scanner, tmp_path, document):
    _scan_bytes(scanner, tmp_path, ".json", json.dumps(document, ensure_ascii=False).encode("utf-8"))


@fast
@given(rows=st.lists(st.lists(TEXTS, max_size=6), max_size=12), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_random_csv_tables(scanner, tmp_path, rows, encoding):
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    _scan_bytes(scanner, tmp_path, ".csv", buffer.getvalue().encode(encoding, errors="replace"))


@fast
@given(text=TEXTS, header=st.none() | TEXTS)
def test_detector_spans_lie_inside_the_text(rules_detector, text, header):
    for d in rules_detector.detect(text, header=header):
        assert 0 <= d.start < d.end <= len(text)
        assert d.value == text[d.start:d.end]


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(sorted(validators.registry())), value=TEXTS)
def test_validators_never_raise(name, value):
    verdict = validators.get(name)(value)
    assert verdict.score is None or 0.0 <= verdict.score <= 1.0

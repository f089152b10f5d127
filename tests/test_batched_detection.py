"""Detector.detect_many runs the recognizers' prefilters once over a block of texts
joined together; it must give exactly what detect gives text by text, on generated
cells and lines holding every kind of value, their decoys, headers, full-width
forms, texts longer than a window, and a user's prefilter that matches across the
joins."""

from __future__ import annotations

import random
import shutil

import pytest

from piiscan.core.resources import recognizers_dir
from piiscan.detect.engine import Detector, build_analyzer
from piiscan.pipeline.scanner import Scanner
from tests.test_user_recognizers import EMPLOYEE

VALUES = ["11010519491231002X", "110105194912310021", "13800138000", "+86 138-0013-8000", "6222021234567890128",
          "6222 0212 3456 7890 128", "E12345678", "C12345678", "H12345678", "L12345678", "910000198001010014",
          "zhang.wei@example.com", "010-62345678", "京A12345", "192.168.1.20", "91350100M000100Y43", "EMP-20240315"]
DECOYS = ["20240105", "SKU0000001", "1234.56", "2024-01-05", "13800138", "62220212345678901", "订单号 123456789012345",
          "流水号6222021234567890128", "正常", "代理记账（小规模）", "", " ", "１３８００１３８０００", "\x00", "a\x00b"]
WORDS = ["张伟", "王芳", "中国工商银行", "北京市朝阳区建国路88号", "身份证号", "手机", "甲方：", "联系人", "备注"]
HEADERS = [None, "姓名", "身份证号", "手机号码", "银行卡号", "住址", "流水号", "备注", "xm", "工号"]


def _texts(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    # texts that begin with a value: a prefilter needing a character before it matches
    # them only across the join, where the text before is not theirs
    items = [("EMP-20240315", None), ("EMP-20240316", None), ("员工EMP-20240317", None)]
    for _ in range(n):
        parts = [rng.choice(VALUES + DECOYS + WORDS) for _ in range(rng.randint(1, 4))]
        text = rng.choice(["", " ", "，", "\n", "："]).join(parts)
        items.append((text, rng.choice(HEADERS)))
    items.append(("甲方张伟，身份证号11010519491231002X。\n" * 300, None))  # longer than a window
    return items


@pytest.fixture(scope="module")
def crossing_detector(tmp_path_factory):
    """The shipped recognizers and a user's whose prefilter also matches the joining character."""
    folder = tmp_path_factory.mktemp("recognizers")
    for path in recognizers_dir().glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "employee_number.yaml").write_text(EMPLOYEE.replace("prefilter: 'EMP-'", r"prefilter: '[\s\S]EMP'"),
                                                encoding="utf-8")
    return Detector(build_analyzer(recognizers_folder=folder), ner=False)


@pytest.mark.parametrize("which", ["rules_detector", "detector", "crossing_detector"])
def test_detect_many_equals_detect_text_by_text(which, request):
    detector = request.getfixturevalue(which)
    items = _texts(random.Random(20261205), 2500)
    expected = [detector.detect(text, header) for text, header in items]
    assert sum(map(len, expected)) > 1000, "the generated texts hold too few values to show anything"
    got = []
    for start in range(0, len(items), 97):  # blocks of an odd size: every text sits somewhere in a block
        got.extend(detector.detect_many(items[start:start + 97]))
    assert got == expected


def test_a_value_at_a_join_is_not_seen_by_its_neighbour(rules_detector):
    """Two cells side by side read as one text would make an ID of their digits."""
    assert rules_detector.detect_many([("110105", None), ("19491231002X", None)]) == [[], []]
    assert rules_detector.detect("11010519491231002X")


def test_a_scan_in_blocks_equals_a_scan_unit_by_unit(rules_detector, tmp_path, monkeypatch):
    """The whole scan (tables, text tables, records, classification) over blocks of
    units gives the findings and classifications of a scan that detects one unit at
    a time with detect()."""
    import csv
    import json

    from openpyxl import Workbook

    from piiscan.core.fingerprint import Fingerprinter
    from piiscan.pipeline import scanner as scanning

    rng = random.Random(7)
    printable = [v for v in VALUES + DECOYS if "\x00" not in v]  # a worksheet holds no control character
    rows = [[str(i), rng.choice(["张伟", "王芳", "Na Zhao", "中国工商银行"]), rng.choice(printable)]
            for i in range(1500)]
    with (tmp_path / "roster.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["序号", "受益人", "号码"]] + rows)
    book = Workbook()
    for row in [["客户", "证件", "备注"]] + rows:
        book.active.append(row)
    book.save(tmp_path / "roster.xlsx")
    (tmp_path / "notes.txt").write_text("\n".join(" ".join(row) for row in rows[:300]) + "\n甲方王芳，身份证号"
                                        "11010519491231002X。\n" * 20, encoding="utf-8")
    (tmp_path / "records.json").write_text(json.dumps([dict(zip(["id", "name", "no"], row)) for row in rows[:400]],
                                                      ensure_ascii=False), encoding="utf-8")
    scanner = Scanner(rules_detector, Fingerprinter(b"blocks"))

    def scan_all():
        return [(r.findings, r.classification, r.error) for r in map(scanner.scan_file, sorted(tmp_path.iterdir()))]

    in_blocks = scan_all()
    monkeypatch.setattr(scanning, "BATCH_UNITS", 1)
    monkeypatch.setattr(rules_detector, "detect_many", lambda items: [rules_detector.detect(*item) for item in items])
    one_by_one = scan_all()
    assert sum(len(findings) for findings, _, _ in in_blocks) > 1500
    assert in_blocks == one_by_one

"""piiscan eval: exact and overlap matching, and the CLI on a small dataset."""

import json
import subprocess
import sys
from pathlib import Path

from piiscan.detect.evaluate import Span, score

PIISCAN = str(Path(sys.executable).with_name("piiscan"))


def test_exact_and_overlap_matching_count_each_span_once():
    gold = [[Span("PERSON", 0, 2), Span("PERSON", 10, 13), Span("CN_ADDRESS", 20, 30)]]
    pred = [[Span("PERSON", 0, 2), Span("PERSON", 10, 12), Span("PERSON", 11, 13), Span("CN_ADDRESS", 40, 45)]]
    figures = score(gold, pred)
    assert figures["PERSON"]["exact"] == {"precision": 0.3333, "recall": 0.5, "f1": 0.4, "tp": 1,
                                         "predicted": 3, "gold": 2}
    # 10-12 and 11-13 both overlap gold 10-13, but it matches only once
    assert (figures["PERSON"]["overlap"]["tp"], figures["PERSON"]["overlap"]["recall"]) == (2, 1.0)
    assert figures["CN_ADDRESS"]["overlap"]["f1"] == 0.0


def test_types_outside_the_selection_are_ignored():
    figures = score([[Span("PERSON", 0, 2)]], [[Span("PERSON", 0, 2), Span("CN_MOBILE", 5, 16)]], ["PERSON"])
    assert set(figures) == {"PERSON"}


def example(text, *pairs):
    return {"text": text, "entities": [{"type": t, "start": text.index(v), "end": text.index(v) + len(v)}
                                       for t, v in pairs]}


def test_eval_cli_reports_per_type_figures(tmp_path):
    data = tmp_path / "set.jsonl"
    rows = [example("甲方：张伟，身份证号码110101199003070011", ("PERSON", "张伟"), ("CN_RESIDENT_ID", "110101199003070011")),
            example("住所：北京市朝阳区建国路88号，联系人：王芳", ("CN_ADDRESS", "北京市朝阳区建国路88号"), ("PERSON", "王芳")),
            example("产品：华为手机，单价：3999", )]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    done = subprocess.run([PIISCAN, "eval", str(data), "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"PERSON", "CN_ADDRESS", "CN_RESIDENT_ID"}
    assert figures["PERSON"]["exact"]["gold"] == 2
    assert all(0.0 <= f["overlap"]["f1"] <= 1.0 for f in figures.values())
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    failed = subprocess.run([PIISCAN, "eval", str(bad)], capture_output=True, text=True)
    assert failed.returncode == 2 and "line 1" in failed.stderr

"""Names in prose: the cue rules (gender after a name, a role in parentheses,
surname + honorific, a name after a role word), the precision guards (titles
are no names), and the two NER modes, on the committed held-out domain prose
(training/ner/make_domain_prose.py) through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from piiscan.cli.app import app
from tests.redact.test_cli import cli

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "training" / "ner" / "data" / "heldout_domain_prose.jsonl"


def names(detector, text: str) -> list[str]:
    return [d.value for d in detector.detect(text) if d.entity_type == "PERSON"]


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_domain_prose_recall_in_both_modes(mode):
    result = CliRunner().invoke(app, ["eval", str(DOMAIN), "--entities", "PERSON", "--ner", mode, "--json"])
    assert result.exit_code == 0, result.output
    person = json.loads(result.output)["PERSON"]["overlap"]
    assert person["gold"] >= 300
    assert person["recall"] >= 0.99 and person["precision"] >= 0.95


@pytest.mark.parametrize("text, name", [
    ("于学东，男，1965年出生，中国国籍，无境外永久居留权。", "于学东"),
    ("苗兵：女，汉族，1968年出生，大专学历。", "苗兵"),
    ("袁会琼（监事会主席）表示，今年营收增长12%。", "袁会琼"),
    ("今日顾先生到访，双方就尾款达成一致。", "顾先生"),
    ("股东陶文、王洋分别持有12%和8%的股权。", "陶文"),
    ("本合同由借款人冯桂芝与担保人班成于2009-12-20签订。", "班成"),
    ("会议由董事长李楠主持。", "李楠"),
])
def test_cue_rules(rules_detector, text, name):
    """The rules alone (no model) find the name beside its cue."""
    assert name in names(rules_detector, text)


@pytest.mark.parametrize("text", ["今年营收增长6%，科科长已批准预算。", "市长已批准预算。",
                                  "订单号DD667423698794，金额人民币198,016.07元，日期2024-10-15。"])
def test_titles_and_decoys_are_no_names(detector, text):
    assert names(detector, text) == []


def test_accurate_mode_asks_lac(analyzer):
    """A name our tagger misses and LAC finds: only --ner accurate reports it."""
    from piiscan.detect.engine import Detector

    text = "近年来，由于江苏在周丽鸿学术研究方面做了大量的工作。"
    fast, accurate = Detector(analyzer, ner="fast"), Detector(analyzer, ner="accurate")
    assert "周丽鸿" not in names(fast, text)
    found = [d for d in accurate.detect(text) if d.entity_type == "PERSON"]
    assert [(d.value, d.recognizer) for d in found] == [("周丽鸿", "LacSecondOpinion")]


def test_ner_option_values(tmp_path, monkeypatch, capsys):
    note = tmp_path / "note.txt"
    note.write_text("今日与客户沟通，对方表示同意，经办人詹晓雯负责后续材料的准备工作。\n", encoding="utf-8")

    def recognizers(*options: str) -> list[str]:
        result = CliRunner().invoke(app, ["scan", str(note), "--quiet", *options])
        assert result.exit_code in (0, 1), result.output
        return sorted(json.loads(line)["recognizer"] for line in result.output.splitlines() if line.strip())

    assert cli(monkeypatch, "scan", str(note), "--ner", "sometimes") == 2
    assert "--ner must be fast, accurate or off" in capsys.readouterr().err
    assert recognizers("--ner", "off") == recognizers("--no-ner") == []  # no cue the rules know
    assert recognizers("--ner", "fast") == ["SpacyRecognizer"]

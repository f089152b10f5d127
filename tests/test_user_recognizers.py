"""A user's own recognizer folder (--recognizers DIR or $PIISCAN_RECOGNIZERS): loaded
after the shipped definitions, checked the same way, a duplicate id refused."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from piiscan.cli import app
from piiscan.core.resources import recognizers_dir
from piiscan.detect.recognizer import RecognizerFileError, load_specs

EMPLOYEE = r"""
id: employee_number
version: "1.0"
entity: EMPLOYEE_NUMBER
description: A made-up staff number, EMP- and eight digits.
patterns:
  - name: staff
    regex: '(?<![A-Za-z0-9])EMP-\d{8}(?!\d)'
    score: 0.7
validator: document_number
prefilter: 'EMP-'
context: [工号, 员工]
"""
POLICY = """
entities:
  EMPLOYEE_NUMBER:
    label_zh: 员工编号
    label_en: Employee number
    jrt0171: C1
    jrt0197: 2
    pipl_sensitive: false
    mask: {rule: keep_ends, first: 4, last: 2}
"""


@pytest.fixture(autouse=True)
def no_user_folder(monkeypatch):
    """--recognizers sets $PIISCAN_RECOGNIZERS for the run (worker processes inherit it);
    setting it here first makes monkeypatch take it away again after each test."""
    monkeypatch.setenv("PIISCAN_RECOGNIZERS", "")


@pytest.fixture
def folder(tmp_path):
    mine = tmp_path / "my-recognizers"
    mine.mkdir()
    (mine / "employee_number.yaml").write_text(EMPLOYEE, encoding="utf-8")
    return mine


def test_scan_finds_what_a_user_recognizer_defines(folder, tmp_path):
    sample = tmp_path / "staff.txt"
    sample.write_text("员工工号：EMP-20240315\n", encoding="utf-8")
    out = tmp_path / "findings.jsonl"
    args = ["scan", str(sample), "--no-ner", "--out", str(out), "--quiet"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert out.read_text(encoding="utf-8") == ""
    result = CliRunner().invoke(app, [*args, "--recognizers", str(folder)])
    # an entity the policy does not name counts as identifying PI (core.tiers.UNLISTED), as redact treats it
    assert result.exit_code == 1, result.output
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(f["entity_type"], f["recognizer"], f["location"], f["tier"]["jrt0171"]) for f in findings] == [
        ("EMPLOYEE_NUMBER", "employee_number", {"line": 1}, "C2")]
    assert "not in the policy" in findings[0]["explanation"][0]

    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    result = CliRunner().invoke(app, [*args, "--recognizers", str(folder), "--policy", str(policy)])
    assert result.exit_code == 1, result.output
    finding = json.loads(out.read_text(encoding="utf-8"))
    assert (finding["masked"], finding["tier"]["jrt0171"]) == ("EMP-2*****15", "C1")  # the policy's tier wins  # letters and digits count, not the dash


def test_recognizers_lists_the_user_folder_from_the_environment(folder, monkeypatch):
    monkeypatch.setenv("PIISCAN_RECOGNIZERS", str(folder))
    ids = [spec.id for spec in load_specs()]
    assert ids[-1] == "employee_number" and len(ids) == len(list(recognizers_dir().glob("*.yaml"))) + 1
    result = CliRunner().invoke(app, ["recognizers"], env={"COLUMNS": "250"})  # no wrapping in the table
    assert result.exit_code == 0, result.output
    assert "employee_number" in result.output and "EMPLOYEE_NUMBER" in result.output


def test_a_duplicate_id_is_a_usage_error_naming_both_files(folder):
    shutil.copy(recognizers_dir() / "cn_mobile.yaml", folder / "mobile.yaml")
    result = CliRunner().invoke(app, ["recognizers", "--recognizers", str(folder)])
    assert isinstance(result.exception, RecognizerFileError)
    assert str(result.exception) == (f"{folder / 'mobile.yaml'}: id: 'cn_mobile' is already defined in "
                                     f"{recognizers_dir() / 'cn_mobile.yaml'}")


def test_a_bad_user_definition_names_its_file_and_key(folder):
    (folder / "employee_number.yaml").write_text(EMPLOYEE.replace("validator: document_number",
                                                                  "validator: staff_check"), encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(folder), "--recognizers", str(folder)])
    assert isinstance(result.exception, RecognizerFileError)
    assert str(result.exception).startswith("employee_number.yaml: unknown validator 'staff_check'; known: amount,")


def test_a_missing_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["recognizers", "--recognizers", str(tmp_path / "absent")])
    assert isinstance(result.exception, RecognizerFileError)
    assert str(result.exception) == f"recognizer folder {tmp_path / 'absent'}: no such folder"

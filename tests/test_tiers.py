"""The one tier ranking and the one is-personal rule (piiscan.core.tiers): a scan's
count, the inventory's `personal` column and redaction decide alike."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select
from stdnum.cn import uscc

from piiscan.classify.policy import default_policy
from piiscan.core.fingerprint import Fingerprinter
from piiscan.core.model import TextUnit
from piiscan.detect.validators.resident_id import gb11643_check_char
from piiscan.core.tiers import JRT0171, NOT_PI, UNLISTED, Tier, is_personal, name_of, rank, sql_rank
from piiscan.pipeline.scanner import Scanner
from piiscan.protect.operators import Redactor
from piiscan.protect.profiles import load_profile
from piiscan.reports.findings import is_personal as finding_is_personal


def test_one_ranking():
    assert [rank(n) for n in JRT0171] == [0, 1, 2, 3] and [name_of(r) for r in range(4)] == list(JRT0171)
    assert rank(None) == rank("bogus") == 0
    assert Tier("C1", 2) | Tier("C3", 1, True) == Tier("C3", 2, True)
    assert Tier("C2", 3) | NOT_PI == Tier("C2", 3)


def test_the_sql_ranking_is_the_same_ranking():
    engine = create_engine("sqlite://")
    table = Table("t", MetaData(), Column("tier", String))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"tier": n} for n in (*JRT0171, "bogus")])
        got = dict(conn.execute(select(table.c.tier, sql_rank(table.c.tier))).all())
    assert got == {n: rank(n) for n in (*JRT0171, "bogus")}


@pytest.mark.parametrize("tier, personal", [
    (NOT_PI, False), (Tier("none", 1, True), True), (Tier("C1"), True), (UNLISTED, True),
    ({"jrt0171": "none", "pipl_sensitive": False}, False), ({"jrt0171": "C3"}, True),
    ({}, True), (None, True),  # not classified yet: the safe side
])
def test_one_rule(tier, personal):
    assert is_personal(tier) is personal


def individual_business_code() -> str:
    body = "92110105MA0000001"
    return body + uscc.calc_check_digit(body)


CASES = {
    # text, entity, personal in a scan, masked by redact
    "company credit code": ("统一社会信用代码：91110000600037341L", "CN_USCC", False, False),
    "individual business": (f"个体工商户统一社会信用代码：{individual_business_code()}", "CN_USCC", True, True),
    "resident id": ("身份证号：11010519491231002" + gb11643_check_char("11010519491231002"), "CN_RESIDENT_ID", True, True),
    "entity missing from the policy": ("手机：13812345678", "CN_MOBILE", True, True),
}


@pytest.mark.parametrize("case", CASES)
def test_scan_inventory_and_redact_agree(case, detector):
    text, entity, personal, masked = CASES[case]
    policy = default_policy()
    if case == "entity missing from the policy":
        policy = policy.model_copy(update={"entities": {k: v for k, v in policy.entities.items() if k != entity}})
    scanner = Scanner(detector, Fingerprinter(b"k" * 32), policy)
    result = scanner.scan_units("t.txt", "text", lambda: [TextUnit(text, {"line": 1})])
    findings = [f for f in result.findings if f.entity_type == entity]
    assert findings, f"{entity} not detected in {case}"
    assert {finding_is_personal(f) for f in findings} == {personal}  # scan count and inventory column
    redactor = Redactor(detector, load_profile(None, policy), policy, b"k" * 32, "mask")
    replaced = [r for r in redactor(text) if text[r.start:r.end] in {text[f.start:f.end] for f in findings}]
    assert bool(replaced) is masked


def test_an_amount_without_a_person(detector):
    """A company's amount is not PI in a scan. Redact decides per cell or paragraph,
    without the rest of a spreadsheet row, so it still masks it (the safe side;
    README, Sensitivity tiers)."""
    text = "账户余额：12,345.67元"
    policy = default_policy()
    result = Scanner(detector, Fingerprinter(b"k" * 32), policy).scan_units(
        "t.txt", "text", lambda: [TextUnit(text, {"line": 1})])
    amounts = [f for f in result.findings if f.entity_type == "FINANCIAL_AMOUNT"]
    assert amounts and not any(finding_is_personal(f) for f in amounts)
    redactor = Redactor(detector, load_profile(None, policy), policy, b"k" * 32, "mask")
    assert any(text[r.start:r.end] == text[amounts[0].start:amounts[0].end] for r in redactor(text))

"""Tiers: the policy file, and the record, column and file rules on real files."""

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from piiscan.detect.engine import NER_ENTITIES
from piiscan.core.fingerprint import Fingerprinter
from piiscan.classify.policy import PolicyError, load_policy
from piiscan.detect.recognizer import load_specs
from piiscan.pipeline.scanner import Scanner
from piiscan.detect.validators.bank_card import luhn_valid
from piiscan.detect.validators.resident_id import gb11643_check_char

PIISCAN = str(Path(sys.executable).with_name("piiscan"))


def resident_id(birth: str, seq: str = "001") -> str:
    body = "110101" + birth + seq
    return body + gb11643_check_char(body)


def card(prefix: str = "622202", length: int = 19) -> str:
    body = prefix + "0" * (length - len(prefix) - 2) + "1"
    return next(body + str(d) for d in range(10) if luhn_valid(body + str(d)))


ADULT, CHILD = resident_id("19850412"), resident_id("20170601", "002")
CARD = card()


@pytest.fixture(scope="module")
def scanner(rules_detector):
    return Scanner(rules_detector, Fingerprinter(b"test-key"), load_policy())


def tiers_by_cell(result):
    return {(f.location.get("cell"), f.entity_type): (f.tier["jrt0171"], f.tier["jrt0197"], f.tier["pipl_sensitive"])
            for f in result.findings}


# -- the policy file -------------------------------------------------------------

def test_every_detectable_entity_has_a_tier_and_every_tier_an_entity():
    policy = load_policy()
    detectable = {spec.entity for spec in load_specs()} | set(NER_ENTITIES)
    assert detectable == set(policy.entities)
    for name, entity in policy.entities.items():
        assert entity.jrt0171 in ("none", "C1", "C2", "C3") and 1 <= entity.jrt0197 <= 5, name


def test_authentication_is_c3_level_4_and_accounts_are_sensitive():
    policy = load_policy()
    assert (policy.entity("AUTHENTICATION_DATA").jrt0171, policy.entity("AUTHENTICATION_DATA").jrt0197) == ("C3", 4)
    assert policy.entity("CN_BANK_CARD").pipl_sensitive and not policy.entity("CN_MOBILE").pipl_sensitive


def test_user_policy_overlays_the_default(tmp_path):
    path = tmp_path / "strict.yaml"
    path.write_text("entities:\n  CN_MOBILE:\n    pipl_sensitive: true\n    mask: {rule: full}\n", encoding="utf-8")
    policy = load_policy(path)
    assert policy.entity("CN_MOBILE").pipl_sensitive and policy.entity("CN_MOBILE").mask.rule == "full"
    assert policy.entity("CN_MOBILE").jrt0171 == "C2"  # untouched fields keep the default
    assert policy.entity("CN_RESIDENT_ID").mask.params == {"first": 6, "last": 4}


@pytest.mark.parametrize("text, key", [
    ("entities:\n  CN_MOBILE:\n    jrt0171: C4\n", "entities.CN_MOBILE.jrt0171"),
    ("entities:\n  CN_MOBILE:\n    jrt0197: 9\n", "entities.CN_MOBILE.jrt0197"),
    ("entities:\n  CN_MOBILE:\n    mask: {rule: scramble}\n", "entities.CN_MOBILE.mask.rule"),
    ("rules:\n  minor_age: 40\n", "rules.minor_age"),
    ("entitys: {}\n", "entitys"),
])
def test_a_bad_policy_names_the_bad_key(tmp_path, text, key):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=rf"bad\.yaml: {key}"):
        load_policy(path)


def test_policy_show_and_check_cli(tmp_path):
    shown = subprocess.run([PIISCAN, "policy", "show"], capture_output=True, text=True, env={"COLUMNS": "200"})
    assert shown.returncode == 0
    assert "AUTHENTICATION_DATA" in shown.stdout and "居民身份证号码" in shown.stdout
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("entities:\n  CN_MOBILE:\n    pipl_sensitive: true\n", encoding="utf-8")
    bad.write_text("entities:\n  CN_MOBILE:\n    jrt0171: C9\n", encoding="utf-8")
    assert subprocess.run([PIISCAN, "policy", "check", str(good)], capture_output=True).returncode == 0
    checked = subprocess.run([PIISCAN, "policy", "check", str(bad)], capture_output=True, text=True)
    assert checked.returncode == 2 and "entities.CN_MOBILE.jrt0171" in checked.stderr
    assert len(checked.stderr.strip().splitlines()) == 1


# -- a client roster (xlsx) ---------------------------------------------------------

@pytest.fixture(scope="module")
def roster(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster") / "客户名单.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["姓名", "身份证号", "手机号", "银行卡号", "交易密码", "账户余额"])
    ws.append(["王芳", ADULT, "13800138000", CARD, None, None])      # 2: identifiable, card → PIPL
    ws.append(["李小明", CHILD, None, None, None, None])              # 3: minor under 14
    ws.append(["欧阳娜娜", None, None, CARD, "135790", None])         # 4: password next to the card
    ws.append([None, None, "13900139000", None, None, "12,345.67"])   # 5: balance of an identified person
    ws.append([None, None, None, None, None, "88,000.00"])            # 6: a balance of no one
    ws.append(["张伟", None, "13700137000", None, None, None])        # 7: name + phone only
    wb.save(path)
    return path


def test_roster_finding_tiers_follow_the_record_rules(scanner, roster):
    tiers = tiers_by_cell(scanner.scan_file(roster))
    assert tiers == {
        # row 2: identifiable; the card (PIPL: financial account) makes the whole record sensitive
        ("A2", "PERSON"): ("C2", 3, True), ("B2", "CN_RESIDENT_ID"): ("C2", 3, True),
        ("C2", "CN_MOBILE"): ("C2", 3, True), ("D2", "CN_BANK_CARD"): ("C2", 3, True),
        # row 3: the ID holder is under 14
        ("A3", "PERSON"): ("C2", 3, True), ("B3", "CN_RESIDENT_ID"): ("C2", 3, True),
        # row 4: authentication data next to an account: C3 / level 4 for the record
        ("A4", "PERSON"): ("C3", 4, True), ("D4", "CN_BANK_CARD"): ("C3", 4, True),
        ("E4", "AUTHENTICATION_DATA"): ("C3", 4, True),
        # row 5: a balance with a phone number: a person's financial status
        ("C5", "CN_MOBILE"): ("C2", 3, False), ("F5", "FINANCIAL_AMOUNT"): ("C2", 3, True),
        # row 6: a balance with nobody in the record is not PI
        ("F6", "FINANCIAL_AMOUNT"): ("none", 1, False),
        # row 7: a name and a phone are C2 but not sensitive
        ("A7", "PERSON"): ("C2", 3, False), ("C7", "CN_MOBILE"): ("C2", 3, False),
    }


def test_roster_explanations_say_why(scanner, roster):
    findings = {(f.location["cell"], f.entity_type): f for f in scanner.scan_file(roster).findings}
    assert any("identifiable individual" in e for e in findings[("B2", "CN_RESIDENT_ID")].explanation)
    assert any("under 14" in e for e in findings[("A3", "PERSON")].explanation)
    assert any("authentication data next to the account" in e for e in findings[("D4", "CN_BANK_CARD")].explanation)
    assert any("no person identified" in e for e in findings[("F6", "FINANCIAL_AMOUNT")].explanation)
    assert findings[("E4", "AUTHENTICATION_DATA")].masked == "******"
    assert findings[("F5", "FINANCIAL_AMOUNT")].masked == "1万-10万"


def test_roster_file_tier_counts_and_individuals(scanner, roster):
    c = scanner.scan_file(roster).classification
    assert c.tier == {"jrt0171": "C3", "jrt0197": 4, "pipl_sensitive": True}
    assert c.counts == {"AUTHENTICATION_DATA": 1, "CN_BANK_CARD": 2, "CN_MOBILE": 3, "CN_RESIDENT_ID": 2,
                        "FINANCIAL_AMOUNT": 2, "PERSON": 4}
    # rows 2 and 4 share a card: one person. Rows 3, 5 and 7 are three more.
    assert c.distinct_individuals == 4
    assert c.record_flags == {"identifiable individual": 3, "minor under 14": 1,
                              "authentication data with account": 1}
    assert c.records_with_pi == 5


def test_columns_by_share_of_valid_values_and_header(scanner, tmp_path):
    path = tmp_path / "名单.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "证件号码", "联系电话", "备注"])
    for i in range(10):
        phone = f"1380013{8000 + i}" if i < 3 else "未留"
        note = "13900139000" if i == 0 else "无"
        ws.append([f"NO{i}", resident_id("19900101", f"{100 + i}"), phone, note])
    wb.save(path)
    columns = {c.header: c for c in scanner.scan_file(path).classification.columns}
    assert set(columns) == {"证件号码", "联系电话"}  # 备注: 1 phone in 10 values is not a phone column
    assert (columns["证件号码"].entity_type, columns["证件号码"].share, columns["证件号码"].sample_size) == \
        ("CN_RESIDENT_ID", 1.0, 10)
    assert (columns["联系电话"].entity_type, columns["联系电话"].share) == ("CN_MOBILE", 0.3)
    assert "header" in columns["联系电话"].explanation and columns["联系电话"].tier["jrt0171"] == "C2"


# -- a contract (docx) --------------------------------------------------------------

def test_contract_paragraph_records(scanner, tmp_path):
    path = tmp_path / "债权转让协议.docx"
    d = docx.Document()
    d.add_paragraph("债权转让协议")
    d.add_paragraph(f"甲方：张伟，身份证号码：{ADULT}，联系电话：13800138000。")
    d.add_paragraph(f"乙方：李娜，收款账号：{CARD}，交易密码：246810。")
    d.add_paragraph("丙方：上海加喜财税有限公司，统一社会信用代码：91110000600037341L。")
    d.add_paragraph("转让价款：人民币壹拾万元整。年收入：200000元。")
    d.save(path)
    result = scanner.scan_file(path)
    tiers = {(f.location["paragraph"], f.entity_type): (f.tier["jrt0171"], f.tier["jrt0197"], f.tier["pipl_sensitive"])
             for f in result.findings}
    assert tiers == {
        (2, "PERSON"): ("C2", 3, False), (2, "CN_RESIDENT_ID"): ("C2", 3, False), (2, "CN_MOBILE"): ("C2", 3, False),
        (3, "PERSON"): ("C3", 4, True), (3, "CN_BANK_CARD"): ("C3", 4, True),
        (3, "AUTHENTICATION_DATA"): ("C3", 4, True),
        (4, "CN_USCC"): ("none", 1, False),
        (5, "FINANCIAL_AMOUNT"): ("none", 1, False),
    }
    assert result.classification.tier == {"jrt0171": "C3", "jrt0197": 4, "pipl_sensitive": True}
    assert result.classification.distinct_individuals == 2

"""Database column names as header context: pinyin initials (sfzh, sjhm, khxm) and
English names in any case style (id_card_no, CustMobile), as whole words only."""

from __future__ import annotations

import pytest

from piiscan.detect.recognizer import load_recognizers


@pytest.fixture(scope="module")
def by_id():
    return {r.name: r for r in load_recognizers(("zh",))}


@pytest.mark.parametrize("recognizer,header", [
    ("cn_resident_id", "sfzh"), ("cn_resident_id", "SFZHM"), ("cn_resident_id", "id_card_no"),
    ("cn_resident_id", "IdCardNo"), ("cn_resident_id", "cust_idno"), ("cn_resident_id", "zjhm"),
    ("cn_mobile", "sjhm"), ("cn_mobile", "KHSJHM"), ("cn_mobile", "user_mobile"), ("cn_mobile", "MobilePhone"),
    ("cn_mobile", "tel_no"), ("cn_bank_card", "card_no"), ("cn_bank_card", "AccountNo"), ("cn_bank_card", "yhkh"),
    ("person_name_rules", "xm"), ("person_name_rules", "khxm"), ("person_name_rules", "lxr"),
    ("cn_address_rules", "jtdz"), ("cn_address_rules", "home_addr"), ("cn_address_rules", "xzz"),
    ("authentication_data", "jymm"), ("authentication_data", "login_pwd"), ("cn_uscc", "tyshxydm"),
])
def test_column_names_that_name_the_entity(by_id, recognizer, header):
    assert by_id[recognizer].column_name_in(header)


@pytest.mark.parametrize("recognizer,header", [
    ("cn_mobile", "hotel_name"),  # tel inside a word
    ("person_name_rules", "xmmc"),  # 项目名称: xm at the start is 项目, not 姓名
    ("authentication_data", "yyyymm"),  # a year-month, not a password
    ("cn_resident_id", "user_id"), ("cn_bank_card", "sfzh"), ("cn_address_rules", "dzyx"),  # 电子邮箱
    ("cn_mobile", "ddh"),  # 订单号
])
def test_names_that_only_look_alike_do_not(by_id, recognizer, header):
    assert by_id[recognizer].column_name_in(header) is None


def test_a_column_name_raises_and_enables_findings(rules_detector):
    bare = rules_detector.detect("13800138000")
    assert rules_detector.detect("13800138000", header="lxsjhm")[0].score > bare[0].score
    # names and addresses need a header naming them; pinyin initials are enough
    assert rules_detector.detect("张伟") == []
    assert [d.entity_type for d in rules_detector.detect("张伟", header="khxm")] == ["PERSON"]
    assert [d.entity_type for d in rules_detector.detect("广东省深圳市南山区科技园路1号", header="jtdz")] == ["CN_ADDRESS"]
    assert rules_detector.detect("张伟", header="xmmc") == []

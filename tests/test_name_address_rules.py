"""Rule-based names and addresses: headers, role cues, honorifics, compound
surnames; the same strings without a header or cue are not reported."""

import pytest

ID = "110101199003070011"


def spans(detector, text, header=None):
    return [(d.entity_type, d.value) for d in detector.detect(text, header=header)]


@pytest.mark.parametrize("header, value", [
    ("姓名", "王芳"), ("客户姓名", "李娜"), ("联系人", "欧阳娜娜"), ("户名", "诸葛亮"),
    ("开户名", "张伟"), ("姓名", "阿依古丽·买买提"), ("name", "司马光"),
])
def test_a_name_under_a_name_header_is_a_person(rules_detector, header, value):
    assert spans(rules_detector, value, header=header) == [("PERSON", value)]


@pytest.mark.parametrize("header, value", [
    (None, "王芳"), ("产品名称", "王芳"), ("商品", "华为手机"), ("姓名", "上海加喜财税有限公司"),
    ("姓名", "中国工商银行"), ("姓名", "财务部"), ("姓名", "Zhang San"),
])
def test_not_a_person_without_a_name_header_or_for_organisations(rules_detector, header, value):
    assert [e for e, _ in spans(rules_detector, value, header=header)] == []


@pytest.mark.parametrize("text, name", [
    (f"甲方：张伟，身份证号码{ID}", "张伟"),
    ("乙方：欧阳娜娜（身份证号码见附件）", "欧阳娜娜"),
    ("法定代表人：司马光。", "司马光"),
    ("联系人：张伟13800138000", "张伟"),
    ("请联系王芳女士", "王芳"),
    ("张三丰先生来电咨询", "张三丰"),
    ("欧阳娜娜女士已签字", "欧阳娜娜"),
])
def test_names_after_cues_and_before_honorifics(rules_detector, text, name):
    assert ("PERSON", name) in spans(rules_detector, text)


def test_names_next_to_identifiers_leave_the_identifiers_whole(rules_detector):
    found = spans(rules_detector, f"联系人：张伟13800138000，身份证号{ID}")
    assert found == [("PERSON", "张伟"), ("CN_MOBILE", "13800138000"), ("CN_RESIDENT_ID", ID)]


@pytest.mark.parametrize("text", ["甲方：上海加喜财税有限公司，", "乙方：中国工商银行股份有限公司北京分行。",
                                  "客户：某某公司", "产品：华为手机"])
def test_company_names_after_cues_are_not_persons(rules_detector, text):
    assert [e for e, _ in spans(rules_detector, text)] == []


@pytest.mark.parametrize("text, header, address", [
    ("住所：北京市朝阳区建国路88号3栋2单元501室，", None, "北京市朝阳区建国路88号3栋2单元501室"),
    ("联系地址：广东省深圳市南山区科技园路1号", None, "广东省深圳市南山区科技园路1号"),
    ("浙江省杭州市西湖区文三路90号", "家庭住址", "浙江省杭州市西湖区文三路90号"),
    ("朝阳区建国路88号院3号楼", "地址", "朝阳区建国路88号院3号楼"),
])
def test_addresses_after_cues_and_under_headers(rules_detector, text, header, address):
    assert spans(rules_detector, text, header=header) == [("CN_ADDRESS", address)]


@pytest.mark.parametrize("text, header", [
    ("北京市朝阳区建国路88号", None), ("住所：见附件", None), ("上海加喜财税有限公司", "地址"),
])
def test_not_an_address(rules_detector, text, header):
    assert [e for e, _ in spans(rules_detector, text, header=header)] == []

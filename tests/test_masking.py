"""Display masks follow the spec's conventions (cn-pii-spec §7)."""

import pytest

from piiscan.classify.masking import keep_ends, mask


@pytest.mark.parametrize("entity, value, expected", [
    ("CN_RESIDENT_ID", "11010519491231002X", "110105********002X"),
    ("CN_RESIDENT_ID", "110101 19900307 0011", "110101 ******** 0011"),
    ("CN_MOBILE", "13800138000", "138****8000"),
    ("CN_MOBILE", "+86 138-0013-8000", "+86 138-****-8000"),
    ("CN_MOBILE", "008613800138000", "0086138****8000"),
    ("CN_BANK_CARD", "6222020200123456788", "622202*********6788"),
    ("CN_BANK_CARD", "6222 0202 0012 3456 788", "6222 02** **** ***6 788"),
    ("CN_LANDLINE", "0755-12345678", "0755-****5678"),
    ("CN_LANDLINE", "(010)62345678转123", "(010)****5678转123"),
    ("CN_PASSPORT", "E12345678", "E*****678"),
    ("CN_PASSPORT", "EA1234567", "EA****567"),
    ("CN_LICENSE_PLATE", "京A12345", "京A****5"),
    ("EMAIL_ADDRESS", "zhang.san@example.com", "z***@example.com"),
    ("IP_ADDRESS", "202.96.134.133", "202.96.*.*"),
    ("CN_USCC", "91110000600037341L", "91110000600037341L"),  # an organisation: public
    ("CN_USCC", "92110000600037341L", "92110000*********L"),  # an individual business
    ("PERSON", "张三", "张*"),
    ("PERSON", "张三丰", "张**"),
    ("PERSON", "欧阳娜娜", "欧阳**"),
    ("PERSON", "诸葛亮", "诸葛*"),
    ("CN_ADDRESS", "北京市朝阳区建国路88号3栋2单元501室", "北京市朝阳区****"),
    ("CN_ADDRESS", "广东省深圳市南山区科技园路1号", "广东省深圳市南山区****"),
    ("CN_ADDRESS", "浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****"),
    ("CN_ADDRESS", "建国路88号", "****"),
    ("CN_ADDRESS", "上海社区", "****"),          # a community is not a district
    ("CN_ADDRESS", "朝阳区", "****"),            # a mask never keeps the whole value
    ("CN_ADDRESS", "北京市东城区东四北大街1号", "北京市东城区****"),
])
def test_mask_follows_spec(entity, value, expected):
    assert mask(entity, value) == expected


def test_mask_never_returns_the_value_for_short_input():
    for value in ("1", "12", "1234", "张三"):
        assert mask("CN_MOBILE", value) != value
        assert mask("UNKNOWN_TYPE", value) != value


def test_keep_ends_keeps_separators_in_place():
    assert keep_ends("1234-5678-9012", 2, 2) == "12**-****-**12"

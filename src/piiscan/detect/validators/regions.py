"""GB/T 2260 administrative-division codes, read from python-stdnum's loc.dat.

Membership of an ID's first six digits in this set (any period, current or
historical) raises confidence; it never rejects, because codes are assigned
at registration and stdnum's own year check rejects real numbers.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# First two digits of a resident ID (GB 11643): provinces, plus 71 Taiwan and
# 81/82/83 for the Hong Kong/Macau/Taiwan residence permits.
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省",
    "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区", "83": "台湾地区(居住证)",
}


@cache
def region_codes() -> frozenset[str]:
    """Every six-digit code loc.dat has ever listed."""
    codes = {"710000", "810000", "820000", "830000"}
    province = ""
    text = files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line[0].isdigit():
            province = line.split()[0]
            codes.add(province + "0000")
        else:
            codes.add(province + line.split()[0])
    return frozenset(codes)

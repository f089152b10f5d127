"""Chinese postal addresses, for the rule-based recognizers: a value under an
address header (地址, 住址…) or after a cue (住所：…)."""

from __future__ import annotations

import re

from piiscan.detect.validators import REJECT, Verdict
from piiscan.detect.validators.regions import PROVINCES

LEVELS = re.compile(r"省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道|大道|路|街|巷|弄|胡同|"
                     r"村|组|小区|花园|大厦|公寓|号|栋|幢|座|单元|室|楼|层")
_PROVINCE_NAMES = tuple(sorted({name[:2] for name in PROVINCES.values()}))
_COMPANY = ("公司", "银行", "集团", "中心", "事务所")


def validate_address(value: str) -> Verdict:
    text = value.strip()
    if len(text) < 6 or text.endswith(_COMPANY):
        return REJECT
    levels = set(LEVELS.findall(text))
    starts_with_region = text.startswith(_PROVINCE_NAMES)
    if len(levels) >= 2 or (starts_with_region and levels):
        return Verdict(None, "address levels present", text, metadata={"levels": len(levels)})
    return REJECT

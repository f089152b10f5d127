"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

from stdnum.cn import uscc

from piiscan.core.normalize import compact
from piiscan.detect.validators import REJECT, Verdict

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def gb32100_check_char(body17: str) -> str:
    """MOD 31 check character of the first 17 characters (python-stdnum's; our validity
    rule below differs: a letter department code such as Y1 is valid here)."""
    return uscc.calc_check_digit(body17[:17])


def gb11714_check_char(body8: str) -> str:
    """Check character of a GB 11714 organisation code (positions 9-17 of a USCC)."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_uscc(value: str) -> bool:
    code = compact(value)
    return (
        len(code) == 18
        and all(c in ALPHABET for c in code)
        and code[2:8].isdigit()
        and gb32100_check_char(code[:17]) == code[17]
    )


def validate_uscc(value: str) -> Verdict:
    code = compact(value)
    if not is_valid_uscc(code):
        return REJECT
    org_check = gb11714_check_char(code[8:16]) == code[16]
    individual = code.startswith("92")
    # An organisation's code is not personal information; an individual
    # business (个体工商户, prefix 92) is tied to one natural person.
    meta = {"individual_business": individual, "personal": individual, "org_code_check": org_check}
    score = 1.0 if org_check else 0.85
    return Verdict(score, "GB 32100 MOD 31 check valid", code, metadata=meta)

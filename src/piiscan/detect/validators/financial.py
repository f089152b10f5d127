"""Authentication data and labelled amounts: values that only a header or a cue
(密码：, 余额：) makes sensitive."""

from __future__ import annotations

import re

from piiscan.detect.validators import REJECT, Verdict
from piiscan.detect.validators.names import is_cjk

_ALREADY_MASKED = set("*•●·xX#")
_FULL_DATE = re.compile(r"\d{4}\s*[-/.年]")
_AMOUNT = re.compile(r"-?[0-9][0-9,]*(?:\.[0-9]+)?")


def validate_auth_value(value: str) -> Verdict:
    """A password, PIN, CVN2 or expiry written next to its label."""
    text = value.strip()
    if not 3 <= len(text) <= 64 or set(text) <= _ALREADY_MASKED or is_cjk(text):
        return REJECT  # 见信封, ****** and the like are not secrets
    if _FULL_DATE.search(text):
        return REJECT  # 有效期：2025年12月31日 is a contract's or an ID card's term, not a card's
    return Verdict(None, "value under an authentication label", text)


def validate_amount(value: str) -> Verdict:
    found = _AMOUNT.search(value)
    if not found:
        return REJECT
    digits = found.group().replace(",", "")
    if len(digits.split(".")[0].lstrip("-")) > 13:
        return REJECT  # too long for an amount: an account or ID number
    amount = float(digits) * (10000 if "万" in value else 1)
    return Verdict(None, "amount under a balance or income label", f"{amount:.2f}")

"""Mainland mobile and landline numbers, validated offline with phonenumbers."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType, carrier

from piiscan.core.normalize import compact, to_halfwidth
from piiscan.detect.validators import REJECT, Verdict

_EXTENSION = re.compile(r"\s*(?:-|转|ext\.?|x)\s*(\d{1,6})$", re.IGNORECASE)


def _parse_cn(digits: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(digits, "CN")
    except (phonenumbers.NumberParseException, AssertionError):  # 116… trips an assert inside phonenumbers
        return None


def _national(value: str) -> str:
    """Digits of the national number: +86/0086 dropped, the 0 trunk prefix restored."""
    digits = compact(value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
            is_mobile = len(digits) == 11 and digits[0] == "1"
            return digits if is_mobile or digits[0] == "0" else "0" + digits
    return digits


def validate_mobile(value: str) -> Verdict:
    digits = _national(value)
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        return REJECT
    carrier_name = _mobile_block(digits[:7])
    if carrier_name is None:
        if digits[1] in "3456789":  # a block phonenumbers does not know yet (149…, data-only SIMs):
            return Verdict(0.0, "mobile shape, block not in phonenumbers", digits,  # only beside 手机/电话
                           needs_context=True, context_score=0.6)
        return REJECT
    return Verdict(0.75, "valid CN mobile block (phonenumbers)", digits, metadata={"carrier": carrier_name})


@lru_cache(maxsize=65536)
def _mobile_block(block: str) -> str | None:
    """The carrier of a 7-digit mobile block (号段), None if it is not a mobile block.
    phonenumbers decides both within the first 7 digits of an 11-digit mobile
    (its CN mobile pattern is a prefix of at most 5 digits then \\d{6}; its carrier
    prefixes are shorter), so one parse per block serves a whole ledger: a parse
    costs ~100 µs, most of a phone finding's cost before this cache."""
    number = _parse_cn(block + "0000")
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE,
                                                PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return carrier.name_for_number(number, "zh") or "unknown"


def validate_landline(value: str) -> Verdict:
    text = to_halfwidth(value).strip()
    extension = _EXTENSION.search(text)
    main = text[: extension.start()] if extension else text
    digits = _national(main)
    number = _parse_cn(digits)
    if number is None or not phonenumbers.is_valid_number(number):
        return REJECT
    if phonenumbers.number_type(number) not in (PhoneNumberType.FIXED_LINE,
                                                PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return REJECT  # 400/800 shared-cost and toll-free lines belong to businesses
    meta = {"has_extension": bool(extension)}
    written_as_number = any(c in main for c in " -()")
    score = 0.6 if written_as_number else 0.4
    return Verdict(score, "valid CN fixed line for its area code (phonenumbers)", digits, metadata=meta)

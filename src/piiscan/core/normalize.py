"""Text normalisation that never changes string length, so offsets survive.

Chinese documents mix full-width digits and letters (１３８…), ideographic
spaces and assorted dashes into numbers. Each is mapped to one ASCII
character, so a match found in the normalised text has the same offsets in
the original.
"""

from __future__ import annotations

import re

_ONE_TO_ONE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # full-width ASCII
_ONE_TO_ONE.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20})  # spaces
_ONE_TO_ONE.update({code: ord("-") for code in range(0x2010, 0x2016)})  # dashes
_ONE_TO_ONE[0x2212] = ord("-")  # minus sign
_NEEDS_MAPPING = re.compile("[\uff01-\uff5e\u3000\u00a0\u2007\u202f\u2010-\u2015\u2212]")

_SEPARATORS = re.compile(r"[\s\-.·()（）]")


def to_halfwidth(text: str) -> str:
    """Map full-width forms, odd spaces and dashes to ASCII, one char for one char."""
    if _NEEDS_MAPPING.search(text) is None:
        return text
    return text.translate(_ONE_TO_ONE)


def compact(value: str) -> str:
    """The value without separators, half-width and upper-case: the form validators check."""
    return _SEPARATORS.sub("", to_halfwidth(value)).upper()

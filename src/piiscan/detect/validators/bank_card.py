"""Bank card numbers (PAN): Luhn plus a longest-prefix BIN lookup.

The BIN table is hexindai/bcbc (MIT, © Runrioter), shipped in
piiscan/data/bank_bins with its licence.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files
from typing import NamedTuple

from stdnum import luhn

from piiscan.core.normalize import compact
from piiscan.detect.validators import REJECT, Verdict

CARD_TYPES = {"DC": "debit", "CC": "credit", "SCC": "semi-credit", "PC": "prepaid"}
# Issuer prefixes that plausibly belong to cards used in China: UnionPay 62 and
# 81, legacy domestic 9, Visa 4, Mastercard 51-55/2221-2720, JCB 35, Amex 34/37.
_PLAUSIBLE_IIN = ("62", "81", "9", "4", "51", "52", "53", "54", "55", "22", "23", "24",
                  "25", "26", "27", "35", "34", "37")


class BinInfo(NamedTuple):
    bin: str
    bank_code: str
    bank: str
    card_type: str
    length: int


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 Luhn check over a string of digits (python-stdnum's)."""
    return luhn.is_valid(digits)


@cache
def _bin_table() -> dict[str, BinInfo]:
    folder = files("piiscan.detect").joinpath("data", "bank_bins")
    with folder.joinpath("name.csv").open(encoding="utf-8") as fh:
        names = {row["bank"]: row["name"] for row in csv.DictReader(fh)}
    table = {}
    with folder.joinpath("bin.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table[row["bin"]] = BinInfo(row["bin"], row["bank"], names.get(row["bank"], row["bank"]),
                                        CARD_TYPES.get(row["type"], row["type"]), int(row["length"]))
    return table


def bin_lookup(digits: str) -> BinInfo | None:
    """The longest BIN (3 to 10 digits) that prefixes the number."""
    table = _bin_table()
    for size in range(min(10, len(digits)), 2, -1):
        info = table.get(digits[:size])
        if info is not None:
            return info
    return None


def validate_bank_card(value: str) -> Verdict:
    digits = compact(value)
    if not digits.isdigit() or not 15 <= len(digits) <= 19:
        return REJECT
    info = bin_lookup(digits)
    meta = {"bank": info.bank, "card_type": info.card_type} if info else {}
    if luhn_valid(digits):
        if info:
            score = 1.0 if info.length == len(digits) else 0.9
            return Verdict(score, "Luhn valid, known BIN", digits, metadata=meta)
        if digits.startswith(_PLAUSIBLE_IIN) and (len(digits) != 15 or digits[:2] in ("34", "37")):
            return Verdict(0.6, "Luhn valid, issuer prefix plausible, BIN unknown", digits)
        return Verdict(0.0, "Luhn valid, unknown issuer", digits, needs_context=True,
                       context_score=0.5)
    if info:
        # Legacy domestic cards are said to fail Luhn: low confidence, not dropped.
        return Verdict(0.0, "Luhn failed, known BIN", digits, needs_context=True,
                       context_score=0.5, metadata=meta | {"luhn_valid": False})
    return REJECT

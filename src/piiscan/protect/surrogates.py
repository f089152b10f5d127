"""Realistic fake values that keep the format and pass the checksums.

Deterministic per (key, entity, canonical value): a `random.Random` seeded with a
keyed HMAC, so the same value maps to the same surrogate in every file and run,
and nobody without the key can tell which real value a surrogate stands for.
Separators and letters of the original stay where they are; digits are replaced.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from functools import cache
from typing import Callable

from piiscan.classify.masking import _DISTRICT
from piiscan.core.normalize import compact, to_halfwidth
from piiscan.detect.validators.bank_card import bin_lookup, luhn_valid
from piiscan.detect.validators.names import surnames
from piiscan.detect.validators.phone import validate_landline, validate_mobile
from piiscan.detect.validators.regions import region_codes
from piiscan.detect.validators.resident_id import gb11643_check_char

_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建国志红梅海波宁云飞鑫晨雪琳浩宇子涵欣怡"
_ROADS = ("建设路", "人民路", "解放路", "中山路", "和平路", "新华路", "文化路", "青年路", "光明路", "胜利路")


def _put_digits(template: str, digits: str) -> str:
    """`digits` written into the digit positions of `template` (full-width digits become ASCII)."""
    out, it = [], iter(c for c in digits if c.isdigit())
    for char in to_halfwidth(template):
        out.append(next(it, char) if char.isdigit() else char)
    return "".join(out)


@cache
def _regions() -> tuple[str, ...]:
    return tuple(sorted(region_codes()))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def resident_id(value: str, rng: random.Random) -> str:
    number = compact(value).upper()
    if len(number) == 15:  # legacy: region + YYMMDD + 3; same decade, no check digit
        year = int(number[6:8]) // 10 * 10 + rng.randrange(10)
        born = dt.date(1900 + year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        new = rng.choice(_regions()) + born.strftime("%y%m%d") + _digits(rng, 3)
        return _put_digits(value, new)
    try:
        year = int(number[6:10])
    except ValueError:
        year = 1980
    band = year // 5 * 5  # the same five-year birth band
    today = dt.date.today()
    while True:
        born = dt.date(band, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        if born < today:
            break
        band -= 5
    sequence = _digits(rng, 2) + str(int(number[16]) % 2 + 2 * rng.randrange(5)) if number[16:17].isdigit() \
        else _digits(rng, 3)  # the gender digit keeps its parity
    body = rng.choice(_regions()) + born.strftime("%Y%m%d") + sequence
    new = body + gb11643_check_char(body)
    out = _put_digits(value, new[:17])
    last = [i for i, c in enumerate(out) if c.isalnum()][-1]
    return out[:last] + new[17] + out[last + 1:]


def permanent_residence_id(value: str, rng: random.Random) -> str:
    """Leading 9 and the first six digits kept, a date in the same five-year band, MOD 11-2."""
    number = compact(value).upper()
    body = number[:6] + resident_id("110101" + number[6:], rng)[6:17]
    return _put_digits(value, body + gb11643_check_char(body))


def bank_card(value: str, rng: random.Random) -> str:
    digits = compact(value)
    info = bin_lookup(digits)
    keep = len(info.bin) if info else 6
    while True:
        body = digits[:keep] + _digits(rng, len(digits) - keep - 1)
        for check in "0123456789":
            if luhn_valid(body + check):
                break
        if body + check != digits:
            return _put_digits(value, body + check)


def mobile(value: str, rng: random.Random) -> str:
    digits = compact(value)
    head = len(digits) - 11  # +86 / 0086 stays
    for _ in range(200):
        new = digits[: head + 3] + _digits(rng, 8)
        if new != digits and validate_mobile(new).score:
            return _put_digits(value, new)
    return _put_digits(value, digits[: head + 3] + "00000000")


def landline(value: str, rng: random.Random) -> str:
    text = to_halfwidth(value)
    match = re.match(r"^(\D*(?:\+?86)?\D*\(?0?(?:10|2\d|[3-9]\d{2})\)?[ -]?)(.*)$", text)
    area, rest = match.groups() if match else ("", text)
    count = sum(c.isdigit() for c in rest)
    for _ in range(200):
        subscriber = str(rng.randint(2, 8)) + _digits(rng, count - 1)
        new = area + _put_digits(rest, subscriber)
        if new != text and validate_landline(new).score:
            return new
    return area + _put_digits(rest, "2" * count)


def person(value: str, rng: random.Random) -> str:
    """A random surname (compound for a compound one) and given name of the same length."""
    name = value.strip()
    if not name or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return "".join(rng.choice("ABCDEFGHJKLMNPRSTWXYZ") if c.isalpha() else c for c in name)
    compound, single = surnames()
    pool = sorted(compound if len(name) >= 3 and name[:2] in compound else single)
    surname = rng.choice(pool)
    given = "".join(rng.choice(_GIVEN) for _ in range(max(1, len(name) - len(surname))))
    return surname + given


def address(value: str, rng: random.Random) -> str:
    kept = _DISTRICT.match(value).group()
    return kept + rng.choice(_ROADS) + f"{rng.randint(1, 399)}号"


def email(value: str, rng: random.Random) -> str:
    return f"user{rng.randrange(16 ** 6):06x}@example.com"


def document(value: str, rng: random.Random) -> str:
    """Passports and permits: letters kept, digits random."""
    return "".join(rng.choice("0123456789") if c.isdigit() else c for c in to_halfwidth(value))


def plate(value: str, rng: random.Random) -> str:
    text = value.strip()
    head = text[:2]
    tail = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") if c.isalnum() else c for c in text[2:])
    return head + tail


def ip(value: str, rng: random.Random) -> str:
    if ":" in value:
        return f"fd00::{rng.randrange(1 << 16):x}:{rng.randrange(1 << 16):x}"
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


# by the name a policy entry gives as its `surrogate`
GENERATORS: dict[str, Callable[[str, random.Random], str]] = {
    "resident_id": resident_id,
    "permanent_residence_id": permanent_residence_id,
    "bank_card": bank_card,
    "mobile": mobile,
    "landline": landline,
    "person": person,
    "address": address,
    "email": email,
    "document": document,
    "plate": plate,
    "ip": ip,
}

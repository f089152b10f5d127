"""Resident identity numbers: GB 11643-1999 (18 digits), GB 11643-1989 (15 digits),
the 2018 HK/Macau/Taiwan residence permits and the 2023 permanent-residence ID."""

from __future__ import annotations

import datetime as dt

from stdnum.cn import ric

from piiscan.core.normalize import compact
from piiscan.detect.validators import REJECT, Verdict
from piiscan.detect.validators.regions import PROVINCES, region_codes

_PERMIT_PREFIXES = {"810000": "hk_residence_permit", "820000": "macau_residence_permit",
                    "830000": "taiwan_residence_permit"}


def gb11643_check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits (python-stdnum's)."""
    return ric.calc_check_digit(body17[:17] + "0")  # stdnum takes the whole number and skips its last character


def birth_date(number: str) -> dt.date | None:
    """The YYYYMMDD birth date inside an 18-digit number, if it is a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_band(born: dt.date, today: dt.date | None = None) -> str:
    """Coarse age band: enough for the under-14 rule, too coarse to re-identify."""
    today = today or dt.date.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for limit, band in ((14, "0-13"), (18, "14-17"), (30, "18-29"), (45, "30-44"), (60, "45-59")):
        if age < limit:
            return band
    return "60+"


def is_valid_resident_id(value: str, today: dt.date | None = None) -> bool:
    """18-digit format, province prefix, real past birth date from 1900, MOD 11-2."""
    number = compact(value)
    if len(number) != 18 or not number[:17].isdigit() or number[0] == "0":
        return False
    born = birth_date(number)
    today = today or dt.date.today()
    return (
        number[:2] in PROVINCES
        and born is not None
        and dt.date(1900, 1, 1) <= born <= today
        and gb11643_check_char(number[:17]) == number[17]
    )


def upgrade_legacy_id(value: str) -> str:
    """The 18-digit form of a 15-digit GB 11643-1989 number (year 19YY, check appended)."""
    number = compact(value)
    body = number[:6] + "19" + number[6:]
    return body + gb11643_check_char(body)


def _id_metadata(number: str) -> dict:
    born = birth_date(number)
    meta = {"province": PROVINCES[number[:2]], "age_band": age_band(born)}
    meta["minor_under_14"] = meta["age_band"] == "0-13"
    kind = _PERMIT_PREFIXES.get(number[:6])
    if kind:
        meta["document"] = kind
    return meta


def validate_resident_id(value: str) -> Verdict:
    number = compact(value)
    if not is_valid_resident_id(number):
        return REJECT
    known_region = number[:6] in region_codes()
    meta = _id_metadata(number) | {"region_code_known": known_region}
    score = 1.0 if known_region else 0.85
    return Verdict(score, "MOD 11-2 check, birth date and province valid", number, metadata=meta)


def validate_legacy_id(value: str) -> Verdict:
    """15 digits carry no check digit: only reported next to a context word."""
    number = compact(value)
    if len(number) != 15 or not number.isdigit():
        return REJECT
    upgraded = upgrade_legacy_id(number)
    if not is_valid_resident_id(upgraded):
        return REJECT
    meta = _id_metadata(upgraded) | {"legacy_15_digit": True}
    return Verdict(0.0, "15-digit legacy format with a valid date", upgraded,
                   needs_context=True, context_score=0.7, metadata=meta)


def validate_permanent_residence_id(value: str) -> Verdict:
    """2023 foreigner permanent-residence ID: 18 digits, leading 9, MOD 11-2."""
    number = compact(value)
    if len(number) != 18 or number[0] != "9" or not number[:17].isdigit():
        return REJECT
    if gb11643_check_char(number[:17]) != number[17]:
        return REJECT
    # The inner layout (a birth date at 7-14) is not confirmed: a boost, not a rule.
    score = 0.6 if birth_date(number) else 0.45
    return Verdict(score, "leading 9 and MOD 11-2 check valid", number)

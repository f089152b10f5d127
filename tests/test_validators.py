"""The spec's worked examples (cn-pii-spec.md) against the plain validator functions."""

import datetime as dt

import pytest

from piiscan.detect.validators import get
from piiscan.detect.validators.bank_card import bin_lookup, luhn_valid
from piiscan.detect.validators.phone import _parse_cn, validate_landline, validate_mobile
from piiscan.detect.validators.resident_id import (age_band, gb11643_check_char, is_valid_resident_id,
                                            upgrade_legacy_id, validate_resident_id)
from piiscan.detect.validators.uscc import gb11714_check_char, gb32100_check_char, is_valid_uscc


def test_gb11643_worked_examples():
    assert gb11643_check_char("11010519491231002") == "X"  # S=167, R=2
    assert gb11643_check_char("44052418800101001") == "4"  # S=195, R=8


def test_the_standards_own_1880_example_is_rejected_by_design():
    assert gb11643_check_char("44052418800101001") == "4"
    assert not is_valid_resident_id("440524188001010014")  # born 1880: no living holder


def test_legacy_upgrade():
    assert upgrade_legacy_id("110105491231002") == "11010519491231002X"


def test_birth_date_metadata_and_minor_flag():
    child = "11010120150101001" + gb11643_check_char("11010120150101001")
    meta = validate_resident_id(child).metadata
    assert meta["minor_under_14"] and meta["age_band"] == "0-13" and meta["province"] == "北京市"
    assert age_band(dt.date(2000, 6, 1), today=dt.date(2014, 5, 31)) == "0-13"
    assert age_band(dt.date(2000, 6, 1), today=dt.date(2014, 6, 1)) == "14-17"


def test_luhn_worked_example_and_bin_lookup():
    assert luhn_valid("6222020200123456788") and not luhn_valid("6222020200123456789")
    info = bin_lookup("6222020200123456788")
    assert (info.bin, info.bank, info.card_type, info.length) == ("622202", "中国工商银行", "debit", 19)
    assert bin_lookup("9558800000000000018").bin == "95588"  # longest prefix among 3-10 digit BINs
    assert bin_lookup("1234567890123456") is None


def test_gb32100_and_gb11714_worked_examples():
    assert gb32100_check_char("91110000600037341") == "L"  # sum 538, 538 mod 31 = 11, 31-11 = 20 -> L
    assert gb11714_check_char("60003734") == "1"  # sum 109 -> 1
    letter_code = "Y1110000MA0000000"
    assert is_valid_uscc(letter_code + gb32100_check_char(letter_code))


@pytest.mark.parametrize("number, valid", [
    ("13800138000", True), ("19212345678", True), ("14912345678", False), ("17412345678", False),
    ("+8613800138000", True), ("0086 138 0013 8000", True),
])
def test_mobile_blocks(number, valid):
    assert (validate_mobile(number).score > 0) == valid


def test_mobile_block_cache_agrees_with_phonenumbers_on_every_block():
    """validate_mobile decides by the 7-digit block; phonenumbers, asked about the whole
    number, must agree for random numbers in every 5-digit prefix 1xxxx."""
    import random

    import phonenumbers
    from phonenumbers import PhoneNumberType, carrier

    rng = random.Random(5)
    for prefix in range(10000, 20000):
        digits = f"{prefix}{rng.randrange(10**6):06d}"
        number = _parse_cn(digits)
        mobile = number is not None and phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
            PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
        verdict = validate_mobile(digits)
        assert (verdict.score > 0) == mobile, digits
        if mobile:
            assert verdict.metadata["carrier"] == (carrier.name_for_number(number, "zh") or "unknown"), digits


@pytest.mark.parametrize("number, valid", [
    ("010-62345678", True), ("0571-88888888", True), ("0571-8888888", False), ("010-62345678转123", True),
    ("(0755)82345678 ext 12", True), ("4008208820", False), ("95588", False),
])
def test_landlines(number, valid):
    assert (validate_landline(number).score > 0) == valid


def test_unknown_validator_names_the_known_ones():
    with pytest.raises(KeyError, match="gb11643_resident_id"):
        get("no_such_validator")

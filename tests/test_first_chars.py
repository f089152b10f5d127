"""piiscan.detect.first_chars: the class of a pattern's possible first characters
must hold every character a match can start with (a miss would skip a recognizer),
under re's own case rules too."""

import random
import re

import pytest

from piiscan.detect.first_chars import first_chars
from piiscan.detect.recognizer import load_specs


def test_case_insensitive_letters_match_exactly_what_re_matches():
    """re.IGNORECASE takes ſ for s, ı and İ for i, the Kelvin sign for k: the class
    holds exactly the characters re matches, over every code point."""
    for letter in "sik":
        pattern = re.compile(f"(?i:{letter})")
        gate = re.compile(first_chars(f"(?i:{letter})x"))
        differ = [hex(c) for c in range(0x110000) if bool(pattern.fullmatch(chr(c))) != bool(gate.fullmatch(chr(c)))]
        assert differ == [], letter


@pytest.mark.parametrize("pattern", [r"\d{4}", ".abc", "[^a]b", "a?", "", r"\w+", "(?s:.)x"])
def test_what_cannot_be_told_exactly_gives_no_gate(pattern):
    assert first_chars(pattern) is None


def test_lookarounds_anchors_and_repeats_pass_to_what_follows():
    assert re.fullmatch(first_chars(r"(?<![0-9])(?:a|b{0,2}c)"), "c")
    assert re.fullmatch(first_chars(r"^(?=x)[xy]"), "y")
    assert first_chars("a{0,3}") is None
    assert {c for c in "abcd" if re.fullmatch(first_chars("a*b|c"), c)} == set("abc")


def test_every_shipped_prefilters_matches_start_inside_its_class():
    """Random text salted with each prefilter's own examples: wherever the prefilter
    matches, the character there is in its class."""
    rng = random.Random(5)
    alphabet = "0123456789 -:：,，()（）@.XxABCHLMEPSKN甲方乙联系人客户姓名身份证件地址住余额收入密码口令男女族先生董事长京沪粤ſıİK"
    text = "".join(rng.choice(alphabet) for _ in range(200_000))
    checked = 0
    for spec in load_specs():
        chars = first_chars(spec.prefilter)
        if chars is None:
            continue
        gate = re.compile(chars)
        for match in re.finditer(spec.prefilter, text):
            assert gate.match(text, match.start()), (spec.id, match.group())
            checked += 1
    assert checked > 1000

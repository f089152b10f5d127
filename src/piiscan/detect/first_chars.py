"""The characters a pattern's match can begin with, as one character class.

A block of cells is gated by each recognizer's prefilter (Detector.detect_many).
Python's re scans a long alternation of words (甲方|乙方|…|(?i:name)) slowly, a
character class quickly: so a prefilter whose first characters can be told is
first looked for by them, and only the texts holding one of them are searched
with the prefilter itself. The class must hold every character a match can start
with (a superset is safe, a character missing is a miss): what cannot be told
exactly (a category such as \\d, any character, a negated class, a pattern that
can match empty text) gives None, and the prefilter is used as it is."""

from __future__ import annotations

import re
from functools import cache
from typing import Optional

try:  # re's own parser and case table: their answers are the matcher's by construction
    from re import _parser as sre
    from re import _constants as sc
    from re._casefix import _EXTRA_CASES
except ImportError:  # another Python's internals: no gate, the prefilters as they are
    sre = None

Ranges = list[tuple[int, int]]
_CASE_FOLD_LIMIT = 512  # characters of a class folded one by one under IGNORECASE; a wider class: no gate


def first_chars(pattern: str) -> Optional[str]:
    """A character class matching every character a match of `pattern` can start
    with, or None when that cannot be told."""
    if sre is None:
        return None
    try:
        parsed = sre.parse(pattern)
    except re.error:
        return None
    ranges, nullable = _sequence(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    if ranges is None or nullable or not ranges:
        return None
    return "[" + "".join(_escaped(lo) if lo == hi else f"{_escaped(lo)}-{_escaped(hi)}"
                         for lo, hi in sorted(set(ranges))) + "]"


def _escaped(code: int) -> str:
    return "\\U%08x" % code


def _sequence(items: list, icase: bool) -> tuple[Optional[Ranges], bool]:
    """(first characters, whether the sequence can match empty text)."""
    found: Ranges = []
    for op, av in items:
        ranges, nullable = _item(op, av, icase)
        if ranges is None:
            return None, False
        found += ranges
        if not nullable:
            return found, False
    return found, True


def _item(op, av, icase: bool) -> tuple[Optional[Ranges], bool]:
    if op is sc.LITERAL:
        return _folded([(av, av)], icase), False
    if op is sc.IN:
        ranges: Ranges = []
        for kind, value in av:
            if kind is sc.LITERAL:
                ranges.append((value, value))
            elif kind is sc.RANGE:
                ranges.append(value)
            else:  # NEGATE, CATEGORY (\d, \s, \w)
                return None, False
        return _folded(ranges, icase), False
    if op is sc.BRANCH:
        found: Ranges = []
        nullable = False
        for branch in av[1]:
            ranges, empty = _sequence(list(branch), icase)
            if ranges is None:
                return None, False
            found += ranges
            nullable = nullable or empty
        return found, nullable
    if op is sc.SUBPATTERN:
        _, add, remove, inner = av
        inner_icase = (icase or bool(add & sc.SRE_FLAG_IGNORECASE)) and not remove & sc.SRE_FLAG_IGNORECASE
        return _sequence(list(inner), inner_icase)
    if op in (sc.MAX_REPEAT, sc.MIN_REPEAT, sc.POSSESSIVE_REPEAT):
        low, _, inner = av
        ranges, nullable = _sequence(list(inner), icase)
        return ranges, nullable or low == 0
    if op is sc.ATOMIC_GROUP:
        return _sequence(list(av), icase)
    if op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):  # zero width: what follows starts the match
        return [], True
    return None, False  # ANY, NOT_LITERAL, GROUPREF, conditionals…


def _folded(ranges: Ranges, icase: bool) -> Optional[Ranges]:
    """Under IGNORECASE, every character that matches one of the ranges' characters:
    re lowers both sides, and takes the extra cases (ſ for s, ı for i) as equal."""
    if not icase:
        return ranges
    if sum(hi - lo + 1 for lo, hi in ranges) > _CASE_FOLD_LIMIT:
        return None
    import _sre

    with_lower = _with_lower()
    found: Ranges = []
    for lo, hi in ranges:
        for code in range(lo, hi + 1):
            low = _sre.unicode_tolower(code)
            for equal in (low,) + _EXTRA_CASES.get(low, ()):
                found += [(c, c) for c in with_lower.get(equal, (equal,))]
    return found


@cache
def _with_lower() -> dict[int, tuple[int, ...]]:
    """Lower-case code -> the characters whose lower case it is (itself included),
    for the lower cases that more than one character has."""
    import _sre

    found: dict[int, set[int]] = {}
    for code in range(0x110000):
        low = _sre.unicode_tolower(code)
        if low != code:
            found.setdefault(low, {low}).add(code)
    return {low: tuple(sorted(codes)) for low, codes in found.items()}

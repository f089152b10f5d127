"""Deciding what a table column holds from its header and a profile of its values.

A column of names is told by its values more than by its header: users head a
column of people in hundreds of ways (受益人, 签收人, payee, xm…) or not at all.
So each value is scored on its own (piiscan.detect.columns.values), the column's
shares are weighed with what the header says (piiscan.detect.columns.headers),
and rows holding an ID or a phone count as evidence that a name beside them is
one. The decision then applies to every value of the column: `ALL` takes every
value that could be a name (王芳 included), `LIKELY` only those that read as
names on their own (a column mixing people and companies)."""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Optional

from piiscan.core.model import VALUE_CACHE
from piiscan.detect.columns.headers import Says, header_says
from piiscan.detect.columns.values import (FILLERS, chinese_name_score, compact, is_organisation, is_place,
                                           latin_name_score, name_score, without_annotation)

ALL, LIKELY = "all", "likely"
NAMELIKE = 0.5
POSSIBLE = 0.2  # a known surname, 2-4 characters: under a header naming people, enough
LIKELY_NAME = 0.55  # in a column of people and organisations, a value must read as a name this well
MEAN_OF_NAMES = 0.66
_SEPARATORS = "、,，;；/|\n"  # a value's name score from which it counts as a name in the column's share


@dataclass
class ColumnProfile:
    """Counts over the values of one column (the profiled rows only)."""

    headers: dict[str, int] = field(default_factory=dict)
    values: int = 0
    names: int = 0  # values with name_score >= NAMELIKE
    score_sum: float = 0.0  # of the values' name scores
    possible: int = 0  # values that could be a name (a known surname and a name's shape)
    organisations: int = 0
    places: int = 0
    rows_with_identifier: int = 0  # values in rows holding an ID, a phone or a card
    names_with_identifier: int = 0
    possible_with_identifier: int = 0  # values there that could be names (a known surname, 2-4 characters)
    documents: dict[str, int] = field(default_factory=dict)  # entity -> values it matched whole
    identifiers: dict[str, int] = field(default_factory=dict)  # entity -> values the recognizers found in

    def add(self, value: str, header: Optional[str], identified_row: bool) -> None:
        if header:
            self.headers[header] = self.headers.get(header, 0) + 1
        text = compact(value)
        if not text or text in FILLERS:
            return
        self.values += 1
        parts = split_list(value)  # 张三、李四: a list of names counts as names
        score = min((name_score(part) for _, _, part in parts), default=0.0)
        self.score_sum += score
        self.possible += score >= POSSIBLE
        named = score >= NAMELIKE
        self.names += named
        plain = without_annotation(text)  # 王芳（经理） is no organisation
        self.organisations += is_organisation(plain)
        self.places += is_place(plain)
        if identified_row:
            self.rows_with_identifier += 1
            self.names_with_identifier += named
            self.possible_with_identifier += score >= POSSIBLE

    def add_document(self, entity: str) -> None:
        self.documents[entity] = self.documents.get(entity, 0) + 1

    def add_identifier(self, entity: str) -> None:
        self.identifiers[entity] = self.identifiers.get(entity, 0) + 1

    @property
    def header(self) -> Optional[str]:
        return max(self.headers, key=self.headers.get) if self.headers else None


@dataclass(frozen=True)
class ColumnDecision:
    entity: str
    mode: str  # ALL or LIKELY (PERSON); ALL for documents
    confidence: float
    reason: str


def decide(profile: ColumnProfile) -> Optional[ColumnDecision]:
    """The column's entity, or None. Documents (passports, permits) first: their
    shapes are exact; then people."""
    if not profile.values:
        return None
    if profile.documents:
        entity, count = max(profile.documents.items(), key=lambda item: item[1])
        if count / profile.values >= 0.6:
            return ColumnDecision(entity, ALL, round(min(0.95, 0.6 + 0.35 * count / profile.values), 2),
                                  f"{count} of {profile.values} values have the form of {entity}")
    if profile.identifiers:  # a column of phones: one the validator doubts (149…) is a phone too
        entity, count = max(profile.identifiers.items(), key=lambda item: item[1])
        if entity in SHAPES and count / profile.values >= 0.5:
            return ColumnDecision(entity, ALL, 0.8, f"{count} of {profile.values} values are {entity}")
    return _person(profile, header_says(profile.header))


# What a value of an identifier column must look like to be taken without its checksum.
SHAPES = {"CN_MOBILE": re.compile(r"^(?:\+?86[- ]?)?1[3-9][0-9]{9}$"),
          "CN_RESIDENT_ID": re.compile(r"^[0-9]{17}[0-9Xx]$"), "CN_BANK_CARD": re.compile(r"^[0-9]{16,19}$")}


def shaped(entity: str, value: str) -> bool:
    pattern = SHAPES.get(entity)
    return bool(pattern and pattern.match(re.sub(r"[\s-]", "", value)))


def _person(p: ColumnProfile, says: Says) -> Optional[ColumnDecision]:
    share, mean = p.names / p.values, p.score_sum / p.values
    organisations = p.organisations / p.values
    beside_ids = p.names_with_identifier / p.rows_with_identifier if p.rows_with_identifier >= 3 else 0.0
    why = (f"{p.names} of {p.values} values read as names (mean score {mean:.2f}); "
           f"header {p.header!r} says {says.name.lower()}")
    if says == Says.PERSON and (share >= 0.3 or p.possible / p.values >= 0.5):  # 签收人 above 蔺雪松
        mode = ALL if organisations < 0.2 else LIKELY
        return ColumnDecision("PERSON", mode, 0.9, why)
    if says == Says.NOT_PERSON:
        return ColumnDecision("PERSON", LIKELY, 0.6, why) if share >= 0.9 else None
    # A column of names scores about 0.77 on average; of words that start with a
    # surname character (万达, 胡同, 白云) about 0.57 (benchmarks/tables, dev split).
    if (share >= 0.6 and mean >= MEAN_OF_NAMES) or beside_ids >= 0.6:
        mode = ALL if share >= 0.8 and organisations + p.places / p.values < 0.05 else LIKELY
        return ColumnDecision("PERSON", mode, round(0.6 + 0.3 * max(share, beside_ids), 2), why)
    if (p.rows_with_identifier >= 3 and p.possible_with_identifier >= 0.8 * p.rows_with_identifier
            and mean >= 0.4):  # every row holds an ID or a phone, and this column a possible name: 庄雪 beside it
        return ColumnDecision("PERSON", ALL, 0.75, why + "; beside IDs or phones in most rows")
    if share >= 0.15 and (says == Says.MIXED or (organisations >= 0.2 and share + organisations >= 0.7)):
        return ColumnDecision("PERSON", LIKELY, 0.7, why + "; a column of people and organisations")
    return None


def split_list(value: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each part of a value that may list several people
    (张三、李四 / 张三,李四), spaces around the parts left out."""
    parts, start = [], 0
    for i in range(len(value) + 1):
        if i == len(value) or value[i] in _SEPARATORS:
            part = value[start:i]
            stripped = part.strip()
            if stripped:
                lead = start + len(part) - len(part.lstrip())
                parts.append((lead, lead + len(stripped), stripped))
            start = i + 1
    return parts


def names_in(value: str, mode: str) -> list[tuple[int, int]]:
    """Spans of the names a PERSON column's value holds: the whole value, or each
    part of a list."""
    return list(_names_in(value, mode))


@lru_cache(maxsize=VALUE_CACHE)  # a column repeats its values; the spans depend on the value and mode alone
def _names_in(value: str, mode: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for start, _, part in split_list(value):
        name = without_annotation(part)  # 王芳（经理）: the name, not its note
        if _is_name(name, mode):
            spans.append((start, start + len(name)))
    return tuple(spans)


def _is_name(text: str, mode: str) -> bool:
    if mode == LIKELY:
        return name_score(text) >= LIKELY_NAME and not is_organisation(text)
    text_compact = compact(text)
    if not text_compact or text_compact in FILLERS or is_organisation(text_compact) or is_place(text_compact):
        return False
    # ALL: any short Chinese value (a rare surname, a one-character given name) or a name in letters
    return chinese_name_score(text) > 0 or latin_name_score(text) > 0

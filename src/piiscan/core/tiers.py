"""Sensitivity tiers: the one ranking of JR/T 0171 categories and the one rule of
what counts as personal information. Scan counts, the inventory's `personal`
column, reports and redaction all ask here, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Union

# JR/T 0171-2020 categories, least to most sensitive (C3: authentication data)
JRT0171 = ("none", "C1", "C2", "C3")
_RANK = {name: rank for rank, name in enumerate(JRT0171)}


def rank(jrt0171: str | None) -> int:
    """0 for none (or an unknown name), 3 for C3."""
    return _RANK.get(jrt0171 or "none", 0)


def name_of(tier_rank: int) -> str:
    return JRT0171[tier_rank]


def strictest_first(names) -> list[str]:
    return sorted(names, key=rank, reverse=True)


def sql_rank(column):
    """`rank()` as an SQL CASE over a column holding category names."""
    from sqlalchemy import case  # only the inventory's queries need it

    return case(*((column == name, r) for name, r in _RANK.items() if r), else_=0)


@dataclass(frozen=True, slots=True)
class Tier:
    """A classification: JR/T 0171 category, JR/T 0197 level, PIPL-sensitive."""

    jrt0171: str = "none"
    jrt0197: int = 1
    pipl_sensitive: bool = False

    def __or__(self, other: "Tier") -> "Tier":
        """The stricter of two tiers, field by field (就高从严)."""
        return _stricter(self, other)

    def to_dict(self) -> dict[str, Any]:
        return {"jrt0171": self.jrt0171, "jrt0197": self.jrt0197, "pipl_sensitive": self.pipl_sensitive}


@lru_cache(maxsize=1024)  # a handful of tiers, combined once per finding
def _stricter(a: Tier, b: Tier) -> Tier:
    return Tier(max(a.jrt0171, b.jrt0171, key=rank), max(a.jrt0197, b.jrt0197), a.pipl_sensitive or b.pipl_sensitive)


NOT_PI = Tier()
# An entity type the policy does not name (a user's own recognizer before its policy
# entry exists) is classified as identifying PI, so scan counts it and redact masks it.
UNLISTED = Tier("C2", 3, False)


def is_personal(tier: Union[Tier, Mapping[str, Any], None]) -> bool:
    """Personal information: any JR/T 0171 category above none, or PIPL-sensitive.
    A finding not classified yet (no tier) counts as personal: the safe side."""
    if tier is None or (isinstance(tier, Mapping) and not tier):
        return True
    if isinstance(tier, Tier):
        return tier.jrt0171 != "none" or tier.pipl_sensitive
    return tier.get("jrt0171", "C2") != "none" or bool(tier.get("pipl_sensitive"))

"""Named validators: plain functions from a matched string to a Verdict.

Recognizer definitions in recognizers/*.yaml name their validator; the
checksum helpers inside each module (gb11643_check_char, luhn_valid, …) are
plain functions for anyone to reuse. Every validator, built-ins included, is
declared under the ``piiscan.validators`` entry-point group (piiscan.core.registry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from piiscan.core.registry import VALIDATORS


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a validator says about one candidate.

    score: the confidence to report (0 rejects the candidate; None keeps the
        pattern's own score, for checks that only confirm the format).
    needs_context: keep it only when a context word is near; then use context_score.
    canonical: the normalised value, the input of the fingerprint.
    metadata: facts derived from the value that are not PI themselves (bank, age band…).
    """

    score: float | None
    reason: str
    canonical: str = ""
    needs_context: bool = False
    context_score: float = 0.0
    metadata: dict[str, Any] = field(default_factory=dict)


REJECT = Verdict(0.0, "rejected")

Validator = Callable[[str], Verdict]


def registry() -> dict[str, Validator]:
    """name → validator, built-ins included, from the ``piiscan.validators`` entry points."""
    return VALIDATORS.load_all()


def get(name: str) -> Validator:
    """The named validator; an unknown name raises UnknownName (a KeyError) listing the known ones."""
    return VALIDATORS.get(name)

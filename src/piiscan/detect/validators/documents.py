"""Travel documents and plates: no checksum exists, so the format decides the
base score (in the recognizer definition) and a context word lifts it."""

from __future__ import annotations

from piiscan.core.normalize import compact
from piiscan.detect.validators import REJECT, Verdict


def validate_document_number(value: str) -> Verdict:
    code = compact(value)
    digits = sum(c.isdigit() for c in code)
    if len(set(code[-7:])) == 1 or digits < 7:
        return REJECT  # E00000000 and the like are placeholders, not documents
    return Verdict(None, "format only", code)


def validate_plate(value: str) -> Verdict:
    code = compact(value)
    if len(code) not in (7, 8) or sum(c.isdigit() for c in code) < 2:
        return REJECT
    return Verdict(None, "format only", code)

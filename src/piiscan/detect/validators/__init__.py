"""Named validators: plain functions from a matched string to a Verdict.

Recognizer definitions in recognizers/*.yaml name their validator; the
checksum helpers inside each module (gb11643_check_char, luhn_valid, …) are
plain functions for anyone to reuse. Third parties add validators under the
``piiscan.detect.validators`` entry-point group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Callable


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


@cache
def registry() -> dict[str, Validator]:
    from piiscan.detect.validators import (address, bank_card, categories, documents, financial, names, network, phone,
                                    resident_id, uscc)

    found: dict[str, Validator] = {
        "gb11643_resident_id": resident_id.validate_resident_id,
        "gb11643_legacy_15": resident_id.validate_legacy_id,
        "permanent_residence_id": resident_id.validate_permanent_residence_id,
        "luhn_bank_card": bank_card.validate_bank_card,
        "cn_mobile": phone.validate_mobile,
        "cn_landline": phone.validate_landline,
        "gb32100_uscc": uscc.validate_uscc,
        "document_number": documents.validate_document_number,
        "license_plate": documents.validate_plate,
        "email": network.validate_email,
        "ip_address": network.validate_ip,
        "person_name": names.validate_person_name,
        "cn_address": address.validate_address,
        "auth_value": financial.validate_auth_value,
        "amount": financial.validate_amount,
        "category_keyword": categories.validate_category_keyword,
    }
    for ep in entry_points(group="piiscan.validators"):
        found.setdefault(ep.name, ep.load())
    return found


def get(name: str) -> Validator:
    try:
        return registry()[name]
    except KeyError:
        raise KeyError(f"unknown validator {name!r}; known: {', '.join(sorted(registry()))}") from None

"""Verification: every output is read back (the format's reader, plus what the
reader does not look at) and scanned with the same Detector. A finding that the
profile does not let the recipient see, and that is not text the redaction wrote
itself (a mask, a surrogate, a token), is a leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from piiscan.protect.operators import Redactor
from piiscan.protect.writers.base import Writer
from piiscan.pipeline.scanner import unit_location


@dataclass(frozen=True, slots=True)
class Leak:
    location: dict[str, Any]
    entity_type: str
    score: float
    value: str = field(default="", repr=False, compare=False)  # in memory for the second pass; never written

    def describe(self) -> str:
        where = ", ".join(f"{k} {v}" for k, v in self.location.items())
        return f"{self.entity_type} (score {self.score:.2f}) at {where}"


def verify(path: Path, writer: Writer, redactor: Redactor) -> list[Leak]:
    leaks, seen, seen_texts = [], set(), set()
    for unit in writer.units(path):
        # the same text from two extractors, a repeated cell value, or raw package
        # text already checked with its column header
        key = (unit.text, unit.header)
        if key in seen or (unit.header is None and unit.text in seen_texts):
            continue
        seen.add(key)
        seen_texts.add(unit.text)
        for d in redactor.detect(unit.text, header=unit.header):
            if redactor.operator_for(d) is None or redactor.is_own_output(unit.text, d.start, d.end):
                continue
            location, _, _ = unit_location(unit, d.start, d.end)
            leaks.append(Leak(safe_location(location, redactor), d.entity_type, d.score, d.value))
    return leaks


def safe_location(location: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """A location fit for messages and the manifest: a sheet named after a client
    ("13800138000") shows as <CN_MOBILE>."""
    safe = {}
    for key, value in location.items():
        if isinstance(value, str) and value:
            for d in sorted(redactor.detect(value), key=lambda d: -d.start):
                if redactor.operator_for(d) is not None:
                    value = value[:d.start] + f"<{d.entity_type}>" + value[d.end:]
        safe[key] = value
    return safe


def name_findings(path: Path, redactor: Redactor) -> list[str]:
    """Entity types in a file name (names are kept, so the user must rename)."""
    return sorted({d.entity_type for d in redactor.detect(path.stem) if redactor.operator_for(d)})

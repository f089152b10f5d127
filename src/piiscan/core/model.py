"""Plain values passed between readers, the engine and the reports. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import orjson

# Entries of each per-value cache (a validator's verdicts, masks and fingerprints, name
# scores): enough for the names, branches and statuses a ledger repeats; a column of
# distinct IDs fills it and gains nothing, so it is kept small (about 2 MB each).
VALUE_CACHE = 8192


@dataclass(frozen=True, slots=True)
class TextUnit:
    """A piece of text with the place it came from.

    location: {"sheet","cell"} | {"page"} | {"line"} | {"paragraph"} | {"table","row","column"} ….
    header: the column header of a table cell, used as context for the value.
    first_line: set when text spans several lines (a text block, a PDF page): findings
        then get {"line": n} added and offsets relative to that line.
    """

    text: str
    location: dict[str, Any]
    header: Optional[str] = None
    first_line: Optional[int] = None


@dataclass(frozen=True, slots=True)
class Detection:
    """One detected span inside a text. `value` stays in memory; reports never see it
    unless the user asks for values."""

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str
    value: str
    canonical: str
    metadata: dict[str, Any] = field(default_factory=dict)
    context_word: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    location: dict[str, Any]
    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    masked: str
    fingerprint: str
    metadata: dict[str, Any]
    value: str = field(default="", repr=False)  # raw PI: written only with --show-values
    tier: dict[str, Any] = field(default_factory=dict)  # set by piiscan.classify.classifier
    explanation: list[str] = field(default_factory=list)

    def to_record(self, show_values: bool = False) -> dict[str, Any]:
        record = {
            "path": self.path, "location": self.location, "start": self.start, "end": self.end,
            "entity_type": self.entity_type, "score": round(self.score, 3),
            "recognizer": self.recognizer, "masked": self.masked,
            "fingerprint": self.fingerprint, "metadata": self.metadata,
            "tier": self.tier, "explanation": self.explanation,
        }
        if show_values:
            record["value"] = self.value
        return record


@dataclass(frozen=True, slots=True)
class FileError:
    path: str
    reason: str  # one line, never holding a raw value


@dataclass(slots=True)
class FileResult:
    path: str
    reader: str
    findings: list[Finding] = field(default_factory=list)
    error: Optional[FileError] = None
    classification: Optional[Any] = None  # piiscan.classify.classifier.FileClassification


def compact_json(value: Any) -> str:
    """JSON without spaces, as the findings file and the inventory's JSON columns hold
    it: orjson, ~8x the standard library's encoder, once per finding."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()

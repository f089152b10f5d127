"""Findings writers (jsonl, json, csv) and the scan summary."""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from piiscan import __version__
from piiscan.core.tiers import is_personal as tier_is_personal
from piiscan.core.model import FileError, FileResult, Finding, compact_json
from piiscan.core.registry import FINDINGS_FORMATS

FORMATS = FINDINGS_FORMATS  # the ``piiscan.findings_formats`` entry points: jsonl, json, csv, …
CSV_COLUMNS = ["path", "location", "start", "end", "entity_type", "score", "recognizer", "masked",
               "fingerprint", "jrt0171", "jrt0197", "pipl_sensitive", "metadata", "explanation"]


@dataclass
class Summary:
    files_scanned: int = 0
    files_with_findings: int = 0
    findings: Counter = field(default_factory=Counter)
    files_per_entity: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # unsupported types, by suffix
    files_per_tier: Counter = field(default_factory=Counter)  # JR/T 0171 category of each file
    personal_findings: int = 0  # findings the policy counts as PI (an organisation's code is not)
    pipl_sensitive_files: int = 0
    errors: list[FileError] = field(default_factory=list)
    tables_scanned: int = 0  # database tables (and SQLite files) read
    database_columns: list[tuple[str, Any]] = field(default_factory=list)  # (source, ColumnClassification)
    started: float = field(default_factory=time.monotonic)

    def add(self, result: FileResult) -> None:
        if result.error and result.error.reason.startswith("unsupported file type"):
            self.skipped[result.error.reason.rsplit(" ", 1)[-1]] += 1
            return
        self.files_scanned += 1
        if result.error:
            self.errors.append(result.error)
        if result.reader == "sql":
            self.tables_scanned += 1
            if result.classification is not None:
                self.database_columns.extend((result.path, c) for c in result.classification.columns)
        for finding in result.findings:  # findings a streamed scan gave to count() are not in the result
            self.count(finding)
        counts = result.classification.counts if result.classification is not None else {}
        if counts:
            self.files_with_findings += 1
            self.files_per_entity.update(counts.keys())
            self.files_per_tier[result.classification.tier["jrt0171"]] += 1
            self.pipl_sensitive_files += result.classification.tier["pipl_sensitive"]

    def count(self, finding: Finding) -> None:
        self.findings[finding.entity_type] += 1
        self.personal_findings += is_personal(finding)

    def count_all(self, findings: dict[str, int], personal: int) -> None:
        """What count() would have made of findings counted elsewhere (a worker process)."""
        self.findings.update(findings)
        self.personal_findings += personal

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": "piiscan", "version": __version__, "files_scanned": self.files_scanned,
            "files_with_findings": self.files_with_findings, "findings": dict(sorted(self.findings.items())),
            "personal_findings": self.personal_findings,
            "files_per_tier": dict(sorted(self.files_per_tier.items(), reverse=True)),
            "pipl_sensitive_files": self.pipl_sensitive_files,
            "skipped_unsupported": dict(sorted(self.skipped.items())),
            "errors": [{"path": e.path, "reason": e.reason} for e in self.errors],
            "elapsed_seconds": round(self.elapsed, 3),
        }


def is_personal(finding: Finding) -> bool:
    """Personal information by the finding's classified tier (core.tiers.is_personal)."""
    return tier_is_personal(finding.tier)



class JsonlFindings:
    """One finding per line, written as it comes. A findings format (``piiscan.findings_formats``
    entry point) is a class taking (out, show_values) with write, write_file and close.

    A class that says ``streams = True`` itself (not inherited: a subclass may buffer)
    promises that write() writes one finding's text to `out` at once, the same text
    whatever was written before: `scan --jobs` then formats findings in its workers
    and copies the text (piiscan.reports.spool); other formats get the findings."""

    streams = True

    def __init__(self, out: IO[str], show_values: bool = False):
        self.out, self.show_values = out, show_values

    def write(self, finding: Finding) -> None:
        self.out.write(compact_json(finding.to_record(self.show_values)) + "\n")

    def write_file(self, result: FileResult) -> None:
        pass  # per-file classification: json only

    def close(self, summary: Summary) -> None:
        self.out.flush()


class JsonFindings(JsonlFindings):
    """One document at close: the summary, per-file classification (tier, counts,
    individuals, columns) and every finding."""

    streams = False

    def __init__(self, out: IO[str], show_values: bool = False):
        super().__init__(out, show_values)
        self._json: list[dict] = []
        self._files: list[dict] = []

    def write(self, finding: Finding) -> None:
        self._json.append(finding.to_record(self.show_values))

    def write_file(self, result: FileResult) -> None:
        if result.classification is not None and result.classification.counts:
            self._files.append({"path": result.path, "reader": result.reader}
                               | result.classification.to_dict())

    def close(self, summary: Summary) -> None:
        document = summary.to_dict() | {"files": self._files, "results": self._json}
        json.dump(document, self.out, ensure_ascii=False, indent=1)
        self.out.write("\n")
        self.out.flush()


class CsvFindings(JsonlFindings):
    """One row per finding, one column per yardstick: filterable in Excel."""

    streams = True

    def __init__(self, out: IO[str], show_values: bool = False):
        super().__init__(out, show_values)
        self._csv = csv.DictWriter(out, fieldnames=CSV_COLUMNS + (["value"] if show_values else []))
        self._csv.writeheader()

    def write(self, finding: Finding) -> None:
        record = finding.to_record(self.show_values)
        record.update(record.pop("tier"))
        record["location"] = compact_json(record["location"])
        record["metadata"] = compact_json(record["metadata"])
        record["explanation"] = "; ".join(record["explanation"])
        self._csv.writerow(record)


def streams(format_class) -> bool:
    return bool(vars(format_class).get("streams"))


def FindingsWriter(out: IO[str], fmt: str, show_values: bool = False):  # noqa: N802 (was a class)
    """The writer of the named findings format; an unknown name raises UnknownName."""
    return FORMATS.get(fmt)(out, show_values)

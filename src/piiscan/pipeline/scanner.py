"""Walk paths, read each file with its reader, detect, and turn detections into findings."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from piiscan.classify.classifier import FileClassifier, value_tier
from piiscan.core.tiers import is_personal
from piiscan.detect.engine import Detector
from piiscan.core.fingerprint import Fingerprinter
from piiscan.classify.masking import mask
from piiscan.core.errors import safe_reason
from piiscan.core.model import Detection, FileError, FileResult, Finding, TextUnit, VALUE_CACHE
from piiscan.classify.policy import Policy, default_policy
from piiscan.pipeline.tables import TableStage
from piiscan.pipeline.text_tables import with_text_tables
from piiscan.sources.readers import ReaderError, reader_for
from piiscan.sources.walk import Problem, shown as shown_path, walk, walk_problem
from piiscan.detect.recognizer import ValidatedPatternRecognizer

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
ADDRESS_KEYS = frozenset({"cell"})  # location keys whose values readers make from numbers and letters
Emit = Callable[[Finding], None]


def unit_location(unit: TextUnit, start: int, end: int) -> tuple[dict, int, int]:
    """Location and offsets of a span; multi-line units report the line and
    offsets inside that line."""
    if unit.first_line is None:
        return unit.location, start, end
    # \r\n, \n and a lone \r (old Mac files) each end a line, as the text reader counts them
    line_start = max(unit.text.rfind("\n", 0, start), unit.text.rfind("\r", 0, start)) + 1
    line = unit.first_line + len(_LINE_BREAK.findall(unit.text, 0, line_start))
    return unit.location | {"line": line}, start - line_start, end - line_start


class Scanner:
    def __init__(self, detector: Detector, fingerprinter: Fingerprinter, policy: Policy | None = None):
        self.detector = detector
        self.fingerprint = fingerprinter
        self.policy = policy or default_policy()
        self._masked_names: dict[str, str] = {}
        # a detection's mask and fingerprint, once per distinct value: names, branches
        # and accounts repeat down a ledger
        self._shown = lru_cache(maxsize=VALUE_CACHE)(self._mask_and_fingerprint)
        recognizers = detector.analyzer.registry.get_recognizers(detector.language, all_fields=True)
        self._by_entity: dict[str, list[ValidatedPatternRecognizer]] = {}
        for r in recognizers:
            if isinstance(r, ValidatedPatternRecognizer):
                self._by_entity.setdefault(r.supported_entities[0], []).append(r)

    def __getstate__(self) -> dict:  # a cache of a bound method does not pickle: rebuilt when unpickled
        return {k: v for k, v in self.__dict__.items() if k != "_shown"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._shown = lru_cache(maxsize=VALUE_CACHE)(self._mask_and_fingerprint)

    def header_names(self, header: str, entity_type: str) -> bool:
        """Does a column header name this entity (身份证号 for CN_RESIDENT_ID)?"""
        return any(r.context_word_in([header]) for r in self._by_entity.get(entity_type, []))

    def masked_text(self, text: str) -> str:
        """A name that can hold PI (a sheet, a zip member, a JSON key, a table named
        after a client) with its personal values masked like finding values are."""
        masked = self._masked_names.get(text)
        if masked is None:
            masked = text
            for d in sorted(self.detector.detect(text), key=lambda d: -d.start):
                if is_personal(value_tier(self.policy, d.entity_type, d.metadata)):
                    masked = masked[:d.start] + mask(d.entity_type, d.value, self.policy) + masked[d.end:]
            if len(self._masked_names) > 10_000:
                self._masked_names.clear()
            self._masked_names[text] = masked
        return masked

    def safe_location(self, location: dict) -> dict:
        # a cell's address (B12) is made by the reader and holds no PI: detection on each
        # one also churned the cache of names that can hold some (the sheet's)
        return {k: self.masked_text(v) if isinstance(v, str) and v and k not in ADDRESS_KEYS else v
                for k, v in location.items()}

    def _mask_and_fingerprint(self, entity_type: str, value: str, canonical: str) -> tuple[str, str]:
        return mask(entity_type, value, self.policy), self.fingerprint(entity_type, canonical)

    def findings(self, path: str, unit: TextUnit, detections: list[Detection]) -> Iterator[Finding]:
        cell_location = None  # a one-line unit's findings share its location: masked once
        for d in detections:
            if unit.first_line is None:
                start, end = d.start, d.end
                cell_location = cell_location or self.safe_location(unit.location)
                location = cell_location
            else:
                location, start, end = unit_location(unit, d.start, d.end)
                location = self.safe_location(location)
            # a detection's metadata is its own copy (Detector._from_hit): shared unless a key is added
            metadata = d.metadata | {"context_word": d.context_word} if d.context_word else d.metadata
            masked, fingerprint = self._shown(d.entity_type, d.value, d.canonical)
            yield Finding(path, location, start, end, d.entity_type, d.score, d.recognizer, masked, fingerprint,
                          metadata, d.value)

    def scan_file(self, path: Path, emit: Emit | None = None) -> FileResult:
        shown = shown_path(path)
        reader = reader_for(path)
        if reader is None:
            return FileResult(shown, "", error=FileError(shown, f"unsupported file type {path.suffix or '(none)'}"))
        return self.scan_units(shown, reader.name, lambda: reader.read(path), emit)

    def scan_units(self, shown: str, reader_name: str, units: Callable[[], Iterable[TextUnit]],
                   emit: Emit | None = None) -> FileResult:
        """Detect and classify the text units of one source (a file, a database table):
        `shown` names it in findings, `units` opens and reads it. Reader errors become the
        result's one-line error; what was found before the error is kept.

        Findings come out classified as soon as their record is complete: to `emit` if
        given (the result then holds none, and memory stays flat however big the
        source), else into `result.findings`."""
        result = FileResult(shown, reader_name)
        classifier = FileClassifier(self.policy, self.header_names)
        emit = emit or result.findings.append
        for ready in self._classified(shown, units, classifier, result):
            for finding in ready:
                emit(finding)  # outside the reader's try: a failing output is not a file error
        last, result.classification = classifier.finish()
        if result.error is not None:  # a member or sheet name quoted in the reason is masked like a location
            result.error = FileError(shown, self.masked_text(result.error.reason))
        for finding in last:
            emit(finding)
        return result

    def _classified(self, shown: str, units: Callable[[], Iterable[TextUnit]], classifier: FileClassifier,
                    result: FileResult) -> Iterator[list[Finding]]:
        """Findings ready after each unit (a table's cells once their column is
        decided: piiscan.pipeline.tables). Only reading is guarded: a failure of
        detection or classification is a bug of ours and propagates (exit 70)."""
        tables = TableStage(self.detector)
        for batch in _batches(_guarded(shown, units, result)):
            for unit, found in zip(batch, self.detector.detect_many([(u.text, u.header) for u in batch])):
                if unit.first_line is not None:  # a PDF page, a text block: its tables too
                    found = with_text_tables(unit, found, self.detector)
                for ready, detections in tables.feed(unit, found):
                    yield classifier.add(ready, list(self.findings(shown, ready, detections)))
        for ready, detections in tables.finish():  # what a reader's error cut short is classified too
            yield classifier.add(ready, list(self.findings(shown, ready, detections)))

    def scan(self, paths: Iterable[Path], emit: Emit | None = None, **rules) -> Iterator[FileResult]:
        """Every file under `paths` (the one walker, its `rules`: include, exclude,
        max_size); what the walker cannot read is a result with a one-line error."""
        for item in walk(paths, **rules):
            if isinstance(item, Problem):
                if item.reason != "vanished":
                    yield walk_problem(item)
                continue
            yield self.scan_file(Path(item.path), emit)


BATCH_UNITS, BATCH_CHARS = 512, 1 << 18


def _batches(units: Iterable[TextUnit]) -> Iterator[list[TextUnit]]:
    """Units in blocks (detection runs over a block at once: Detector.detect_many), at
    most BATCH_UNITS of them or about BATCH_CHARS characters: memory stays bounded."""
    batch: list[TextUnit] = []
    size = 0
    for unit in units:
        batch.append(unit)
        size += len(unit.text)
        if len(batch) >= BATCH_UNITS or size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _guarded(shown: str, units: Callable[[], Iterable[TextUnit]], result: FileResult) -> Iterator[TextUnit]:
    """The units of one source; a reader's failure becomes the result's one-line error.
    The exceptions raised in the caller's loop body never pass through here."""
    try:
        yield from units()
    except ReaderError as e:
        result.error = FileError(shown, str(e))
    except OSError as e:
        result.error = FileError(shown, f"cannot read: {e.strerror or type(e).__name__}")
    except Exception as e:  # the parsers (openpyxl, pdfminer, lxml…) raise anything on a malformed file
        result.error = FileError(shown, safe_reason(e))

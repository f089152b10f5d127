"""What column inference found in a file, looked for everywhere in that file.

A writer asks for the spans of one text at a time (a cell, a paragraph, a chart
title) and per-text detection cannot know that 王芳 is a name: only the whole
column says so. So before a file is written, its reader's units pass through the
scan's table stage (piiscan.pipeline.tables) and each value it decided on is
remembered; the writers and the verification then find those values wherever
they occur in the file: in their cells, and in a comment, a chart's cache, a
sheet name or a sentence that repeats them."""

from __future__ import annotations

import re
from typing import Iterable, Optional

from piiscan.core.model import Detection, TextUnit
from piiscan.detect.engine import Detector
from piiscan.pipeline.tables import COLUMN_RECOGNIZER, TableStage, table_position
from piiscan.detect.columns.values import chinese_name_score
from piiscan.detect.validators.names import NAME_DOTS
from piiscan.pipeline.text_tables import column_detections, has_text_table
from piiscan.sources.readers.base import ReaderError

MAX_PATTERN = 20_000  # more distinct values than this are matched as whole texts only
NAME_ON_ITS_OWN = 0.5  # detect.columns.values.chinese_name_score of a name found anywhere, to be looked for everywhere


class KnownValues:
    def __init__(self) -> None:
        self.values: dict[str, tuple[str, float]] = {}  # value -> (entity, score)
        self._pattern: Optional[re.Pattern] = None
        # Values added while a file is written (each name redacted once) are looked for one
        # by one until there are enough of them to compile the pattern again: compiling it
        # anew for each of 10,000 names in a roster would cost more than the redaction.
        self._pending: list[str] = []
        self._rejected: set[str] = set()  # names seen that do not read as names on their own

    def learn(self, detector: Detector, units: Iterable[TextUnit]) -> None:
        """Remember the values column inference finds in `units` (one file's)."""
        self.values, self._pattern, self._pending, self._rejected = {}, None, [], set()
        stage = TableStage(detector)
        try:
            for unit in units:
                # only table cells need detection here: a row's identifiers are evidence for its names
                found = detector.detect(unit.text, header=unit.header) if table_position(unit.location) else []
                if has_text_table(unit):  # a PDF page's or a text's own tables
                    self._keep([(unit, column_detections(unit, detector.detect(unit.text), detector))])
                self._keep(stage.feed(unit, found))
        except ReaderError:
            pass  # what was read is learnt; the writer reports a file it cannot read itself
        self._keep(stage.finish())
        self._compile()

    def add(self, value: str, entity: str, score: float) -> None:
        """One more value to find everywhere (what verification found in a first copy,
        a name redacted in one place of the file)."""
        if len(value.strip()) >= 2 and value not in self.values:
            self.values[value] = (entity, score)
            self._pending.append(value)

    def name_seen(self, value: str, score: float) -> None:
        """A person's name redacted somewhere in the file is redacted wherever else it
        occurs there (王建国 after 客户 in the title, alone in a list below), if it reads
        as a name on its own: a model's mistake must not spread over the file."""
        if value in self.values or value in self._rejected:
            return
        if chinese_name_score(value) >= NAME_ON_ITS_OWN or (any(c in value for c in NAME_DOTS) and len(value) >= 4):
            self.add(value, "PERSON", score)
        elif len(self._rejected) < MAX_PATTERN:
            self._rejected.add(value)

    def _compile(self) -> None:
        self._pending = []
        if 0 < len(self.values) <= MAX_PATTERN:
            ordered = sorted(self.values, key=len, reverse=True)  # 欧阳娜娜 before 欧阳
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
        else:
            self._pattern = None

    def _keep(self, ready) -> None:
        for _, detections in ready:
            for d in detections:
                if d.recognizer == COLUMN_RECOGNIZER and len(d.value.strip()) >= 2:
                    self.values[d.value] = (d.entity_type, d.score)

    def find(self, text: str) -> list[Detection]:
        """Where the remembered values occur in `text`."""
        if not self.values or not text:
            return []
        if len(self._pending) > max(32, (len(self.values) - len(self._pending)) // 8):
            self._compile()
        found = [self._detection(v, m.start()) for v in self._pending for m in re.finditer(re.escape(v), text)]
        if self._pattern is not None:
            found += [self._detection(m.group(), m.start()) for m in self._pattern.finditer(text)]
        elif len(self.values) > MAX_PATTERN and text.strip() in self.values:
            found.append(self._detection(text.strip(), text.index(text.strip())))
        return _longest_first(found) if self._pending else found

    def _detection(self, value: str, start: int) -> Detection:
        entity, score = self.values[value]
        return Detection(entity, start, start + len(value), score, COLUMN_RECOGNIZER, value, value,
                         {"column_inference": "file"})


def _longest_first(found: list[Detection]) -> list[Detection]:
    """Matches that do not overlap, the longer first (欧阳娜娜 over 欧阳), as the
    compiled pattern gives them."""
    kept: list[Detection] = []
    for d in sorted(found, key=lambda d: (d.start - d.end, d.start)):
        if all(d.end <= k.start or d.start >= k.end for k in kept):
            kept.append(d)
    return sorted(kept, key=lambda d: d.start)

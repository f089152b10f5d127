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
from piiscan.pipeline.text_tables import column_detections
from piiscan.sources.readers.base import ReaderError

MAX_PATTERN = 20_000  # more distinct values than this are matched as whole texts only


class KnownValues:
    def __init__(self) -> None:
        self.values: dict[str, tuple[str, float]] = {}  # value -> (entity, score)
        self._pattern: Optional[re.Pattern] = None

    def learn(self, detector: Detector, units: Iterable[TextUnit]) -> None:
        """Remember the values column inference finds in `units` (one file's)."""
        self.values, self._pattern = {}, None
        stage = TableStage(detector)
        try:
            for unit in units:
                # only table cells need detection here: a row's identifiers are evidence for its names
                found = detector.detect(unit.text, header=unit.header) if table_position(unit.location) else []
                if unit.first_line is not None:  # a PDF page's or a text's own tables
                    self._keep([(unit, column_detections(unit, detector.detect(unit.text), detector))])
                self._keep(stage.feed(unit, found))
        except ReaderError:
            pass  # what was read is learnt; the writer reports a file it cannot read itself
        self._keep(stage.finish())
        self._compile()

    def add(self, value: str, entity: str, score: float) -> None:
        """One more value to find everywhere (what verification found in a first copy)."""
        if len(value.strip()) >= 2 and value not in self.values:
            self.values[value] = (entity, score)
            self._compile()

    def _compile(self) -> None:
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
        if self._pattern is None:
            hit = self.values.get(text.strip())
            if hit is None:
                return []
            start = text.index(text.strip())
            return [self._detection(text.strip(), start)]
        return [self._detection(m.group(), m.start()) for m in self._pattern.finditer(text)]

    def _detection(self, value: str, start: int) -> Detection:
        entity, score = self.values[value]
        return Detection(entity, start, start + len(value), score, COLUMN_RECOGNIZER, value, value,
                         {"column_inference": "file"})

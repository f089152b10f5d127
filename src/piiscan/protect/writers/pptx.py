"""PowerPoint: every text frame of every slide (grouped shapes too), table cells
with their column header, speaker notes and core properties, through the reader's
own traversal (readers.pptx.text_frames). A value split over several runs is
replaced in the first run, keeping its formatting. Comments, which python-pptx
does not expose, are checked by verification in the package's XML."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans, replace_in_segments
from piiscan.protect.writers.package import package_units, redact_package
from piiscan.sources.readers.pptx import PROPERTIES, PptxReader, open_deck, text_frames


class PptxWriter:
    name: ClassVar[str] = "pptx"
    suffixes: ClassVar[tuple[str, ...]] = PptxReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        deck = open_deck(src)
        for frame, _, header, cell in text_frames(deck):
            paragraphs = list(frame.paragraphs)
            groups = [paragraphs] if cell else [[p] for p in paragraphs]  # a cell is one text, as the reader reads it
            for group in groups:
                _redact_runs(group, spans, header)
        for attr, header in PROPERTIES.items():
            value = getattr(deck.core_properties, attr, None)
            if isinstance(value, str) and value.strip():
                setattr(deck.core_properties, attr, apply(value, spans(value, header)))
        deck.save(str(dst))
        self.notes = redact_package(dst, spans, _handled)  # comments, charts, alt text, embeddings, pictures…

    def unchecked(self, path: Path) -> list[str]:
        """What the last write dropped or could not read (package.py)."""
        return list(getattr(self, "notes", []))

    def units(self, path: Path) -> Iterator[TextUnit]:
        yield from PptxReader().read(path)
        yield from package_units(path)  # comments, chart caches, alt text: every XML part


def _handled(part: str, el, attribute) -> bool:
    """Text of slides and notes and the core properties, redacted through
    python-pptx: the package pass leaves them, so nothing is counted twice."""
    if part == "docProps/core.xml":
        return True
    return attribute is None and part.startswith(("ppt/slides/slide", "ppt/notesSlides/")) and \
        el.tag == "{http://schemas.openxmlformats.org/drawingml/2006/main}t"


def _redact_runs(paragraphs: list, spans: Spans, header) -> None:
    """The runs of these paragraphs read as one text (paragraphs joined by a line
    break, as the reader's cell text is), redacted across runs."""
    segments, runs = [], []
    for i, paragraph in enumerate(paragraphs):
        if i:
            segments.append(("\n", False))
            runs.append(None)
        for run in paragraph.runs:
            segments.append((run.text, True))
            runs.append(run)
    text = "".join(t for t, _ in segments)
    if not text.strip():
        return
    replacements = spans(text, header)
    if replacements:
        for run, new in zip(runs, replace_in_segments(segments, replacements)):
            if run is not None:
                run.text = new

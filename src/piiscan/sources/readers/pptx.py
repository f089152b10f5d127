from __future__ import annotations

import zipfile
from pathlib import Path
from typing import ClassVar, Iterator

from pptx import Presentation
from pptx.exc import PackageNotFoundError

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, check_ooxml


class PptxReader:
    """Slides: text frames, tables (first row as header) and speaker notes."""

    name: ClassVar[str] = "pptx"
    suffixes: ClassVar[tuple[str, ...]] = (".pptx",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        check_ooxml(path, "presentation")
        try:
            deck = Presentation(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
            raise ReaderError(f"corrupt presentation: {type(e).__name__}") from None
        for s, slide in enumerate(deck.slides, start=1):
            for shape in slide.shapes:
                yield from self._shape(shape, {"slide": s, "shape": shape.name})
            if slide.has_notes_slide:
                text = slide.notes_slide.notes_text_frame.text if slide.notes_slide.notes_text_frame else ""
                for i, line in enumerate(text.splitlines(), start=1):
                    if line.strip():
                        yield TextUnit(line, {"slide": s, "part": "notes", "paragraph": i})

    @staticmethod
    def _shape(shape, where: dict) -> Iterator[TextUnit]:
        if shape.has_text_frame:
            for i, paragraph in enumerate(shape.text_frame.paragraphs, start=1):
                text = "".join(run.text for run in paragraph.runs)
                if text.strip():
                    yield TextUnit(text, where | {"paragraph": i})
        if getattr(shape, "has_table", False) and shape.has_table:
            rows = list(shape.table.rows)
            headers = [cell.text.strip() for cell in rows[0].cells] if rows else []
            for r, row in enumerate(rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    if cell.text.strip():
                        header = headers[c - 1] if r > 1 and c <= len(headers) and headers[c - 1] else None
                        yield TextUnit(cell.text, where | {"row": r, "column": c}, header=header)

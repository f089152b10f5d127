from __future__ import annotations

import zipfile
from pathlib import Path
from typing import ClassVar, Iterator, Optional

from pptx import Presentation
from pptx.exc import PackageNotFoundError

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, check_ooxml

# Core properties that usually hold a name or a subject: (attribute, header as context)
PROPERTIES = {"author": "姓名", "last_modified_by": "姓名", "title": None, "subject": None, "keywords": None,
              "comments": None, "category": None}


def open_deck(path: Path):
    check_ooxml(path, "presentation")
    try:
        return Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReaderError(f"corrupt presentation: {type(e).__name__}") from None


def text_frames(deck) -> Iterator[tuple[object, dict, Optional[str], bool]]:
    """(text frame, location, column header, is a table cell) of every slide's shapes
    (inside groups too), tables (first row as header) and speaker notes: the one
    traversal of the reader and the redaction writer."""
    for s, slide in enumerate(deck.slides, start=1):
        for shape in _shapes(slide.shapes):
            where = {"slide": s, "shape": shape.name}
            if shape.has_text_frame:
                yield shape.text_frame, where, None, False
            if getattr(shape, "has_table", False) and shape.has_table:
                rows = list(shape.table.rows)
                headers = [cell.text.strip() for cell in rows[0].cells] if rows else []
                for r, row in enumerate(rows, start=1):
                    for c, cell in enumerate(row.cells, start=1):
                        header = headers[c - 1] if r > 1 and c <= len(headers) and headers[c - 1] else None
                        yield cell.text_frame, where | {"row": r, "column": c}, header, True
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            yield slide.notes_slide.notes_text_frame, {"slide": s, "part": "notes"}, None, False


def _shapes(shapes) -> Iterator:
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6:  # MSO_SHAPE_TYPE.GROUP: its shapes, recursively
            yield from _shapes(shape.shapes)
        else:
            yield shape


class PptxReader:
    """Slides: text frames (grouped shapes too), tables (first row as header),
    speaker notes and core properties."""

    name: ClassVar[str] = "pptx"
    suffixes: ClassVar[tuple[str, ...]] = (".pptx",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        deck = open_deck(path)
        for frame, where, header, cell in text_frames(deck):
            if cell:
                if frame.text.strip():
                    yield TextUnit(frame.text, where, header=header)
                continue
            for i, paragraph in enumerate(frame.paragraphs, start=1):
                text = "".join(run.text for run in paragraph.runs)
                if text.strip():
                    yield TextUnit(text, where | {"paragraph": i})
        for attr, header in PROPERTIES.items():
            value = getattr(deck.core_properties, attr, None)
            if isinstance(value, str) and value.strip():
                yield TextUnit(value, {"property": attr}, header)

"""Images (scanned ID cards, photos of forms): OCR (readers.ocr, the reader's own
traversal) finds each line with its box; a line holding a value to redact has its
box burned into the pixels (black, a margin around it), the rest of the image is
kept. The copy keeps the format (a multi-page TIFF keeps its pages) and drops the
metadata (EXIF, comments). Verification reads the copy by OCR again.

A line is burned whole: Tesseract's character boxes for Chinese are too rough to
cut a name out of its line, and a copy must leak nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar, Iterator

from PIL import Image, ImageDraw, ImageSequence, UnidentifiedImageError

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.image import ImageReader
from piiscan.sources.readers.ocr import MAX_PAGES, ocr_lines, ocr_unavailable

MARGIN = 6  # pixels around a burned line: Tesseract's boxes are tight


class ImageWriter:
    name: ClassVar[str] = "image"
    suffixes: ClassVar[tuple[str, ...]] = ImageReader.suffixes
    reversible: ClassVar[bool] = False  # burned in

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        reason = ocr_unavailable()
        if reason:
            raise ReaderError(reason)
        with Image.open(src) as image:
            kind = image.format
            pages = []
            for page, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if page > MAX_PAGES:
                    raise ReaderError(f"more than {MAX_PAGES} pages: the rest cannot be checked by OCR")
                pages.append(self._burn(frame.copy(), spans, page))
        options = {"quality": 95} if kind == "JPEG" else {}
        if len(pages) > 1:
            options |= {"save_all": True, "append_images": pages[1:]}
        pages[0].save(dst, format=kind, **options)  # no exif= or info: the metadata is not copied

    @staticmethod
    def _burn(frame: Image.Image, spans: Spans, page: int) -> Image.Image:
        frame = frame.convert("RGB") if frame.mode not in ("RGB", "L") else frame
        draw = ImageDraw.Draw(frame)
        for unit in ocr_lines(frame, {"page": page}):
            if unit.text.strip() and spans(unit.text, unit.header):
                left, top, width, height = unit.location["box"]
                draw.rectangle([left - MARGIN, top - MARGIN, left + width + MARGIN, top + height + MARGIN],
                               fill="black")
        return frame

    def units(self, path: Path) -> Iterator[TextUnit]:
        return ImageReader().read(path)


def burn_image_bytes(data: bytes, spans: Spans) -> tuple[bytes, list[str]]:
    """An encoded image (a picture inside an Office document) burned as `write` burns
    a file, its first frame, encoded again in its format; the bytes given when nothing
    was burned. An image that cannot be read is returned as it is, with a note."""
    reason = ocr_unavailable()
    if reason:
        return data, [f"an image not checked: {reason}"]
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, frame = image.format, image.copy()
    except (UnidentifiedImageError, OSError):
        return data, ["an image in a format that cannot be read (EMF, WMF?) not checked"]
    before = frame.convert("RGB").tobytes() if frame.mode not in ("RGB", "L") else frame.tobytes()
    burned = ImageWriter._burn(frame, spans, 1)
    if burned.tobytes() == before:
        return data, []
    buffer = io.BytesIO()
    burned.save(buffer, format=kind, **({"quality": 95} if kind == "JPEG" else {}))
    return buffer.getvalue(), []

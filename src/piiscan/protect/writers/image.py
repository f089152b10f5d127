"""Images (scanned ID cards, photos of forms): OCR (readers.ocr, the reader's own
traversal) finds each line with its box; a line holding a value to redact has its
box burned into the pixels (black, a margin around it), the rest of the image is
kept. An ID card OCR reads badly is burned whole (id_card.py). The copy keeps the
format (a multi-page TIFF keeps its pages) and drops the metadata (EXIF,
comments). Verification reads the copy by OCR again.

A line is burned whole: Tesseract's character boxes for Chinese are too rough to
cut a name out of its line, and a copy must leak nothing.

`burn_image` and `burn_image_bytes` are used for images inside other files too
(PDF image XObjects, pictures in Office documents)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar, Iterator

from PIL import Image, ImageDraw, ImageSequence, UnidentifiedImageError

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.id_card import misread_ids, whole_card
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.image import ImageReader
from piiscan.sources.readers.ocr import MAX_PAGES, ocr_lines, ocr_unavailable

MARGIN = 6  # pixels around a burned line: Tesseract's boxes are tight


def burn_image(image: Image.Image, spans: Spans) -> tuple[Image.Image, list[str]]:
    """The image with every OCR line holding a value burned (an ID card read badly: the
    whole card), and notes for the manifest (no values). The image given is left as
    it is unless it is RGB or L, then it is drawn on; the result has the same size."""
    image = image if image.mode in ("RGB", "L") else _flattened(image)
    lines = list(ocr_lines(image, {}, confidence=True))
    draw, notes = ImageDraw.Draw(image), []
    misread = misread_ids(lines)
    for unit in lines:
        if unit in misread or (unit.text.strip() and spans(unit.text, unit.header)):
            left, top, width, height = unit.location["box"]
            draw.rectangle([left - MARGIN, top - MARGIN, left + width + MARGIN, top + height + MARGIN], fill="black")
    if misread:
        notes.append(f"{len(misread)} line(s) with an ID-shaped number that does not validate burned (misread by OCR?)")
    card = whole_card(lines, image.size)
    if card:
        why, box = card
        draw.rectangle(list(box), fill="black")
        whole = box == (0, 0, *image.size)
        notes.append(f"{'image' if whole else 'card area of an image'} burned whole: {why}")
    return image, notes


def burn_image_bytes(data: bytes, spans: Spans) -> tuple[bytes, list[str]]:
    """burn_image on an encoded image (PNG, JPEG, GIF, BMP, TIFF: the first frame),
    encoded again in its format; the bytes given when nothing was burned. An image
    PIL cannot open is returned as it is, with a note."""
    reason = ocr_unavailable()
    if reason:
        return data, [f"an image not checked: {reason}"]
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, frame = image.format, image.copy()
    except (UnidentifiedImageError, OSError):
        return data, ["an image in a format that cannot be read (EMF, WMF?) not checked"]
    before = frame.convert("RGB").tobytes() if frame.mode not in ("RGB", "L") else frame.tobytes()
    burned, notes = burn_image(frame, spans)
    if burned.tobytes() == before:
        return data, notes
    buffer = io.BytesIO()
    burned.save(buffer, format=kind, **({"quality": 95} if kind == "JPEG" else {}))
    return buffer.getvalue(), notes


def _flattened(image: Image.Image) -> Image.Image:
    """RGB; transparent parts on white, as OCR reads them."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("RGB")
    return image.convert("RGB")


class ImageWriter:
    name: ClassVar[str] = "image"
    suffixes: ClassVar[tuple[str, ...]] = ImageReader.suffixes
    reversible: ClassVar[bool] = False  # burned in

    def __init__(self) -> None:
        self._notes: dict[Path, list[str]] = {}  # whole cards burned, for the manifest

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        reason = ocr_unavailable()
        if reason:
            raise ReaderError(reason)
        notes = []
        with Image.open(src) as image:
            kind = image.format
            pages = []
            for page, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if page > MAX_PAGES:
                    raise ReaderError(f"more than {MAX_PAGES} pages: the rest cannot be checked by OCR")
                burned, found = burn_image(frame.copy(), spans)
                pages.append(burned)
                notes += [f"page {page}: {note}" if page > 1 else note for note in found]
        options = {"quality": 95} if kind == "JPEG" else {}
        if len(pages) > 1:
            options |= {"save_all": True, "append_images": pages[1:]}
        pages[0].save(dst, format=kind, **options)  # no exif= or info: the metadata is not copied
        self._notes[src.resolve()] = notes

    def unchecked(self, path: Path) -> list[str]:
        """What write had to do coarsely (an ID card burned whole), for the manifest."""
        return list(self._notes.get(path.resolve(), []))

    def units(self, path: Path) -> Iterator[TextUnit]:
        return ImageReader().read(path)

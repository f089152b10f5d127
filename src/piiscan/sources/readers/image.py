from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from PIL import Image, ImageSequence, UnidentifiedImageError

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.ocr import MAX_PAGES, ocr_lines, ocr_unavailable


class ImageReader:
    """Scans and photos (身份证复印件) read by OCR: each line of text with its page
    (the frame of a multi-page TIFF) and bounding box in pixels."""

    name: ClassVar[str] = "image"
    suffixes: ClassVar[tuple[str, ...]] = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

    def read(self, path: Path) -> Iterator[TextUnit]:
        reason = ocr_unavailable()
        if reason:
            raise ReaderError(reason)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError:
            raise ReaderError("image too large to read safely (a decompression bomb?)") from None
        except (UnidentifiedImageError, OSError):
            raise ReaderError("not a readable image (corrupt?)") from None
        with image:
            try:
                for page, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    if page > MAX_PAGES:
                        raise ReaderError(f"only the first {MAX_PAGES} pages were read by OCR")
                    yield from ocr_lines(frame, {"page": page})
            except OSError:  # a truncated or damaged image, found while decoding
                raise ReaderError("corrupt image: it cannot be decoded") from None

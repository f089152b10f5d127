"""Pictures inside a PDF (a scanned ID card beside the text, a page that is a
scan): every image XObject a page draws, in its resources or in the form
XObjects it draws, is decoded (pikepdf.PdfImage), OCR'd and burned where it holds
a value (protect.writers.image.burn_image), then written back into the same
XObject with the same size. The page's text stays text. An image drawn on
several pages is handled once."""

from __future__ import annotations

import io
import zlib
from typing import Iterator

import pikepdf
from pikepdf.models.image import UnsupportedImageTypeError
from PIL import Image

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.image import burn_image
from piiscan.protect.writers.pdf.raster import MARK
from piiscan.sources.readers.ocr import MIN_SIDE, ocr_lines


def page_images(page: pikepdf.Page) -> Iterator[tuple[str, pikepdf.Object]]:
    """(name, stream) of each image XObject the page can draw, form XObjects walked."""
    seen: set = set()

    def walk(resources) -> Iterator[tuple[str, pikepdf.Object]]:
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.objgen != (0, 0):
                if xobject.objgen in seen:
                    continue
                seen.add(xobject.objgen)
            subtype = str(xobject.get("/Subtype", ""))
            if subtype == "/Image" and not xobject.get("/ImageMask", False):
                yield name, xobject
            elif subtype == "/Form" and "/Resources" in xobject:
                yield from walk(xobject.Resources)

    yield from walk(page.obj.get("/Resources") or pikepdf.Dictionary())


def readable(stream: pikepdf.Object) -> bool:
    """Large enough to hold text OCR can read (icons and rules do not)."""
    return min(int(stream.get("/Width", 0)), int(stream.get("/Height", 0))) >= MIN_SIDE


def decoded(stream: pikepdf.Object) -> Image.Image | None:
    """The picture, or None when pikepdf cannot decode it (JBIG2, an unusual colour space)."""
    try:
        return pikepdf.PdfImage(stream).as_pil_image()
    except (UnsupportedImageTypeError, NotImplementedError, pikepdf.PdfError, ValueError, OSError):
        return None


def redact_images(pages: dict[int, pikepdf.Page], spans: Spans, done: set) -> list[str]:
    """Burn the values in the images of `pages` ({number from 0: page}); `done`:
    the objects already handled (an image reused on several pages). Notes for the manifest."""
    notes = []
    for number, page in pages.items():
        for _, stream in page_images(page):
            if stream.objgen in done:
                continue
            done.add(stream.objgen)
            if not readable(stream):
                continue
            picture = decoded(stream)
            if picture is None:
                notes.append(f"page {number + 1}: an image in an encoding that cannot be decoded, not checked")
                continue
            before = (picture if picture.mode in ("L", "RGB") else picture.convert("RGB")).tobytes()
            burned, found = burn_image(picture, spans)
            notes += [f"page {number + 1}: {note}" for note in found]
            if burned.tobytes() != before:
                _replace(stream, burned)
    return notes


def _replace(stream: pikepdf.Object, image: Image.Image) -> None:
    """The burned pixels into the same XObject: same size, 8-bit grey or RGB, JPEG if it was."""
    image = image if image.mode in ("L", "RGB") else image.convert("RGB")
    jpeg = "/DCTDecode" in str(stream.get("/Filter", ""))
    if jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        stream.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
    else:
        stream.write(zlib.compress(image.tobytes()), filter=pikepdf.Name.FlateDecode)
    stream.ColorSpace = pikepdf.Name.DeviceGray if image.mode == "L" else pikepdf.Name.DeviceRGB
    stream.BitsPerComponent = 8
    for key in ("/Decode", "/DecodeParms"):
        if key in stream:
            del stream[key]


def image_units(path) -> Iterator[TextUnit]:
    """The OCR'd lines of every picture of a PDF (each once), for verification."""
    done: set = set()
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for name, stream in page_images(page):
                if stream.objgen in done or MARK in stream:
                    continue
                done.add(stream.objgen)
                picture = decoded(stream)
                if picture is not None:
                    yield from ocr_lines(picture, {"page": number, "image": name.lstrip("/")})

"""Pictures inside a PDF (a scanned ID card beside the text, a page that is a
scan): every image XObject a page draws, in its resources or in the form
XObjects it draws, is decoded (pikepdf.PdfImage), OCR'd and burned where it holds
a value (protect.writers.image.burn_image), then written back into the same
XObject with the same size. The page's text stays text. An image drawn on
several pages is handled once. Inline images: inline.py."""

from __future__ import annotations

from typing import Iterator

import pikepdf

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.pdf.inline import inline_pictures, redact_inline
from piiscan.protect.writers.pdf.pixels import burned_picture, decoded, readable, replace
from piiscan.protect.writers.pdf.raster import MARK
from piiscan.sources.readers.ocr import ocr_lines


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


def redact_images(pdf: pikepdf.Pdf, pages: dict[int, pikepdf.Page], spans: Spans, done: set) -> list[str]:
    """Burn the values in the images of `pages` ({number from 0: page}), XObjects and
    inline; `done`: the objects already handled (an image reused on several pages).
    Notes for the manifest."""
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
            burned, found = burned_picture(picture, spans)
            notes += [f"page {number + 1}: {note}" for note in found]
            if burned is not None:
                replace(stream, burned)
        notes += redact_inline(pdf, page, number, spans)  # after: its burned images are XObjects
    return notes


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
            for n, picture in enumerate(inline_pictures(page), start=1):
                yield from ocr_lines(picture, {"page": number, "inline image": n})

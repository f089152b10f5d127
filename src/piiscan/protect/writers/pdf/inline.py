"""Inline images (BI … ID … EI inside a page's content stream: some scanners and
reportlab's drawInlineImage write scans that way). Each one large enough to hold
text is OCR'd and burned like an image XObject; a burned one becomes an image
XObject drawn in its place (the same unit square under the same matrix), as an
inline image's data cannot grow in place safely."""

from __future__ import annotations

from typing import Iterator

import pikepdf
from PIL import Image

from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.pdf.pixels import UNDECODABLE, burned_picture, replace
from piiscan.sources.readers.ocr import MIN_SIDE


def _has_inline(page: pikepdf.Page) -> bool:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    return any(b"BI" in stream.read_bytes() for stream in streams)


def _picture(instruction) -> Image.Image | None:
    image = instruction.iimage
    if image.image_mask or min(image.width, image.height) < MIN_SIDE:
        return None
    try:
        return image.as_pil_image()
    except UNDECODABLE:
        return None


def inline_pictures(page: pikepdf.Page) -> Iterator[Image.Image]:
    """The page's inline images that OCR can read, for verification."""
    if not _has_inline(page):
        return
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            picture = _picture(instruction)
            if picture is not None:
                yield picture


def redact_inline(pdf: pikepdf.Pdf, page: pikepdf.Page, number: int, spans: Spans) -> list[str]:
    """Burn the values in the page's inline images; notes for the manifest."""
    if not _has_inline(page):
        return []
    notes, out, changed = [], [], False
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            picture = _picture(instruction)
            burned, found = burned_picture(picture, spans) if picture is not None else (None, [])
            notes += [f"page {number + 1}: {note}" for note in found]
            if burned is not None:
                xobject = pdf.make_stream(b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                          Width=burned.width, Height=burned.height)
                replace(xobject, burned)
                name = page.add_resource(xobject, pikepdf.Name.XObject, prefix="Burned")
                out.append(pikepdf.ContentStreamInstruction([name], pikepdf.Operator("Do")))
                changed = True
                continue
        out.append(instruction)
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return notes

"""Pictures of a PDF as PIL images and back: decode an image XObject or inline
image, burn it (protect.writers.image.burn_image), write the pixels into a stream."""

from __future__ import annotations

import io
import zlib

import pikepdf
from pikepdf.models.image import UnsupportedImageTypeError
from PIL import Image

from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.image import burn_image
from piiscan.sources.readers.ocr import MIN_SIDE

UNDECODABLE = (UnsupportedImageTypeError, NotImplementedError, pikepdf.PdfError, ValueError, OSError)


def readable(stream: pikepdf.Object) -> bool:
    """Large enough to hold text OCR can read (icons and rules do not)."""
    return min(int(stream.get("/Width", 0)), int(stream.get("/Height", 0))) >= MIN_SIDE


def decoded(stream: pikepdf.Object) -> Image.Image | None:
    """The picture, or None when pikepdf cannot decode it (JBIG2, an unusual colour space)."""
    try:
        return pikepdf.PdfImage(stream).as_pil_image()
    except UNDECODABLE:
        return None


def burned_picture(picture: Image.Image, spans: Spans) -> tuple[Image.Image | None, list[str]]:
    """burn_image; the image None when no pixel changed."""
    before = (picture if picture.mode in ("L", "RGB") else picture.convert("RGB")).tobytes()
    burned, notes = burn_image(picture, spans)
    return (burned if burned.tobytes() != before else None), notes


def replace(stream: pikepdf.Object, image: Image.Image) -> None:
    """The burned pixels into the same XObject: same size, 8-bit grey or RGB, JPEG if it was."""
    image = image if image.mode in ("L", "RGB") else image.convert("RGB")
    jpeg = "/DCTDecode" in str(stream.get("/Filter", ""))
    if jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        stream.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
    else:
        stream.write(zlib.compress(image.tobytes()), filter=pikepdf.Name.FlateDecode)
    space = pikepdf.Name.DeviceGray if image.mode == "L" else pikepdf.Name.DeviceRGB
    if isinstance(stream.get("/Mask"), pikepdf.Array) and stream.get("/ColorSpace") != space:
        del stream["/Mask"]  # a colour-key mask counts in the old colour space
    stream.ColorSpace = space
    stream.BitsPerComponent = 8
    for key in ("/Decode", "/DecodeParms"):
        if key in stream:
            del stream[key]

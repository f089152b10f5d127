"""The fallback for a page whose text cannot be mapped to its content stream:
the page is rendered (pypdfium2), the boxes are painted black and the page is
replaced by that image. The page loses its text layer, so this is used only
where glyph removal cannot be trusted."""

from __future__ import annotations

import io

import pikepdf
from PIL import ImageDraw

DPI = 150
# Marks the page image so that verification does not OCR it: its boxes are burned from
# the text layer's positions, and OCR of black boxes beside labels reads false names.
MARK = "/PiiscanRasterised"
PAD = 1.0  # points around each character box


def burned_page(rendered_page, boxes, crop) -> pikepdf.Pdf:
    """A one-page PDF: the page as an image with the boxes (x0, top, x1, bottom in
    display space from the crop box's top left, as pdfplumber gives them) painted."""
    scale = DPI / 72
    image = rendered_page.render(scale=scale).to_pil().convert("RGB")
    draw = ImageDraw.Draw(image)
    x_origin, y_origin = crop[0], crop[1]
    for x0, top, x1, bottom in boxes:
        draw.rectangle([(x0 - x_origin - PAD) * scale, (top - y_origin - PAD) * scale,
                        (x1 - x_origin + PAD) * scale, (bottom - y_origin + PAD) * scale], fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=DPI)  # the page keeps the visible size in points
    buffer.seek(0)
    pdf = pikepdf.Pdf.open(buffer)
    # the image page is exactly as large as the visible page was (PIL rounds to whole pixels)
    page = pdf.pages[0]
    width, height = float(crop[2] - crop[0]), float(crop[3] - crop[1])
    box = [float(v) for v in page.MediaBox]
    sx, sy = width / (box[2] - box[0]), height / (box[3] - box[1])
    page.contents_add(pdf.make_stream(b"%.6f 0 0 %.6f 0 0 cm\n" % (sx, sy)), prepend=True)
    page.MediaBox = pikepdf.Array([0, 0, width, height])
    for _, xobject in page.Resources.XObject.items():
        xobject[MARK] = True
    return pdf

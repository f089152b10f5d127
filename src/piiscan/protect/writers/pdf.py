"""PDF by burn-in: a page with findings is rendered to an image (pypdfium2), the
boxes of the detected characters are painted black, and the page is replaced by
that image; pages without findings are copied as they are (pypdf).

Why not remove glyphs from the content stream: which bytes draw which character
depends on each font's encoding (CID fonts, subsets, ToUnicode maps, Type 3),
text can be drawn twice or hidden, and a mistake leaves the value recoverable.
An image page has no text to recover. The cost: the redacted pages lose their
text layer (no search, no copy), links and form fields.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar, Iterator

import pdfplumber
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text
import pypdfium2 as pdfium
from PIL import ImageDraw
from pypdf import PdfReader, PdfWriter

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.pdf import PdfReader as PdfTextReader
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import NAME_HEADER, Spans

DPI = 150
PAD = 1.0  # points around each character box
METADATA = {"/Author": NAME_HEADER, "/Title": None, "/Subject": None, "/Keywords": None, "/Creator": None,
            "/Producer": None}


# Text drawn rotated (a page turned by /Rotate 270, a vertical label) reads
# backwards in pdfplumber's default order; it is read the other way round too.
ROTATED_READINGS = ({"char_dir_rotated": "btt", "line_dir_rotated": "rtl"},)


def _boxes(page, spans: Spans) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom, in points from the top left) of the characters
    to hide on a page, found on the same text pdfplumber's extract_text gives
    (and, when some characters are rotated, on the text read the other way)."""
    readings = [(page, {})]
    if any(not char.get("upright", True) for char in page.chars):
        # only the rotated characters, so that nothing is found (and counted) twice
        rotated = page.filter(lambda obj: obj.get("object_type") != "char" or not obj.get("upright", True))
        readings.extend((rotated, options) for options in ROTATED_READINGS)
    boxes = set()
    for source, options in readings:
        textmap = source.get_textmap(**options)
        chars = []  # one entry per character of the text: the char object or None
        for piece, char in textmap.tuples:
            chars.extend([char] * len(piece))
        for r in spans(textmap.as_string, None):
            for char in chars[r.start:r.end]:
                if char is not None:
                    boxes.add((char["x0"], char["top"], char["x1"], char["bottom"]))
    for annot in page.annots:  # form field values, notes, links: not in the page's text
        texts = _annotation_texts(annot.get("data") or {})
        header = texts.get("TU") or texts.get("T")
        if any(spans(text, header) for text in texts.values()):
            boxes.add((annot["x0"], annot["top"], annot["x1"], annot["bottom"]))
    return sorted(boxes)


ANNOTATION_KEYS = ("V", "DV", "Contents", "T", "TU", "RC")


def _text(value) -> str:
    if isinstance(value, bytes):
        return decode_text(value)
    return value if isinstance(value, str) else ""


def _annotation_texts(data: dict) -> dict[str, str]:
    """Texts of an annotation (pdfminer objects): field value and name, note, link URI."""
    texts = {key: _text(resolve1(data.get(key))) for key in ANNOTATION_KEYS}
    action = resolve1(data.get("A"))
    if isinstance(action, dict):
        texts["URI"] = _text(resolve1(action.get("URI")))
    return {key: text for key, text in texts.items() if text.strip()}


class PdfRedactionWriter:
    """Burn-in redaction of the pages with findings; metadata (author, title…) redacted too."""

    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)
    reversible: ClassVar[bool] = False

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        with pdfplumber.open(src) as plumber:
            to_paint = {}
            for number, page in enumerate(plumber.pages):
                boxes = _boxes(page, spans)
                if boxes:
                    # pdfplumber and pdfium both work in display space (after /Rotate);
                    # pdfium renders the crop box, whose top left pdfplumber gives here
                    to_paint[number] = (boxes, page.cropbox)
                page.close()  # memory stays flat over thousands of pages
        original = PdfReader(src)
        rendered = pdfium.PdfDocument(str(src))
        out = PdfWriter()
        try:
            for number, page in enumerate(original.pages):
                if number not in to_paint:
                    out.add_page(page)
                    continue
                boxes, crop = to_paint[number]
                added = out.add_page(self._burn(rendered[number], boxes, crop))
                # the image page is upright and as large as the visible page was
                added.scale_to(float(crop[2] - crop[0]), float(crop[3] - crop[1]))
        finally:
            rendered.close()
        info = original.metadata or {}
        metadata = {}
        for key, header in METADATA.items():
            value = info.get(key)
            if isinstance(value, str) and value.strip():
                metadata[key] = apply(value, spans(value, header))
        if metadata:
            out.add_metadata(metadata)
        with dst.open("wb") as fh:
            out.write(fh)

    @staticmethod
    def _burn(page, boxes, crop):
        scale = DPI / 72
        image = page.render(scale=scale).to_pil().convert("RGB")
        draw = ImageDraw.Draw(image)
        x_origin, y_origin = crop[0], crop[1]
        for x0, top, x1, bottom in boxes:
            draw.rectangle([(x0 - x_origin - PAD) * scale, (top - y_origin - PAD) * scale,
                            (x1 - x_origin + PAD) * scale, (bottom - y_origin + PAD) * scale], fill="black")
        buffer = io.BytesIO()
        image.save(buffer, "PDF", resolution=DPI)
        return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]

    def unchecked(self, path: Path) -> list[str]:
        """What verification cannot read: pages without a text layer (scans)."""
        with pdfplumber.open(path) as pdf:
            pages = []
            for n, page in enumerate(pdf.pages, start=1):
                if not page.chars and not page.annots:
                    pages.append(str(n))
                page.close()
        return [f"pages without a text layer (scans?), their images not checked: {', '.join(pages)}"] if pages else []

    def units(self, path: Path) -> Iterator[TextUnit]:
        """Text by two independent extractors, pdfplumber (pdfminer) and pypdf, annotations
        (form field values, notes, links) and the metadata."""
        try:
            yield from PdfTextReader(ocr=False).read(path)  # scanned pages stay `unchecked`, as in write
        except ReaderError as e:
            if "no text layer" not in str(e):  # every page redacted to an image: nothing to extract
                raise
        reader = PdfReader(path)
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            if text.strip():
                yield TextUnit(text, {"page": number, "extractor": "pypdf"}, first_line=1)
            for i, annot in enumerate(page.get("/Annots") or [], start=1):
                annot = annot.get_object()
                action = annot.get("/A")
                action = action.get_object() if action is not None else {}
                values = [annot.get("/" + key) for key in ANNOTATION_KEYS] + [action.get("/URI")]
                for value in values:
                    value = value.get_object() if hasattr(value, "get_object") else value
                    if isinstance(value, str) and value.strip():
                        yield TextUnit(str(value), {"page": number, "annotation": i})
        for key, header in METADATA.items():
            value = (reader.metadata or {}).get(key)
            if isinstance(value, str) and value.strip():
                yield TextUnit(value, {"property": key.lstrip("/")}, header)

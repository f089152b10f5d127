"""PDF redaction that keeps the text: the glyphs of each finding are removed from
the page's content stream (pikepdf) and a black box is painted over their place;
every other character stays text (searchable, copyable). A page whose glyphs
cannot be matched to its characters is rasterised instead (see raster.py) and
the manifest says so. Annotations holding a finding, file attachments, XMP
metadata, bookmarks and scripts are dropped; document info is redacted."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar, Iterator

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
from pypdf import PdfReader

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import NAME_HEADER, Spans
from piiscan.protect.writers.pdf.content import Unmappable, paint, rewrite
from piiscan.protect.writers.pdf.forms import field_units, redact_fields
from piiscan.protect.writers.pdf.images import image_units, page_images, redact_images
from piiscan.protect.writers.pdf.inline import inline_pictures
from piiscan.protect.writers.pdf.pixels import readable
from piiscan.protect.writers.pdf.locate import ANNOTATION_KEYS, hits
from piiscan.protect.writers.pdf.raster import burned_page
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.ocr import ocr_unavailable
from piiscan.sources.readers.pdf import PdfReader as PdfTextReader

METADATA = {"/Author": NAME_HEADER, "/Title": None, "/Subject": None, "/Keywords": None, "/Creator": None,
            "/Producer": None}


class PdfRedactionWriter:
    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)
    reversible: ClassVar[bool] = False

    def __init__(self) -> None:
        self._notes: dict[Path, list[str]] = {}  # what write had to do coarsely, for the manifest

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        notes, burn, expected, places = [], {}, {}, {}
        with pikepdf.open(src) as pdf, pdfplumber.open(src) as plumber:
            for number, page in enumerate(plumber.pages):
                found = hits(page, spans)
                if found.chars or found.annots:
                    # pdfplumber and pdfium both work in display space; pdfium renders the crop box
                    places[number] = (found.boxes, page.cropbox)
                    reason = self._redact_page(pdf, pdf.pages[number], page, found)
                    if found.annots:
                        notes.append(f"page {number + 1}: {len(found.annots)} annotation(s) holding a value "
                                     "dropped (form fields, notes, links)")
                    if reason:
                        burn[number] = reason
                    else:
                        expected[number] = "".join(c["text"] for i, c in enumerate(page.chars)
                                                   if i not in found.chars)
                page.close()  # memory stays flat over thousands of pages
            notes += _images(pdf, dict(enumerate(pdf.pages)), spans)
            notes += redact_fields(pdf, spans)
            notes += _drop_parts(pdf)
            _redact_info(pdf, spans)
            buffer = io.BytesIO()
            pdf.save(buffer)
        burn.update(_mismatches(buffer, expected))
        if burn:
            buffer, burned = _rasterise(src, buffer, {n: (*places[n], reason) for n, reason in burn.items()}, spans)
            notes += burned
            notes += [f"page {n + 1} rasterised (its text layer is gone): {reason}" for n, reason in sorted(burn.items())]
        dst.write_bytes(buffer.getvalue())
        self._notes[src.resolve()] = notes

    @staticmethod
    def _redact_page(pdf: pikepdf.Pdf, page: pikepdf.Page, plumbed, found) -> str:
        """Remove the page's hidden glyphs and annotations; the reason when it must be rasterised."""
        if int(page.obj.get("/Rotate", 0)) % 360 or any(not c.get("upright", True) for c in plumbed.chars):
            return "rotated text"
        try:
            if found.chars:
                rewrite(pdf, page, found.chars, [c["adv"] for c in plumbed.chars])
        except Unmappable as e:
            return str(e)
        annots = page.obj.get("/Annots")
        if found.annots and annots is not None:
            dropped = {annots[i].objgen for i in found.annots}
            kept = [a for i, a in enumerate(annots) if i not in found.annots]
            if kept:
                page.obj.Annots = pikepdf.Array(kept)
            else:
                del page.obj["/Annots"]
            _drop_fields(pdf, dropped)
        box = page.obj.MediaBox
        paint(pdf, page, found.boxes, (float(box[0]), float(box[1])), float(plumbed.height))
        return ""


    def unchecked(self, path: Path) -> list[str]:
        """What verification cannot read: pages without a text layer nor a picture
        OCR can read (drawn text, inline images); and what write did coarsely."""
        with pdfplumber.open(path) as pdf, pikepdf.open(path) as objects:
            pages = []
            for n, page in enumerate(pdf.pages, start=1):
                if not page.chars and not page.annots and not _pictures(objects.pages[n - 1]):
                    pages.append(str(n))
                page.close()
        notes = list(self._notes.get(path.resolve(), []))
        if pages:
            notes.append(f"pages without a text layer (scans?), their images not checked: {', '.join(pages)}")
        return notes

    def units(self, path: Path) -> Iterator[TextUnit]:
        """Text by two independent extractors, the PDF reader (PDFium) and pypdf, annotations
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
        yield from field_units(path)
        if not ocr_unavailable():
            yield from image_units(path)
        for key, header in METADATA.items():
            value = (reader.metadata or {}).get(key)
            if isinstance(value, str) and value.strip():
                yield TextUnit(value, {"property": key.lstrip("/")}, header)

def _drop_fields(pdf: pikepdf.Pdf, dropped: set) -> None:
    """Form fields whose widget was dropped leave the form too (their value held a finding)."""
    form = pdf.Root.get("/AcroForm")
    if form is None or "/Fields" not in form:
        return
    form.Fields = pikepdf.Array([f for f in form.Fields if f.objgen not in dropped])
    if not len(form.Fields):
        del pdf.Root["/AcroForm"]


def _drop_parts(pdf: pikepdf.Pdf) -> list[str]:
    """Attachments (document and page level), XMP, bookmarks and scripts: not redactable
    in place, they are dropped; attachments are named in the manifest by count only."""
    notes = []
    names = pdf.Root.get("/Names")
    if names is not None:
        for key, what in (("/EmbeddedFiles", "document attachments"), ("/JavaScript", "document scripts")):
            if key in names:
                del names[key]
                notes.append(f"{what} dropped")
    if "/AF" in pdf.Root:  # PDF 2.0 associated files: the same attachments, listed again
        del pdf.Root["/AF"]
        notes += [] if notes and notes[0].startswith("document attachments") else ["document attachments dropped"]
    for key in ("/Metadata", "/Outlines", "/OpenAction", "/AA"):
        if key in pdf.Root:
            del pdf.Root[key]
    attached = 0
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = [a for a in annots if str(a.get("/Subtype", "")) != "/FileAttachment"]
        if len(kept) < len(annots):
            attached += len(annots) - len(kept)
            page.obj.Annots = pikepdf.Array(kept)
        for key in ("/Metadata", "/AF"):
            if key in page.obj:
                del page.obj[key]
    if attached:
        notes.append(f"{attached} page-level file attachment(s) dropped")
    return notes


def _redact_info(pdf: pikepdf.Pdf, spans: Spans) -> None:
    """Document info: the usual keys redacted, any other key dropped."""
    info = {}
    for key, header in METADATA.items():
        value = pdf.docinfo.get(key)
        if value is not None and str(value).strip():
            info[key] = apply(str(value), spans(str(value), header))
    for key in list(pdf.docinfo.keys()):
        del pdf.docinfo[key]
    for key, value in info.items():
        pdf.docinfo[key] = value


def _mismatches(buffer: io.BytesIO, expected: dict[int, str]) -> dict[int, str]:
    """Pages whose text after glyph removal is not the original's minus the hidden characters."""
    wrong = {}
    if not expected:
        return wrong
    buffer.seek(0)
    with pdfplumber.open(buffer) as plumber:
        for number, text in expected.items():
            page = plumber.pages[number]
            if "".join(c["text"] for c in page.chars) != text:
                wrong[number] = "the text left after removing the glyphs differs from the expected"
            page.close()
    return wrong


def _images(pdf: pikepdf.Pdf, pages: dict[int, pikepdf.Page], spans: Spans) -> list[str]:
    """Values burned in the pictures of the pages; a note when OCR is missing and there are pictures."""
    reason = ocr_unavailable()
    if not reason:
        return redact_images(pdf, pages, spans, set())
    if any(True for page in pages.values() for _ in page_images(page)):
        return [f"images not checked: {reason}"]
    return []


def _rasterise(src: Path, buffer: io.BytesIO, pages: dict, spans: Spans) -> tuple[io.BytesIO, list[str]]:
    """The pages rendered from the input with their boxes burned; the pictures on them
    (rendered from the input's, not yet burned) are then burned as pictures are."""
    rendered = pdfium.PdfDocument(str(src))
    buffer.seek(0)
    try:
        with pikepdf.open(buffer) as pdf:
            for number, (boxes, crop, _) in pages.items():
                image = burned_page(rendered[number], boxes, crop)
                pdf.pages.insert(number, image.pages[0])
                del pdf.pages[number + 1]
            notes = _images(pdf, {number: pdf.pages[number] for number in pages if _has_images(src, number)}, spans)
            out = io.BytesIO()
            pdf.save(out)
    finally:
        rendered.close()
    return out, notes


def _pictures(page: pikepdf.Page) -> bool:
    """Does the page draw a picture OCR can read (and is OCR there)?"""
    if ocr_unavailable():
        return False
    return any(readable(s) for _, s in page_images(page)) or any(True for _ in inline_pictures(page))


def _has_images(src: Path, number: int) -> bool:
    with pikepdf.open(src) as pdf:
        return _pictures(pdf.pages[number])

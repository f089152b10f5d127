from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

import pypdfium2 as pdfium
from pdfplumber.utils.text import chars_to_textmap

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.ocr import MAX_PAGES, ocr_lines, ocr_unavailable
from piiscan.sources.readers.pdf_chars import PDFIUM_LOCK, page_chars


OCR_DPI = 300
# PDFium's load errors (FPDF_GetLastError): a password or a security handler is needed, or
LOAD_ERRORS = {2: "file access error", 3: "data format error", 6: "page not found or content error"}
ENCRYPTED = {4, 5}


class PdfReader:
    """Text layer of each page; the location is page and line. The characters come
    from PDFium (pdf_chars.py), the lines and words from pdfplumber's own assembly,
    so the text is pdfplumber's extract_text, which the PDF redaction writer matches
    against. Pages without a text layer (scans) are read by OCR when it is installed
    (the `ocr` extra and Tesseract), at most ocr.MAX_PAGES of them per file."""

    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def __init__(self, ocr: bool = True):
        self.ocr = ocr  # redaction verifies its burnt-in image pages without OCR

    def read(self, path: Path) -> Iterator[TextUnit]:
        try:
            with PDFIUM_LOCK:
                document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as e:
            raise ReaderError(self._reason(e)) from None
        try:
            pages_with_text, scanned = 0, []
            for number in range(1, len(document) + 1):
                text, rotated, blank = self._page(document, number)
                if text.strip():
                    pages_with_text += 1
                    yield TextUnit(text, {"page": number}, first_line=1)
                elif blank:
                    scanned.append(number)
                if rotated:
                    yield TextUnit(rotated, {"page": number, "reading": "rotated"}, first_line=1)
            page_count = len(document)
            if scanned and self.ocr and not ocr_unavailable():
                yield from self._ocr(document, scanned)
            elif page_count and not pages_with_text:
                hint = f"; {ocr_unavailable()}" if self.ocr and ocr_unavailable() else ""
                raise ReaderError(f"no text layer on any of {page_count} pages (scanned images?){hint}")
        finally:
            with PDFIUM_LOCK:
                document.close()

    @classmethod
    def _page(cls, document: pdfium.PdfDocument, number: int) -> tuple[str, str, bool]:
        """The page's text, its rotated characters read the other way round, and
        whether it has no characters at all (a scan)."""
        with PDFIUM_LOCK:
            try:
                page = document[number - 1]
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                raise ReaderError(f"corrupt PDF: page {number} cannot be loaded") from None
            try:
                chars = page_chars(page, textpage)
            finally:  # PDFium's parsed page and text: memory stays flat over 5,000 pages
                textpage.close()
                page.close()
        text = chars_to_textmap(chars).as_string if chars else ""
        return text, cls._rotated_text(chars), not chars

    @staticmethod
    def _ocr(document: pdfium.PdfDocument, pages: list[int]) -> Iterator[TextUnit]:
        """Render each scanned page and read it; boxes are in pixels at OCR_DPI."""
        for number in pages[:MAX_PAGES]:
            with PDFIUM_LOCK:
                page = document[number - 1]
                try:
                    image = page.render(scale=OCR_DPI / 72).to_pil()
                finally:
                    page.close()
            yield from ocr_lines(image, {"page": number, "dpi": OCR_DPI})
        if len(pages) > MAX_PAGES:
            raise ReaderError(f"{len(pages) - MAX_PAGES} scanned pages past the first {MAX_PAGES} not read by OCR")

    @staticmethod
    def _rotated_text(chars: list[dict]) -> str:
        """Characters drawn rotated (a page turned by /Rotate, a vertical label) come
        out backwards in the default reading order (00083100831：话电系联); they are
        read again bottom to top, right to left, on their own."""
        rotated = [char for char in chars if not char["upright"]]
        if not rotated:
            return ""
        return chars_to_textmap(rotated, char_dir_rotated="btt", line_dir_rotated="rtl").as_string.strip()

    @staticmethod
    def _reason(error: pdfium.PdfiumError) -> str:
        code = getattr(error, "err_code", None)
        if code in ENCRYPTED:
            return "encrypted PDF (password required)"
        return f"corrupt PDF: {LOAD_ERRORS.get(code, 'unknown error')}"

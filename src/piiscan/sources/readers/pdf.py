from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.ocr import MAX_PAGES, ocr_lines, ocr_unavailable


OCR_DPI = 300


class PdfReader:
    """Text layer of each page with pdfplumber; the location is page and line.
    Pages without a text layer (scans) are read by OCR when it is installed (the
    `ocr` extra and Tesseract), at most ocr.MAX_PAGES of them per file."""

    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def __init__(self, ocr: bool = True):
        self.ocr = ocr  # redaction verifies its burnt-in image pages without OCR

    def read(self, path: Path) -> Iterator[TextUnit]:
        try:
            pdf = pdfplumber.open(path)
        except (PdfminerException, PDFSyntaxError, PDFEncryptionError, PDFPasswordIncorrect) as e:
            raise ReaderError(self._reason(e)) from None
        with pdf:
            pages_with_text, scanned = 0, []
            try:
                for number, page in enumerate(pdf.pages, start=1):
                    text = page.extract_text() or ""
                    blank = not text.strip() and not page.chars
                    rotated = self._rotated_text(page)
                    page.close()  # its parsed layout and characters: memory stays flat over 5,000 pages
                    if text.strip():
                        pages_with_text += 1
                        yield TextUnit(text, {"page": number}, first_line=1)
                    elif blank:
                        scanned.append(number)
                    if rotated:
                        yield TextUnit(rotated, {"page": number, "reading": "rotated"}, first_line=1)
            except (PdfminerException, PDFSyntaxError) as e:
                raise ReaderError(self._reason(e)) from None
            page_count = len(pdf.pages)
        if scanned and self.ocr and not ocr_unavailable():
            yield from self._ocr(path, scanned)
        elif page_count and not pages_with_text:
            hint = f"; {ocr_unavailable()}" if self.ocr and ocr_unavailable() else ""
            raise ReaderError(f"no text layer on any of {page_count} pages (scanned images?){hint}")

    @staticmethod
    def _ocr(path: Path, pages: list[int]) -> Iterator[TextUnit]:
        """Render each scanned page (pypdfium2) and read it; boxes are in pixels at OCR_DPI."""
        document = pdfium.PdfDocument(str(path))
        try:
            for number in pages[:MAX_PAGES]:
                image = document[number - 1].render(scale=OCR_DPI / 72).to_pil()
                yield from ocr_lines(image, {"page": number, "dpi": OCR_DPI})
        finally:
            document.close()
        if len(pages) > MAX_PAGES:
            raise ReaderError(f"{len(pages) - MAX_PAGES} scanned pages past the first {MAX_PAGES} not read by OCR")

    @staticmethod
    def _rotated_text(page) -> str:
        """Characters drawn rotated (a page turned by /Rotate, a vertical label) come
        out backwards in the default reading order (00083100831：话电系联); they are
        read again bottom to top, right to left, on their own."""
        if all(char.get("upright", True) for char in page.chars):
            return ""
        rotated = page.filter(lambda obj: obj.get("object_type") != "char" or not obj.get("upright", True))
        return (rotated.extract_text(char_dir_rotated="btt", line_dir_rotated="rtl") or "").strip()

    @staticmethod
    def _reason(error: Exception) -> str:
        inner = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(inner, (PDFEncryptionError, PDFPasswordIncorrect)):
            return "encrypted PDF (password required)"
        return f"corrupt PDF: {type(inner).__name__}"

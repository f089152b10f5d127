from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from piiscan.model import TextUnit
from piiscan.readers.base import ReaderError


class PdfReader:
    """Text layer of each page with pdfplumber; the location is page and line."""

    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        try:
            pdf = pdfplumber.open(path)
        except (PdfminerException, PDFSyntaxError, PDFEncryptionError, PDFPasswordIncorrect) as e:
            raise ReaderError(self._reason(e)) from None
        with pdf:
            pages_with_text = 0
            try:
                for number, page in enumerate(pdf.pages, start=1):
                    text = page.extract_text() or ""
                    if text.strip():
                        pages_with_text += 1
                        yield TextUnit(text, {"page": number}, first_line=1)
                    rotated = self._rotated_text(page)
                    if rotated:
                        yield TextUnit(rotated, {"page": number, "reading": "rotated"}, first_line=1)
            except (PdfminerException, PDFSyntaxError) as e:
                raise ReaderError(self._reason(e)) from None
            if pdf.pages and not pages_with_text:
                raise ReaderError(f"no text layer on any of {len(pdf.pages)} pages (scanned images?)")

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

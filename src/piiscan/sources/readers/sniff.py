"""Content before the extension: a workbook saved or renamed as `.csv`, a PDF named
`.txt`. A file with a text suffix whose first bytes are those of a container (zip,
OLE, PDF, SQLite) is read by the reader of what it really is; the reader sees it
through a link with the right suffix (openpyxl, for one, goes by the suffix)."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import ClassVar, Iterator, Optional

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".text", ".md", ".log", ".json")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_KINDS = (("xl/workbook.xml", ".xlsx"), ("word/document.xml", ".docx"), ("ppt/presentation.xml", ".pptx"))


def real_suffix(path: Path) -> Optional[str]:
    """The suffix of what a text-named file really holds, or None when it is text."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"SQLite format 3\x00"):
        return ".sqlite"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ".zip"  # the archive reader says what is wrong with it
        return next((suffix for part, suffix in _ZIP_KINDS if part in names), ".zip")
    if head.startswith(_OLE):
        import olefile

        try:
            with olefile.OleFileIO(str(path)) as ole:
                return ".xls" if ole.exists("Workbook") or ole.exists("Book") else ".doc"
        except OSError:
            return None
    return None


class Sniffed:
    """The reader of what a file really is, reading it under a name with the right suffix."""

    def __init__(self, inner, suffix: str):
        self.inner, self.suffix = inner, suffix
        self.name: ClassVar[str] = inner.name

    def read(self, path: Path) -> Iterator:
        with tempfile.TemporaryDirectory(prefix="piiscan-sniff-") as folder:
            link = Path(folder) / f"content{self.suffix}"
            os.symlink(os.path.abspath(path), link)
            yield from self.inner.read(link)

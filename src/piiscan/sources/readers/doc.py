"""Legacy Word 97-2003 documents (.doc), converted to text by catdoc (Debian
package `catdoc`). catdoc was chosen over antiword, LibreOffice and our own
parsing because it reads the Unicode text Word 97+ stores — Chinese included —
together with headers and footers, in milliseconds per file from a 1 MB
package; antiword (last release 2005) drops headers and footers, LibreOffice
takes about a second per file and several hundred MB installed.

A .doc is often something else renamed: an RTF or a .docx goes to its reader."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from typing import ClassVar, Iterator

import olefile

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import OLE_SIGNATURE, ReaderError, paragraph_units

TIMEOUT_SECONDS = 120
_ENCRYPTED, _OBFUSCATED = 0x0100, 0x8000  # FIB flags (MS-DOC 2.5.2): password or XOR protection


def _cells(line: str) -> list[str] | None:
    """catdoc writes a table row as its cells separated by tabs."""
    return line.split("\t") if "\t" in line else None


class DocReader:
    """Paragraphs and tables (header row as context), headers and footers."""

    name: ClassVar[str] = "doc"
    suffixes: ClassVar[tuple[str, ...]] = (".doc", ".dot")

    def read(self, path: Path) -> Iterator[TextUnit]:
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"{\\rtf"):
            from piiscan.sources.readers.rtf import RtfReader
            yield from RtfReader().read(path)
            return
        if head.startswith(b"PK"):
            from piiscan.sources.readers.docx import DocxReader
            yield from DocxReader().read(path)
            return
        if head != OLE_SIGNATURE:
            raise ReaderError("not a Word document (no OLE container)")
        self._check_encryption(path)
        catdoc = shutil.which("catdoc")
        if catdoc is None:
            raise ReaderError("legacy .doc needs catdoc, which is not installed (Debian/Ubuntu: apt-get install catdoc)")
        try:
            done = subprocess.run([catdoc, "-w", "-d", "utf-8", str(path)], capture_output=True,
                                  timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ReaderError(f"catdoc took longer than {TIMEOUT_SECONDS} s") from None
        if done.returncode != 0:
            raise ReaderError("corrupt document: catdoc could not read it")
        yield from paragraph_units(done.stdout.decode("utf-8", "replace").splitlines(), _cells)

    @staticmethod
    def _check_encryption(path: Path) -> None:
        try:
            with olefile.OleFileIO(str(path)) as ole:
                if not ole.exists("WordDocument"):
                    raise ReaderError("not a Word document (no WordDocument stream)")
                with ole.openstream("WordDocument") as stream:
                    fib = stream.read(12)
        except (OSError, ValueError):
            raise ReaderError("corrupt document: a damaged OLE container") from None
        if len(fib) < 12:
            raise ReaderError("corrupt document: no file information block")
        (flags,) = struct.unpack_from("<H", fib, 10)
        if flags & (_ENCRYPTED | _OBFUSCATED):
            raise ReaderError("encrypted (password-protected) document")

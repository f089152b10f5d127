from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from python_calamine import CalamineError, CalamineWorkbook

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import OLE_SIGNATURE, ReaderError
from piiscan.sources.readers.xlsx import calamine_rows, sheet_units


class XlsReader:
    """Legacy Excel 97-2003 workbooks, read by calamine (Rust; xlrd, which the writer
    still edits with, reads about ten times slower): every sheet, hidden ones
    included, with the same cell addresses and header context as the xlsx reader."""

    name: ClassVar[str] = "xls"
    suffixes: ClassVar[tuple[str, ...]] = (".xls",)

    @staticmethod
    def check(path: Path) -> None:
        with path.open("rb") as fh:
            if fh.read(8) != OLE_SIGNATURE:
                raise ReaderError("not a valid xls workbook (no OLE container)")

    def read(self, path: Path) -> Iterator[TextUnit]:
        self.check(path)
        try:
            book = CalamineWorkbook.from_path(str(path))
            names = book.sheet_names
        except CalamineError as e:
            raise ReaderError(_reason(e)) from None
        try:
            for name in names:
                try:
                    sheet = book.get_sheet_by_name(name)
                except CalamineError as e:
                    raise ReaderError(_reason(e)) from None
                yield from sheet_units(name, calamine_rows(sheet))
        finally:
            book.close()


def _reason(error: CalamineError) -> str:
    return "encrypted (password-protected) workbook" if "passw" in str(error).lower() or "encrypt" in str(
        error).lower() else f"corrupt workbook: {type(error).__name__}"

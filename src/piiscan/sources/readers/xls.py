from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

import xlrd

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import OLE_SIGNATURE, ReaderError
from piiscan.sources.readers.xlsx import cell_text, sheet_units


class XlsReader:
    """Legacy Excel 97-2003 workbooks (xlrd): every sheet, hidden ones included,
    with the same cell addresses and header context as the xlsx reader."""

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
            book = xlrd.open_workbook(str(path), on_demand=True)
        except xlrd.biffh.XLRDError as e:
            reason = "encrypted (password-protected) workbook" if "encrypt" in str(e).lower() else "corrupt workbook"
            raise ReaderError(reason) from None
        try:
            for sheet in book.sheets():
                yield from self._sheet(book, sheet)
        finally:
            book.release_resources()

    @staticmethod
    def _sheet(book, sheet) -> Iterator[TextUnit]:
        rows = ((r + 1, [XlsReader._text(book, sheet.cell(r, c)) or "" for c in range(sheet.ncols)])
                for r in range(sheet.nrows))
        yield from sheet_units(sheet.name, rows)

    @staticmethod
    def _text(book, cell) -> str | None:
        if cell.ctype == xlrd.XL_CELL_TEXT:
            return cell.value
        if cell.ctype == xlrd.XL_CELL_NUMBER:
            return cell_text(cell.value)  # a phone typed as a number
        return None

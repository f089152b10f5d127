"""Legacy Excel 97-2003 workbooks: the copy is an .xlsx. No maintained library
writes .xls (xlwt stopped in 2013 and cannot keep what xlrd reads), so the
workbook is converted cell by cell (values, dates, hidden sheets; not formatting,
formulas or comments, which xlrd does not give) and redacted by the xlsx writer.
The copy's name ends in .xlsx; the manifest names it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar, Iterator

import xlrd
from openpyxl import Workbook

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans
from piiscan.protect.writers.xlsx import XlsxWriter
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.xls import XlsReader


class XlsWriter:
    name: ClassVar[str] = "xls"
    suffixes: ClassVar[tuple[str, ...]] = XlsReader.suffixes
    reversible: ClassVar[bool] = True
    output_suffix: ClassVar[str] = ".xlsx"  # the copy's format (see the module's note)

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        XlsReader.check(src)  # the reader's checks: not OLE, encrypted
        with tempfile.TemporaryDirectory(prefix="piiscan-xls-") as folder:
            converted = Path(folder) / "converted.xlsx"
            _convert(src, converted)
            XlsxWriter().write(converted, dst, spans)

    def units(self, path: Path) -> Iterator[TextUnit]:
        return XlsxWriter().units(path)  # the copy is an xlsx


def _convert(src: Path, dst: Path) -> None:
    try:
        book = xlrd.open_workbook(str(src))
    except xlrd.biffh.XLRDError as e:
        raise ReaderError(f"corrupt workbook ({type(e).__name__})") from None
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in book.sheets():
        target = workbook.create_sheet(title=sheet.name[:31] or "Sheet")
        if sheet.visibility:
            target.sheet_state = "hidden" if sheet.visibility == 1 else "veryHidden"
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                value = _value(book, sheet.cell(r, c))
                if value is not None:
                    target.cell(row=r + 1, column=c + 1, value=value)
    workbook.save(dst)


def _value(book, cell):
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, book.datemode)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return None

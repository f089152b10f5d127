from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import ClassVar, Iterator

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from piiscan.model import TextUnit
from piiscan.readers.base import ReaderError, check_ooxml, column_letter, looks_like_header


def cell_text(value) -> str | None:
    """Text of a cell as a person reads it; numbers stored as numbers included
    (a phone typed into Excel is an int), dates and booleans skipped."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None


class XlsxReader:
    """Every sheet, hidden ones included, in openpyxl's streaming read-only mode."""

    name: ClassVar[str] = "xlsx"
    suffixes: ClassVar[tuple[str, ...]] = (".xlsx", ".xlsm")

    def read(self, path: Path) -> Iterator[TextUnit]:
        check_ooxml(path, "workbook")
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError) as e:
            raise ReaderError(f"corrupt workbook: {type(e).__name__}") from None
        except OSError as e:
            if e.errno is not None:
                raise  # a real I/O error, reported as such by the scanner
            # openpyxl's bare OSError for a zip without a workbook part (a .docx renamed .xlsx)
            raise ReaderError("corrupt workbook: no workbook part") from None
        try:
            for sheet in workbook.worksheets:
                yield from self._sheet(sheet)
        finally:
            workbook.close()

    @staticmethod
    def _sheet(sheet) -> Iterator[TextUnit]:
        sheet.reset_dimensions()  # some writers store a wrong dimension: read every row
        headers: dict[int, str] = {}
        first_row_seen = False
        for row_no, row in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
            texts = [cell_text(v) for v in row]
            if not first_row_seen and any(texts):
                first_row_seen = True
                if looks_like_header([t or "" for t in texts]):
                    headers = {i: t.strip() for i, t in enumerate(texts, start=1) if t}
                    for col_no, text in headers.items():
                        yield TextUnit(text, {"sheet": sheet.title, "cell": f"{column_letter(col_no)}{row_no}"})
                    continue
            for col_no, text in enumerate(texts, start=1):
                if text and text.strip():
                    yield TextUnit(text, {"sheet": sheet.title, "cell": f"{column_letter(col_no)}{row_no}"},
                                   header=headers.get(col_no))

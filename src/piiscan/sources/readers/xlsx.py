from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import ClassVar, Iterable, Iterator

from openpyxl.comments.comment_sheet import CommentSheet
from python_calamine import CalamineError, CalamineWorkbook
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.header_footer import HeaderFooter
from openpyxl.xml.constants import COMMENTS_NS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import NAME_HEADER, ReaderError, check_ooxml, column_letter, with_headers
from piiscan.sources.readers.xlsx_strings import load_read_only


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


def calamine_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts from column A) of a calamine sheet. Its rows come from
    the first row of the sheet, its columns from the first used column."""
    if not sheet.height or not sheet.width:
        return
    first_column = sheet.start[1]
    for row_no, row in enumerate(sheet.iter_rows(), start=1):
        yield row_no, [""] * first_column + [cell_text(v) or "" for v in row]


def sheet_units(sheet: str, rows: Iterable[tuple[int, list[str]]]) -> Iterator[TextUnit]:
    """A unit per non-empty cell of a sheet's (row number, texts) rows, with its column header."""
    for row_no, texts, headers, below in with_headers(rows):
        for col_no, text in enumerate(texts, start=1):
            if text.strip():
                yield TextUnit(text, {"sheet": sheet, "cell": f"{column_letter(col_no)}{row_no}"},
                               header=headers.get(col_no) if below else None)


CALAMINE_CELLS = 2_000_000  # about 170 MB of calamine's memory; a bigger sheet is streamed
HEADER_FOOTERS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
# Document properties; the author fields hold people's names: read as if under a 姓名 column.
PROPERTIES = {"creator": NAME_HEADER, "lastModifiedBy": NAME_HEADER, "title": None, "subject": None,
              "description": None, "keywords": None, "category": None}
_HEADER_FOOTER = re.compile(rb"<(?:\w+:)?headerFooter\b.*?</(?:\w+:)?headerFooter>|<(?:\w+:)?headerFooter\b[^>]*/>", re.S)


class XlsxReader:
    """Every sheet, hidden ones included: cell values by calamine, the header row
    possibly below a title; cell comments and their authors, page headers and
    footers, core and custom document properties by openpyxl."""

    name: ClassVar[str] = "xlsx"
    suffixes: ClassVar[tuple[str, ...]] = (".xlsx", ".xlsm")

    def read(self, path: Path) -> Iterator[TextUnit]:
        check_ooxml(path, "workbook")
        try:
            workbook, strings = load_read_only(path)
        except (InvalidFileException, zipfile.BadZipFile, KeyError) as e:
            raise ReaderError(f"corrupt workbook: {type(e).__name__}") from None
        except OSError as e:
            if e.errno is not None:
                raise  # a real I/O error, reported as such by the scanner
            # openpyxl's bare OSError for a zip without a workbook part (a .docx renamed .xlsx)
            raise ReaderError("corrupt workbook: no workbook part") from None
        try:
            yield from self._cells(path, workbook)
            with zipfile.ZipFile(path) as archive:
                for sheet in workbook.worksheets:
                    yield from self._comments(archive, sheet)
                    yield from self._header_footer(archive, sheet)
            yield from self._properties(workbook)
        finally:
            workbook.close()
            if strings is not None:
                strings.close()

    @staticmethod
    def _cells(path: Path, workbook) -> Iterator[TextUnit]:
        """Cell values of every worksheet, hidden ones too. calamine (Rust) reads 13×
        the rows per second of openpyxl's read-only mode but holds a sheet in memory:
        a sheet of more than CALAMINE_CELLS cells (by its stated dimension) streams
        through openpyxl instead, so memory stays flat on a million rows."""
        book = None
        for sheet in workbook.worksheets:
            if (sheet.max_row or 0) * (sheet.max_column or 0) > CALAMINE_CELLS:
                yield from XlsxReader._streamed(sheet)
                continue
            if book is None:
                try:
                    book = CalamineWorkbook.from_path(str(path))
                except CalamineError as e:
                    raise ReaderError(f"corrupt workbook: {type(e).__name__}") from None
            yield from sheet_units(sheet.title, calamine_rows(book.get_sheet_by_name(sheet.title)))

    @staticmethod
    def _streamed(sheet) -> Iterator[TextUnit]:
        sheet.reset_dimensions()  # some writers store a wrong dimension: read every row
        rows = ((row_no, [cell_text(v) or "" for v in row])
                for row_no, row in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1))
        yield from sheet_units(sheet.title, rows)

    @staticmethod
    def _comments(archive: zipfile.ZipFile, sheet) -> Iterator[TextUnit]:
        """A comment's text and author, located at its cell (as the redaction writer rewrites them)."""
        rels = get_rels_path(sheet._worksheet_path)  # read-only sheets keep their part's name here
        if rels not in archive.namelist():
            return
        for rel in get_dependents(archive, rels).find(COMMENTS_NS):
            for ref, comment in CommentSheet.from_tree(fromstring(archive.read(rel.target))).comments:
                where = {"sheet": sheet.title, "cell": ref}
                if comment.text and comment.text.strip():
                    yield TextUnit(comment.text, where | {"part": "comment"})
                if comment.author and comment.author.strip():
                    yield TextUnit(comment.author, where | {"part": "comment author"}, NAME_HEADER)

    @staticmethod
    def _header_footer(archive: zipfile.ZipFile, sheet) -> Iterator[TextUnit]:
        """Page headers and footers: one element near the end of the sheet's XML,
        found in its raw bytes so a million-row sheet is not parsed a second time."""
        found, tail = None, b""
        with archive.open(sheet._worksheet_path) as source:
            while chunk := source.read(1 << 20):
                tail += chunk
                found = _HEADER_FOOTER.search(tail) if b"headerFooter" in tail else None
                if found:
                    break
                tail = tail[-(1 << 16):]  # an element cut by the chunk's end is found next time
        if not found:
            return
        item = HeaderFooter.from_tree(fromstring(_with_namespace(found.group(0))))
        for name in HEADER_FOOTERS:
            for side in ("left", "center", "right"):
                text = getattr(getattr(item, name), side).text
                if text and text.strip():
                    yield TextUnit(text, {"sheet": sheet.title, "part": f"{name}.{side}"})

    @staticmethod
    def _properties(workbook) -> Iterator[TextUnit]:
        for attr, header in PROPERTIES.items():
            value = getattr(workbook.properties, attr)
            if isinstance(value, str) and value.strip():
                yield TextUnit(value, {"property": attr}, header)
        for prop in workbook.custom_doc_props.props:  # the property's name is the context
            if isinstance(prop.value, str) and prop.value.strip():
                yield TextUnit(prop.value, {"custom property": prop.name}, prop.name)


def _with_namespace(element: bytes) -> bytes:
    """The headerFooter element cut out of its sheet, made parseable on its own."""
    element = re.sub(rb"<(/?)\w+:", rb"<\1", element)  # a prefixed <x:headerFooter>
    return element.replace(b"<headerFooter", b'<headerFooter xmlns="' + SHEET_MAIN_NS.encode() + b'"', 1)

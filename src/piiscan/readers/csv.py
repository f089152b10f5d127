from __future__ import annotations

import csv
from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.model import TextUnit
from piiscan.readers.base import ReaderError, column_letter, detect_encoding, looks_like_header

SAMPLE_BYTES = 65536


class CsvReader:
    """CSV/TSV in UTF-8, UTF-8 with BOM, GBK/GB18030 or whatever charset-normalizer
    detects; delimiter sniffed; one unit per cell with its column header as context."""

    name: ClassVar[str] = "csv"
    suffixes: ClassVar[tuple[str, ...]] = (".csv", ".tsv")

    def read(self, path: Path) -> Iterator[TextUnit]:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
        encoding = detect_encoding(sample)
        delimiter = "\t" if path.suffix.lower() == ".tsv" else self._sniff(sample.decode(encoding, "replace"))
        csv.field_size_limit(1 << 24)
        with path.open(encoding=encoding, errors="replace", newline="") as fh:
            rows = csv.reader(fh, delimiter=delimiter)
            try:
                yield from self._units(rows)
            except csv.Error as e:
                raise ReaderError(f"malformed CSV near row {rows.line_num}: {e}") from None

    @staticmethod
    def _sniff(text: str) -> str:
        try:
            return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
        except csv.Error:
            return ","

    @staticmethod
    def _units(rows) -> Iterator[TextUnit]:
        headers: list[str] = []
        for row_no, row in enumerate(rows, start=1):
            if row_no == 1 and looks_like_header(row):
                headers = [h.strip() for h in row]
            for col_no, value in enumerate(row, start=1):
                if not value.strip():
                    continue
                header = headers[col_no - 1] if col_no <= len(headers) and headers[col_no - 1] else None
                column = header or column_letter(col_no)
                yield TextUnit(value, {"row": row_no, "column": column},
                               header=header if row_no > 1 else None)

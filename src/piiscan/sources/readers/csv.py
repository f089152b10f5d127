from __future__ import annotations

import csv
from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, column_letter, detect_encoding, with_headers
from piiscan.sources.readers.mixed import NAME as MIXED, NOTE as MIXED_NOTE

SAMPLE_BYTES = 65536
FIELD_LIMIT = 1 << 24  # characters: a longer field is skipped with its record, the rest is read
DELIMITERS = ",;\t|"


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
        csv.field_size_limit(FIELD_LIMIT)
        skipped: list[int] = []
        with path.open(encoding=encoding, errors="replace", newline="") as fh:
            yield from self._units(_records(fh, delimiter, skipped))
        if skipped:
            raise ReaderError(f"{len(skipped)} record(s) with a field over {FIELD_LIMIT:,} characters skipped "
                              f"(row {skipped[0]}); the rest was read")
        if encoding == MIXED:
            raise ReaderError(MIXED_NOTE)

    @staticmethod
    def _sniff(text: str) -> str:
        """The delimiter: the only candidate that splits the first lines into the same
        number of fields (two or more) on every line; when none or several do, the
        standard library's Sniffer decides. That one counts all 127 ASCII characters
        on every line, ~0.5 ms: more than a small CSV's whole scan."""
        lines = text[:8192].splitlines()[:20]
        if len(lines) > 1 and len(text) > 8192:
            lines = lines[:-1]  # the last line may be cut short by the sample
        consistent = []
        for delimiter in DELIMITERS:
            widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
            if len(widths) == 1 and widths.pop() > 1:
                consistent.append(delimiter)
        if len(consistent) == 1:
            return consistent[0]
        try:
            return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
        except csv.Error:
            return ","

    @staticmethod
    def _units(numbered) -> Iterator[TextUnit]:
        """One unit per cell; the header row may sit below a title row (readers.base.with_headers)."""
        for row_no, row, headers, below in with_headers(numbered):
            for col_no, value in enumerate(row, start=1):
                if not value.strip():
                    continue
                header = headers.get(col_no)
                yield TextUnit(value, {"row": row_no, "column": header or column_letter(col_no)},
                               header=header if below else None)


def _records(fh, delimiter: str, skipped: list[int]) -> Iterator[tuple[int, list[str]]]:
    """(record number, fields). A record with a field over FIELD_LIMIT is skipped and
    noted in `skipped`; reading goes on with the next line (the csv module cannot
    resume, so a new reader takes the rest of the file)."""
    number = 0
    while True:
        rows = csv.reader(fh, delimiter=delimiter)
        try:
            for row in rows:
                number += 1
                yield number, row
            return
        except csv.Error as e:
            if "field larger than field limit" not in str(e):
                raise ReaderError(f"malformed CSV near row {number + 1}: {e}") from None
            number += 1
            skipped.append(number)

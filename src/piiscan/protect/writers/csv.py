from __future__ import annotations

import csv
from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import detect_encoding, with_headers
from piiscan.sources.readers.csv import SAMPLE_BYTES, CsvReader
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans


class CsvWriter:
    """CSV/TSV in the input's encoding (GBK stays GBK-compatible GB18030, a BOM
    stays), delimiter and line ending; each cell with its column header as context.
    Quoting is re-done minimally: cell values are unchanged, quote marks around
    cells that do not need them are not kept."""

    name: ClassVar[str] = "csv"
    suffixes: ClassVar[tuple[str, ...]] = CsvReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        with src.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
        encoding = detect_encoding(sample)
        text = sample.decode(encoding, "replace")
        delimiter = "\t" if src.suffix.lower() == ".tsv" else CsvReader._sniff(text)
        terminator = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
        csv.field_size_limit(1 << 24)
        with src.open(encoding=encoding, errors="replace", newline="") as fh, \
                dst.open("w", encoding=encoding, newline="") as out:
            writer = csv.writer(out, delimiter=delimiter, lineterminator=terminator)
            numbered = ((row_no, row) for row_no, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1))
            for _, row, headers, below in with_headers(numbered):  # the reader's header row
                new_row = []
                for col_no, value in enumerate(row, start=1):
                    header = headers.get(col_no) if below else None
                    new_row.append(apply(value, spans(value, header)) if value.strip() else value)
                writer.writerow(new_row)

    def units(self, path: Path) -> Iterator[TextUnit]:
        return CsvReader().read(path)

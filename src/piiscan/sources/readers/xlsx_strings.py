"""A workbook's shared-strings table kept on disk instead of in memory.

Excel stores every distinct text of a workbook once, in xl/sharedStrings.xml,
and cells refer to it by number. openpyxl's read-only mode still loads that
table whole, as a list of str: about 100 bytes a string, so a million-row
roster saved by Excel (several million distinct names, IDs and addresses)
needs hundreds of MB before the first row is read. Here the strings go to a
temporary file and only their offsets stay in memory (8 bytes a string); a
cell's text is read back with one pread, outside the process's resident memory.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from pathlib import Path
from xml.etree.ElementTree import iterparse

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

_SI = f"{{{SHEET_MAIN_NS}}}si"


class SharedStrings:
    """Read-only sequence of a shared-strings part, as openpyxl's worksheet parser indexes it."""

    def __init__(self, source):
        self._file = tempfile.TemporaryFile(prefix="piiscan-strings-")
        self._offsets = array("Q", [0])
        root = None
        for event, node in iterparse(source, events=("start", "end")):
            if root is None:
                root = node
            elif event == "end" and node.tag == _SI:
                text = Text.from_tree(node).content.replace("x005F_", "")  # as openpyxl reads it
                data = text.encode("utf-8")
                self._file.write(data)
                self._offsets.append(self._offsets[-1] + len(data))
                root.clear()  # drop the parsed strings: only the offsets stay
        self._file.flush()

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> str:
        start, end = self._offsets[index], self._offsets[index + 1]
        return os.pread(self._file.fileno(), end - start, start).decode("utf-8")

    def close(self) -> None:
        self._file.close()


class _Reader(ExcelReader):
    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = SharedStrings(source)


def load_read_only(path: Path):
    """openpyxl's load_workbook(path, read_only=True, data_only=True) with the shared
    strings on disk: (workbook, strings); close both when done (strings is None for a
    workbook without a shared-strings part)."""
    reader = _Reader(path, read_only=True, data_only=True)
    reader.read()
    strings = reader.shared_strings
    return reader.wb, strings if isinstance(strings, SharedStrings) else None

from __future__ import annotations

import re

import itertools
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Iterator, Optional, Protocol

import olefile
from charset_normalizer import from_bytes

from piiscan.core.model import TextUnit
from piiscan.sources.readers.mixed import NAME as MIXED, is_mixed

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML files are OLE containers
# Context for text that holds a person's name outside a table (a document's author): as if under 姓名.
NAME_HEADER = "姓名"


class ReaderError(Exception):
    """A file this reader cannot read; the message is one line without content."""


class Reader(Protocol):
    """Optional too: `magic` (bytes its files start with) and `schemes` (URL schemes it
    opens, "*" for any); see piiscan.sources.readers and piiscan.sources.readers.sql."""

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def read(self, path: Path) -> Iterator[TextUnit]: ...


_GB = ("gb18030", "gbk", "gb2312", "cp936", "hz")


def detect_encoding(sample: bytes) -> str:
    """utf-8 (with or without BOM) when it decodes, else charset-normalizer's guess,
    with GBK widened to GB18030 (a superset that also decodes rare characters).

    On a short sample charset-normalizer often finds Big5, CP949 and GB18030 equally
    good and picks Big5 or Korean; our files come from mainland firms, so GB18030
    wins a tie."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data":  # a character cut by the sample's end
            return "utf-8"
    if is_mixed(sample):
        return MIXED  # lines in UTF-8 and lines in GBK: each decoded in its own (readers.mixed)
    if _reads_as_chinese(sample):
        return "gb18030"
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return "gb18030"
    gb = next((m for m in matches if m.encoding in _GB), None)
    if gb is not None and gb.chaos <= best.chaos and gb.coherence >= best.coherence:
        best = gb
    return "gb18030" if best.encoding in _GB else best.encoding


def _reads_as_chinese(sample: bytes) -> bool:
    """Does the sample decode as GB18030 into mostly common Chinese characters? A
    short GBK roster is otherwise often guessed as Thai or Korean by
    charset-normalizer, which weighs all encodings alike."""
    for cut in range(4):  # the sample may end inside a character
        try:
            text = sample[:len(sample) - cut].decode("gb18030")
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    return bool(wide) and sum("\u4e00" <= c <= "\u9fa5" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
                              for c in wide) >= 0.9 * len(wide)


def check_ooxml(path: Path, kind: str) -> None:
    """Office files that are password-protected are OLE containers, not zips: the
    zip is inside, encrypted, as the EncryptedPackage stream (MS-OFFCRYPTO)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_SIGNATURE:
        try:
            with olefile.OleFileIO(str(path)) as ole:
                encrypted = ole.exists("EncryptedPackage")
        except (OSError, ValueError):  # olefile's errors for a damaged container
            raise ReaderError(f"corrupt {kind}: a damaged OLE container") from None
        if encrypted:
            raise ReaderError(f"encrypted (password-protected) {kind}")
        raise ReaderError(f"a legacy binary Office file (.xls/.doc/.ppt) under a new-format {kind} name")
    if not head.startswith(b"PK"):
        raise ReaderError(f"not a valid {kind} file (no zip container)")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_DIGIT_RUN = re.compile(r"[0-9]{6}")


def looks_like_header(row: list[str]) -> bool:
    """A row of labels: every non-empty cell has a letter and no long digit run."""
    cells = [c for c in row if c.strip()]
    # (a slice at the end of a cell is shorter than six: 电话2 is a label, 13800138000 is not)
    return bool(cells) and all(any(ch.isalpha() for ch in c) and not _DIGIT_RUN.search(c) for c in cells)


HEADER_SEARCH_ROWS = 5  # a title, a date line, a blank merged row… then the header


def header_index(rows: list[list[str]]) -> Optional[int]:
    """Which of a table's first non-empty rows holds its column headers. Chinese
    workbooks often put a title (a merged "2024年客户名单") above the header row:
    the header is the first of the first few rows with at least two labels; else
    the first row, if it is labels (a one-column table)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in row if c.strip()) >= 2 and looks_like_header(row):
            return i
    return 0 if rows and looks_like_header(rows[0]) else None


def with_headers(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str], dict[int, str], bool]]:
    """(row number, cell texts, the table's headers by 1-based column, whether the row
    is below the header row) for a table's rows ("" is an empty cell), streamed: only
    the first few non-empty rows wait until the header row is known."""
    rows = iter(rows)
    head: list[tuple[int, list[str]]] = []
    for row_no, texts in rows:
        head.append((row_no, texts))
        if sum(1 for t in head if any(c.strip() for c in t[1])) >= HEADER_SEARCH_ROWS:
            break
    filled = [t for t in head if any(c.strip() for c in t[1])]
    found = header_index([texts for _, texts in filled])
    headers, header_row = {}, None
    if found is not None:
        header_row, texts = filled[found]
        headers = {c: t.strip() for c, t in enumerate(texts, start=1) if t.strip()}
    for row_no, texts in itertools.chain(head, rows):
        yield row_no, texts, headers, header_row is not None and row_no > header_row


def paragraph_units(lines: Iterable[str], cells: Callable[[str], Optional[list[str]]],
                    where: Optional[dict] = None) -> Iterator[TextUnit]:
    """Units of converted text (a .doc, an RTF): a paragraph per line, {"paragraph": n};
    a run of lines that `cells` splits into cells is a table, {"table", "row", "column"},
    its header row giving the column context."""
    where = where or {}
    paragraphs = tables = 0
    for is_table, run in itertools.groupby(lines, key=lambda line: cells(line) is not None):
        if not is_table:
            for line in run:
                paragraphs += 1
                if line.strip():
                    yield TextUnit(line, where | {"paragraph": paragraphs})
            continue
        tables += 1
        rows = ((r, cells(line)) for r, line in enumerate(run, start=1))
        for r, texts, headers, below in with_headers(rows):
            for c, text in enumerate(texts, start=1):
                if text.strip():
                    yield TextUnit(text, where | {"table": tables, "row": r, "column": c},
                                   header=headers.get(c) if below else None)

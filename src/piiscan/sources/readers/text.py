from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, detect_encoding
from piiscan.sources.readers.mixed import NAME as MIXED, NOTE as MIXED_NOTE

BLOCK_CHARS = 65536
MAX_BLOCK = 4 * BLOCK_CHARS  # a line longer than this is cut (a value across the cut is seen by neither piece)


class TextReader:
    """Plain text and Markdown, any encoding, streamed in blocks of whole lines."""

    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".md", ".markdown", ".text", ".log")

    def read(self, path: Path) -> Iterator[TextUnit]:
        with path.open("rb") as fh:
            encoding = detect_encoding(fh.read(BLOCK_CHARS))
        with path.open(encoding=encoding, errors="replace", newline="") as fh:
            block: list[str] = []
            size, first_line, line_no = 0, 1, 1
            # readline(limit): a 300 MB text on one line comes in pieces, memory stays flat
            for piece in iter(lambda: fh.readline(BLOCK_CHARS), ""):
                block.append(piece)
                size += len(piece)
                ends_line = piece.endswith(("\n", "\r"))
                if size >= BLOCK_CHARS and (ends_line or size >= MAX_BLOCK):
                    yield TextUnit("".join(block), {}, first_line=first_line)
                    block, size, first_line = [], 0, line_no + ends_line
                line_no += ends_line
            if block:
                yield TextUnit("".join(block), {}, first_line=first_line)
        if encoding == MIXED:
            raise ReaderError(MIXED_NOTE)

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import detect_encoding

BLOCK_CHARS = 65536


class TextReader:
    """Plain text and Markdown, any encoding, streamed in blocks of whole lines."""

    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".md", ".markdown", ".text", ".log")

    def read(self, path: Path) -> Iterator[TextUnit]:
        with path.open("rb") as fh:
            encoding = detect_encoding(fh.read(BLOCK_CHARS))
        with path.open(encoding=encoding, errors="replace", newline="") as fh:
            block: list[str] = []
            size, first_line, line_no = 0, 1, 0
            for line_no, line in enumerate(fh, start=1):
                block.append(line)
                size += len(line)
                if size >= BLOCK_CHARS:
                    yield TextUnit("".join(block), {}, first_line=first_line)
                    block, size, first_line = [], 0, line_no + 1
            if block:
                yield TextUnit("".join(block), {}, first_line=first_line)

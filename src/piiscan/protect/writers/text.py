from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, detect_encoding
from piiscan.sources.readers.mixed import NOTE as MIXED_NOTE
from piiscan.sources.readers.text import BLOCK_CHARS, TextReader
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans


class TextWriter:
    """Text and Markdown: the reader's blocks of whole lines, redacted, written in
    the input's encoding with its line endings."""

    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = TextReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        with src.open("rb") as fh:
            encoding = detect_encoding(fh.read(BLOCK_CHARS))
        with dst.open("w", encoding=encoding, errors="strict", newline="") as out:
            try:
                for unit in TextReader().read(src):
                    out.write(apply(unit.text, spans(unit.text, None)))
            except ReaderError as e:
                if str(e) != MIXED_NOTE:
                    raise  # a file in UTF-8 and GBK lines is written all in UTF-8: nothing is lost

    def units(self, path: Path) -> Iterator[TextUnit]:
        return TextReader().read(path)

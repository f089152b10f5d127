"""Rich Text Format with striprtf. Chinese RTF escapes its characters two ways,
both handled: \\'bf\\'cd bytes in the document's code page (\\ansicpg936, GBK) and
\\u23458 Unicode. striprtf drops headers, footers, footnotes, comments and the
author fields, where names and phone numbers hide, so those groups are cut out
and read on their own."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import ClassVar, Iterator

from striprtf.striprtf import rtf_to_text

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import NAME_HEADER, ReaderError, detect_encoding, paragraph_units

_PARTS = re.compile(r"\{(?:\\\*)?\\(header[lrf]?|footer[lrf]?|footnote|annotation|author|operator)(?![a-z])")
_CODE_PAGE = re.compile(r"\\ansicpg(\d+)")
_CHARSETS = {"134": "936", "136": "950"}  # \fcharset GB2312 / Big5: the code page when \ansicpg is missing
_PROPERTIES = {"author": "author", "operator": "last modified by"}  # {\info{\author …}{\operator …}}


def group_end(rtf: str, start: int) -> int:
    """Index after the brace closing the group that opens at `start` (escaped braces skipped)."""
    depth, i = 0, start
    while i < len(rtf):
        char = rtf[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(rtf)


def _cells(line: str) -> list[str] | None:
    """striprtf ends each table cell with "|"."""
    return line.split("|")[:-1] if line.endswith("|") else None


class RtfReader:
    """Paragraphs and tables (header row as context); headers, footers, footnotes
    and comments by part; the document's author and last editor as names."""

    name: ClassVar[str] = "rtf"
    suffixes: ClassVar[tuple[str, ...]] = (".rtf",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        raw = path.read_bytes()
        if not raw.lstrip().startswith(b"{\\rtf"):
            raise ReaderError("not an RTF document (no {\\rtf header)")
        # RTF is 7-bit text; a few writers put raw GBK bytes in it
        rtf = raw.decode("ascii") if raw.isascii() else raw.decode(detect_encoding(raw[:65536]), "replace")
        encoding = self._encoding(rtf)
        try:
            yield from paragraph_units(rtf_to_text(rtf, encoding=encoding, errors="replace").splitlines(), _cells)
            seen, numbers = set(), Counter()  # a header is often written once per section: read it once
            for match in _PARTS.finditer(rtf):
                part = match.group(1)
                body = rtf[match.end():group_end(rtf, match.start()) - 1]
                text = rtf_to_text("{\\rtf1 " + body + "}", encoding=encoding, errors="replace").strip()
                if not text or (part, text) in seen:
                    continue
                seen.add((part, text))
                if part in _PROPERTIES:
                    yield TextUnit(text, {"property": _PROPERTIES[part]}, NAME_HEADER)
                    continue
                part = "comment" if part == "annotation" else part
                numbers[part] += 1
                yield from paragraph_units(text.splitlines(), _cells, {"part": part, "number": numbers[part]})
        except (ValueError, IndexError) as e:  # striprtf on a malformed control word
            raise ReaderError(f"corrupt RTF: {type(e).__name__}") from None

    @staticmethod
    def _encoding(rtf: str) -> str:
        page = _CODE_PAGE.search(rtf[:4096])
        if page is None:
            charset = re.search(r"\\fcharset(134|136)", rtf[:65536])
            return f"cp{_CHARSETS[charset.group(1)]}" if charset else "cp1252"
        return f"cp{page.group(1)}"

"""The writer interface and helpers shared by the writers.

A writer copies one file to another of the same format, replacing exactly the
spans that a `Spans` callable returns for each piece of text and nothing else.
Redaction passes a `Redactor`, `unredact` an `Unredactor`. `units(path)` gives
the text of a file (the reader's units plus what the reader does not look at:
comments, headers/footers, document properties) for verification.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable, ClassVar, Iterator, Optional, Protocol, Sequence
from urllib.parse import unquote

from lxml import etree

from piiscan.core.model import TextUnit
from piiscan.protect.operators import Replacement

Spans = Callable[[str, Optional[str]], list[Replacement]]

# Document properties that usually hold a person's name: detected as if under a 姓名 column.
NAME_HEADER = "姓名"


class Writer(Protocol):
    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]
    reversible: ClassVar[bool]  # can `unredact` restore its output

    def write(self, src: Path, dst: Path, spans: Spans) -> None: ...

    def units(self, path: Path) -> Iterator[TextUnit]: ...

    # Optional: `unchecked(path) -> list[str]`, what in an input neither redaction
    # nor verification can read (scanned pages, pictures): warnings and manifest.


def replace_in_segments(segments: Sequence[tuple[str, bool]], replacements: list[Replacement]) -> list[str]:
    """New texts of segments whose concatenation was detected on as one text.

    segments: (text, editable). A span may cross segments (a number split over
    several Word runs or HTML tags): its replacement goes into the first editable
    segment it touches and its characters are removed from the others; text of
    non-editable segments (a tab, a line break) stays.
    """
    chars: list[str] = []
    editable: list[bool] = []
    bounds = []
    for text, can_edit in segments:
        bounds.append((len(chars), len(chars) + len(text)))
        chars.extend(text)
        editable.extend([can_edit] * len(text))
    for r in sorted(replacements, key=lambda r: r.start):
        placed = False
        for i in range(r.start, r.end):
            if not editable[i]:
                continue
            chars[i] = "" if placed else r.text
            placed = True
        if not placed and r.text:  # only separators in the span: put it before them
            chars[r.start] = r.text + chars[r.start]
    return ["".join(chars[a:b]) for a, b in bounds]


# Text that could hold a value: a run of digits, an e-mail, Chinese characters.
_WORTH_SCANNING = re.compile(r"\d{5}|@|[\u4e00-\u9fff]")


def package_units(path: Path) -> Iterator[TextUnit]:
    """Every text node and attribute value that could hold a value, in every XML
    part of an OOXML package (xlsx, docx). Verification reads these besides the
    reader's text, so what no writer looks at — a sheet named after a client, a
    pivot cache, data-bound custom XML, a defined name — is still checked."""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
            root = etree.fromstring(package.read(name), parser)
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                if el.text and _WORTH_SCANNING.search(el.text):
                    yield TextUnit(el.text, {"part": name, "element": etree.QName(el).localname})
                for attribute, value in el.attrib.items():
                    if _WORTH_SCANNING.search(value):
                        yield TextUnit(unquote(value), {"part": name, "attribute": etree.QName(attribute).localname})

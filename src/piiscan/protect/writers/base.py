"""The writer interface and helpers shared by the writers.

A writer copies one file to another of the same format, replacing exactly the
spans that a `Spans` callable returns for each piece of text and nothing else.
Redaction passes a `Redactor`, `unredact` an `Unredactor`. `units(path)` gives
the text of a file (the reader's units plus what the reader does not look at:
comments, headers/footers, document properties) for verification.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, ClassVar, Iterator, Optional, Protocol, Sequence

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

"""HTML copies: every text place the reader scans (piiscan.sources.readers.html:
text runs, every attribute value, comments, script and style content) is
rewritten where its spans say, in place; the markup around them is copied byte
for byte. A replacement is written back encoded as the text it replaces was
(a character reference, %XX escapes in a URL); an unquoted attribute value that
changes is quoted."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.protect.writers.base import Spans, replace_in_segments
from piiscan.sources.readers.base import detect_encoding
from piiscan.sources.readers.html import HtmlReader, Page, Place, encoded, html_units, places


def rewrite_html(source: str, spans: Spans) -> str:
    """The page with every place's spans replaced."""
    page = Page(source)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for place in places(page):
        text = place.text
        replacements = spans(text, place.header) if text.strip() else []
        if replacements:
            for token, start, end, new in _rewritten(place, replacements):
                edits.setdefault(token, []).append((start, end, new))
    for token, changes in edits.items():
        value = page.tokens[token]
        for start, end, new in sorted(changes, reverse=True):
            value = value[:start] + new + value[end:]
        page.tokens[token] = value
    return page.text()


def _rewritten(place: Place, replacements) -> Iterator[tuple[int, int, int, str]]:
    segments = [(decoded, True) for region in place.regions for _, decoded in region.atoms]
    new = iter(replace_in_segments(segments, replacements))
    for region in place.regions:
        out = "".join(encoded(next(new), raw, decoded, region) for raw, decoded in region.atoms)
        original = "".join(raw for raw, _ in region.atoms)
        if out != original:
            yield region.token, region.start, region.end, f'"{out}"' if region.unquoted else out


class HtmlWriter:
    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = HtmlReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        raw = src.read_bytes()
        encoding = detect_encoding(raw[:65536])
        with dst.open("w", encoding=encoding, errors="xmlcharrefreplace", newline="") as out:
            out.write(rewrite_html(raw.decode(encoding, errors="replace"), spans))

    def units(self, path: Path) -> Iterator[TextUnit]:
        return HtmlReader().read(path)

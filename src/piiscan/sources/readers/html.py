"""HTML through one traversal: the places of a page that hold text (text between
tags, every attribute value, comments, script and style content) are found once,
here; the reader scans them and the redaction writer rewrites exactly them
(piiscan.protect.writers.html), so a copy never keeps what a scan would find.

Text runs on across inline tags (<b>138</b>00138000 is one number) and stops at
any other tag; a table cell is located by table, row and column, below a row of
<th> headers. Attribute values are read whole whatever their name (a client's
phone in an id, a name URL-encoded in a link's query string, an unquoted
value=), decoded as a browser would (character references, and %XX escapes in a
value that has them); a replacement is written back encoded the same way. The
markup itself is copied byte for byte."""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterator, Optional
from urllib.parse import quote

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import detect_encoding

TOKENS = re.compile(r"(<!--.*?-->|<(?:script|style)\b[^>]*>.*?</(?:script|style)\s*>|<[!/?]?[a-zA-Z][^>]*>)",
                    re.DOTALL | re.IGNORECASE)
RAW_TEXT = re.compile(r"(<(script|style)\b[^>]*>)(.*?)(</\2\s*>)", re.DOTALL | re.IGNORECASE)
TAG_NAME = re.compile(r"<[/!?]?\s*([a-zA-Z][a-zA-Z0-9-]*)")
ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# A character reference, or a run of %XX escapes.
ESCAPES = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?|(?:%[0-9a-fA-F]{2})+")
# Text either side of these tags reads as one run of text.
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
          "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "del", "ins", "label"}
# Attributes whose values are markup vocabulary, never a person's data.
STRUCTURAL = {"type", "lang", "dir", "width", "height", "rel", "charset", "http-equiv", "colspan", "rowspan", "align",
              "valign", "border", "cellpadding", "cellspacing", "target", "method", "enctype", "media", "sizes",
              "crossorigin", "integrity", "tabindex", "role", "xmlns", "version", "bgcolor", "color", "face", "size"}
META_HEADERS = {"author": "姓名", "creator": "姓名", "owner": "姓名"}  # <meta name=author content=…>


@dataclass
class Region:
    """Characters of one token that a place reads: token[start:end], as atoms."""

    token: int
    start: int
    end: int
    atoms: list[tuple[str, str]]  # (raw, decoded)
    attribute: bool = False  # written back escaped for an attribute
    unquoted: bool = False  # an unquoted attribute value: quoted when rewritten
    markup: bool = True  # False for a script, style or comment: their text is written as it is, never escaped


@dataclass
class Place:
    """A text of the page: what detection reads, where it is, and the regions of
    the tokens it was read from (a writer puts the rewritten text back there)."""

    location: dict
    header: Optional[str]
    first_line: Optional[int]
    regions: list[Region]

    @property
    def text(self) -> str:
        return "".join(decoded for region in self.regions for _, decoded in region.atoms)

    def unit(self) -> TextUnit:
        return TextUnit(self.text, self.location, header=self.header, first_line=self.first_line)


def atoms(raw: str, percent: bool) -> list[tuple[str, str]]:
    """(raw, decoded) pieces of a value: a character reference, one %XX-escaped
    character (when `percent`), or a run of plain text."""
    out, last = [], 0
    for m in ESCAPES.finditer(raw):
        if m.group().startswith("%") and not percent:
            continue
        if m.start() > last:
            out.append((raw[last:m.start()], raw[last:m.start()]))
        out.extend(_decoded(m.group()))
        last = m.end()
    if last < len(raw):
        out.append((raw[last:], raw[last:]))
    return out


def _decoded(escape: str) -> list[tuple[str, str]]:
    if escape.startswith("&"):
        return [(escape, html.unescape(escape))]
    data = bytes.fromhex(escape.replace("%", ""))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [(escape, escape)]  # not UTF-8 escapes: left as written
    pieces, position = [], 0
    for char in text:
        size = len(char.encode("utf-8")) * 3
        pieces.append((escape[position:position + size], char))
        position += size
    return pieces


def encoded(new: str, raw: str, decoded: str, region: Region) -> str:
    """An atom's new text, written as its kind of atom is written."""
    if new == decoded:
        return raw
    if not region.markup:
        return new  # a script's `a < b && c` stays code
    if raw.startswith("%"):
        return quote(new, safe="*")
    return html.escape(new, quote=region.attribute)


class Page:
    def __init__(self, source: str) -> None:
        self.tokens = TOKENS.split(source)
        self.starts, position = [], 0
        for token in self.tokens:
            self.starts.append(position)
            position += len(token)
        self._newlines = [m.start() for m in re.finditer("\n", source)]

    def line(self, index: int, offset: int = 0) -> int:
        return bisect.bisect_right(self._newlines, self.starts[index] + offset - 1) + 1

    def text(self) -> str:
        return "".join(self.tokens)


def places(page: Page) -> Iterator[Place]:
    """Every text place of the page, in document order of where it starts."""
    from piiscan.sources.readers.html_places import attribute_places, raw_text_places, text_places

    yield from text_places(page)
    for i, token in enumerate(page.tokens):
        if token.startswith("<!--"):
            yield from raw_text_places(page, i, 4, len(token) - 3, "comment")
        elif RAW_TEXT.match(token):
            match = RAW_TEXT.match(token)
            yield from attribute_places(page, i, match.group(1))
            yield from raw_text_places(page, i, match.start(3), match.end(3), match.group(2).lower())
        elif token.startswith("<") and not token.startswith("</"):
            yield from attribute_places(page, i, token)


class HtmlReader:
    """Text, every attribute value, comments and script/style content (see above)."""

    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")

    def read(self, path: Path) -> Iterator[TextUnit]:
        raw = path.read_bytes()
        yield from html_units(raw.decode(detect_encoding(raw[:65536]), errors="replace"))


def html_units(source: str) -> Iterator[TextUnit]:
    for place in places(Page(source)):
        if place.text.strip():
            yield place.unit()

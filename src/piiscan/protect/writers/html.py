from __future__ import annotations

import html
import re
from pathlib import Path
from typing import ClassVar, Iterator, Optional

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import detect_encoding
from piiscan.protect.operators import Replacement, apply
from piiscan.protect.writers.base import Spans, replace_in_segments

TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(\s*=\s*)("[^"]*"|'[^']*')""")
# Text either side of these tags reads as one run of text (<b>138</b>00138000 is one number).
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
          "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "del", "ins"}
SKIP_ATTRIBUTES = {"class", "id", "style", "src", "rel", "type", "lang", "dir", "width", "height"}


def _groups(tokens: list[str]) -> list[tuple[list[int], Optional[str]]]:
    """(indices of text tokens that read as one text, column header): runs not
    broken by a block tag; in a table, a cell below the first row gets the text of
    the first row's cell in its column as header (姓名 above a column of names)."""
    groups: list[tuple[list[int], Optional[str]]] = []
    tables: list[dict] = []  # open tables: row and column numbers, first-row texts
    current: list[int] = []
    cell: Optional[tuple[dict, int, int]] = None  # (table, row, column) where `current` began

    def flush():
        if not current:
            return
        header = None
        if cell is not None:
            table, row, column = cell
            text = "".join(tokens[i] for i in current).strip()
            if row == 0:
                table["headers"].setdefault(column, text)
            else:
                header = table["headers"].get(column) or None
        groups.append((list(current), header))
        current.clear()

    for i, token in enumerate(tokens):
        if not token.startswith("<"):
            if token:
                if not current:
                    cell = (tables[-1], tables[-1]["row"], tables[-1]["column"]) if tables else None
                current.append(i)
            continue
        match = TAG_NAME.match(token)
        name = match.group(1).lower() if match else ""
        if name in INLINE:
            continue
        flush()
        closing = token.startswith("</")
        if name == "table":
            if closing and tables:
                tables.pop()
            elif not closing:
                tables.append({"row": -1, "column": -1, "headers": {}})
        elif tables and not closing and name == "tr":
            tables[-1]["row"] += 1
            tables[-1]["column"] = -1
        elif tables and not closing and name in ("td", "th"):
            tables[-1]["column"] += 1
    flush()
    return groups


def _escape(replacements: list[Replacement], quote: bool) -> list[Replacement]:
    return [Replacement(r.start, r.end, html.escape(r.text, quote=quote), r.entity_type, r.operator)
            for r in replacements]


class HtmlWriter:
    """HTML: text between tags (runs across inline tags such as <b>, <span> read
    as one text), comments and attribute values (title, alt, value, href…); a
    table's first row gives the column headers. The markup is copied byte for
    byte; replacements are HTML-escaped."""

    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")
    reversible: ClassVar[bool] = True

    @staticmethod
    def _load(path: Path) -> tuple[list[str], str]:
        raw = path.read_bytes()
        encoding = detect_encoding(raw[:65536])
        return TOKENS.split(raw.decode(encoding, errors="replace")), encoding

    @staticmethod
    def _tag(token: str, spans: Spans) -> str:
        if token.startswith("<!--"):
            inner = token[4:-3]
            return "<!--" + apply(inner, _escape(spans(inner, None), False)) + "-->"

        def attribute(m: re.Match) -> str:
            name, eq, quoted = m.groups()
            value = quoted[1:-1]
            if name.lower() in SKIP_ATTRIBUTES or not value.strip():
                return m.group()
            return name + eq + quoted[0] + apply(value, _escape(spans(value, None), True)) + quoted[0]

        return ATTRIBUTE.sub(attribute, token)

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        tokens, encoding = self._load(src)
        for group, header in _groups(tokens):
            text = "".join(tokens[i] for i in group)
            replacements = spans(text, header) if text.strip() else []
            if replacements:
                new = replace_in_segments([(tokens[i], True) for i in group], _escape(replacements, False))
                for i, value in zip(group, new):
                    tokens[i] = value
        tokens = [self._tag(t, spans) if t.startswith("<") else t for t in tokens]
        with dst.open("w", encoding=encoding, newline="") as out:
            out.write("".join(tokens))

    def units(self, path: Path) -> Iterator[TextUnit]:
        tokens, _ = self._load(path)
        for n, (group, header) in enumerate(_groups(tokens), start=1):
            text = "".join(tokens[i] for i in group)
            if text.strip():
                yield TextUnit(text, {"text": n}, header)
                unescaped = html.unescape(text)
                if unescaped != text:
                    yield TextUnit(unescaped, {"text": n}, header)
        seen: list[TextUnit] = []
        self._tag_units(tokens, seen)
        yield from seen

    def _tag_units(self, tokens: list[str], found: list[TextUnit]) -> None:
        def collect(text: str, header):
            if text.strip():
                found.append(TextUnit(html.unescape(text), {"tag": len(found) + 1}))
            return []

        for token in tokens:
            if token.startswith("<"):
                self._tag(token, collect)

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar, Iterator
from xml.etree import ElementTree

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, detect_encoding

_SKIPPED = {"script", "style"}
_ATTRIBUTES = {"title", "alt", "value", "href", "placeholder", "content"}


_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
           "section", "article", "header", "footer", "title", "body", "html", "head", "pre", "blockquote", "dd", "dt"}


class _TextCollector(HTMLParser):
    """Text of each block (paragraph, cell…): inline tags do not cut it, so
    <b>138</b>00138000 is read as one number."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.units: list[TextUnit] = []
        self._stack: list[str] = []
        self._buffer: list[str] = []
        self._line = 1
        self._tables: list[dict] = []  # open tables, innermost last: number, row, column
        self._count = 0

    def _flush(self):
        text = "".join(self._buffer)
        if text.strip():
            table = self._tables[-1] if self._tables else None
            if table and table["cell"]:  # a table cell: its place, for column inference
                where = {"table": table["number"], "row": table["row"], "column": table["column"]}
                header = table["headers"].get(table["column"]) if table["row"] > table["header_row"] else None
                if table["cell"] == "th" and table["header_row"] in (0, table["row"]):
                    table["header_row"] = table["row"]
                    table["headers"][table["column"]] = text.strip()
                self.units.append(TextUnit(text, where, header=header))
            else:
                self.units.append(TextUnit(text, {"line": self._line}))
        self._buffer = []

    def _table_tag(self, tag: str, opening: bool) -> None:
        if tag == "table":
            if opening:
                self._count += 1
                self._tables.append({"number": self._count, "row": 0, "column": 0, "cell": None,
                                     "headers": {}, "header_row": 0})
            elif self._tables:
                self._tables.pop()
        elif self._tables and opening and tag == "tr":
            self._tables[-1]["row"] += 1
            self._tables[-1]["column"] = 0
        elif self._tables and tag in ("td", "th"):
            table = self._tables[-1]
            if opening:
                table["column"] += 1
            table["cell"] = tag if opening else None

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._flush()
        self._table_tag(tag, True)
        if tag not in ("br",):
            self._stack.append(tag)
        for name, value in attrs:
            if name in _ATTRIBUTES and value and value.strip():
                self.units.append(TextUnit(value, {"line": self.getpos()[0], "attribute": name}))

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self._flush()
        self._table_tag(tag, False)
        if tag in self._stack:
            del self._stack[len(self._stack) - 1 - self._stack[::-1].index(tag):]

    def handle_data(self, data):
        if self._stack and self._stack[-1] in _SKIPPED:
            return
        if not self._buffer:
            self._line = self.getpos()[0]
        self._buffer.append(data)

    def close(self):
        super().close()
        self._flush()


class HtmlReader:
    """Text nodes and the attributes that hold text (title, alt, value, href…), by line."""

    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")

    def read(self, path: Path) -> Iterator[TextUnit]:
        raw = path.read_bytes()
        collector = _TextCollector()
        collector.feed(raw.decode(detect_encoding(raw[:65536]), errors="replace"))
        collector.close()
        yield from collector.units


class XmlReader:
    """Element text and attribute values, located by element path; the element
    or attribute name is the header context (<身份证号>…</身份证号>)."""

    name: ClassVar[str] = "xml"
    suffixes: ClassVar[tuple[str, ...]] = (".xml",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        try:
            root = ElementTree.parse(path).getroot()
        except ElementTree.ParseError as e:
            raise ReaderError(f"malformed XML at line {e.position[0]}") from None
        yield from self._walk(root, f"/{_local(root.tag)}")

    def _walk(self, element, where: str) -> Iterator[TextUnit]:
        tag = _local(element.tag)
        for name, value in element.attrib.items():
            if value.strip():
                yield TextUnit(value, {"element": where, "attribute": _local(name)}, header=_local(name))
        if element.text and element.text.strip():
            yield TextUnit(element.text, {"element": where}, header=tag)
        counts: dict[str, int] = {}
        for child in element:
            name = _local(child.tag)
            counts[name] = counts.get(name, 0) + 1
            yield from self._walk(child, f"{where}/{name}[{counts[name]}]")
            if child.tail and child.tail.strip():
                yield TextUnit(child.tail, {"element": where}, header=tag)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)

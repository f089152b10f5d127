"""XML: exactly the texts scan's reader reads (piiscan.sources.readers.xml: element
text, the text after a child element, attribute values, comments), each with the
reader's context. lxml keeps the rest: declaration and encoding, namespaces,
processing instructions, indentation. Internal entities are expanded, as the reader
does, and the internal DTD subset that declared them (where a value could sit
unread) is dropped; nothing external is loaded or fetched."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator, Optional

from lxml import etree

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans
from piiscan.sources.readers.xml import XmlReader, parse, places


def _edit(text: str, header: Optional[str], spans: Spans) -> str:
    return apply(text, spans(text, header)) if text.strip() else text


class XmlWriter:
    name: ClassVar[str] = "xml"
    suffixes: ClassVar[tuple[str, ...]] = XmlReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        tree = parse(src)
        if tree.docinfo.internalDTD is not None:
            tree.docinfo.clear()  # the DOCTYPE and its entity declarations: expanded by the parser
        edits = [(node, field, _edit(text, header, spans)) for node, field, text, _, header in places(tree)]
        for node, field, new in edits:
            if field.startswith("@"):
                node.set(field[1:], new)
            else:
                setattr(node, field, new)
        body = etree.tostring(tree, encoding=tree.docinfo.encoding or "UTF-8", xml_declaration=False)
        dst.write_bytes(_declaration(src) + body)

    def units(self, path: Path) -> Iterator[TextUnit]:
        yield from XmlReader().read(path)  # what scan reads
        dtd = parse(path).docinfo.internalDTD
        for entity in dtd.iterentities() if dtd is not None else ():
            if entity.content and entity.content.strip():
                yield TextUnit(entity.content, {"entity": entity.name})


def _declaration(path: Path) -> bytes:
    """The input's own XML declaration (quotes, standalone and all) and the line after it."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    start = head.find(b"<?xml")
    end = head.find(b"?>", start)
    if start < 0 or head[:start].lstrip(b"\xef\xbb\xbf").strip() or end < 0:
        return b""
    return head[:end + 2] + b"\n"

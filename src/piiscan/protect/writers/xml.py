"""XML: element text, the text after a child element, attribute values and comments,
each with the reader's context (the element or attribute name, so <身份证号>…</身份证号>
is read as under a column of that name). lxml keeps the rest: declaration and
encoding, namespaces, processing instructions, indentation. Internal entities are
expanded, as scan's reader does, and the internal DTD subset that declared them
(where a value could sit unread) is dropped; nothing external is loaded or fetched."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator, Optional

from lxml import etree

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans
from piiscan.sources.readers.base import ReaderError
from piiscan.sources.readers.markup import XmlReader


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False, huge_tree=True,
                             strip_cdata=False, remove_blank_text=False)
    try:
        return etree.parse(str(path), parser)
    except etree.XMLSyntaxError as e:
        raise ReaderError(f"malformed XML at line {e.lineno}") from None


def _local(tag) -> str:
    return etree.QName(tag).localname


def _edit(text: Optional[str], header: Optional[str], spans: Spans) -> Optional[str]:
    if not text or not text.strip():
        return text
    return apply(text, spans(text, header))


def _redact(root, spans: Spans) -> None:
    for el in root.iter():
        if isinstance(el, etree._Comment):
            el.text = _edit(el.text, None, spans)
        elif isinstance(el.tag, str):
            tag = _local(el.tag)
            for name, value in el.attrib.items():
                el.set(name, _edit(value, _local(name), spans))
            el.text = _edit(el.text, tag, spans)
        parent = el.getparent()
        if parent is not None and isinstance(parent.tag, str):
            el.tail = _edit(el.tail, _local(parent.tag), spans)


class XmlWriter:
    name: ClassVar[str] = "xml"
    suffixes: ClassVar[tuple[str, ...]] = XmlReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        tree = _parse(src)
        if tree.docinfo.internalDTD is not None:
            tree.docinfo.clear()  # the DOCTYPE and its entity declarations: expanded above
        _redact(tree.getroot(), spans)
        for sibling in (*tree.getroot().itersiblings(preceding=True), *tree.getroot().itersiblings()):
            if isinstance(sibling, etree._Comment):  # comments before or after the root element
                sibling.text = _edit(sibling.text, None, spans)
        body = etree.tostring(tree, encoding=tree.docinfo.encoding or "UTF-8", xml_declaration=False)
        dst.write_bytes(_declaration(src) + body)

    def units(self, path: Path) -> Iterator[TextUnit]:
        yield from XmlReader().read(path)  # what scan reads
        tree = _parse(path)
        dtd = tree.docinfo.internalDTD
        for entity in dtd.iterentities() if dtd is not None else ():
            if entity.content and entity.content.strip():
                yield TextUnit(entity.content, {"entity": entity.name})
        for n, comment in enumerate(tree.getroot().xpath("//comment()"), start=1):
            if comment.text and comment.text.strip():
                yield TextUnit(comment.text, {"comment": n})


def _declaration(path: Path) -> bytes:
    """The input's own XML declaration (quotes, standalone and all) and the line after it."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    start = head.find(b"<?xml")
    end = head.find(b"?>", start)
    if start < 0 or head[:start].lstrip(b"\xef\xbb\xbf").strip() or end < 0:
        return b""
    return head[:end + 2] + b"\n"

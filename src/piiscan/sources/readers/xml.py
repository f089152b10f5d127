"""XML through one traversal, shared by the reader and the redaction writer
(piiscan.protect.writers.xml): element text, the text after a child element,
attribute values and comments, each located by element path with the element or
attribute name as the header context (<身份证号>…</身份证号> is read as under a
column of that name).

lxml parses it: any encoding the declaration names (GBK exports of older
systems too, which Python's own parser refuses), internal entities expanded,
nothing external loaded or fetched, libxml2's limits on entity expansion and
depth kept (a billion-laughs file is one line)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator, Optional

from lxml import etree

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError


def parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False, strip_cdata=False,
                             remove_blank_text=False)
    try:
        return etree.parse(str(path), parser)
    except etree.XMLSyntaxError as e:
        raise ReaderError(f"malformed XML at line {e.lineno}") from None


def local(tag) -> str:
    return etree.QName(tag).localname


def places(tree: etree._ElementTree) -> Iterator[tuple[etree._Element, str, str, dict, Optional[str]]]:
    """(node, field, text, location, header) of every text: field is "text", "tail"
    or "@" + an attribute's full name. Comments beside the root element too."""
    root = tree.getroot()
    for sibling in (*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()):
        if sibling is root:
            yield from _element(root, f"/{local(root.tag)}")
        elif isinstance(sibling, etree._Comment) and sibling.text:
            yield sibling, "text", sibling.text, {"element": "/", "part": "comment"}, None


def _element(element, where: str) -> Iterator[tuple]:
    tag = local(element.tag)
    for name, value in element.attrib.items():
        yield element, "@" + name, value, {"element": where, "attribute": local(name)}, local(name)
    if element.text:
        yield element, "text", element.text, {"element": where}, tag
    counts: dict[str, int] = {}
    for child in element:
        if isinstance(child, etree._Comment):
            if child.text:
                yield child, "text", child.text, {"element": where, "part": "comment"}, None
        elif isinstance(child.tag, str):
            name = local(child.tag)
            counts[name] = counts.get(name, 0) + 1
            yield from _element(child, f"{where}/{name}[{counts[name]}]")
        if child.tail:
            yield child, "tail", child.tail, {"element": where}, tag


class XmlReader:
    """Element text, attributes and comments by element path (see above)."""

    name: ClassVar[str] = "xml"
    suffixes: ClassVar[tuple[str, ...]] = (".xml",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        for _, _, text, location, header in places(parse(path)):
            if text.strip():
                yield TextUnit(text, location, header=header)

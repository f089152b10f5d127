from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator
from xml.etree import ElementTree

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError


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

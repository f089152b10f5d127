from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar, Iterator

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import ReaderError, detect_encoding


def pointer(parts: list[str]) -> str:
    """RFC 6901 JSON pointer."""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class JsonReader:
    """Every string and number, located by JSON pointer; the member name is the
    header context ({"身份证号": "…"}), and member names are scanned too."""

    name: ClassVar[str] = "json"
    suffixes: ClassVar[tuple[str, ...]] = (".json",)

    def read(self, path: Path) -> Iterator[TextUnit]:
        raw = path.read_bytes()
        try:
            data = json.loads(raw.decode(detect_encoding(raw[:65536]), errors="replace"))
        except json.JSONDecodeError as e:
            raise ReaderError(f"malformed JSON at line {e.lineno}") from None
        yield from self._walk(data, [], None)

    def _walk(self, node: Any, parts: list[str], header: str | None) -> Iterator[TextUnit]:
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                yield TextUnit(key, {"pointer": pointer(parts + [key]), "part": "name"})
                yield from self._walk(value, parts + [key], key)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from self._walk(value, parts + [str(i)], header)
        elif isinstance(node, str) and node.strip():
            yield TextUnit(node, {"pointer": pointer(parts)}, header=header)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            yield TextUnit(str(node), {"pointer": pointer(parts)}, header=header)

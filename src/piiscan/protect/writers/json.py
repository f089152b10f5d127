from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar, Iterator, Optional

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import detect_encoding
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans


def _indent(text: str) -> Optional[int]:
    """The indentation of a pretty-printed document (None for a compact one)."""
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped:
            return len(line) - len(stripped) or None
    return None


def _walk(node: Any, key: Optional[str], path: str, visit) -> Any:
    """A copy of node with every string and number passed through visit(text, key, path);
    the key of an object member is the context (a header), like a column name."""
    if isinstance(node, dict):
        out = {}
        for n, (k, v) in enumerate(node.items()):
            # a member name can be a value too ({"13800138000": {...}}); two names
            # masked alike stay apart with a suffix
            name = visit(k, None, f"{path}.<name {n}>") if k.strip() else k
            while name in out:
                name += "#"
            out[name] = _walk(v, k, f"{path}.<member {n}>", visit)
        return out
    if isinstance(node, list):
        return [_walk(v, key, f"{path}[{i}]", visit) for i, v in enumerate(node)]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, (int, float)):
        text = str(node)
        new = visit(text, key, path)
        return node if new == text else new  # a number that was PI becomes a string
    if isinstance(node, str):
        return visit(node, key, path)
    return node


class JsonWriter:
    """JSON: every string and number (a phone stored as a number becomes a
    string), the member name as context; keys, structure and key order stay,
    with the input's encoding and indentation."""

    name: ClassVar[str] = "json"
    suffixes: ClassVar[tuple[str, ...]] = (".json",)
    reversible: ClassVar[bool] = True

    @staticmethod
    def _load(path: Path) -> tuple[Any, str, str]:
        raw = path.read_bytes()
        encoding = detect_encoding(raw[:65536])
        text = raw.decode(encoding)
        return json.loads(text), text, encoding

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        data, text, encoding = self._load(src)

        def visit(value: str, key: Optional[str], path: str) -> str:
            return apply(value, spans(value, key)) if value.strip() else value

        out = json.dumps(_walk(data, None, "$", visit), ensure_ascii=False, indent=_indent(text))
        dst.write_text(out + ("\n" if text.endswith("\n") else ""), encoding=encoding)

    def units(self, path: Path) -> Iterator[TextUnit]:
        data, _, _ = self._load(path)
        found: list[TextUnit] = []

        def visit(value: str, key: Optional[str], where: str) -> str:
            if value.strip():
                found.append(TextUnit(value, {"path": where}, key))
            return value

        _walk(data, None, "$", visit)
        return iter(found)

"""The three kinds of text places of an HTML page (piiscan.sources.readers.html):
runs of text between tags, attribute values, and raw text (comments, script and
style content)."""

from __future__ import annotations

from typing import Iterator, Optional

from piiscan.sources.readers.html import (ATTRIBUTE, INLINE, META_HEADERS, STRUCTURAL, TAG_NAME, Page, Place,
                                          Region, atoms)


class _Tables:
    """Where a run of text sits in the open tables: table, row, column, and the
    header of its column (the text of a <th> row above it)."""

    def __init__(self) -> None:
        self.open: list[dict] = []
        self.count = 0

    def tag(self, name: str, closing: bool) -> None:
        if name == "table":
            if not closing:
                self.count += 1
                self.open.append({"number": self.count, "row": 0, "column": 0, "cell": None, "headers": {},
                                  "header_row": 0})
            elif self.open:
                self.open.pop()
        elif self.open and name == "tr" and not closing:
            self.open[-1]["row"] += 1
            self.open[-1]["column"] = 0
        elif self.open and name in ("td", "th"):
            table = self.open[-1]
            if not closing:
                table["column"] += 1
            table["cell"] = None if closing else name

    def where(self, text: str) -> Optional[tuple[dict, Optional[str]]]:
        table = self.open[-1] if self.open else None
        if table is None or not table["cell"]:
            return None
        header = table["headers"].get(table["column"]) if table["row"] > table["header_row"] else None
        if table["cell"] == "th" and table["header_row"] in (0, table["row"]):
            table["header_row"] = table["row"]
            table["headers"][table["column"]] = text.strip()
        return {"table": table["number"], "row": table["row"], "column": table["column"]}, header


def text_places(page: Page) -> Iterator[Place]:
    """Runs of text not broken by a tag other than an inline one."""
    tables, run = _Tables(), []

    def flush() -> Iterator[Place]:
        if run:
            regions = [Region(i, 0, len(page.tokens[i]), atoms(page.tokens[i], percent=False)) for i in run]
            place = Place({"line": page.line(run[0])}, None, None, regions)
            cell = tables.where(place.text) if place.text.strip() else None
            if cell is not None:
                place.location, place.header = cell
            run.clear()
            yield place

    for i, token in enumerate(page.tokens):
        if not token:
            continue
        if not token.startswith("<"):
            run.append(i)
            continue
        match = TAG_NAME.match(token)
        name = match.group(1).lower() if match else ""
        if name in INLINE:
            continue
        yield from flush()
        tables.tag(name, token.startswith("</"))
    yield from flush()


def attribute_places(page: Page, index: int, tag: str) -> Iterator[Place]:
    """Every attribute value of a start tag but markup vocabulary (type, width…)
    and data: URIs (an embedded picture's bytes)."""
    match = TAG_NAME.match(tag)
    if match is None:
        return
    values = {}
    found = []
    for m in ATTRIBUTE.finditer(tag, match.end(), len(tag) - 1):
        name, value = m.group(1).lower(), m.group(2)
        if value is None:
            continue
        quoted = value[0] in "\"'"
        start, end = m.start(2) + quoted, m.end(2) - quoted
        values[name] = tag[start:end]
        found.append((name, start, end, quoted))
    for name, start, end, quoted in found:
        raw = tag[start:end]
        if name in STRUCTURAL or not raw.strip() or raw.lstrip().lower().startswith("data:"):
            continue
        meta = match.group(1).lower() == "meta" and name == "content"
        header = META_HEADERS.get(values.get("name", "").lower()) if meta else None
        region = Region(index, start, end, atoms(raw, percent=True), attribute=True, unquoted=not quoted)
        yield Place({"line": page.line(index, start), "attribute": name}, header, None, [region])


def raw_text_places(page: Page, index: int, start: int, end: int, kind: str) -> Iterator[Place]:
    """A comment's or a script's text, as written (no references decoded there)."""
    raw = page.tokens[index][start:end]
    if raw.strip():
        region = Region(index, start, end, [(raw, raw)], markup=False)
        yield Place({"markup": kind}, None, page.line(index, start), [region])

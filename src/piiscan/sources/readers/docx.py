from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import ClassVar, Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import NAME_HEADER, ReaderError, check_ooxml


_MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def load_document(path: Path):
    """A python-docx Document; a macro-enabled .docm is read as the .docx it
    otherwise is (python-docx refuses its content type; the macros are not needed)."""
    if path.suffix.lower() != ".docm":
        return docx.Document(str(path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(_MACRO_MAIN, _DOCX_MAIN)
            target.writestr(item, data)
    buffer.seek(0)
    return docx.Document(buffer)


def save_document(document, path: Path) -> None:
    """Save; a .docm stays a macro-enabled document by type, but without its macros
    (they are code nobody checked, and may hold data)."""
    if path.suffix.lower() != ".docm":
        document.save(str(path))
        return
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/vbaProject"):
            document.part.rels.pop(rid)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(_DOCX_MAIN, _MACRO_MAIN)
            target.writestr(item, data)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RUN_TEXT = {_W + "t": None, _W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n",
             _W + "noBreakHyphen": "-"}
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml"}  # content controls around paragraphs and tables
# Every part that can hold headers or footers of a section, by the name given in locations.
_HEADER_FOOTERS = (("header", "header"), ("footer", "footer"), ("first_page_header", "first page header"),
                   ("first_page_footer", "first page footer"), ("even_page_header", "even page header"),
                   ("even_page_footer", "even page footer"))


def paragraph_text(p) -> str:
    """The visible text of a paragraph, as python-docx's Paragraph.text but also
    from runs it does not see: tracked insertions, content controls, simple
    fields, smart tags. Text boxes are paragraphs of their own; deleted text is left out."""
    pieces = []
    for el in p.iter(*_RUN_TEXT):
        if next(el.iterancestors(_W + "p", _FALLBACK)) is not p:
            continue  # in a text box (its own paragraph) or in markup a newer Word replaces
        pieces.append((el.text or "") if _RUN_TEXT[el.tag] is None else _RUN_TEXT[el.tag])
    return "".join(pieces)


def blocks(container) -> Iterator:
    """Paragraphs (w:p) and tables (w:tbl) of a body, cell, header or footer in
    document order, including those inside block-level content controls."""
    for child in container:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from blocks(child)


# Core properties; the author fields hold people's names: read as if under a 姓名 column.
PROPERTIES = {"author": NAME_HEADER, "last_modified_by": NAME_HEADER, "title": None, "subject": None,
              "keywords": None, "comments": None, "category": None, "content_status": None}


class DocxReader:
    """Body paragraphs, tables (first row as column headers), headers and footers
    (first-page and even-page ones too), comments and their authors, core properties."""

    name: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = (".docx", ".docm")

    def read(self, path: Path) -> Iterator[TextUnit]:
        check_ooxml(path, "document")
        try:
            document = load_document(path)
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
            raise ReaderError(f"corrupt document: {type(e).__name__}") from None
        yield from self._blocks(document.element.body, {}, document)
        for s, section in enumerate(document.sections, start=1):
            for attribute, part_name in _HEADER_FOOTERS:
                part = getattr(section, attribute)
                if part.is_linked_to_previous:
                    continue  # no part of its own: the previous section's text, or none
                yield from self._blocks(part._element, {"section": s, "part": part_name}, part)
        for n, comment in enumerate(document.comments, start=1):
            yield from self._blocks(comment._comment_elm, {"comment": n}, comment)
            if comment.author and comment.author.strip():
                yield TextUnit(comment.author, {"comment": n, "part": "author"}, NAME_HEADER)
        for attr, header in PROPERTIES.items():
            value = getattr(document.core_properties, attr)
            if isinstance(value, str) and value.strip():
                yield TextUnit(value, {"property": attr}, header)

    def _blocks(self, container, where: dict, parent) -> Iterator[TextUnit]:
        """Paragraphs numbered {"paragraph": n} and tables {"table": t, "row", "column"}."""
        paragraphs = tables = 0
        for block in blocks(container):
            if block.tag == _W + "p":
                paragraphs += 1
                text = paragraph_text(block)
                if text.strip():
                    yield TextUnit(text, where | {"paragraph": paragraphs})
            else:
                tables += 1
                yield from self._table(Table(block, parent), where | {"table": tables})

    @staticmethod
    def _table(table, where: dict) -> Iterator[TextUnit]:
        headers: list[str] = []
        seen = set()  # a merged cell is repeated for every row and column it spans: read it once
        for r, row in enumerate(table.rows, start=1):
            cells = row.cells
            texts = ["\n".join(paragraph_text(p) for p in blocks(cell._tc) if p.tag == _W + "p") for cell in cells]
            if r == 1:
                headers = [t.strip() for t in texts]
            for c, (cell, text) in enumerate(zip(cells, texts), start=1):
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                if text.strip():
                    header = headers[c - 1] if r > 1 and c <= len(headers) and headers[c - 1] else None
                    yield TextUnit(text, where | {"row": r, "column": c}, header=header)

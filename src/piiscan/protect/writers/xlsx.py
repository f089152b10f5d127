from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import quote, unquote
from typing import ClassVar, Iterator

from lxml import etree
from openpyxl import load_workbook
from openpyxl.comments import Comment

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import HEADER_SEARCH_ROWS, check_ooxml, column_letter, header_index
from piiscan.sources.readers.xlsx import HEADER_FOOTERS, PROPERTIES, XlsxReader, cell_text
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import NAME_HEADER, Spans
from piiscan.protect.writers.package import package_units, redact_package

URL_SAFE = ":/?&=#@%+,;~!$'()*"


# Characters a sheet name cannot hold (a mask's *), and what stands for them.
SHEET_SAFE = str.maketrans({"*": "＊", "?": "？", ":": "：", "/": "／", "\\": "＼", "[": "［", "]": "］"})


HEADER_FOOTER_TAGS = {"oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"}


def _handled(part: str, el, attribute) -> bool:
    """What openpyxl wrote from values this writer redacted (cells, formulas, shared
    strings, comments, headers/footers, hyperlinks, properties): the package pass
    leaves them, so nothing is counted twice."""
    local = etree.QName(el).localname
    if part.startswith("xl/worksheets/sheet"):
        if attribute is None:
            return local in ("v", "f") or local in HEADER_FOOTER_TAGS or (
                local == "t" and etree.QName(el.getparent()).localname == "is")
        return local == "hyperlink"
    if part.startswith("xl/worksheets/_rels/"):
        return attribute == "Target"
    return part in ("xl/sharedStrings.xml", "docProps/core.xml", "docProps/custom.xml") or part.startswith(
        "xl/comments")


def _sheet_names(titles: list[str], spans: Spans) -> dict[str, str]:
    """{a redacted sheet name as the package pass writes it: the name Excel accepts},
    applied wherever the name is referred to (formulas, defined names, charts)."""
    renamed = {}
    for title in titles:
        new = apply(title, spans(title, None))
        if new != title and new.translate(SHEET_SAFE) != new:
            renamed[new] = new.translate(SHEET_SAFE)[:31]
    return renamed


def _lost_embeddings(src: Path, dst: Path) -> int:
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(dst) as after:
        kept = set(after.namelist())
        return sum(1 for n in before.namelist() if n.startswith("xl/embeddings/") and n not in kept)


def _external_links(path: Path) -> int:
    with zipfile.ZipFile(path) as package:
        return sum(1 for n in package.namelist() if n.startswith("xl/externalLinks/") and n.endswith(".xml"))


class XlsxWriter:
    """Every sheet (hidden ones too), string and numeric cells (a phone stored as
    a number becomes a masked string), cell comments and their authors, page
    headers and footers, and core document properties. Styles, widths, merged
    cells and formulas stay; formulas lose their cached values (Excel recomputes
    them), which also drops any PI those cached values held."""

    name: ClassVar[str] = "xlsx"
    suffixes: ClassVar[tuple[str, ...]] = XlsxReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        check_ooxml(src, "workbook")
        # links to other workbooks are dropped: their caches hold the other book's cells, out of context
        workbook = load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm", keep_links=False)
        for sheet in workbook.worksheets:
            headers, header_row = self._headers(sheet)
            for row in sheet.iter_rows():
                for cell in row:
                    text = cell_text(cell.value)
                    if text and text.strip():
                        header = headers.get(cell.column) if header_row and cell.row > header_row else None
                        replacements = spans(text, header)
                        if replacements:
                            was_number = not isinstance(cell.value, str)
                            cell.value = apply(text, replacements)
                            if was_number:
                                cell.number_format = "@"  # shown as the text it now is
                    if cell.comment is not None:
                        cell.comment = self._comment(cell.comment, spans)
                    if cell.hyperlink is not None:
                        self._hyperlink(cell.hyperlink, spans)
            for name in HEADER_FOOTERS:
                item = getattr(sheet, name)
                for part in (item.left, item.center, item.right):
                    if part.text:
                        part.text = apply(part.text, spans(part.text, None))
        props = workbook.properties
        for attr, header in PROPERTIES.items():
            value = getattr(props, attr)
            if isinstance(value, str) and value.strip():
                setattr(props, attr, apply(value, spans(value, header)))
        for prop in workbook.custom_doc_props.props:  # custom properties: the name is the context
            if isinstance(prop.value, str) and prop.value.strip():
                prop.value = apply(prop.value, spans(prop.value, prop.name))
        workbook.save(dst)
        links, lost = _external_links(src), _lost_embeddings(src, dst)
        self.notes = ([f"{links} links to other workbooks dropped (their cached values with them)"] if links else [])
        self.notes += [f"{lost} embedded objects dropped (the workbook library does not keep them)"] if lost else []
        renamed = _sheet_names(workbook.sheetnames, spans)
        self.notes += redact_package(dst, spans, _handled, renamed)  # charts, pivot caches, defined names…

    def unchecked(self, path: Path) -> list[str]:
        """What the last write dropped or could not read (package.py)."""
        return list(getattr(self, "notes", []))

    @staticmethod
    def _comment(comment: Comment, spans: Spans) -> Comment:
        text = apply(comment.text, spans(comment.text, None)) if comment.text else comment.text
        author = apply(comment.author, spans(comment.author, NAME_HEADER)) if comment.author else comment.author
        new = Comment(text, author)
        new.width, new.height = comment.width, comment.height
        return new

    @staticmethod
    def _hyperlink(link, spans: Spans) -> None:
        """A link's target (mailto:, a URL with a phone in it), tooltip and display text."""
        for attr in ("target", "tooltip", "display"):
            value = getattr(link, attr, None)
            if isinstance(value, str) and value.strip():
                text = unquote(value)
                replacements = spans(text, None)
                if replacements:
                    new = apply(text, replacements)
                    setattr(link, attr, quote(new, safe=URL_SAFE) if attr == "target" else new)

    @staticmethod
    def _headers(sheet) -> tuple[dict[int, str], int]:
        """The column headers as the reader sees them (readers.base.header_index): the
        header row among the first non-empty rows, below a title if there is one."""
        filled = []
        for row in sheet.iter_rows():
            texts = [cell_text(c.value) or "" for c in row]
            if any(t.strip() for t in texts):
                filled.append((row, texts))
                if len(filled) == HEADER_SEARCH_ROWS:
                    break
        found = header_index([texts for _, texts in filled])
        if found is None:
            return {}, 0
        row, texts = filled[found]
        return {row[i].column: t.strip() for i, t in enumerate(texts) if t.strip()}, row[0].row

    def units(self, path: Path) -> Iterator[TextUnit]:
        """The reader's units (cells, comments and authors, headers/footers, properties)
        and hyperlinks, which the reader does not read, then every XML text node."""
        yield from XlsxReader().read(path)
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.hyperlink is None:
                        continue
                    where = {"sheet": sheet.title, "cell": f"{column_letter(cell.column)}{cell.row}"}
                    for attr in ("target", "tooltip", "display"):
                        value = getattr(cell.hyperlink, attr, None)
                        if isinstance(value, str) and value.strip():
                            yield TextUnit(unquote(value), where | {"part": f"hyperlink {attr}"})
        yield from package_units(path)

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Iterator, Optional
from urllib.parse import quote, unquote

from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from lxml import etree

from piiscan.core.model import TextUnit
from piiscan.sources.readers.base import check_ooxml
from piiscan.sources.readers.docx import PROPERTIES, DocxReader, load_document, save_document
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import NAME_HEADER, Spans, replace_in_segments
from piiscan.protect.writers.package import package_units, redact_package

W_P = qn("w:p")
EDITABLE = {qn("w:t"), qn("w:delText"), qn("w:instrText")}  # visible text, tracked deletions, field codes
EDITABLE_NAMES = {etree.QName(tag).localname for tag in EDITABLE}
SEPARATORS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
# Parts with paragraphs besides the body: headers, footers, footnotes, endnotes, comments.
TEXT_PARTS = ("/word/document", "/word/header", "/word/footer", "/word/footnotes", "/word/endnotes",
              "/word/comments", "/word/people")
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
APP_FIELDS = {"Manager": NAME_HEADER, "Company": None}  # docProps/app.xml
URL_SAFE = ":/?&=#@%+,;~!$'()*"
VT_STRINGS = ("lpwstr", "lpstr", "bstr")  # text values of docProps/custom.xml


def _segments(p) -> list[tuple[etree._Element | None, str]]:
    """(element, text) in document order for one paragraph: text elements and
    separators whose nearest paragraph is `p` (a text box inside a run is its own paragraph)."""
    out = []
    for el in p.iter():
        tag = el.tag
        if tag in EDITABLE or tag in SEPARATORS:
            if next(el.iterancestors(W_P), None) is not p:
                continue
            out.append((el, el.text or "") if tag in EDITABLE else (None, SEPARATORS[tag]))
    return out


def _cell_text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(W_P))


def _texts(root) -> Iterator[tuple[list[tuple[Optional[etree._Element], str]], Optional[str]]]:
    """The pieces of text detection runs on, as (segments, header): a table cell's
    own paragraphs together (as the reader's cell text, below a first-row header),
    and every other paragraph on its own."""
    done = set()
    for tbl in root.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        names = [_cell_text(tc).strip() for tc in rows[0].findall(qn("w:tc"))] if rows else []
        for r, tr in enumerate(rows):
            for c, tc in enumerate(tr.findall(qn("w:tc"))):
                header = names[c] if r > 0 and c < len(names) and names[c] else None
                segments: list[tuple[Optional[etree._Element], str]] = []
                for p in tc.findall(W_P):
                    if segments:
                        segments.append((None, "\n"))
                    segments.extend(_segments(p))
                    done.add(p)
                yield segments, header
    for p in root.iter(W_P):
        if p not in done:
            yield _segments(p), None


def _authors(root) -> Iterator[tuple[etree._Element, str]]:
    """(element, attribute) of the people who wrote comments and tracked changes."""
    for el in root.iter():
        for attribute in el.attrib:
            if attribute.endswith("}author") or attribute == "author":
                yield el, attribute


def _property_fields(root) -> Iterator[tuple[etree._Element, Optional[str]]]:
    """(element, context) of text fields in docProps/app.xml (manager, company)
    and docProps/custom.xml (every string property, its name as context)."""
    for el in root.iter():
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if local in APP_FIELDS and el.text:
            yield el, APP_FIELDS[local]
        elif local in VT_STRINGS and el.text and el.getparent() is not None:
            yield el, el.getparent().get("name")


def _edit_blob(part, edit) -> None:
    """Edit the XML of a part python-docx keeps as bytes."""
    root = etree.fromstring(part.blob)
    edit(root)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _redact_fields(root, spans: Spans) -> None:
    for el, header in _property_fields(root):
        el.text = apply(el.text, spans(el.text, header))


def _redact_elements(root, spans: Spans) -> None:
    """Custom XML (data-bound content controls put it back into the text): every
    element's text, its name as context."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.text and el.text.strip():
            el.text = apply(el.text, spans(el.text, etree.QName(el).localname))


def _redact_links(part, spans: Spans) -> None:
    """Hyperlink targets: mailto:, URLs with a phone or an ID in them."""
    for rel in part.rels.values():
        if rel.is_external and rel.target_ref.strip():
            target = unquote(rel.target_ref)
            replacements = spans(target, None)
            if replacements:
                rel._target = quote(apply(target, replacements), safe=URL_SAFE)


def _redact_tree(root, spans: Spans) -> None:
    for el, attribute in _authors(root):
        value = el.get(attribute)
        if value and value.strip():
            el.set(attribute, apply(value, spans(value, NAME_HEADER)))
    for segments, header in _texts(root):
        text = "".join(t for _, t in segments)
        if not text.strip():
            continue
        replacements = spans(text, header)
        if not replacements:
            continue
        new = replace_in_segments([(t, el is not None) for el, t in segments], replacements)
        for (el, old), value in zip(segments, new):
            if el is not None and value != old:
                el.text = value
                if el.tag == qn("w:t"):
                    el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _text_parts(document) -> Iterator:
    for part in document.part.package.iter_parts():
        if str(part.partname).startswith(TEXT_PARTS) and str(part.partname).endswith(".xml"):
            yield part


def _handled(part: str, el, attribute) -> bool:
    """What write redacted through python-docx (paragraph text and authors of the
    text parts, their links, custom XML, properties): the package pass leaves them,
    so nothing is counted twice."""
    local = etree.QName(el).localname
    if f"/{part}".startswith(TEXT_PARTS) and part.endswith(".xml"):
        return local in EDITABLE_NAMES if attribute is None else etree.QName(attribute).localname == "author"
    if part.startswith("word/_rels/"):
        return attribute == "Target"
    if part.startswith("customXml/item") and "Props" not in part or part == "docProps/core.xml":
        return True
    if part == "docProps/app.xml":
        return local in APP_FIELDS
    return part == "docProps/custom.xml" and local in VT_STRINGS


class DocxWriter:
    """Every paragraph of the body, tables (first row as column headers), text
    boxes, headers and footers, footnotes, endnotes and comments, including tracked
    deletions and field codes. A value split across several runs is replaced: the
    replacement goes into the first run (keeping its formatting) and the other runs
    lose their part of the value. Core properties (author, last modified by…) too."""

    name: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = DocxReader.suffixes
    reversible: ClassVar[bool] = True

    def write(self, src: Path, dst: Path, spans: Spans) -> None:
        check_ooxml(src, "document")
        document = load_document(src)
        for part in _text_parts(document):
            if isinstance(part, XmlPart):
                _redact_tree(part.element, spans)
            else:  # parts python-docx keeps as bytes (footnotes, endnotes)
                _edit_blob(part, lambda root: _redact_tree(root, spans))
            _redact_links(part, spans)
        for part in document.part.package.iter_parts():
            if str(part.partname).startswith("/customXml/item") and "Props" not in str(part.partname):
                _edit_blob(part, lambda root: _redact_elements(root, spans))
            if str(part.partname) in ("/docProps/app.xml", "/docProps/custom.xml"):
                _edit_blob(part, lambda root: _redact_fields(root, spans))
        package_rels = document.part.package.rels
        for rid in [rid for rid, rel in package_rels.items() if rel.reltype == THUMBNAIL]:
            package_rels.pop(rid)  # a picture of the first page would show what the text no longer does
        props = document.core_properties
        for attr, header in PROPERTIES.items():
            value = getattr(props, attr)
            if isinstance(value, str) and value.strip():
                replacements = spans(value, header)
                if replacements:
                    setattr(props, attr, apply(value, replacements))
        save_document(document, dst)
        self.notes = redact_package(dst, spans, _handled)  # doc variables, alt text, charts, embeddings, pictures…

    def unchecked(self, path: Path) -> list[str]:
        """What the last write dropped or could not read (package.py)."""
        return list(getattr(self, "notes", []))

    def units(self, path: Path) -> Iterator[TextUnit]:
        yield from DocxReader().read(path)
        document = load_document(path)
        for part in _text_parts(document):
            root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob)
            for el, attribute in _authors(root):
                yield TextUnit(el.get(attribute), {"part": str(part.partname), "author": etree.QName(el).localname},
                               NAME_HEADER)
            for i, (segments, header) in enumerate(_texts(root), start=1):
                text = "".join(t for _, t in segments)
                if text.strip():
                    yield TextUnit(text, {"part": str(part.partname), "text": i}, header)
            for rel in part.rels.values():
                if rel.is_external and rel.target_ref.strip():
                    yield TextUnit(unquote(rel.target_ref), {"part": str(part.partname), "link": rel.rId})
        for part in document.part.package.iter_parts():
            if str(part.partname) in ("/docProps/app.xml", "/docProps/custom.xml"):
                for el, header in _property_fields(etree.fromstring(part.blob)):
                    yield TextUnit(el.text, {"part": str(part.partname), "field": etree.QName(el).localname}, header)
        yield from package_units(path)

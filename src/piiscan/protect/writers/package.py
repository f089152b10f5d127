"""Every part of an OOXML package (xlsx, docx, pptx), for what the object-model
writers (openpyxl, python-docx, python-pptx) do not rewrite: chart titles and
caches, pivot caches, defined names, data validations, autofilters, sheet names,
document variables, custom XML, alt text, field codes.

One traversal (`xml_texts`) serves both sides: verification reads every text node
and attribute value it yields (`package_units`), and the pass after the object
model's save (`redact_package`) rewrites exactly those, so what is checked is what
is rewritten. Only the spans the redactor returns change: tags, relationship ids,
content types and numbers around them stay. Parts that are not XML:
- an embedded xlsx/docx/pptx is redacted with its own writer (recursively);
- a picture (png, jpg, tiff, bmp, gif) is OCR'd and its lines holding a value
  burned (image.py), same format, same part name;
- an embedded OLE object (a .bin that no writer can read) is dropped with its
  relationships, and the manifest says so; so is the thumbnail (docProps/thumbnail.*),
  a picture of the first page.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, Optional
from urllib.parse import quote, unquote

from lxml import etree

from piiscan.core.model import TextUnit
from piiscan.protect.operators import Replacement, apply
from piiscan.protect.writers.base import Spans

# Text that could hold a value: a run of digits, an e-mail, Chinese characters.
_WORTH_SCANNING = re.compile(r"\d{5}|@|[\u4e00-\u9fff]")
URL_SAFE = ":/?&=#@%+,;~!$'()*"
MEDIA = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif")
PACKAGES = (".xlsx", ".xlsm", ".docx", ".pptx")
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_NAMESPACES = ("http://schemas.openxmlformats.org/", "http://schemas.microsoft.com/", "http://purl.org/",
                     "http://www.w3.org/", "urn:schemas-microsoft-com:")
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

# (part name, element, attribute or None): True when the object-model writer rewrote it already
Handled = Callable[[str, etree._Element, Optional[str]], bool]


def _nothing_handled(part: str, el: etree._Element, attribute: Optional[str]) -> bool:
    return False


def kind(name: str) -> str:
    """What the pass does with a part: xml, package, media, ole or thumbnail (dropped) or keep."""
    lower = name.lower()
    if lower.startswith("docprops/thumbnail."):
        return "thumbnail"  # a picture of the first page shows what the text no longer does: dropped
    if lower.endswith((".xml", ".rels", ".vml")):  # VML (legacy drawings, text boxes) is XML too
        return "xml"
    if "/embeddings/" in lower:
        return "package" if lower.endswith(PACKAGES) else "ole"
    if "/media/" in lower and lower.endswith(MEDIA):
        return "media"
    return "keep"  # fonts, VBA, printer settings, EMF/WMF previews


def _parse(data: bytes) -> etree._Element:
    # recover: Excel writes VML that is not well-formed XML (an unclosed <br>)
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True, recover=True))


def _context(el: etree._Element) -> Optional[str]:
    """A `name` attribute beside the value or up to two levels above it (a docVar's
    name, a defined name, the field of a pivot cache's items) is its context; in
    custom XML (not Office's own vocabulary) the element's name is."""
    for level in (el, el.getparent(), el.getparent().getparent() if el.getparent() is not None else None):
        for attribute, value in (level.attrib.items() if level is not None else ()):
            if etree.QName(attribute).localname == "name":
                return value
    namespace = etree.QName(el).namespace or ""
    return None if namespace.startswith(OFFICE_NAMESPACES) else etree.QName(el).localname


def xml_texts(root: etree._Element) -> Iterator[tuple[etree._Element, Optional[str], str]]:
    """(element, attribute or None for its text, the text as detected on) of every
    text node and attribute value that could hold a value; %XX-encoded attributes
    (link targets) decoded."""
    for el in root.iter():
        if isinstance(el, etree._Comment) and el.text and _WORTH_SCANNING.search(el.text):
            yield el, None, el.text  # an XML comment in a part
            continue
        if not isinstance(el.tag, str):
            continue
        if el.text and _WORTH_SCANNING.search(el.text):
            yield el, None, el.text
        for attribute, value in el.attrib.items():
            if _WORTH_SCANNING.search(value):
                yield el, attribute, unquote(value)


def package_units(path: Path) -> Iterator[TextUnit]:
    """What verification reads of a package besides the object model: every XML
    text and attribute of every part, embedded packages read by their own writer,
    pictures by OCR."""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            what = kind(name)
            if what == "xml":
                for el, attribute, text in xml_texts(_parse(package.read(name))):
                    where = {"part": name, "element" if attribute is None else "attribute":
                             etree.QName(el if attribute is None else attribute).localname}
                    yield TextUnit(text, where, _header(el, attribute))
            elif what == "package":
                yield from _embedded_units(name, package.read(name))
            elif what == "media":
                yield from _picture_units(name, package.read(name))


def _header(el: etree._Element, attribute: Optional[str]) -> Optional[str]:
    """The context of a text or attribute value; a name attribute has none of its own."""
    if isinstance(el, etree._Comment) or attribute is not None and etree.QName(attribute).localname == "name":
        return None
    return _context(el)


def _embedded_units(name: str, data: bytes) -> Iterator[TextUnit]:
    from piiscan.protect.writers import writer_for

    writer = writer_for(Path(PurePosixPath(name).name))
    with tempfile.TemporaryDirectory(prefix="piiscan-embedded-") as folder:
        copy = Path(folder) / f"embedded{PurePosixPath(name).suffix}"
        copy.write_bytes(data)
        for unit in writer.units(copy):
            yield TextUnit(unit.text, {"embedded": name} | dict(unit.location), unit.header)


def _picture_units(name: str, data: bytes) -> Iterator[TextUnit]:
    from PIL import Image, UnidentifiedImageError

    from piiscan.sources.readers.ocr import ocr_lines, ocr_unavailable

    if ocr_unavailable():
        return  # `unreadable_notes` says so
    try:
        image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return
    yield from ocr_lines(image, {"part": name})


def _replacements(spans: Spans, text: str, header: Optional[str]) -> list[Replacement]:
    """The spans to replace, less the redaction's own output already there (a
    surrogate the object-model writer wrote is not replaced again)."""
    found = spans(text, header)
    own = getattr(spans, "is_own_output", None)
    return [r for r in found if not (own and own(text, r.start, r.end))]


def _rewrite_xml(part: str, data: bytes, spans: Spans, handled: Handled, dropped: set[str],
                 renamed: dict[str, str]) -> bytes:
    """The part with every text and attribute rewritten; its bytes unchanged when
    nothing changed. Relationships to and content types of dropped parts go too.
    `renamed`: replacement texts that cannot stand where they go (a masked sheet
    name, 182****2820, is not a valid one) and what is written instead, everywhere."""
    root = _parse(data)
    changed = _drop_references(part, root, dropped)
    for el, attribute, text in list(xml_texts(root)):
        if not isinstance(el, etree._Comment) and handled(part, el, attribute):
            continue
        replacements = _replacements(spans, text, _header(el, attribute))
        if not replacements:
            continue
        new = apply(text, replacements)
        if attribute is None:
            el.text = new
        else:
            encoded = el.get(attribute) != text  # a %XX-encoded link target stays encoded
            el.set(attribute, quote(new, safe=URL_SAFE) if encoded else new)
        changed = True
    changed = _rename(root, renamed) or changed
    if not changed:
        return data
    standalone = b"standalone" in data[:200]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True if standalone else None)


def _rename(root: etree._Element, renamed: dict[str, str]) -> bool:
    """Every occurrence of a replacement text that cannot stand where it goes (a
    masked sheet name, 182****2820: * is not allowed) written as it can, in every
    text: the sheet's name and the formulas, defined names and charts that refer to
    it (the object model wrote some of them already) stay consistent."""
    changed = False
    for el in root.iter() if renamed else ():
        if not isinstance(el.tag, str):
            continue
        for written, instead in renamed.items():
            if el.text and written in el.text:
                el.text, changed = el.text.replace(written, instead), True
            for attribute, value in el.attrib.items():
                if written in value:
                    el.set(attribute, value.replace(written, instead))
                    changed = True
    return changed


def _drop_references(part: str, root: etree._Element, dropped: set[str]) -> bool:
    if not dropped:
        return False
    doomed = []
    if part.endswith(".rels"):
        source = posixpath.dirname(posixpath.dirname(part))  # xl/worksheets/_rels/sheet1.xml.rels → xl/worksheets
        for rel in root.iter(f"{{{RELS_NS}}}Relationship"):
            target = rel.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(source, target))
            if rel.get("TargetMode") != "External" and resolved in dropped:
                doomed.append(rel)
    elif part == "[Content_Types].xml":
        doomed = [o for o in root.iter(f"{{{TYPES_NS}}}Override") if o.get("PartName", "").lstrip("/") in dropped]
    for el in doomed:
        el.getparent().remove(el)
    return bool(doomed)


def _redact_embedded(name: str, data: bytes, spans: Spans, notes: list[str]) -> bytes:
    from piiscan.protect.writers import writer_for

    suffix = PurePosixPath(name).suffix
    writer = writer_for(Path(PurePosixPath(name).name))
    with tempfile.TemporaryDirectory(prefix="piiscan-embedded-") as folder:
        source, target = Path(folder) / f"in{suffix}", Path(folder) / f"out{suffix}"
        source.write_bytes(data)
        _learn(source, spans)
        writer.write(source, target, spans)
        notes.extend(f"{name}: {note}" for note in getattr(writer, "notes", []))
        return target.read_bytes()


def _learn(path: Path, spans: Spans) -> None:
    """Column inference over an embedded file's tables, as the run does for a file
    (protect.run._learn): a column of names under 签收人 is redacted inside it too."""
    from piiscan.sources.readers import reader_for

    known, reader = getattr(spans, "known", None), reader_for(path)
    if known is not None and reader is not None:
        known.learn(spans.detector, reader.read(path))


def redact_package(path: Path, spans: Spans, handled: Handled = _nothing_handled,
                   renamed: Optional[dict[str, str]] = None) -> list[str]:
    """Rewrite the package at `path` in place (same member names, order, dates and
    compression); returns the notes for the manifest (what was dropped, what could
    not be read), without values."""
    from piiscan.protect.writers.image import burn_image_bytes

    notes: list[str] = []
    fd, name = tempfile.mkstemp(prefix=".piiscan-package-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(path) as package, zipfile.ZipFile(name, "w") as out:
            infos = package.infolist()
            dropped = {i.filename for i in infos if kind(i.filename) in ("ole", "thumbnail")}
            for info in infos:
                what = kind(info.filename)
                if info.filename in dropped:
                    continue
                data = package.read(info)
                if what == "xml":
                    data = _rewrite_xml(info.filename, data, spans, handled, dropped, renamed or {})
                elif what == "package":
                    data = _redact_embedded(info.filename, data, spans, notes)
                elif what == "media" and hasattr(spans, "detect"):  # unredact: burned pixels do not come back
                    data, image_notes = burn_image_bytes(data, spans)
                    notes.extend(f"{info.filename}: {note}" for note in image_notes)
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)  # no flags of the input's writer
                copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
                out.writestr(copy, data)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
    objects = sum(kind(part) == "ole" for part in dropped)
    if objects:
        notes.append(f"{objects} embedded objects no writer can read (OLE) dropped")
    return notes + unreadable_notes(path)


def unreadable_notes(path: Path) -> list[str]:
    """What stays in the copy unchecked: pictures in formats OCR cannot read (EMF, WMF),
    and macros (a VBA project is code, kept for the copy to work, not read)."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
    pictures = [n for n in names if "/media/" in n.lower()
                and not n.lower().endswith(MEDIA) and not n.lower().endswith((".xml", ".rels"))]
    notes = [f"{len(pictures)} embedded pictures in formats OCR cannot read (EMF, WMF…) not checked"] if pictures else []
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        notes.append("macros (VBA project) kept as they are, not checked")
    return notes

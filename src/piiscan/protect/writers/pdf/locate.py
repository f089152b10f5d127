"""Which characters and annotations of a page hold a finding, found on the same
text pdfplumber's extract_text gives (and, for rotated characters, on the text
read the other way round)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from piiscan.protect.writers.base import Spans

# Text drawn rotated reads backwards in pdfplumber's default order; it is read the other way round too.
ROTATED_READINGS = ({"char_dir_rotated": "btt", "line_dir_rotated": "rtl"},)
ANNOTATION_KEYS = ("V", "DV", "Contents", "T", "TU", "RC")


@dataclass
class Hits:
    chars: set[int] = field(default_factory=set)   # indices into page.chars (content-stream order)
    annots: list[int] = field(default_factory=list)  # indices into the page's /Annots
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom


def _text(value) -> str:
    if isinstance(value, bytes):
        return decode_text(value)
    return value if isinstance(value, str) else ""


def annotation_texts(data: dict) -> dict[str, str]:
    """Texts of an annotation (pdfminer objects): field value and name, note, link URI."""
    texts = {key: _text(resolve1(data.get(key))) for key in ANNOTATION_KEYS}
    action = resolve1(data.get("A"))
    if isinstance(action, dict):
        texts["URI"] = _text(resolve1(action.get("URI")))
    return {key: text for key, text in texts.items() if text.strip()}


def hits(page, spans: Spans) -> Hits:
    found = Hits()
    index = {id(char): i for i, char in enumerate(page.chars)}
    readings = [(page, {})]
    if any(not char.get("upright", True) for char in page.chars):
        # only the rotated characters, so that nothing is found (and counted) twice
        rotated = page.filter(lambda obj: obj.get("object_type") != "char" or not obj.get("upright", True))
        readings.extend((rotated, options) for options in ROTATED_READINGS)
    for source, options in readings:
        textmap = source.get_textmap(**options)
        chars = []  # one entry per character of the text: the char object or None
        for piece, char in textmap.tuples:
            chars.extend([char] * len(piece))
        for r in spans(textmap.as_string, None):
            for char in chars[r.start:r.end]:
                if char is not None and id(char) in index:
                    found.chars.add(index[id(char)])
    for i in sorted(found.chars):
        char = page.chars[i]
        found.boxes.append((char["x0"], char["top"], char["x1"], char["bottom"]))
    for i, annot in enumerate(page.annots):  # form field values, notes, links: not in the page's text
        texts = annotation_texts(annot.get("data") or {})
        header = texts.get("TU") or texts.get("T")
        if any(spans(text, header) for text in texts.values()):
            found.annots.append(i)
            found.boxes.append((annot["x0"], annot["top"], annot["x1"], annot["bottom"]))
    return found

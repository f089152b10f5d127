"""Is an OCR'd image a Chinese resident ID card (居民身份证) that OCR did not read well?

Burning only the lines OCR read holding a value is safe only when OCR read the card
well: a blurred or low-quality copy gives misread names and ID numbers that no
detector finds, while a person still reads them. So an image that looks like an ID
card (two of its field labels, or one beside an 18-character number) whose lines
are read with low confidence, or whose ID number does not validate, is burned
whole: the card's area, or the whole image when the image has the card's shape."""

from __future__ import annotations

import re
from typing import Optional

from piiscan.core.model import TextUnit
from piiscan.detect.validators.resident_id import is_valid_resident_id

LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
CARD_RATIO = 85.6 / 54.0  # ISO/IEC 7810 ID-1, the card's shape
RATIO_TOLERANCE = 0.12
# Tesseract's word confidences (0-100): a clean scan's card lines read 85-95 on average,
# a short name 65-90 even when right; a blurred card's misread lines 30-50.
MIN_MEAN_CONFIDENCE = 75.0
MIN_LINE_CONFIDENCE = 50.0
# An ID number as OCR may misread it: 18 characters, mostly digits (O for 0, l for 1...).
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{17,19}(?![0-9A-Za-z])")


def _id_like(text: str) -> list[str]:
    return [m for m in ID_LIKE.findall(text.replace(" ", "")) if sum(c.isdigit() for c in m) >= 14]


def misread_ids(lines: list[TextUnit]) -> list[TextUnit]:
    """Lines holding an 18-character number, mostly digits, that is not a valid ID
    number: an ID OCR misread (O for 0), which no detector finds but a person reads."""
    return [u for u in lines if any(len(n) == 18 and not is_valid_resident_id(n) for n in _id_like(u.text))]


def _labels(unit: TextUnit) -> set[str]:
    found = {label for label in LABELS if label in unit.text}
    label = unit.location.get("label")
    if label in ("公民身份号码", "身份证号码", "身份证号"):
        found.add("公民身份号码")
    elif label in LABELS:
        found.add(label)
    return found


def whole_card(lines: list[TextUnit], size: tuple[int, int]) -> Optional[tuple[str, tuple[int, int, int, int]]]:
    """(why, box to burn as left, top, right, bottom) when the image must be burned
    as a whole card; None when burning the lines that hold values is enough."""
    card_lines = [u for u in lines if _labels(u) or _id_like(u.text)]
    labels = set().union(*(_labels(u) for u in card_lines)) if card_lines else set()
    numbers = [n for u in card_lines for n in _id_like(u.text)]
    if len(labels) < 2 and not (labels and numbers):
        return None
    confidences = [u.location.get("conf", 100.0) for u in card_lines]
    mean = sum(confidences) / len(confidences)
    if mean < MIN_MEAN_CONFIDENCE or min(confidences) < MIN_LINE_CONFIDENCE:
        why = f"looks like an ID card and OCR read it with low confidence (mean {mean:.0f}, lowest line {min(confidences):.0f})"
    elif not any(is_valid_resident_id(n) for n in numbers):
        why = "looks like an ID card and OCR found no valid ID number on it"
    else:
        return None
    return why, _card_box(card_lines, size)


def _card_box(card_lines: list[TextUnit], size: tuple[int, int]) -> tuple[int, int, int, int]:
    width, height = size
    if abs(width / height - CARD_RATIO) <= RATIO_TOLERANCE:
        return 0, 0, width, height
    boxes = [u.location["box"] for u in card_lines]
    line = max(h for _, _, _, h in boxes)  # a card's photo and edges lie around its text: a line's height more
    left = min(b[0] for b in boxes) - 2 * line
    top = min(b[1] for b in boxes) - 2 * line
    right = max(b[0] + b[2] for b in boxes) + 2 * line
    bottom = max(b[1] + b[3] for b in boxes) + 2 * line
    return max(0, left), max(0, top), min(width, right), min(height, bottom)

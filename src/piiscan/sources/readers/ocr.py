"""OCR with Tesseract and its Simplified Chinese data (Debian: tesseract-ocr,
tesseract-ocr-chi-sim), through pytesseract (the `ocr` extra). Used for images
and for PDF pages without a text layer — scanned ID-card copies (身份证复印件)
and signed contracts — never for text that can be read directly, as OCR takes
a second or two per page."""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Iterator, Optional

from PIL import Image

from piiscan.core.model import TextUnit

LANGUAGES = "chi_sim"  # its data reads Latin letters and digits too; adding eng turns 王 into E
MAX_PIXELS = 12_000_000  # larger images are scaled down first: an A4 page at 300 dpi is 8.7 MP
MIN_SIDE = 48            # icons and bullets hold no text worth reading
MAX_PAGES = 20           # pages of a multi-page TIFF, scanned pages of a PDF: OCR costs seconds each


@cache
def ocr_unavailable() -> Optional[str]:
    """None when OCR works; else a one-line reason that says how to install what is missing."""
    try:
        import pytesseract
    except ImportError:
        return "OCR needs the ocr extra: pip install 'piiscan[ocr]'"
    try:
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return "OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
    if "chi_sim" not in languages:
        return "Tesseract has no Simplified Chinese data: apt-get install tesseract-ocr-chi-sim"
    return None


# Field labels of ID cards and forms. An ID card prints "姓名  王芳" with no colon, and
# Tesseract's word boxes for Chinese are too rough to find the gap: a line that starts
# with a label is read as that field's value, the label as its context (a cell under its header).
_FIELD = re.compile(r"^(公民身份号码|身份证号码|身份证号|证件号码|姓名|住址|地址|户名|开户名|账号|卡号|"
                    r"联系电话|手机号码|手机|电话)[：:\s]*(?=\S)")


def _join(left: str, right: str) -> str:
    """Tesseract cuts Chinese into words of a character or two: join them without
    spaces, but keep a space between two Latin words or numbers."""
    if left and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return left + " " + right
    return left + right


def ocr_lines(image: Image.Image, where: dict, confidence: bool = False) -> Iterator[TextUnit]:
    """A unit per line of text Tesseract finds: where | {"line": n, "box": (left, top, width,
    height)}, the box in pixels of the image as given, and the label of a form's field;
    with `confidence`, also "conf": the mean of the line's word confidences (0-100)."""
    import pytesseract

    if min(image.size) < MIN_SIDE:
        return
    if image.mode in ("RGBA", "LA", "P"):  # transparent parts on white, not black
        image = image.convert("RGBA")
        backdrop = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(backdrop, image)
    scale = min(1.0, (MAX_PIXELS / (image.width * image.height)) ** 0.5)
    gray = image.convert("L")
    if scale < 1.0:
        gray = gray.resize((int(image.width * scale), int(image.height * scale)))
    # One thread per Tesseract (it would take every core): scans run files in parallel themselves.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(gray, lang=LANGUAGES, output_type=pytesseract.Output.DICT)
    lines: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    for number, words in enumerate(lines.values(), start=1):
        text = ""
        for i in words:
            text = _join(text, data["text"][i].strip())
        field = _FIELD.match(text)
        label = field.group(1) if field else None
        text = text[field.end():] if field else text
        left = min(data["left"][i] for i in words)
        top = min(data["top"][i] for i in words)
        right = max(data["left"][i] + data["width"][i] for i in words)
        bottom = max(data["top"][i] + data["height"][i] for i in words)
        box = tuple(round(v / scale) for v in (left, top, right - left, bottom - top))
        location = where | {"line": number, "box": box} | ({"label": label} if label else {})
        if confidence:
            location["conf"] = sum(float(data["conf"][i]) for i in words) / len(words)
        yield TextUnit(text, location, header=label)

"""A page's characters from PDFium (pypdfium2), in the form pdfplumber gives them
(text, x0, x1, top, bottom, upright), so that pdfplumber's own word and line
assembly makes the same text from them as from pdfminer's characters, at a
fraction of the cost (pdfminer's parse is most of pdfplumber's ~66 ms a page).

The boxes are pdfminer's, not PDFium's char boxes (the glyph's ink, or that
joined with the font's ascent): from the origin over the advance width, from the
font's descent up one font size, through the character's matrix; the page's
/Rotate turns them as pdfminer's interpreter does (its chars are upright or not
on the page as displayed)."""

from __future__ import annotations

import ctypes
import threading
from ctypes import c_double, c_float, c_int, c_size_t, c_uint, c_void_p

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.fontmetrics import FONT_METRICS

# PDFium must not be called from two threads at once, not even on two documents
# (a Dask worker runs several files in threads): every use of it holds this lock.
PDFIUM_LOCK = threading.RLock()
REPLACEMENT = "\ufffd"  # a character PDFium reads as 0
EPSILON = 0.01


def _function(name: str, restype, *argtypes):
    """A PDFium function called with plain int handles: a prototype of our own at the
    address of pypdfium2's, cheaper per call than its typed pointers (which stay as
    they are for everything else)."""
    address = ctypes.cast(getattr(raw, name), c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P = c_void_p
_count_chars = _function("FPDFText_CountChars", c_int, _P)
_is_generated = _function("FPDFText_IsGenerated", c_int, _P, c_int)
_unicode = _function("FPDFText_GetUnicode", c_uint, _P, c_int)
_text_object = _function("FPDFText_GetTextObject", _P, _P, c_int)
_origin = _function("FPDFText_GetCharOrigin", c_int, _P, c_int, _P, _P)
_loose_box = _function("FPDFText_GetLooseCharBox", c_int, _P, c_int, _P)
_ink_box = _function("FPDFText_GetCharBox", c_int, _P, c_int, _P, _P, _P, _P)
_matrix = _function("FPDFText_GetMatrix", c_int, _P, c_int, _P)
_font_size = _function("FPDFText_GetFontSize", c_double, _P, c_int)
_font = _function("FPDFTextObj_GetFont", _P, _P)
_glyph_width = _function("FPDFFont_GetGlyphWidth", c_int, _P, c_uint, c_float, _P)
_descent = _function("FPDFFont_GetDescent", c_int, _P, c_float, _P)
_base_name = _function("FPDFFont_GetBaseFontName", c_size_t, _P, _P, c_size_t)
_is_hyphen = _function("FPDFText_IsHyphen", c_int, _P, c_int)
_unmapped = _function("FPDFText_HasUnicodeMapError", c_int, _P, c_int)

# the linear part of pdfminer's page matrix for /Rotate (pdfinterp.process_page)
ROTATIONS = {0: (1, 0, 0, 1), 1: (0, -1, 1, 0), 2: (-1, 0, 0, -1), 3: (0, 1, -1, 0)}


class _Buffers:
    """Out-parameters of the PDFium calls, allocated once a page."""

    def __init__(self):
        self.x, self.y, self.float = c_double(), c_double(), c_float()
        self.rect = (c_float * 4)()  # FS_RECTF: left, top, right, bottom
        self.ink = (c_double * 4)()  # left, right, bottom, top
        self.matrix = (c_float * 6)()
        self.name = ctypes.create_string_buffer(256)
        self.addresses = {key: ctypes.addressof(value) for key, value in vars(self).items()}
        self.ink_addresses = tuple(self.addresses["ink"] + 8 * i for i in range(4))


def _descent_per_size(font: int, buffers: _Buffers) -> float:
    """pdfminer takes a standard-14 font's metrics from its own AFM tables
    (Helvetica's descent −207), PDFium from its substitute font (−224): ours
    follow pdfminer's, so that the tops match; other fonts: the font descriptor's."""
    length = _base_name(font, buffers.addresses["name"], 256)
    standard = FONT_METRICS.get(buffers.name.value.decode("latin-1")) if length else None
    if standard is not None:
        return -abs(float(standard[0].get("Descent", 0))) / 1000
    if not _descent(font, 1000.0, buffers.addresses["float"]):
        return 0.0
    return -abs(buffers.float.value) / 1000


class _TextObject:
    """What its characters share: the matrix (CTM, Tm and horizontal scaling, not
    the font size) turned as the page is, the font, size and the box's vertical extent."""

    def __init__(self, textpage: int, index: int, handle: int, rotation, buffers: _Buffers, descents: dict):
        _matrix(textpage, index, buffers.addresses["matrix"])
        a, b, c, d = buffers.matrix[0], buffers.matrix[1], buffers.matrix[2], buffers.matrix[3]
        ra, rb, rc, rd = rotation
        # which side of PDFium's boxes the advance ends at: (loose box side, ink box
        # side, sign, along x), for text along an axis of the page; None when slanted
        self.edge, self.scale = None, abs(a) or abs(b)
        if (abs(a) > EPSILON) != (abs(b) > EPSILON):
            if abs(a) > EPSILON:
                self.edge = (2, 1, 1, True) if a > 0 else (0, 0, -1, True)
            else:
                self.edge = (1, 3, 1, False) if b > 0 else (3, 2, -1, False)
        self.ux, self.uy = a * ra + b * rc, a * rb + b * rd  # one unit along the line, as displayed
        vx, vy = c * ra + d * rc, c * rb + d * rd  # one unit up the glyph
        self.upright = self.ux * vy > 0 and self.uy * vx <= 0  # pdfminer's LTChar.upright
        self.size = _font_size(textpage, index)
        self.font = _font(handle) or 0
        if self.font and self.font not in descents:
            descents[self.font] = _descent_per_size(self.font, buffers)
        low = descents.get(self.font, 0.0) * self.size
        high = low + self.size
        self.x_span = (min(vx * low, vx * high), max(vx * low, vx * high))
        self.y_span = (min(vy * low, vy * high), max(vy * low, vy * high))
        self.widths: dict[int, float] = {}
        self.rotation = rotation

    def place(self, frame: tuple[float, float]) -> None:
        """Fold the page's top and left edges (as displayed) into the box's offsets."""
        y_top, x_left = frame
        self.x_low, self.x_high = self.x_span[0] - x_left, self.x_span[1] - x_left
        self.top_from, self.bottom_from = y_top - self.y_span[1], y_top - self.y_span[0]

    def box(self, char: dict, x: float, y: float, advance: float) -> None:
        """pdfplumber's x0, x1, top and bottom of a character at the origin (x, y)."""
        ra, rb, rc, rd = self.rotation
        px, py = ra * x + rc * y, rb * x + rd * y
        dx, dy = self.ux * advance, self.uy * advance
        char["x0"] = x0 = px + (dx if dx < 0 else 0.0) + self.x_low
        char["x1"] = x1 = px + (dx if dx > 0 else 0.0) + self.x_high
        char["top"] = char["doctop"] = top = self.top_from - py - (dy if dy > 0 else 0.0)
        char["bottom"] = bottom = self.bottom_from - py - (dy if dy < 0 else 0.0)
        char["width"], char["height"] = x1 - x0, bottom - top

    def font_width(self, code: int, buffers: _Buffers) -> float:
        """The advance by the font's width for the Unicode value (PDFium maps it back to
        a char code: not always possible, e.g. a hyphen under a Differences encoding)."""
        found = self.widths.get(code)
        if found is None:
            ok = self.font and _glyph_width(self.font, code, self.size, buffers.addresses["float"])
            found = self.widths[code] = buffers.float.value if ok else 0.0
        return found


def _advance(textpage: int, index: int, code: int | None, obj: _TextObject, buffers: _Buffers) -> float:
    """The character's advance in text space. PDFium's loose box is the advance box
    joined with the ink: along the line its far edge is the advance unless the ink
    reaches it (an italic overhang), where the font's width decides (code None: a
    ligature, whose letters have no width of their own)."""
    width = 0.0 if code is None else obj.font_width(code, buffers)
    if obj.edge is None or not _loose_box(textpage, index, buffers.addresses["rect"]):
        return width  # slanted text: the font's width alone
    loose_side, ink_side, sign, along_x = obj.edge
    edge = sign * buffers.rect[loose_side]
    loose = (edge - sign * (buffers.x.value if along_x else buffers.y.value)) / obj.scale
    if loose < width + EPSILON:
        # the loose box always holds the advance: narrower, the width was another code's
        return width if loose > width - EPSILON or loose < 0 else loose
    if not width:
        return loose
    _ink_box(textpage, index, *buffers.ink_addresses)
    return loose if edge > sign * buffers.ink[ink_side] + EPSILON else width


def page_chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[dict]:
    """The page's characters in content-stream order; PDFium's generated spaces and
    line breaks are left out (pdfplumber infers its own from the gaps), the letters
    PDFium splits a ligature into (ﬁ: f, i at one origin) are one character again."""
    rotation = ROTATIONS[raw.FPDFPage_GetRotation(page.raw) % 4]
    ra, rb, rc, rd = rotation
    left, bottom, right, top = page.get_bbox()
    # pdfplumber's top is measured down from the top of the page as displayed
    frame = (max(rb * x + rd * y for x in (left, right) for y in (bottom, top)),
             min(ra * x + rc * y for x in (left, right) for y in (bottom, top)))
    handle = ctypes.cast(textpage.raw, c_void_p).value
    buffers, descents, objects = _Buffers(), {}, {}
    x_address, y_address = buffers.addresses["x"], buffers.addresses["y"]
    chars: list[dict] = []
    last = None
    for i in range(_count_chars(handle)):
        if _is_generated(handle, i) == 1:
            continue
        code = _unicode(handle, i)
        object_handle = _text_object(handle, i) or 0
        _origin(handle, i, x_address, y_address)
        position = (object_handle, buffers.x.value, buffers.y.value)
        text = _text(handle, i, code)
        obj = objects.get(object_handle)
        if obj is None:
            obj = objects[object_handle] = _TextObject(handle, i, object_handle, rotation, buffers, descents)
            obj.place(frame)
        if position == last and object_handle:  # the next letter of a ligature PDFium split (ﬁ: f, i)
            chars[-1]["text"] += text
            obj.box(chars[-1], position[1], position[2], _advance(handle, i, None, obj, buffers))
            continue
        last = position
        char = {"object_type": "char", "text": text, "upright": obj.upright, "size": obj.size}
        obj.box(char, position[1], position[2], _advance(handle, i, code, obj, buffers))
        chars.append(char)
    return chars


def _text(textpage: int, index: int, code: int) -> str:
    """PDFium gives a hyphen that ends a line as 0x2, and a glyph without a Unicode
    mapping as its char code, which pdfminer writes "(cid:N)"."""
    if code == 2 and _is_hyphen(textpage, index):
        return "-"
    if _unmapped(textpage, index):
        return f"(cid:{code})"
    return chr(code) if code else REPLACEMENT

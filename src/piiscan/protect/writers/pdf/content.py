"""Glyph removal in a page's content stream.

pdfminer (pdfplumber) gives one char per glyph code, in content-stream order.
Walking the stream's text-showing operators (Tj, TJ, ', ") with each font's code
length gives the same sequence of glyphs, so the i-th char is the i-th glyph.
A hidden glyph's code is dropped from its string and replaced by a TJ kerning
number of the glyph's advance, so the text after it keeps its position.
Whatever cannot be walked that way (Type 3 fonts, CID fonts without a ToUnicode
map, vertical writing, text in form XObjects, a count that does not match) is
returned as a reason, and the caller rasterises the page instead."""

from __future__ import annotations

import pikepdf

SHOW = {"Tj", "TJ", "'", '"'}


class Unmappable(Exception):
    """The page's glyphs cannot be matched to the extracted characters."""


def code_length(font) -> int:
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        raise Unmappable("a Type 3 font")
    if subtype != "/Type0":
        descriptor = font.get("/FontDescriptor") or {}
        embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        if embedded and "/Encoding" not in font and "/ToUnicode" not in font:
            raise Unmappable("an embedded font without an encoding or ToUnicode map")
        return 1
    encoding = str(font.get("/Encoding", ""))
    if encoding.endswith("-V"):
        raise Unmappable("vertical writing")
    if encoding == "/Identity-H":
        if "/ToUnicode" not in font:
            raise Unmappable("a CID font without a ToUnicode map")
        return 2
    if "UCS2" in encoding or "UTF16" in encoding:  # the code is the character (reportlab's CID fonts)
        return 2
    raise Unmappable(f"a CID font with the encoding {encoding or 'embedded CMap'}")


def _forms_with_text(resources) -> bool:
    for _, xobject in (resources.get("/XObject") or {}).items():
        if str(xobject.get("/Subtype", "")) == "/Form" and b"BT" in xobject.read_bytes():
            return True
    return False


class _State:
    def __init__(self):
        self.font, self.size, self.tc, self.tw, self.th = None, 0.0, 0.0, 0.0, 1.0
        self.stack = []

    def update(self, op: str, operands) -> None:
        if op == "q":
            self.stack.append((self.font, self.size, self.tc, self.tw, self.th))
        elif op == "Q" and self.stack:
            self.font, self.size, self.tc, self.tw, self.th = self.stack.pop()
        elif op == "Tf":
            self.font, self.size = str(operands[0]), float(operands[1])
        elif op == "Tc":
            self.tc = float(operands[0])
        elif op == "Tw":
            self.tw = float(operands[0])
        elif op == "Tz":
            self.th = float(operands[0]) / 100
        elif op == '"':
            self.tw, self.tc = float(operands[0]), float(operands[1])


def rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, hide: set[int], advs: list[float]) -> None:
    """Remove the glyphs numbered `hide` from the page's content stream;
    advs: each glyph's advance as pdfminer measured it. Raises Unmappable."""
    resources = page.obj.get("/Resources") or pikepdf.Dictionary()
    if _forms_with_text(resources):
        raise Unmappable("text inside a form XObject")
    fonts = resources.get("/Font") or pikepdf.Dictionary()
    state, glyph, out = _State(), 0, []
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands, op = list(instruction.operands), str(instruction.operator)
        state.update(op, operands)
        if op not in SHOW:
            out.append(instruction)
            continue
        if state.font not in fonts:
            raise Unmappable("text in an unknown font")
        font = fonts[state.font]
        size = code_length(font)
        items = list(operands[-1]) if op == "TJ" else [operands[-1]]
        new_items, changed = [], False
        for item in items:
            if not isinstance(item, pikepdf.String):
                new_items.append(float(item))
                continue
            data = bytes(item)
            kept = b""
            for start in range(0, len(data), size):
                code = data[start:start + size]
                if glyph >= len(advs):
                    raise Unmappable("more glyphs in the content stream than characters extracted")
                if glyph in hide:
                    changed = True
                    if kept:
                        new_items.append(pikepdf.String(kept))
                        kept = b""
                    new_items.append(_gap(state, advs[glyph], code, size))
                else:
                    kept += code
                glyph += 1
            if kept:
                new_items.append(pikepdf.String(kept))
        if not changed:
            out.append(instruction)
            continue
        if op == '"':
            out += [pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("Tw")),
                    pikepdf.ContentStreamInstruction([operands[1]], pikepdf.Operator("Tc"))]
        if op in ("'", '"'):
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
        out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(_merged(new_items))], pikepdf.Operator("TJ")))
    if glyph != len(advs):
        raise Unmappable("fewer glyphs in the content stream than characters extracted")
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _gap(state: _State, adv: float, code: bytes, size: int) -> float:
    """The TJ number that moves the pen as far as the removed glyph did."""
    if not state.size or not state.th:
        raise Unmappable("a zero font size or scaling")
    shift = adv / state.th + state.tc + (state.tw if size == 1 and code == b" " else 0.0)
    return -shift * 1000 / state.size


def _merged(items: list) -> list:
    merged: list = []
    for item in items:
        if isinstance(item, float) and merged and isinstance(merged[-1], float):
            merged[-1] += item
        else:
            merged.append(item)
    return [round(i, 3) if isinstance(i, float) else i for i in merged]


def paint(pdf: pikepdf.Pdf, page: pikepdf.Page, boxes, origin: tuple[float, float], height: float) -> None:
    """Black boxes over the removed glyphs (pdfplumber boxes: from the top left of the media box)."""
    x_origin, y_origin = origin
    rects = b"".join(b"%.2f %.2f %.2f %.2f re\n" % (x0 + x_origin - 1, height - bottom + y_origin - 1,
                                                      x1 - x0 + 2, bottom - top + 2)
                     for x0, top, x1, bottom in boxes)
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\nq 0 g\n" + rects + b"f\nQ\n"))


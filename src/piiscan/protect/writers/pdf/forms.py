"""Form fields whose value is held by the field, not by its widget annotation (a
field with kids: one value shown in several widgets, or a field no page shows).
locate.py finds and drops the widgets that hold a value themselves; these values
are redacted in place, their stored appearances dropped (a viewer draws them
again from the redacted value, /NeedAppearances)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pikepdf

from piiscan.core.model import TextUnit
from piiscan.protect.operators import apply
from piiscan.protect.writers.base import Spans

VALUE_KEYS = ("/V", "/DV")


def _fields(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    form = pdf.Root.get("/AcroForm")
    stack, seen = list((form.get("/Fields") or []) if form is not None else []), set()
    while stack:
        field = stack.pop()
        if not isinstance(field, pikepdf.Dictionary) or field.objgen in seen:
            continue
        seen.add(field.objgen)
        yield field
        stack.extend(field.get("/Kids") or [])


def _header(field: pikepdf.Object) -> str | None:
    for key in ("/TU", "/T"):
        if isinstance(field.get(key), pikepdf.String):
            return str(field[key])
    return None


def redact_fields(pdf: pikepdf.Pdf, spans: Spans) -> list[str]:
    changed = 0
    for field in list(_fields(pdf)):
        found = False
        for key in VALUE_KEYS:
            value = field.get(key)
            if isinstance(value, pikepdf.String) and str(value).strip():
                replacements = spans(str(value), _header(field))
                if replacements:
                    field[key] = pikepdf.String(apply(str(value), replacements))
                    found = True
        if found:
            changed += 1
            for widget in [field, *(field.get("/Kids") or [])]:
                if "/AP" in widget:
                    del widget["/AP"]
    if changed:
        pdf.Root.AcroForm.NeedAppearances = True
        return [f"{changed} form field value(s) redacted in place, their appearance drawn again by the viewer"]
    return []


def field_units(path: Path) -> Iterator[TextUnit]:
    """Every field's value, for verification."""
    with pikepdf.open(path) as pdf:
        for field in _fields(pdf):
            for key in VALUE_KEYS:
                value = field.get(key)
                if isinstance(value, pikepdf.String) and str(value).strip():
                    yield TextUnit(str(value), {"field": key.lstrip("/")}, _header(field))

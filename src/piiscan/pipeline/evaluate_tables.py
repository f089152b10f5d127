"""`piiscan eval --tables`: how well column inference finds the names and travel
documents of a folder of labelled tables (benchmarks/tables/make_tables.py).

A folder holds the tables and gold.jsonl, one labelled value per line:
{"file", "row", "entity", "value"}; `row` is the row as the location of a finding
gives it (csv/xlsx/HTML row number, index in a JSON array, a PDF page's line). A prediction is right when
the same file, row, entity and value are labelled. Spaces and a name's middle dot
are ignored: a PDF whose font has no glyph for the dot shows 扎西买买提 or 扎西 买买提
in its text layer for the 扎西·买买提 it was given, and that text is what is found."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from piiscan.detect.evaluate import prf
from piiscan.pipeline.scanner import Scanner
from piiscan.pipeline.tables import table_position

GOLD = "gold.jsonl"
_SPACES = re.compile(r"[\s·•・‧･]+")


def _key(file: str, row, entity: str, value: str) -> tuple:
    return file, int(row), entity, _SPACES.sub("", value)


def _text_row(location: dict):
    """A PDF page's table, read as lines: the line is the row (a one-page table)."""
    return (None, location["line"], None) if "page" in location and "line" in location else None


def load_gold(folder: Path) -> set[tuple]:
    path = folder / GOLD
    if not path.is_file():
        raise ValueError(f"{folder}: no {GOLD} beside the tables")
    gold = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            g = json.loads(line)
            gold.add(_key(g["file"], g["row"], g["entity"], g["value"]))
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}: line {number}: not a label ({type(e).__name__})") from None
    return gold


def evaluate_tables(scanner: Scanner, folder: Path) -> dict:
    """{entity: precision/recall/f1/tp/predicted/gold} plus "files" and "errors" and,
    per file, the number of misses and false alarms (no values)."""
    gold = load_gold(folder)
    types = {g[2] for g in gold}
    files = sorted({g[0] for g in gold} | {p.name for p in folder.iterdir() if p.is_file() and p.name != GOLD})
    predicted, errors = set(), []
    for name in files:
        result = scanner.scan_file(folder / name)
        if result.error:
            errors.append(f"{name}: {result.error.reason}")
        for f in result.findings:
            position = table_position(f.location) or _text_row(f.location)
            if f.entity_type in types and position is not None:
                predicted.add(_key(name, position[1], f.entity_type, f.value))
    figures = {}
    for entity in sorted(types):
        g = {k for k in gold if k[2] == entity}
        p = {k for k in predicted if k[2] == entity}
        figures[entity] = prf(len(g & p), len(p), len(g))
    misses = Counter(k[0] for k in gold - predicted)
    alarms = Counter(k[0] for k in predicted - gold)
    figures["files"] = {name: {"missed": misses[name], "false": alarms[name]}
                        for name in files if misses[name] or alarms[name]}
    figures["errors"] = errors
    return figures

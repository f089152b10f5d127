"""Rows of a text table that are short of fields: a PDF's text layer shows no trace
of an empty cell, so "7 程俊 1996-02-06" under "序号 姓名 电话 日期" must be told
which column each field belongs to before column inference reads it.

Each field goes to the column whose full rows' values it looks like (the same
value, or the same kind of characters and about the same length), fields keeping
their order: a small dynamic programme over (fields, columns)."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Optional

Cell = Optional[tuple[int, int]]  # (start, end) of a field in the text; None: an empty cell
_NUMBER = re.compile(r"^[0-9.,:/+\-]+$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
SAME_VALUE = 2.0  # log-odds bonus of a value the column already holds (正常, 已付)


def kind(value: str) -> str:
    if _NUMBER.match(value):
        return "number"
    if _LATIN.match(value):
        return "latin"
    return "cjk" if _CJK.search(value) else "other"


class _Column:
    """What a column's values look like, from the table's full rows."""

    def __init__(self, values: list[str]):
        self.values = Counter(values)
        self.shapes = Counter((kind(v), min(len(v), 24)) for v in values)
        self.size = len(values)

    def fit(self, value: str) -> float:
        """Log-probability that the column holds `value` (smoothed)."""
        shape_kind, length = kind(value), min(len(value), 24)
        alike = sum(n for (k, l), n in self.shapes.items() if k == shape_kind and abs(l - length) <= 1)
        score = math.log((alike + 0.1) / (self.size + 1.0))
        return score + SAME_VALUE if self.values.get(value) else score


def place_fields(text: str, rows: list[list[tuple[int, int]]], width: int) -> list[list[Cell]]:
    """Every row as `width` cells; a short row's fields placed in the columns they fit best."""
    full = [row for row in rows if len(row) == width]
    body = full[1:] if len(full) > 1 else full  # the first full row is often the header: not a value
    columns = [_Column([text[row[c][0]:row[c][1]] for row in body]) for c in range(width)]
    return [list(row) if len(row) == width else _placed(text, row, columns) for row in rows]


def _placed(text: str, fields: list[tuple[int, int]], columns: list[_Column]) -> list[Cell]:
    """The order-keeping assignment of fields to columns with the best total fit;
    on a tie the earlier column wins."""
    n, width = len(fields), len(columns)
    fits = [[column.fit(text[a:b]) for column in columns] for a, b in fields]
    # best[i][j]: best score with the first i fields placed among the first j columns
    best = [[-math.inf] * (width + 1) for _ in range(n + 1)]
    took = [[False] * (width + 1) for _ in range(n + 1)]
    for j in range(width + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, width + 1):
            skip = best[i][j - 1]
            take = best[i - 1][j - 1] + fits[i - 1][j - 1]
            best[i][j], took[i][j] = (take, True) if take > skip else (skip, False)
    cells: list[Cell] = [None] * width
    i, j = n, width
    while i > 0:
        if took[i][j]:
            cells[j - 1] = fields[i - 1]
            i -= 1
        j -= 1
    return cells

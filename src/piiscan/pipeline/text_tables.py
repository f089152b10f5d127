"""Tables inside running text: a PDF page's table as its text layer gives it, a
fixed-width report pasted into a mail, a tab-separated export read as text.

Such a table reaches the scan as lines of one multi-line unit, so column inference
(piiscan.pipeline.tables) would never see its columns: a column of names under a
header the lexicon does not know (受益人) would be left to the model, line by
line. Here consecutive lines that split into the same number (three or more) of
fields separated by spaces or tabs are taken as a table's rows; their fields go
through the same table stage as spreadsheet cells (the header row found the same
way, a row's ID or phone evidence for the name beside it), and what the columns
decide comes back as detections in the unit's own offsets. Chinese prose has no
spaces between words, and English prose rarely keeps one word count over three
lines, so ordinary text is left alone. A name in letters keeps its space (Na Zhao
is one field); an empty cell, which a PDF's text layer does not show, breaks the
run of lines there."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterator

from piiscan.core.model import Detection, TextUnit
from piiscan.detect.engine import Detector
from piiscan.pipeline.empty_cells import Cell, place_fields
from piiscan.pipeline.tables import COLUMN_RECOGNIZER, TableStage, merged
from piiscan.sources.readers.base import header_index

MIN_FIELDS = 3
MIN_ROWS = 3  # the header row included
MAX_FIELD = 40  # characters: a longer field is a sentence, not a cell
QUIET_ROWS = 8  # a column of this many values that column inference does not take for names has none
_FIELD = re.compile(r"[^ \t\u3000]+")
_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class TextTables:
    added: list[Detection] = field(default_factory=list)  # the columns' findings, in the unit's offsets
    cells: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of every cell
    quiet: list[tuple[int, int]] = field(default_factory=list)  # cells of long columns that hold no names


def _blocks(text: str) -> list[list[list[Cell]]]:
    """Tables: runs of lines that split into fields, at least MIN_ROWS of them with
    the same number N (three or more) of fields. A line with fewer fields between
    them is a row with empty cells (a PDF's text layer does not show an empty cell):
    its fields are placed in the columns they look like (piiscan.pipeline.empty_cells)."""
    blocks, segment = [], []
    for fields in list(_lines(text)) + [[]]:
        if len(fields) >= 2 and all(e - s <= MAX_FIELD for s, e in fields):
            segment.append(fields)
            continue
        blocks.extend(_tables_in(text, segment))
        segment = []
    return blocks


def _tables_in(text: str, lines: list[list[tuple[int, int]]]) -> list[list[list[Cell]]]:
    """The tables of consecutive lines that each split into two or more fields."""
    tables, run, width = [], [], 0
    for i, fields in enumerate(lines + [[]]):
        if run and len(fields) == width + 1:
            fields = _spaced_name(text, fields)
        n = len(fields)
        if run and (n == width or 0 < n < width and not _own_table(lines[i:i + MIN_ROWS])):
            run.append(fields)
            continue
        tables.extend(_table(text, run, width))
        run, width = ([fields], n) if n >= MIN_FIELDS else ([], 0)
    return tables


def _spaced_name(text: str, fields: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A row one field too many because a two-character name is spaced out to align
    (苗 明): the one pair of single Chinese characters one space apart is one field."""
    pairs = [k for k in range(len(fields) - 1) if fields[k][1] - fields[k][0] == 1 == fields[k + 1][1] - fields[k + 1][0]
             and fields[k + 1][0] - fields[k][1] == 1 and _CJK.match(text, fields[k][0])
             and _CJK.match(text, fields[k + 1][0])]
    if len(pairs) != 1:
        return fields
    k = pairs[0]
    return fields[:k] + [(fields[k][0], fields[k + 1][1])] + fields[k + 2:]


def _own_table(following: list[list[tuple[int, int]]]) -> bool:
    """Whether a shorter line (the first of `following`) starts MIN_ROWS lines of its
    own width: a second table right under the first, not rows with empty cells."""
    width = len(following[0])
    return width >= MIN_FIELDS and len(following) == MIN_ROWS and all(len(f) == width for f in following)


def _table(text: str, run: list[list[tuple[int, int]]], width: int) -> list[list[list[Cell]]]:
    """The run as a table of `width` columns, if MIN_ROWS of its rows are full. After
    the last full row, only rows one field short follow it (a last row with an empty
    cell); a shorter line there is more likely a total or a note under the table."""
    full = [i for i, fields in enumerate(run) if len(fields) == width]
    if len(full) < MIN_ROWS:
        return []
    end = full[-1] + 1
    while end < len(run) and len(run[end]) >= max(2, width - 1):
        end += 1
    return [place_fields(text, run[:end], width)]


def _lines(text: str) -> Iterator[list[tuple[int, int]]]:
    """Each line's fields, lines counted as the scan counts them (\\r\\n, \\n and a
    lone \\r each end one); words in letters one space apart are one field (Na Zhao;
    an English sentence is then one field, not a row)."""
    start = 0
    for match in re.finditer(r"\r\n|\r|\n|\Z", text):
        fields: list[tuple[int, int]] = []
        for m in _FIELD.finditer(text, start, match.start()):
            a, b = m.span()
            if fields and a == fields[-1][1] + 1 and text[a - 1] == " " and _WORDS.fullmatch(text, *fields[-1]) \
                    and _WORDS.fullmatch(text, a, b):
                fields[-1] = (fields[-1][0], b)
            else:
                fields.append((a, b))
        yield fields
        if match.end() == len(text) and match.start() == match.end():
            break
        start = match.end()


def with_text_tables(unit: TextUnit, detections: list[Detection], detector: Detector) -> list[Detection]:
    """The unit's detections with its text tables' column findings. Where the
    model reads a table row as a sentence, the columns know better: a name of the
    model's over two cells (蒋公 程俊) or in a long column that holds no names
    (刘海 among 魏碑, 苏打) is dropped."""
    tables = text_tables(unit, detections, detector)
    if not tables.cells:
        return detections
    models = detector.model_names
    cells, quiet = sorted(tables.cells), sorted(tables.quiet)
    starts, quiet_starts = [a for a, _ in cells], [a for a, _ in quiet]

    def wrong(d: Detection) -> bool:
        if d.entity_type != "PERSON" or d.recognizer not in models:
            return False
        first = max(0, bisect.bisect_right(starts, d.start) - 1)  # the cell it starts in, or the one before
        over = [c for c in cells[first:bisect.bisect_left(starts, d.end)] if c[0] < d.end and d.start < c[1]]
        i = bisect.bisect_right(quiet_starts, d.start) - 1
        return len(over) > 1 or (i >= 0 and d.end <= quiet[i][1])

    return merged([d for d in detections if not wrong(d)], tables.added)


def text_tables(unit: TextUnit, detections: list[Detection], detector: Detector) -> TextTables:
    """Column inference over the tables in a multi-line unit's text (the unit's own
    detections of each field count as its cell's)."""
    found = TextTables()
    if unit.first_line is None or unit.text.count("\n") + unit.text.count("\r") < MIN_ROWS - 1:
        return found
    for number, block in enumerate(_blocks(unit.text)):
        found.cells.extend(cell for row in block for cell in row if cell is not None)
        _infer(unit, number, block, detections, detector, found)
    return found


def _infer(unit: TextUnit, number: int, block, detections: list[Detection], detector: Detector,
           found: TextTables) -> None:
    texts = [[unit.text[cell[0]:cell[1]] if cell else "" for cell in row] for row in block]
    header_row = header_index(texts)
    stage = TableStage(detector)
    ordered = sorted(detections, key=lambda d: d.start)
    starts = [d.start for d in ordered]
    cells = []
    for r, row in enumerate(block):
        for c, place in enumerate(row):
            if place is None:
                continue  # an empty cell
            start, end = place
            header = texts[header_row][c] if header_row is not None and r > header_row else None
            inside = ordered[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
            own = [_shifted(d, -start) for d in inside if d.end <= end]
            cell = TextUnit(unit.text[start:end], {"text_table": number, "row": r, "column": c}, header=header)
            cells.append((start, cell, own))
    offsets = {id(cell): start for start, cell, _ in cells}
    ready = [out for _, cell, own in cells for out in stage.feed(cell, own)] + list(stage.finish())
    for cell, found_here in ready:
        found.added.extend(_shifted(d, offsets[id(cell)]) for d in found_here if d.recognizer == COLUMN_RECOGNIZER)
    names = {column for _, column, decision in stage.decided if decision.entity == "PERSON"}
    values = len(block) - (header_row + 1 if header_row is not None else 0)
    if values >= QUIET_ROWS:
        first = header_row + 1 if header_row is not None else 0
        found.quiet.extend(cell for row in block[first:] for c, cell in enumerate(row)
                           if c not in names and cell is not None)


def has_text_table(unit: TextUnit) -> bool:
    """Whether a unit's text holds a table at all (cheap: no detection)."""
    return unit.first_line is not None and bool(_blocks(unit.text))


def column_detections(unit: TextUnit, detections: list[Detection], detector: Detector) -> list[Detection]:
    """What column inference adds in the tables of a multi-line unit's text."""
    return text_tables(unit, detections, detector).added


def _shifted(d: Detection, by: int) -> Detection:
    return Detection(d.entity_type, d.start + by, d.end + by, d.score, d.recognizer, d.value, d.canonical,
                     dict(d.metadata), d.context_word)

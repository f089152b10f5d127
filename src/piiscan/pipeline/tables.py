"""Column inference in the scan: table cells wait until their column is profiled,
then every cell gets the findings its column's decision gives it.

Cells arrive row by row, a table's cells one after another. The first
PROFILE_ROWS rows of a table are held (memory stays bounded by that, whatever
the table's size) until they are all there or the table ends, the columns are
decided (piiscan.detect.columns), and the held cells go on with their findings,
in their order; after that each row is held only until the next row starts, so
that the row's own identifiers can count as evidence for a name beside them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from piiscan.core.model import Detection, TextUnit
from piiscan.detect.columns.headers import Says, header_says
from piiscan.detect.columns.infer import SHAPES, ALL, ColumnDecision, ColumnProfile, decide, names_in, shaped
from piiscan.detect.columns.values import chinese_name_score
from piiscan.detect.engine import Detector

PROFILE_ROWS = 200
# Findings that make a row a record about a person.
IDENTIFIERS = frozenset({"CN_RESIDENT_ID", "CN_RESIDENT_ID_15", "CN_MOBILE", "CN_BANK_CARD", "CN_PASSPORT",
                         "CN_HK_MACAU_PERMIT", "CN_HOME_RETURN_PERMIT", "CN_TAIWAN_PERMIT",
                         "CN_PERMANENT_RESIDENCE_ID", "EMAIL_ADDRESS"})
DOCUMENTS = ("CN_PASSPORT", "CN_HK_MACAU_PERMIT", "CN_HOME_RETURN_PERMIT", "CN_TAIWAN_PERMIT",
             "CN_PERMANENT_RESIDENCE_ID")
# A travel document by its shape alone has its letter (E12345678, C12345678, L12345678) or
# the permanent-residence ID's checksum; bare digits (an 8-digit 台胞证 number) are as
# much an invoice number or a date (04400123, 20240105) and need a header naming them.
_DOCUMENT_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9]{7,10}$|^9[0-9]{16}[0-9X]$")
_CELL = re.compile(r"^([A-Z]+)([0-9]+)$")
COLUMN_RECOGNIZER = "ColumnInference"
ROW_SCORE = 0.7  # a name found only because its row holds an ID or a phone


def table_position(location: dict[str, Any]) -> Optional[tuple[tuple, Any, Any]]:
    """(table, row, column) of a table cell's location, None for anything else: an
    xlsx cell (sheet, B12), a CSV/docx/HTML/database cell (row, column), a JSON
    array of records (/clients/3/name), an XML record's field
    (/发票列表/发票[3]/购买方[1], or the record's attribute)."""
    if "part" in location and "cell" in location:
        return None  # a cell's comment
    where = dict(location)
    cell = where.pop("cell", None)
    if cell is not None:
        match = _CELL.match(str(cell))
        return (tuple(sorted(where.items())), int(match.group(2)), match.group(1)) if match else None
    if "row" in where and "column" in where:
        row, column = where.pop("row"), where.pop("column")
        return tuple(sorted(where.items())), row, column
    element = where.pop("element", None)
    if isinstance(element, str) and "part" not in where:
        return _xml_record(element, where)
    pointer = where.pop("pointer", None)
    if isinstance(pointer, str) and "part" not in where:
        parts = pointer.split("/")
        for i in range(len(parts) - 2, 0, -1):
            if parts[i].isdigit():
                return (tuple(sorted(where.items())) + (("array", "/".join(parts[:i])),), int(parts[i]),
                        "/".join(parts[i + 1:]))
    return None


_XML_FIELD = re.compile(r"^(.*)\[(\d+)\]/([^/\[]+)\[1\]$")  # /list/record[3]/field[1]
_XML_RECORD = re.compile(r"^(.*)\[(\d+)\]$")  # /list/record[3] (its attribute)


def _xml_record(element: str, where: dict) -> Optional[tuple[tuple, Any, Any]]:
    """Repeated elements are the rows of a table, their single children and their
    attributes its columns; what the record's own text holds stays outside."""
    attribute = where.pop("attribute", None)
    match = _XML_RECORD.match(element) if attribute else _XML_FIELD.match(element)
    if match is None:
        return None
    column = "@" + attribute if attribute else match.group(3)
    return tuple(sorted(where.items())) + (("records", match.group(1)),), int(match.group(2)), column


@dataclass
class _Cell:
    unit: TextUnit
    detections: list[Detection]
    row: Any
    column: Any


@dataclass
class _Table:
    held: list[_Cell] = field(default_factory=list)
    rows: set = field(default_factory=set)
    first_row: Any = None
    headed: set = field(default_factory=set)  # columns whose cells have a header: a cell without one is the header row
    decisions: Optional[dict[Any, ColumnDecision]] = None


class TableStage:
    """Holds table cells of one source and adds the column decisions' findings."""

    def __init__(self, detector: Detector, profile_rows: int = PROFILE_ROWS):
        self.detector = detector
        self.profile_rows = profile_rows
        self.tables: dict[tuple, _Table] = {}
        self._open: Optional[tuple] = None  # the table whose cells are arriving
        wanted = set(detector.entities)
        self.documents = [e for e in DOCUMENTS if e in wanted]
        self.person = "PERSON" in wanted
        self.decided: list[tuple[tuple, Any, ColumnDecision]] = []  # (table, column, decision), for reports

    def feed(self, unit: TextUnit, detections: list[Detection]) -> Iterator[tuple[TextUnit, list[Detection]]]:
        position = table_position(unit.location)
        key = position[0] if position else None
        if position is None and "part" in unit.location and ("pointer" in unit.location or "cell" in unit.location):
            yield unit, detections  # a JSON key, a cell's comment: beside the table, not after it
            return
        if key != self._open:
            yield from self.finish()  # a table's cells are contiguous: the one before is complete
        if position is None:
            yield unit, detections
            return
        self._open = key
        _, row, column = position
        table = self.tables.setdefault(key, _Table())
        if table.held and table.held[-1].row != row:
            table.rows.add(table.held[-1].row)
            if table.decisions is None and len(table.rows) >= self.profile_rows:
                table.decisions = self._decide(key, table)
            if table.decisions is not None:
                yield from self._release(table)
        if unit.header is not None:
            table.headed.add(column)
        if table.first_row is None:
            table.first_row = row
        table.held.append(_Cell(unit, detections, row, column))

    def finish(self) -> Iterator[tuple[TextUnit, list[Detection]]]:
        """Decide and release what is held (the end of a source, or of its open table).
        A table seen again later keeps its decisions."""
        self._open = None
        for key, table in self.tables.items():
            if table.held:
                if table.decisions is None:
                    table.decisions = self._decide(key, table)
                yield from self._release(table)

    def _release(self, table: _Table) -> Iterator[tuple[TextUnit, list[Detection]]]:
        held, table.held = table.held, []
        rows: dict[Any, list[_Cell]] = {}
        for cell in held:
            rows.setdefault(cell.row, []).append(cell)
        for cells in rows.values():
            identified = any(d.entity_type in IDENTIFIERS for c in cells for d in c.detections)
            for cell in cells:
                if _is_label(cell, table):
                    yield cell.unit, cell.detections  # the header row, or a title above it
                else:
                    yield cell.unit, self._with_column(cell, table.decisions.get(cell.column), identified)

    def _decide(self, key: tuple, table: _Table) -> dict[Any, ColumnDecision]:
        profiles: dict[Any, ColumnProfile] = {}
        identified_rows = {c.row for c in table.held if any(d.entity_type in IDENTIFIERS for d in c.detections)}
        for cell in table.held:
            profile = profiles.setdefault(cell.column, ColumnProfile())
            if _is_label(cell, table):
                continue  # the header row itself is not one of the column's values
            profile.add(cell.unit.text, cell.unit.header, cell.row in identified_rows)
            for entity in self._documents_in(cell.unit.text):
                profile.add_document(entity)
            for entity in {d.entity_type for d in cell.detections if d.entity_type in SHAPES}:
                profile.add_identifier(entity)
        decisions = {}
        for column, profile in profiles.items():
            decision = decide(profile)
            if decision and (decision.entity != "PERSON" or self.person):
                decisions[column] = decision
                self.decided.append((key, column, decision))
        return decisions

    def _documents_in(self, text: str) -> list[str]:
        value = text.strip().upper()
        if not self.documents or not _DOCUMENT_SHAPE.match(value):
            return []
        found = []
        for entity in self.documents:
            if any(d.entity_type == entity and d.end - d.start == len(value)
                   for d in self.detector.detect(value, header=self.detector.header_for(entity))):
                found.append(entity)
        return found

    def _with_column(self, cell: _Cell, decision: Optional[ColumnDecision], identified: bool) -> list[Detection]:
        text = cell.unit.text
        if decision is None:
            if not (identified and self.person and chinese_name_score(text) >= 0.6):
                return cell.detections
            spans, entity, score, why = [(0, len(text))], "PERSON", ROW_SCORE, "row"
        elif decision.entity == "PERSON":
            # a row holding an ID or a phone is about a person: a mixed column's value there is taken
            # as a name as a column of names would take it (连建国 beside its phone)
            mode = ALL if identified else decision.mode
            spans, entity, score, why = names_in(text, mode), "PERSON", decision.confidence, "column"
        elif decision.entity in SHAPES:
            if cell.detections or not shaped(decision.entity, text):
                return cell.detections
            value = text.strip()
            digits = re.sub(r"[^0-9Xx]", "", value).upper()
            canonical = digits[-11:] if decision.entity == "CN_MOBILE" else digits  # as the validators normalise
            return [Detection(decision.entity, text.index(value), text.index(value) + len(value), decision.confidence,
                              COLUMN_RECOGNIZER, value, canonical, {"column_inference": "column", "column_mode": ALL})]
        else:
            found = [d for d in self.detector.detect(text, header=self.detector.header_for(decision.entity))
                     if d.entity_type == decision.entity]
            return merged(cell.detections, [_as_column(d, decision) for d in found])
        added = []
        for start, end in spans:
            value = text[start:end].strip()
            start = text.index(value, start)
            added.append(Detection(entity, start, start + len(value), score, COLUMN_RECOGNIZER, value, value,
                                   {"column_inference": why, "column_mode": decision.mode if decision else "row"}))
        return merged(cell.detections, added)


def _is_label(cell: _Cell, table: _Table) -> bool:
    """The header row (or a title above it) is not one of a column's values: a cell
    without header where the column's other cells have one, or in a table whose
    reader saw no header row, a first-row cell that reads as a header (户主)."""
    if cell.unit.header is None and cell.column in table.headed:
        return True
    return not table.headed and cell.row == table.first_row and header_says(cell.unit.text) != Says.UNKNOWN


def _as_column(d: Detection, decision: ColumnDecision) -> Detection:
    return Detection(d.entity_type, d.start, d.end, max(d.score, decision.confidence), COLUMN_RECOGNIZER,
                     d.value, d.canonical, dict(d.metadata) | {"column_inference": "column", "column_mode": ALL})


def merged(existing: list[Detection], added: list[Detection]) -> list[Detection]:
    """Own detections plus the column's, where they do not overlap; a column's name
    wins over the model's organisation on the same text (罗想 or 康帆 中国工商银行 in
    a column of payees: the model reads the row, the column knows better)."""
    names = [d for d in added if d.entity_type == "PERSON"]
    kept = [e for e in existing
            if e.entity_type != "ORGANIZATION" or all(d.end <= e.start or d.start >= e.end for d in names)]
    base = list(kept)
    for d in added:
        if all(d.end <= e.start or d.start >= e.end for e in base):
            kept.append(d)
    return sorted(kept, key=lambda d: d.start)

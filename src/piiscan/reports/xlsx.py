"""The spreadsheet a reviewer filters: one sheet per table, Chinese headings with
the English beneath (or one language), frozen headings, autofilter, column
widths, the strictest tiers coloured.

Written with XlsxWriter in constant-memory mode (rows go to disk as they come).
A sheet stops at Excel's 1,048,576 rows; the settings sheet then says how many
rows were left out and the CSV/JSON exports hold them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from piiscan.reports.data import ReportData
from piiscan.reports.tables import TABLES, Table

EXCEL_ROWS = 1_048_576
SHEET_ORDER = ("settings", "files", "findings", "database_columns", "folders", "exposure", "errors", "runs")
LANGS = ("both", "zh", "en")
TIER_FILLS = {"C3": "#f4b6b6", "C2": "#fbd9a6", "C1": "#fff2b3"}


def sheet_name(table: Table, lang: str) -> str:
    name = {"both": f"{table.zh} {table.en}", "zh": table.zh, "en": table.en}[lang]
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:31]


def cell(value: Any) -> Any:
    if value is None or value == "":
        return None  # a blank cell: XlsxWriter writes nothing for it
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    return value


class _Sheet:
    def __init__(self, book, table: Table, lang: str, formats: dict):
        self.table, self.keys = table, [c.key for c in table.columns]
        self.ws = book.add_worksheet(sheet_name(table, lang))
        heads = {"both": [[c.zh for c in table.columns], [c.en for c in table.columns]],
                 "zh": [[c.zh for c in table.columns]], "en": [[c.en for c in table.columns]]}[lang]
        for k, column in enumerate(table.columns):
            self.ws.set_column(k, k, column.width)
        for r, labels in enumerate(heads):
            self.ws.write_row(r, 0, labels, formats["head" if r == 0 else "head2"])
        self.header_rows = len(heads)
        self.ws.freeze_panes(self.header_rows, 0)
        self.row = self.header_rows
        self.left_out = 0

    def add(self, row: dict) -> None:
        if self.row >= EXCEL_ROWS and self.table.key != "settings":  # settings: a few dozen rows
            self.left_out += 1
            return
        self.ws.write_row(self.row, 0, [cell(row.get(k)) for k in self.keys])
        self.row += 1

    def finish(self, formats: dict) -> None:
        last = max(self.row - 1, self.header_rows)
        self.ws.autofilter(self.header_rows - 1, 0, last, len(self.keys) - 1)
        if "jrt0171" in self.keys and self.row > self.header_rows:
            k = self.keys.index("jrt0171")
            for tier in TIER_FILLS:
                self.ws.conditional_format(self.header_rows, k, last, k, {
                    "type": "cell", "criteria": "==", "value": f'"{tier}"', "format": formats[tier]})


def write_xlsx(data: ReportData, path: Path, lang: str = "both") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    formats = {"head": book.add_format({"bold": True, "bg_color": "#1f3a5f", "font_color": "#ffffff",
                                        "text_wrap": True, "valign": "top"}),
               "head2": book.add_format({"italic": True, "bg_color": "#dbe4ef", "text_wrap": True, "valign": "top"})}
    formats.update({tier: book.add_format({"bg_color": fill}) for tier, fill in TIER_FILLS.items()})
    by_key = {t.key: t for t in TABLES} | {"files": data.files_table}
    sheets = {key: _Sheet(book, by_key[key], lang, formats) for key in SHEET_ORDER}
    settings_rows = []
    for table, row in data.stream():
        if table == "settings":
            settings_rows.append(row)  # written last, with the counts of rows left out
        else:
            sheets[table].add(row)
    for key, sheet in sheets.items():
        if sheet.left_out:
            settings_rows.append({"key": f"truncated.{key}",
                                  "value": f"{sheet.left_out} rows past Excel's row limit left out; "
                                           f"the CSV and JSON exports hold them"})
    for row in settings_rows:
        sheets["settings"].add(row)
    for sheet in sheets.values():
        sheet.finish(formats)
    book.close()
    return path
